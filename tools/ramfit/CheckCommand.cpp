//===- CheckCommand.cpp - ramfit check ------------------------------------===//

#include "Commands.h"

#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit::cli {

namespace {

cl::opt<bool> NoFlashCalls(
    "no-flash-calls",
    cl::desc("Fail when code in RAM calls code in flash (for code that runs "
             "while the flash is busy)"),
    cl::sub(CheckCommand));

} // namespace

int runCheck() {
  CheckStepOptions Options{PlanPath,   ElfPath,    MemoryMapPath,
                           RegionName, SearchDirs, NoFlashCalls};
  Expected<CheckStepResult> Result = checkStep(Options, printDiagnostic);
  if (!Result)
    return reportError(Result.takeError());
  bool Failed = Result->Check.failed();
  outs() << "ramfit check: " << Result->Check.InRam << " of "
         << Result->PlannedUnits << " planned functions in "
         << Result->Region.Name << ": " << (Failed ? "FAILED" : "ok") << "\n";
  return Failed ? CheckFailedExitCode : 0;
}

} // namespace ramfit::cli
