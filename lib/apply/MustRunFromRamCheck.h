//===- MustRunFromRamCheck.h - Code on the wrong side, in a rebuilt ELF -*- C++
//-*-===//
//
// The two ways a placement crashes a device that every test run misses:
// code an interrupt reaches left in flash (it fails only when the interrupt
// comes while the flash is busy), and code the reset path runs before the
// copy put in RAM (the firmware never starts). Both are found again in the
// rebuilt ELF, from the roots the plan recorded and the vectors of the ELF
// itself, and each is an error naming the path that reaches the code.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_APPLY_MUSTRUNFROMRAMCHECK_H
#define RAMFIT_APPLY_MUSTRUNFROMRAMCHECK_H

#include "firmware/Binary.h"
#include "firmware/Calls.h"
#include "firmware/Closure.h"
#include "firmware/MemoryMap.h"
#include "plan/Plan.h"
#include "support/Diagnostics.h"

#include <vector>

namespace ramfit {

/// The roots a plan recorded, as options that find them again by name in
/// a rebuilt ELF (besides its own vectors).
RamRootOptions rootsOfPlan(const Plan &P);

/// "isr -> usb_irq_handler -> dcd_int_handler (.text, 0x200820d0), reached
/// from the trap vector, mtvec as set at 0x20000064".
std::string whereOutside(const RamClosure &Closure, size_t Member);

/// An error for each function of Closure outside Region, with its path.
std::vector<Diagnostic> closureOutside(const RamClosure &Closure,
                                       const MemoryRegion &Region);

/// closureOutside for the closure of the plan's roots in Elf. Its code
/// without a function symbol that is inside Region (the assembly of
/// 'trap_entry:') is added to UntypedInRegion: no function list shows it.
std::vector<Diagnostic>
checkMustRunFromRam(const Plan &P, const Binary &Elf,
                    const MemoryRegion &Region, const CallScanner &Calls,
                    std::vector<FunctionInfo> &UntypedInRegion);

/// An error for each function the reset path runs before its copy to RAM
/// that is inside Region, unless the core starts in Region itself.
std::vector<Diagnostic> checkStartupOutsideRam(const Binary &Elf,
                                               const MemoryRegion &Region,
                                               const CallScanner &Calls);

} // namespace ramfit

#endif
