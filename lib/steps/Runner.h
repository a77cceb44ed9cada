//===- Runner.h - 'ramfit run': the configured steps, as a build step -*- C++
//-*-===//
//
// Runs plan, ldscript, annotate and check from a ramfit.yaml, in that
// order, each through the same library call as its subcommand. A step whose
// inputs (files and settings) are unchanged since it last ran is skipped;
// every output is written only when its bytes change, and atomically, so a
// build that runs ramfit on every make relinks only when something changed.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_RUNNER_H
#define RAMFIT_RUNNER_H

#include "steps/Config.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace ramfit {

/// The documented exit codes of 'ramfit run'.
enum RunStatus {
  RunOk = 0,
  RunError = 1,
  RunCheckFailed = CheckFailedExitCode
};

/// The steps a config asks for, in order: plan when it names samples,
/// ldscript when it names a fragment, annotate when it names a patch, check
/// when it names a region.
std::vector<std::string> configuredSteps(const Config &C);

/// Runs Steps (validated against the known ones). Log gets one line a
/// step; the steps' warnings and notes go to Diag.
llvm::Expected<RunStatus> runSteps(const Config &C,
                                   llvm::ArrayRef<std::string> Steps,
                                   llvm::raw_ostream &Log,
                                   DiagnosticHandler Diag);

} // namespace ramfit

#endif
