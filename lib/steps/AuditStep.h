//===- AuditStep.h - ramfit audit as one library call -----------*- C++ -*-===//
//
// The audit of a placement a tree already has (apply/PlacementAudit.h):
// the ELF, its map and its linker script in, the findings out.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_STEPS_AUDITSTEP_H
#define RAMFIT_STEPS_AUDITSTEP_H

#include "apply/PlacementAudit.h"
#include "firmware/Closure.h"
#include "support/Diagnostics.h"

#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace ramfit {

struct AuditStepOptions {
  std::string Elf;
  std::string Map;
  /// The linker script the ELF was linked with.
  std::string Script;
  /// The MEMORY region RAM code runs in.
  std::string Region;
  /// ld's -L directories, for the script's INCLUDEs.
  std::vector<std::string> SearchDirs;
  /// What must run from RAM besides the ELF's own vectors.
  RamRootOptions Roots;
};

/// A note says when calls out of RAM could not be checked.
llvm::Expected<AuditResult> auditStep(const AuditStepOptions &Options,
                                      DiagnosticHandler Diag);

} // namespace ramfit

#endif
