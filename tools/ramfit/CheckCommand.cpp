//===- CheckCommand.cpp - ramfit check ------------------------------------===//

#include "firmware/Binary.h"
#include "Commands.h"
#include "firmware/MemoryMap.h"
#include "apply/PlacementCheck.h"
#include "plan/Plan.h"

#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit::cli {

namespace {

cl::opt<bool> NoFlashCalls(
    "no-flash-calls",
    cl::desc("Fail when code in RAM calls code in flash (for code that runs "
             "while the flash is busy)"),
    cl::sub(CheckCommand));

/// The exit code of a check that found a problem, apart from 1 for errors.
constexpr int CheckFailed = 2;

} // namespace

int runCheck() {
  Expected<Plan> P = readPlan(PlanPath);
  if (!P)
    return reportError(P.takeError());
  Expected<std::unique_ptr<Binary>> Elf = Binary::open(ElfPath);
  if (!Elf)
    return reportError(Elf.takeError());
  Expected<MemoryRegion> Region = resolveRegion(MemoryMapPath, RegionName);
  if (!Region)
    return reportError(Region.takeError());
  CheckResult Result = checkElf(*P, **Elf, *Region, NoFlashCalls);
  printFindings(Result, errs());
  outs() << "ramfit check: " << Result.InRam << " of " << P->Units.size()
         << " planned functions in " << Region->Name << ": "
         << (Result.failed() ? "FAILED" : "ok") << "\n";
  return Result.failed() ? CheckFailed : 0;
}

} // namespace ramfit::cli
