//===- Startup.h - The code that runs before code is in RAM -----*- C++ -*-===//
//
// After reset the firmware copies its RAM code (with .data) from flash. A
// function that runs before that copy is done must stay in flash: moved to
// RAM, it is called where nothing has been copied yet, and the firmware
// crashes at reset. Those functions are found from where the core starts
// (firmware/Roots.h: the Cortex-M reset vector, RISC-V's _start): what it
// calls before its copy (the first loop, or its call to memcpy, the copy
// included), and everything they call.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_FIRMWARE_STARTUP_H
#define RAMFIT_FIRMWARE_STARTUP_H

#include "firmware/Binary.h"
#include "firmware/Calls.h"
#include "firmware/Roots.h"

#include <string>
#include <vector>

namespace ramfit {

struct StartupFunction {
  const FunctionInfo *Function = nullptr;
  /// The entry function it runs under, for the user: "_start"; empty for
  /// the entry function itself.
  std::string CalledFrom;
  /// How the reset code reaches it: "Reset_Handler -> memcpy".
  std::string Path;
};

struct StartupCode {
  /// Where the core starts; none when the ELF does not say.
  std::optional<ResetEntry> Entry;
  /// The entry function itself (when it is a function symbol), the
  /// functions it runs before its copy to RAM is done and what they call,
  /// in the order found.
  std::vector<StartupFunction> Functions;
};

StartupCode functionsBeforeTheCopy(const Binary &Elf, const CallScanner &Calls);

} // namespace ramfit

#endif
