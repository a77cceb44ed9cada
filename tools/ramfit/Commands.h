//===- Commands.h - What the subcommands of ramfit share --------*- C++ -*-===//
#ifndef RAMFIT_TOOLS_COMMANDS_H
#define RAMFIT_TOOLS_COMMANDS_H

#include "Samples.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace ramfit::cli {

extern llvm::cl::SubCommand ProfileCommand;
extern llvm::cl::SubCommand PlanCommand;

/// Options every sample-reading subcommand takes.
extern llvm::cl::opt<std::string> ElfPath;
extern llvm::cl::opt<bool> AllowMismatch;

/// Prints "ramfit: error: ..." and gives the exit code for it.
int reportError(llvm::Error Err);

llvm::Expected<std::vector<SampleFile>> readSamples();

int runProfile();
int runPlan();

} // namespace ramfit::cli

#endif
