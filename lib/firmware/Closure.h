//===- Closure.h - The code that must never leave RAM -----------*- C++ -*-===//
//
// An interrupt taken while the flash is busy (written, erased, or in a
// command mode) fetches its handler, and everything the handler calls, from
// wherever they are: one function of that path left in flash crashes the
// device, and only when the interrupt comes at the wrong moment. So that
// code is found by call graph, not by samples: the roots (the interrupt and
// trap entries firmware/Roots.h finds, the code the firmware already places
// in RAM in a section the user names, the functions the user names), then
// everything they reach by direct calls and tail jumps, through veneers,
// clones, split parts and libgcc helpers. Indirect calls are not guessed:
// each is listed, and the user names its possible targets.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_FIRMWARE_CLOSURE_H
#define RAMFIT_FIRMWARE_CLOSURE_H

#include "firmware/Binary.h"
#include "firmware/Calls.h"
#include "firmware/LinkerMap.h"

#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace ramfit {

struct RamRootOptions {
  /// Input sections (output sections, without a map) holding code that
  /// runs while the flash is busy: every function in them is a root
  /// (".ramtext").
  std::vector<std::string> KeepSections;
  /// Functions that are roots (globs): '--keep-reachable'.
  std::vector<std::string> KeepReachable;
  /// Interrupt or trap entries that are not roots (globs): a vector slot
  /// that is never enabled, or '*' for firmware whose flash is never busy.
  std::vector<std::string> NotARoot;
  /// "CALLER=TARGET[,TARGET...]": the functions an indirect call in CALLER
  /// may reach (globs on both sides).
  std::vector<std::string> Indirect;
  /// Whether a pattern that matches nothing is an error (the plan), or is
  /// passed over (the check of a rebuilt ELF, with names the plan recorded).
  bool PatternsMustMatch = true;
};

/// Checks an --indirect value: "CALLER=TARGET[,TARGET...]", globs.
llvm::Expected<std::string> parseIndirectTargets(llvm::StringRef Text);

/// A glob that matches Name alone.
std::string exactPattern(llvm::StringRef Name);

struct ClosureMember {
  FunctionInfo Code;
  /// The member that calls it; NotCalled for a root.
  size_t CalledBy = NotCalled;
  /// Why a root is one: "vector 15, SysTick, of the table at 0x0",
  /// "code for a busy flash, in .ramtext", "--keep-reachable isr".
  std::string RootWhy;
  static constexpr size_t NotCalled = ~size_t(0);
};

struct IndirectCall {
  std::string Function;
  uint64_t Address = 0;
  /// Whether --indirect named the targets of calls in this function.
  bool TargetsNamed = false;
};

struct RamClosure {
  std::vector<ClosureMember> Members;
  std::vector<IndirectCall> IndirectCalls;

  /// "isr -> usb_irq_handler -> dcd_int_handler".
  std::string pathTo(size_t Member) const;
  /// The member that holds Address, or NotCalled.
  size_t memberAt(uint64_t Address) const;
  /// The root Member is reached from.
  size_t rootOf(size_t Member) const;
  /// Bytes of its code, each function once.
  uint64_t bytes() const;
  size_t rootCount() const;
};

/// The roots and everything they reach. Map, when given, tells input
/// sections apart for KeepSections. An error names a pattern that matches
/// nothing (when they must match).
llvm::Expected<RamClosure> findRamClosure(const Binary &Elf,
                                          const CallScanner &Calls,
                                          const LinkerMap *Map,
                                          const RamRootOptions &Options);

} // namespace ramfit

#endif
