#include "steps/Steps.h"
#include "apply/Patch.h"
#include "apply/PlacementCheck.h"
#include "firmware/Binary.h"
#include "firmware/Calls.h"
#include "firmware/LinkerMap.h"
#include "firmware/Startup.h"
#include "plan/Report.h"
#include "support/Output.h"

#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <optional>

using namespace llvm;

namespace ramfit {

//===----------------------------------------------------------------------===//
// ldscript
//===----------------------------------------------------------------------===//

Expected<std::string> ldscriptStep(const LdscriptStepOptions &Options) {
  if (!Options.Map.empty() && !Options.ObjectsDir.empty())
    return createStringError(inconvertibleErrorCode(),
                             "give --map or --objects, not both");
  Expected<Plan> P = readPlan(Options.Plan);
  if (!P)
    return P.takeError();
  Expected<std::string> Fragment =
      fragmentForPlan(*P, Options.Map, Options.ObjectsDir, Options.Fragment);
  if (!Fragment)
    return Fragment.takeError();
  if (!Options.Output.empty())
    if (Error Err = writeIfChanged(Options.Output, *Fragment))
      return Err;
  return Fragment;
}

//===----------------------------------------------------------------------===//
// annotate
//===----------------------------------------------------------------------===//

namespace {

/// The plan's units that annotation left to the linker fragment.
Plan remainingPlan(Plan P, const AnnotateResult &Annotation) {
  llvm::erase_if(P.Units, [&](const PlannedUnit &Unit) {
    return llvm::none_of(Annotation.Left, [&](const LeftForFragment &Left) {
      return Left.Unit == Unit.Name;
    });
  });
  return P;
}

} // namespace

Expected<AnnotateStepResult> annotateStep(const AnnotateStepOptions &Options,
                                          DiagnosticHandler Diag) {
  if (Options.InPlace && !Options.PatchOutput.empty())
    return createStringError(inconvertibleErrorCode(),
                             "give --patch or -i, not both");
  Expected<Plan> P = readPlan(Options.Plan);
  if (!P)
    return P.takeError();
  std::optional<SourceTreeLock> Lock;
  if (Options.InPlace) {
    Expected<SourceTreeLock> Acquired =
        SourceTreeLock::acquire(Options.SourceRoot, [&] {
          if (Options.OnWaitForLock)
            Options.OnWaitForLock();
        });
    if (!Acquired)
      return Acquired.takeError();
    Lock.emplace(std::move(*Acquired));
  }
  AnnotateStepResult Result;
  Expected<AnnotateResult> Annotation =
      annotate(*P, {Options.BuildDir, Options.SourceRoot, Options.PathMaps,
                    Options.Style, Options.Sync, Options.Threads,
                    RAMFIT_CLANG_RESOURCE_DIR, Options.Progress});
  if (!Annotation)
    return Annotation.takeError();
  Result.Annotation = std::move(*Annotation);
  for (const std::string &Note : Result.Annotation.Notes)
    note(Diag, Note);
  for (const StillInRam &Kept : Result.Annotation.StillPlaced)
    warning(Diag,
            Kept.Unit + " stays in RAM, which the plan frees: " + Kept.Reason);
  std::string Failures;
  size_t FailureCount = 0;
  for (const LeftForFragment &Left : Result.Annotation.Left) {
    if (Left.Failed) {
      Failures += "\n  " + Left.Unit + ": " + Left.Reason;
      ++FailureCount;
    } else {
      warning(Diag,
              Left.Unit + " is left to the linker fragment: " + Left.Reason);
    }
  }
  if (FailureCount)
    return createStringError(
        inconvertibleErrorCode(),
        Twine(FailureCount) + " planned function(s) could not be annotated; " +
            "nothing was written (fix these, or remove them from the plan to "
            "leave them to the linker fragment):" +
            Failures);

  std::vector<OutputFile> Outputs;
  if (!Options.RemainingPlan.empty())
    Outputs.push_back({Options.RemainingPlan,
                       planToYaml(remainingPlan(*P, Result.Annotation),
                                  planDirectory(Options.RemainingPlan))});
  if (!Options.InPlace) {
    Expected<std::string> Diff =
        unifiedDiff(Result.Annotation.Edits, Options.SourceRoot);
    if (!Diff)
      return Diff.takeError();
    Result.Patch = std::move(*Diff);
    if (!Options.PatchOutput.empty())
      Outputs.push_back({Options.PatchOutput, Result.Patch});
  }
  if (Error Err = writeAllOrNothing(Outputs))
    return Err;
  // The sources are the user's: they change last, once the other outputs
  // are written.
  if (Options.InPlace)
    if (Error Err = applyInPlace(Result.Annotation.Edits))
      return Err;
  return Result;
}

//===----------------------------------------------------------------------===//
// check
//===----------------------------------------------------------------------===//

Expected<CheckStepResult> checkStep(const CheckStepOptions &Options,
                                    DiagnosticHandler Diag) {
  Expected<Plan> P = readPlan(Options.Plan);
  if (!P)
    return P.takeError();
  Expected<std::unique_ptr<Binary>> Elf = Binary::open(Options.Elf, Diag);
  if (!Elf)
    return Elf.takeError();
  Expected<MemoryRegion> Region =
      resolveRegion(Options.MemoryMap, Options.Region, Options.SearchDirs);
  if (!Region)
    return Region.takeError();
  warnIfRegionHoldsTheEntry(*Region, **Elf, Diag);
  CheckStepResult Result;
  Result.Check = checkElf(*P, **Elf, *Region, Options.NoFlashCalls);
  Result.Region = std::move(*Region);
  Result.PlannedUnits = P->Units.size();
  for (const Diagnostic &Finding : Result.Check.Findings)
    Diag(Finding);
  return Result;
}

} // namespace ramfit
