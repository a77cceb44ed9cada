#include "steps/Steps.h"
#include "apply/FragmentShadowing.h"
#include "apply/Patch.h"
#include "apply/PlacementCheck.h"
#include "firmware/Binary.h"
#include "firmware/Calls.h"
#include "firmware/LinkerMap.h"
#include "firmware/Startup.h"
#include "plan/Report.h"
#include "support/Output.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <map>
#include <optional>

using namespace llvm;

namespace ramfit {

//===----------------------------------------------------------------------===//
// ldscript
//===----------------------------------------------------------------------===//

namespace {

/// The map must be of the build the plan was made from: when the plan's ELF
/// is there (checkPlanIsOfBuild has tied it to the plan), the map must be
/// that ELF's.
Error checkMapIsOfPlan(const Plan &P, StringRef MapPath) {
  if (!sys::fs::exists(P.ElfPath))
    return Error::success();
  // What the ELF's reader warns of (no DWARF) is not this step's concern.
  auto Quiet = [](const Diagnostic &) {};
  Expected<std::unique_ptr<Binary>> Elf = Binary::open(P.ElfPath, Quiet);
  if (!Elf)
    return Elf.takeError();
  Expected<LinkerMap> Map = readLinkerMap(MapPath);
  if (!Map)
    return Map.takeError();
  return checkMapMatchesElf(*Map, **Elf);
}

} // namespace

Expected<std::string> ldscriptStep(const LdscriptStepOptions &Options,
                                   DiagnosticHandler Diag) {
  if (!Options.Map.empty() && !Options.ObjectsDir.empty())
    return createStringError(inconvertibleErrorCode(),
                             "give --map or --objects, not both");
  Expected<Plan> P = readPlan(Options.Plan);
  if (!P)
    return P.takeError();
  // With a map, the fragment is for the build the map is of: the plan's.
  // Made from the objects, it is for whatever build comes next, which a
  // plan kept in the tree serves by its functions' names.
  if (!Options.Map.empty()) {
    if (Error Err = checkPlanIsOfBuild(*P, Options.Plan))
      return Err;
    if (Error Err = checkMapIsOfPlan(*P, Options.Map))
      return Err;
  }
  // A plan that places nothing is a mistake (no samples in any candidate,
  // the wrong file) unless its budget held none of its candidates or the
  // sources place its units.
  if (P->Units.empty() && P->Next.empty() && P->Annotated.empty())
    return inputError(Options.Plan,
                      "the plan places nothing: it has no units, and none "
                      "that did not fit; no fragment is written");
  if (P->Units.empty())
    note(Diag, location(Options.Plan) +
                   (P->Annotated.empty()
                        ? "the plan chose nothing: its budget holds none of "
                          "its candidates; the fragment places nothing"
                        : "the sources place each of the plan's units; the "
                          "fragment places nothing"));
  Expected<std::string> Fragment =
      fragmentForPlan(*P, Options.Map, Options.ObjectsDir, Options.Fragment);
  if (!Fragment)
    return Fragment.takeError();
  if (!Options.Script.empty()) {
    if (Options.Map.empty() && Options.ObjectsDir.empty())
      return createStringError(inconvertibleErrorCode(),
                               "--script needs --map or --objects: the input "
                               "sections are what its rules are tried on");
    Expected<LinkerMap> Sections = Options.Map.empty()
                                       ? readObjectSections(Options.ObjectsDir)
                                       : readLinkerMap(Options.Map);
    if (!Sections)
      return Sections.takeError();
    FragmentInScript InScript{Options.Script, Options.SearchDirs,
                              sys::path::filename(Options.Output.empty()
                                                      ? "ramtext.ld"
                                                      : Options.Output)
                                  .str(),
                              *Fragment, Options.MemoryOnlyScriptPasses};
    if (Error Err = checkFragmentTakesItsSections(InScript, *Sections))
      return Err;
  }
  if (!Options.Output.empty())
    if (Error Err = writeIfChanged(Options.Output, *Fragment))
      return Err;
  return Fragment;
}

//===----------------------------------------------------------------------===//
// annotate
//===----------------------------------------------------------------------===//

namespace {

/// More units than this left for one reason are said in one note.
constexpr size_t GroupedFrom = 5;

/// The plan's units that annotation left to the linker fragment; the
/// others are listed as annotated.
Plan remainingPlan(Plan P, const AnnotateResult &Annotation) {
  std::vector<PlannedUnit> Left;
  for (PlannedUnit &Unit : P.Units) {
    bool IsLeft =
        llvm::any_of(Annotation.Left, [&](const LeftForFragment &Entry) {
          return Entry.Unit == Unit.Name;
        });
    if (IsLeft)
      Left.push_back(std::move(Unit));
    else
      P.Annotated.push_back(Unit.Name);
  }
  P.Units = std::move(Left);
  // What the units left to the fragment take, which is what its 'used'
  // says; the sources' part is no longer this plan's.
  P.Used = 0;
  for (const PlannedUnit &Unit : P.Units)
    P.Used += Unit.Size;
  return P;
}

} // namespace

/// The library's options for P: Clang's own headers, and the parts GCC
/// split off in the plan's own build.
static Expected<AnnotateOptions>
annotateOptionsFor(const Plan &P, const AnnotateStepOptions &Options,
                   DiagnosticHandler Diag) {
  AnnotateOptions Annotate = Options.Annotation;
  Annotate.ResourceDir = RAMFIT_CLANG_RESOURCE_DIR;
  // Without the plan's build (a plan from another machine) an annotation
  // may grow a function unseen.
  if (!P.ElfPath.empty() && sys::fs::exists(P.ElfPath)) {
    Expected<SplitOffParts> Parts = readSplitOffParts(P.ElfPath, Diag);
    if (!Parts)
      return Parts.takeError();
    Annotate.SplitParts = std::move(*Parts);
  } else if (!P.ElfPath.empty()) {
    warning(Diag, "the plan's ELF '" + P.ElfPath +
                      "' is not there: functions whose parts GCC split off "
                      "(f.part.0) are annotated, and may grow by them");
  }
  return Annotate;
}

/// Notes and warnings for what annotate did not do; an error naming each
/// function it could not annotate for something wrong.
static Error reportWhatWasLeft(const AnnotateResult &Done,
                               DiagnosticHandler Diag) {
  for (const std::string &Note : Done.Notes)
    note(Diag, Note);
  for (const StillInRam &Kept : Done.StillPlaced)
    warning(Diag,
            Kept.Unit + " stays in RAM, which the plan frees: " + Kept.Reason);
  std::string Failures;
  size_t FailureCount = 0;
  // A real port leaves a hundred functions to the fragment for one plain
  // reason (outside the scope): one note for such a group.
  std::map<std::string, std::vector<std::string>> Groups;
  for (const LeftForFragment &Left : Done.Left)
    if (!Left.Failed && !Left.Group.empty())
      Groups[Left.Group].push_back(Left.Unit);
  for (const LeftForFragment &Left : Done.Left) {
    if (Left.Failed) {
      Failures += "\n  " + Left.Unit + ": " + Left.Reason;
      ++FailureCount;
    } else if (Left.Group.empty() || Groups[Left.Group].size() <= GroupedFrom) {
      note(Diag, Left.Unit + " is left to the linker fragment: " + Left.Reason);
    }
  }
  for (const auto &[Group, Units] : Groups)
    if (Units.size() > GroupedFrom)
      note(Diag, Twine(Units.size()) +
                     " function(s) are left to the linker fragment: " + Group +
                     " (" +
                     join(ArrayRef(Units).take_front(GroupedFrom), ", ") +
                     ", ...; --remaining-plan lists each)");
  if (!FailureCount)
    return Error::success();
  return createStringError(
      inconvertibleErrorCode(),
      Twine(FailureCount) + " planned function(s) could not be annotated; " +
          "nothing was written (fix these, or remove them from the plan to "
          "leave them to the linker fragment):" +
          Failures);
}

/// Every unit left to the fragment and none written as a plan for it: the
/// step would write an empty patch and do nothing that was asked. Otherwise
/// a note says which fragment places what is left (hybrid by default).
static Error checkSomethingIsDone(const Plan &P, const AnnotateResult &Done,
                                  const AnnotateStepOptions &Options,
                                  DiagnosticHandler Diag) {
  if (Done.Left.empty() || !Options.RemainingPlan.empty())
    return Error::success();
  if (Done.Annotated.empty() && Done.AlreadyAnnotated.empty() &&
      Done.Freed.empty())
    return createStringError(
        inconvertibleErrorCode(),
        "none of the plan's " + Twine(P.Units.size()) +
            " function(s) was annotated: each is left to the linker fragment "
            "(" +
            Done.Left.front().Unit + ": " + Done.Left.front().Reason +
            "); nothing was written (give --remaining-plan FILE for "
            "ldscript, or --source-root the tree that holds them)");
  note(Diag, Twine(Done.Left.size()) +
                 " function(s) left to the linker fragment: a fragment of "
                 "the whole plan places them (ramfit ldscript --plan " +
                 Options.Plan +
                 "), or give --remaining-plan FILE for a plan of them alone");
  return Error::success();
}

Expected<AnnotateStepResult> annotateStep(const AnnotateStepOptions &Options,
                                          DiagnosticHandler Diag) {
  if (Options.InPlace && !Options.PatchOutput.empty())
    return createStringError(inconvertibleErrorCode(),
                             "give --patch or -i, not both");
  Expected<Plan> P = readPlan(Options.Plan);
  if (!P)
    return P.takeError();
  if (Error Err = checkPlanIsOfBuild(*P, Options.Plan))
    return Err;
  std::optional<SourceTreeLock> Lock;
  if (Options.InPlace) {
    Expected<SourceTreeLock> Acquired =
        SourceTreeLock::acquire(Options.Annotation.SourceRoot, [&] {
          if (Options.OnWaitForLock)
            Options.OnWaitForLock();
        });
    if (!Acquired)
      return Acquired.takeError();
    Lock.emplace(std::move(*Acquired));
  }

  // The edits, and what was not done and why.
  Expected<AnnotateOptions> Annotate = annotateOptionsFor(*P, Options, Diag);
  if (!Annotate)
    return Annotate.takeError();
  AnnotateStepResult Result;
  Expected<AnnotateResult> Annotation = annotate(*P, *Annotate);
  if (!Annotation)
    return Annotation.takeError();
  Result.Annotation = std::move(*Annotation);
  if (Error Err = reportWhatWasLeft(Result.Annotation, Diag))
    return Err;
  if (Error Err = checkSomethingIsDone(*P, Result.Annotation, Options, Diag))
    return Err;

  // The remaining plan and the patch, all or none; the sources last.
  std::vector<OutputFile> Outputs;
  if (!Options.RemainingPlan.empty())
    Outputs.push_back({Options.RemainingPlan,
                       planToYaml(remainingPlan(*P, Result.Annotation),
                                  planDirectory(Options.RemainingPlan))});
  if (!Options.InPlace) {
    Expected<PatchRoot> Root = patchRootOf(Options.Annotation.SourceRoot);
    if (!Root)
      return Root.takeError();
    Result.Root = std::move(*Root);
    Expected<std::string> Diff =
        unifiedDiff(Result.Annotation.Edits, Result.Root.Path);
    if (!Diff)
      return Diff.takeError();
    Result.Patch = std::move(*Diff);
    if (!Options.PatchOutput.empty())
      Outputs.push_back({Options.PatchOutput, Result.Patch});
  }
  if (Error Err = writeAllOrNothing(Outputs))
    return Err;
  // The sources are the user's: they change once the other outputs are
  // written.
  if (Options.InPlace)
    if (Error Err = applyInPlace(Result.Annotation.Edits))
      return Err;
  return Result;
}

//===----------------------------------------------------------------------===//
// check
//===----------------------------------------------------------------------===//

namespace {

/// The rebuilt ELF is another build than the plan's, which is what check is
/// for, but it must be the same firmware: an error naming PlanPath when
/// more than half of the plan's functions (two or more) are not in Elf.
Error checkPlanIsOfFirmware(const Plan &P, const Binary &Elf,
                            StringRef PlanPath) {
  std::vector<std::string> Missing;
  for (const PlannedUnit &Unit : P.Units)
    if (Elf.functionsNamed(Unit.Name).empty() &&
        Elf.symbolAddresses(Unit.Name).empty() && !Elf.isInlinedOnly(Unit.Name))
      Missing.push_back(llvm::demangle(Unit.Name));
  if (Missing.size() < 2 || Missing.size() * 2 <= P.Units.size())
    return Error::success();
  size_t MissingCount = Missing.size();
  Missing.resize(std::min<size_t>(MissingCount, 3));
  return inputError(
      PlanPath, "the plan was made from another firmware than '" + Elf.path() +
                    "': " + Twine(MissingCount) + " of its " +
                    Twine(P.Units.size()) + " functions are not there (" +
                    join(Missing, ", ") + (MissingCount > 3 ? ", ..." : "") +
                    "); re-run plan on this build");
}

} // namespace

Expected<CheckStepResult> checkStep(const CheckStepOptions &Options,
                                    DiagnosticHandler Diag) {
  Expected<Plan> P = readPlan(Options.Plan);
  if (!P)
    return P.takeError();
  Expected<std::unique_ptr<Binary>> Elf = Binary::open(Options.Elf, Diag);
  if (!Elf)
    return Elf.takeError();
  if (Error Err = checkPlanIsOfFirmware(*P, **Elf, Options.Plan))
    return Err;
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
  // Calls into flash are a cost, not a fault: one summary a reviewer reads,
  // apart from the errors, unless each is asked for.
  const std::vector<FlashCall> &Calls = Result.Check.FlashCalls;
  if (Options.ListFlashCalls)
    for (const FlashCall &Call : Calls)
      warning(Diag, describeFlashCall(Call, Result.Region.Name));
  else if (!Calls.empty())
    warning(Diag, summarizeFlashCalls(Calls, Result.Region.Name));
  return Result;
}

} // namespace ramfit
