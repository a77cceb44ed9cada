//===- FlashCalls.h - Calls from RAM into flash, as check says them -*- C++
//-*-===//
//
// Code moved to RAM that calls code left in flash runs at flash speed for
// that call, and must not run while the flash is busy. A build of a real
// port has a hundred or more such calls: check says them in one summary a
// reviewer reads, and each only when asked.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_APPLY_FLASHCALLS_H
#define RAMFIT_APPLY_FLASHCALLS_H

#include "firmware/Binary.h"
#include "firmware/Calls.h"
#include "firmware/MemoryMap.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>
#include <vector>

namespace ramfit {

/// A call from planned code in RAM to code in flash.
struct FlashCall {
  std::string Caller;
  std::string Callee;
  uint64_t CalleeAddress = 0;
  std::string CalleeSection;
};

/// The functions outside Region that Caller calls, each once (through a
/// veneer, the function it reaches).
std::vector<FlashCall> flashCallsFrom(const Binary &Elf,
                                      const FunctionInfo &Caller,
                                      const MemoryRegion &Region,
                                      const CallScanner &Calls);

/// "main (in RAM) calls console_puts at 0x664 in .text, outside RAM".
std::string describeFlashCall(const FlashCall &Call,
                              llvm::StringRef RegionName);
/// One line for all of them: how many, and the ten functions in flash most
/// callers in RAM call.
std::string summarizeFlashCalls(llvm::ArrayRef<FlashCall> Calls,
                                llvm::StringRef RegionName);

} // namespace ramfit

#endif
