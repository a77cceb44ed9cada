//===- Commands.h - What the subcommands of ramfit share --------*- C++ -*-===//
#ifndef RAMFIT_TOOLS_COMMANDS_H
#define RAMFIT_TOOLS_COMMANDS_H

#include "samples/Samples.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace ramfit::cli {

extern llvm::cl::SubCommand ProfileCommand;
extern llvm::cl::SubCommand PlanCommand;
extern llvm::cl::SubCommand LdscriptCommand;
extern llvm::cl::SubCommand CheckCommand;
extern llvm::cl::SubCommand AnnotateCommand;
extern llvm::cl::SubCommand GdbScriptCommand;
extern llvm::cl::SubCommand RunCommand;

/// Options every sample-reading subcommand takes.
extern llvm::cl::opt<std::string> ElfPath;
extern llvm::cl::opt<bool> AllowMismatch;
/// Shared by the subcommands that read a map, a plan or a memory region.
extern llvm::cl::opt<std::string> MapPath;
extern llvm::cl::opt<std::string> PlanPath;
extern llvm::cl::opt<std::string> MemoryMapPath;
extern llvm::cl::opt<std::string> RegionName;

/// Prints "ramfit: error: ..." and gives the exit code for it.
int reportError(llvm::Error Err);

llvm::Expected<std::vector<SampleFile>> readSamples();
/// The sample files given on the command line, and their forced format.
std::vector<std::string> sampleSpecs();
std::string samplesFormat();

int runProfile();
int runPlan();
int runLdscript();
int runCheck();
int runAnnotate();
int runGdbScript(const char *Argv0);
int runRun();

} // namespace ramfit::cli

#endif
