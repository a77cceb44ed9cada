//===- MustRunFromRam.h - The closure, as the plan keeps it -----*- C++ -*-===//
//
// The code that must run from RAM (firmware/Closure.h) is in every plan,
// whatever its samples: its units are marked, charged to the budget first
// and never freed, and the plan records its roots by name so that 'check'
// can find the same code again in the rebuilt ELF.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PLAN_MUSTRUNFROMRAM_H
#define RAMFIT_PLAN_MUSTRUNFROMRAM_H

#include "firmware/Closure.h"
#include "plan/Plan.h"
#include "plan/Units.h"
#include "support/Diagnostics.h"

#include "llvm/Support/Error.h"
#include <vector>

namespace ramfit {

/// The closure of Roots, with a note of its size and a warning for each
/// indirect call whose targets no --indirect names. Without Calls (no
/// disassembler) it is empty, with a warning, unless Roots asks for code by
/// name or section: then it is an error.
llvm::Expected<RamClosure> findMustRunFromRam(const RamRootOptions &Roots,
                                              const Binary &Elf,
                                              const CallScanner *Calls,
                                              const LinkerMap *Map,
                                              DiagnosticHandler Diag);

/// Sets MustRunFromRam on every unit that holds code of Closure, with a
/// warning for each such unit an --exclude names: it stays in RAM all the
/// same.
void markMustRunFromRam(std::vector<PlacementUnit> &Units,
                        const RamClosure &Closure,
                        llvm::ArrayRef<std::string> Excludes,
                        DiagnosticHandler Diag);

/// The roots, the options and the indirect calls, into the plan.
void recordMustRunFromRam(Plan &P, const RamClosure &Closure,
                          const RamRootOptions &Roots,
                          llvm::ArrayRef<PlacementUnit> Units);

} // namespace ramfit

#endif
