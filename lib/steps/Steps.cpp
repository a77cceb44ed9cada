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
// profile
//===----------------------------------------------------------------------===//

namespace {

Expected<std::vector<SampleFile>> readSampleFiles(const ProfileStepOptions &O,
                                                  DiagnosticHandler Diag,
                                                  ContentHash Hash) {
  std::vector<SampleFile> Files;
  for (const std::string &Spec : O.Samples) {
    Expected<SampleFile> File = readSampleFile(Spec, O.Format, Diag, Hash);
    if (!File)
      return File.takeError();
    Files.push_back(std::move(*File));
  }
  return Files;
}

} // namespace

Expected<Profile> profileStep(const ProfileStepOptions &Options,
                              DiagnosticHandler Diag) {
  Expected<std::unique_ptr<Binary>> Elf = Binary::open(Options.Elf, Diag);
  if (!Elf)
    return Elf.takeError();
  Expected<std::vector<SampleFile>> Files =
      readSampleFiles(Options, Diag, ContentHash::Skip);
  if (!Files)
    return Files.takeError();
  return buildProfile(**Elf, *Files, {Options.AllowMismatch}, Diag);
}

//===----------------------------------------------------------------------===//
// plan
//===----------------------------------------------------------------------===//

namespace {

PlannedUnit planned(const PlacementUnit &Unit, std::string Why) {
  PlannedUnit P;
  P.Name = Unit.Name;
  P.File = Unit.File;
  P.Line = Unit.Line;
  P.Size = Unit.Size;
  P.Self = Unit.Samples;
  P.Section = Unit.Section;
  P.Companions = Unit.Companions;
  P.Object = Unit.Object;
  P.Why = std::move(Why);
  return P;
}

/// The plan for a selection; the hashes tie it to the ELF and samples.
Plan makePlan(const Binary &Elf, const Profile &Profiled,
              ArrayRef<SampleFile> Files, ArrayRef<PlacementUnit> Units,
              const SelectResult &Selected, uint64_t Budget) {
  Plan P;
  P.ElfPath = Profiled.ElfPath;
  P.ElfSha256 = Elf.sha256();
  for (const SampleFile &File : Files)
    P.SampleFiles.push_back({File.Path, File.Sha256, File.Weight});
  P.Budget = Budget;
  P.Used = Selected.Bytes;
  P.TotalSamples = Profiled.TotalSamples;
  P.CoveredSamples = Selected.Samples;
  P.ModelledCycles = Profiled.ModelledCycles;
  for (const Choice &C : Selected.Chosen)
    P.Units.push_back(planned(Units[C.Unit], C.Why));
  for (size_t I : Selected.Next)
    P.Next.push_back(planned(Units[I], "did not fit"));
  return P;
}

/// Code the entry point runs before it has copied code to RAM stays in
/// flash: such units are excluded, with a note, unless pinned, with a
/// warning.
void keepStartupInFlash(PlanStepResult &Planned, const CallScanner &Calls,
                        const Binary &Elf, DiagnosticHandler Diag) {
  Expected<UnitMatcher> Pins = UnitMatcher::create(Planned.Selection.Pins);
  for (const StartupFunction &Startup : functionsBeforeTheCopy(Elf, Calls)) {
    StringRef Name = Startup.Function->Name;
    const PlacementUnit *Unit = nullptr;
    for (const PlacementUnit &U : Planned.Units)
      if (llvm::is_contained(U.Functions, Name))
        Unit = &U;
    // Only a unit the selection could take is worth a word.
    if (!Unit || Unit->Samples <= 0)
      continue;
    std::string Why =
        Startup.CalledFrom.empty()
            ? "it is the entry point, which runs before code is in RAM"
            : Startup.CalledFrom + " runs " + readableName(Name.str()) +
                  " before it has copied code to RAM";
    if (Pins && Pins->matches(*Unit)) {
      warning(Diag, readableName(Unit->Name) + " is pinned, but " + Why +
                        ": in RAM it is called before it is there");
      continue;
    }
    // Only names a glob cannot misread are excluded by name.
    if (Unit->Name.find_first_of("*?[]\\") != std::string::npos)
      continue;
    Planned.Selection.Excludes.push_back(Unit->Name);
    note(Diag, readableName(Unit->Name) + " stays in flash: " + Why);
  }
  consumeError(Pins.takeError());
}

/// Units placed in an earlier relink take the size the link gave them.
Error sizeAsLinked(std::vector<PlacementUnit> &Units, StringRef RelinkedPath,
                   const Binary &Elf, const CostModel &Model,
                   DiagnosticHandler Diag) {
  Expected<std::unique_ptr<Binary>> Relinked = Binary::open(RelinkedPath, Diag);
  if (!Relinked)
    return Relinked.takeError();
  unsigned Measured = 0;
  for (PlacementUnit &Unit : Units)
    if (std::optional<uint64_t> Size = measuredSize(Unit, Elf, **Relinked)) {
      Unit.Size = alignTo(*Size, Model.Alignment);
      ++Measured;
    }
  note(Diag, Twine(Measured) + " of " + Twine(Units.size()) +
                 " units sized as linked in '" + RelinkedPath + "'");
  return Error::success();
}

/// The plan file and the reports asked for, to be written all or none.
Expected<std::vector<OutputFile>> planOutputs(const PlanStepOptions &Options,
                                              const PlanStepResult &Planned) {
  std::vector<OutputFile> Outputs;
  const Plan &P = Planned.Result;
  double Greedy = Planned.Selected.GreedySamples;
  if (!Options.PlanOutput.empty())
    Outputs.push_back(
        {Options.PlanOutput, planToYaml(P, planDirectory(Options.PlanOutput))});
  if (!Options.TextReport.empty()) {
    std::string Text;
    raw_string_ostream OS(Text);
    printPlanText(P, Greedy, Options.Model, OS);
    Outputs.push_back({Options.TextReport, std::move(Text)});
  }
  if (!Options.HtmlReport.empty()) {
    Expected<std::string> Page =
        planHtml(P, Planned.Units, Planned.Selection, Options.Model, Greedy);
    if (!Page)
      return Page.takeError();
    Outputs.push_back({Options.HtmlReport, std::move(*Page)});
  }
  return Outputs;
}

} // namespace

