//===- CheckCommand.cpp - ramfit check ------------------------------------===//

#include "Binary.h"
#include "Calls.h"
#include "Commands.h"
#include "Diagnostics.h"
#include "MemoryMap.h"
#include "PlacementCheck.h"
#include "Plan.h"

#include "llvm/Support/WithColor.h"
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

Expected<MemoryRegion> region() {
  if (RegionName.empty())
    return createStringError(inconvertibleErrorCode(),
                             "check needs --region NAME=ORIGIN,LENGTH, or "
                             "--memory-map SCRIPT --region NAME");
  if (MemoryMapPath.empty())
    return parseRegion(RegionName);
  Expected<std::vector<MemoryRegion>> Regions =
      readMemoryRegions(MemoryMapPath);
  if (!Regions)
    return Regions.takeError();
  for (const MemoryRegion &R : *Regions)
    if (R.Name == RegionName)
      return R;
  return inputError(MemoryMapPath,
                    "no memory region '" + RegionName + "' in MEMORY");
}

} // namespace

int runCheck() {
  Expected<Plan> P = readPlan(PlanPath);
  if (!P)
    return reportError(P.takeError());
  Expected<std::unique_ptr<Binary>> Elf = Binary::open(ElfPath);
  if (!Elf)
    return reportError(Elf.takeError());
  Expected<MemoryRegion> Region = region();
  if (!Region)
    return reportError(Region.takeError());
  Expected<std::unique_ptr<CallScanner>> Calls = CallScanner::create(**Elf);
  if (!Calls)
    warn(toString(Calls.takeError()) +
         "; calls from RAM into flash are not checked");
  CheckResult Result = checkPlacement(
      *P, **Elf, *Region, Calls ? Calls->get() : nullptr, NoFlashCalls);
  for (const CheckFinding &Finding : Result.Findings)
    (Finding.IsError ? WithColor::error(errs(), "ramfit")
                     : WithColor::warning(errs(), "ramfit"))
        << Finding.Message << "\n";
  outs() << "ramfit check: " << Result.InRam << " of " << P->Units.size()
         << " planned functions in " << Region->Name << ": "
         << (Result.failed() ? "FAILED" : "ok") << "\n";
  return Result.failed() ? CheckFailed : 0;
}

} // namespace ramfit::cli
