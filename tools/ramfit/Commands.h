//===- Commands.h - What the subcommands of ramfit share --------*- C++ -*-===//
#ifndef RAMFIT_TOOLS_COMMANDS_H
#define RAMFIT_TOOLS_COMMANDS_H

#include "steps/Steps.h"
#include "support/Diagnostics.h"

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
extern llvm::cl::SubCommand MeasureCommand;
extern llvm::cl::SubCommand AuditCommand;
extern llvm::cl::SubCommand DiffCommand;

/// Options every sample-reading subcommand takes.
extern llvm::cl::opt<std::string> ElfPath;
extern llvm::cl::opt<bool> AllowMismatch;
/// Shared by the subcommands that read a map, a plan or a memory region.
extern llvm::cl::opt<std::string> MapPath;
extern llvm::cl::opt<std::string> PlanPath;
extern llvm::cl::opt<std::string> MemoryMapPath;
extern llvm::cl::opt<std::string> RegionName;
extern llvm::cl::list<std::string> SearchDirs;

/// Prints "ramfit: error: ..." and gives the exit code for it.
int reportError(llvm::Error Err);

/// Prints "ramfit: warning: ..." or "ramfit: note: ...", as for errors.
void printDiagnostic(const Diagnostic &D);

/// The ELF and the samples, as profile and plan take them.
llvm::Expected<ProfileStepOptions> sampleInputOptions();

/// --keep-section, --keep-reachable, --not-a-root and --indirect, checked:
/// the code that must run from RAM, for plan and audit.
llvm::Expected<RamRootOptions> rootOptions();

/// An option's value through its parser; the error names the option.
template <typename T, typename Parser>
llvm::Expected<T> parseOption(llvm::StringRef Flag, llvm::StringRef Value,
                              Parser Parse) {
  llvm::Expected<T> Parsed = Parse(Value);
  if (!Parsed)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "--" + Flag + ": " +
                                       llvm::toString(Parsed.takeError()));
  return Parsed;
}

int runProfile();
int runPlan();
int runLdscript();
int runCheck();
int runAnnotate();
int runGdbScript(const char *Argv0);
int runRun();
int runMeasure(const char *Argv0);
int runAudit();
int runDiff();

} // namespace ramfit::cli

#endif
