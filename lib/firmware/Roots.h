//===- Roots.h - Where the core enters the firmware's code ------*- C++ -*-===//
//
// The core enters code in two ways the samples say nothing about: at reset,
// before the start-up code has copied anything to RAM, and on an interrupt
// or trap, which may come while the flash is busy (being written, or in a
// command mode), when only code in RAM can run. Both are read from the ELF
// the way the core reads them: the Cortex-M vector table the image begins
// with (word 1 is the reset handler, the words after it the exception and
// interrupt handlers), and on RISC-V the address the code writes to mtvec
// or stvec.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_FIRMWARE_ROOTS_H
#define RAMFIT_FIRMWARE_ROOTS_H

#include "firmware/Binary.h"
#include "firmware/Calls.h"

#include <optional>
#include <string>
#include <vector>

namespace ramfit {

/// Where the core starts after reset.
struct ResetEntry {
  uint64_t Address = 0;
  /// How ramfit knows, for the user: "word 1 of the vector table at 0x0,
  /// .isr_vector", "_start", "the ELF entry point".
  std::string Source;
};

/// Cortex-M: the reset handler of the vector table; RISC-V: '_start';
/// else the ELF's entry point. None when the ELF has none of them.
std::optional<ResetEntry> findResetEntry(const Binary &Elf);

/// Code an interrupt or trap enters.
struct InterruptEntry {
  uint64_t Address = 0;
  /// "vector 15, SysTick, of the table at 0x0", "the trap vector, mtvec
  /// as set at 0x20000054".
  std::string Source;
};

/// Every handler the Cortex-M vector table names (reset aside), or the
/// RISC-V trap vectors the code sets; in the table's order, each address
/// once.
std::vector<InterruptEntry> findInterruptEntries(const Binary &Elf,
                                                 const CallScanner &Calls);

} // namespace ramfit

#endif