Expected<PlanStepResult> planStep(const PlanStepOptions &Options,
                                  DiagnosticHandler Diag) {
  // samples -> profile
  Expected<std::unique_ptr<Binary>> Elf = Binary::open(Options.Input.Elf, Diag);
  if (!Elf)
    return Elf.takeError();
  Expected<uint64_t> Budget = resolveBudget(Options.Budget, **Elf, Diag);
  if (!Budget)
    return Budget.takeError();
  Expected<std::vector<SampleFile>> Files =
      readSampleFiles(Options.Input, Diag, ContentHash::Take);
  if (!Files)
    return Files.takeError();
  Expected<Profile> Profiled =
      buildProfile(**Elf, *Files, {Options.Input.AllowMismatch}, Diag);
  if (!Profiled)
    return Profiled.takeError();

  // profile -> placement units, sized from the map and the calls they make
  Expected<std::optional<LinkerMap>> Map =
      readOptionalLinkerMap(Options.Map, Diag);
  if (!Map)
    return Map.takeError();
  Expected<std::unique_ptr<CallScanner>> Calls = CallScanner::create(**Elf);
  if (!Calls)
    warning(Diag, toString(Calls.takeError()) + "; allowing " +
                      Twine(Options.Model.CallAllowance) +
                      " bytes per unit for longer calls");
  PlanStepResult Planned;
  Planned.Units = buildUnits(*Profiled, *Map ? &**Map : nullptr,
                             Calls ? Calls->get() : nullptr, Options.Model);

  if (!Options.SizesFrom.empty())
    if (Error Err = sizeAsLinked(Planned.Units, Options.SizesFrom, **Elf,
                                 Options.Model, Diag))
      return Err;

  // units -> the selection under the budget -> the plan
  Planned.Selection = {*Budget, Options.Pins, Options.Excludes,
                       Options.MinSamples};
  if (Calls)
    keepStartupInFlash(Planned, **Calls, **Elf, Diag);
  Expected<SelectResult> Selected =
      selectUnits(Planned.Units, Planned.Selection, Options.Model);
  if (!Selected)
    return Selected.takeError();
  Planned.Selected = std::move(*Selected);
  Planned.Result = makePlan(**Elf, *Profiled, *Files, Planned.Units,
                            Planned.Selected, *Budget);

  Expected<std::vector<OutputFile>> Outputs = planOutputs(Options, Planned);
  if (!Outputs)
    return Outputs.takeError();
  if (Error Err = writeAllOrNothing(*Outputs))
    return Err;
  return Planned;
}

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
                    Options.Style, Options.Threads, RAMFIT_CLANG_RESOURCE_DIR,
                    Options.Progress});
  if (!Annotation)
    return Annotation.takeError();
  Result.Annotation = std::move(*Annotation);
  for (const std::string &Note : Result.Annotation.Notes)
    note(Diag, Note);
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
