//===- PlanSteps.cpp - From samples to the plan: profile and plan ---------===//
//
// The first two steps (Steps.h): samples attributed to the ELF's functions,
// and those functions cut into placement units, weighed against what is
// already in RAM, and chosen under the budget.
//
//===----------------------------------------------------------------------===//

#include "firmware/Binary.h"
#include "firmware/Calls.h"
#include "firmware/InputObjects.h"
#include "firmware/LinkerMap.h"
#include "firmware/MemoryMap.h"
#include "firmware/Startup.h"
#include "plan/FlashSide.h"
#include "plan/MustRunFromRam.h"
#include "plan/PlanOfSelection.h"
#include "plan/Report.h"
#include "profile/ProfileReport.h"
#include "steps/ReadInputs.h"
#include "steps/Steps.h"
#include "support/Output.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit {

//===----------------------------------------------------------------------===//
// profile
//===----------------------------------------------------------------------===//

Expected<Profile> profileStep(const ProfileStepOptions &Options,
                              DiagnosticHandler Diag) {
  Expected<ElfAndSamples> Read =
      readElfAndSamples(Options, Diag, ContentHash::Skip);
  if (!Read)
    return Read.takeError();
  return buildProfile(*Read->Elf, Read->Files, {Options.AllowMismatch}, Diag);
}

Expected<std::vector<FoldedStack>>
foldedStacksStep(const ProfileStepOptions &Options, DiagnosticHandler Diag) {
  Expected<ElfAndSamples> Read =
      readElfAndSamples(Options, Diag, ContentHash::Skip);
  if (!Read)
    return Read.takeError();
  // The profile's checks first: samples of another build are refused here
  // as everywhere.
  if (Expected<Profile> Checked =
          buildProfile(*Read->Elf, Read->Files, {Options.AllowMismatch}, Diag);
      !Checked)
    return Checked.takeError();
  return foldStacks(*Read->Elf, Read->Files);
}

//===----------------------------------------------------------------------===//
// plan
//===----------------------------------------------------------------------===//

namespace {

/// Leaves Unit out of the selection, saying why, unless it is pinned:
/// then a warning says what will go wrong.
void keepInFlash(PlanStepResult &Planned, const PlacementUnit &Unit,
                 const std::string &Why, const std::string &Consequence,
                 DiagnosticHandler Diag) {
  Expected<UnitMatcher> Pins = UnitMatcher::create(Planned.Selection.Pins);
  bool Pinned = Pins && Pins->matches(Unit);
  consumeError(Pins.takeError());
  if (!Unit.MustRunFromRam.empty()) {
    warning(Diag, readableName(Unit.Name) + " must run from RAM, for " +
                      Unit.MustRunFromRam + ", but " + Why + ": " +
                      Consequence);
    return;
  }
  if (Pinned) {
    warning(Diag, readableName(Unit.Name) + " is pinned, but " + Why + ": " +
                      Consequence);
    return;
  }
  // Only names a glob cannot misread are excluded by name.
  if (Unit.Name.find_first_of("*?[]\\") != std::string::npos ||
      llvm::is_contained(Planned.Selection.Excludes, Unit.Name))
    return;
  Planned.Selection.Excludes.push_back(Unit.Name);
  note(Diag, readableName(Unit.Name) + " stays in flash: " + Why);
}

/// The unit that would move Name, if any would: only a unit the selection
/// could take is worth a word.
const PlacementUnit *candidateCarrying(const PlanStepResult &Planned,
                                       StringRef Name) {
  for (const PlacementUnit &U : Planned.Units)
    if (llvm::is_contained(U.Functions, Name))
      return U.Samples > 0 && !U.Placed ? &U : nullptr;
  return nullptr;
}

/// Code the reset path runs before it has copied code to RAM stays in
/// flash; code that must also run from RAM is a contradiction only the
/// user can resolve.
Error keepStartupInFlash(PlanStepResult &Planned, const CallScanner &Calls,
                         const Binary &Elf, DiagnosticHandler Diag) {
  StartupCode Startup = functionsBeforeTheCopy(Elf, Calls);
  if (Startup.Entry)
    note(Diag, "the reset path starts at 0x" +
                   utohexstr(Startup.Entry->Address, true) + ": " +
                   Startup.Entry->Source);
  const RamClosure &Closure = Planned.MustRunFromRam;
  for (const StartupFunction &Early : Startup.Functions) {
    StringRef Name = Early.Function->Name;
    size_t Member = Closure.memberAt(Early.Function->Address);
    if (Member != ClosureMember::NotCalled)
      return createStringError(
          inconvertibleErrorCode(),
          readableName(Name.str()) +
              " must stay in flash, because the reset path runs it before "
              "code is copied to RAM (" +
              Early.Path + "), and must run from RAM, because " +
              Closure.pathTo(Member) + " reaches it (" +
              Closure.Members[Closure.rootOf(Member)].RootWhy + ")" +
              ": give the reset path its own copy routine, or name the root "
              "with --not-a-root if that interrupt cannot come while the "
              "flash is busy");
    const PlacementUnit *Unit = candidateCarrying(Planned, Name);
    if (!Unit)
      continue;
    std::string Why =
        Early.CalledFrom.empty()
            ? "it is the entry point, which runs before code is in RAM"
            : Early.CalledFrom + " runs " + readableName(Name.str()) +
                  " before it has copied code to RAM";
    keepInFlash(Planned, *Unit, Why, "in RAM it is called before it is there",
                Diag);
  }
  return Error::success();
}

/// The unit whose sections include S.
const PlacementUnit *unitHolding(const PlanStepResult &Planned,
                                 const InputSection &S) {
  for (const PlacementUnit &U : Planned.Units)
    if (U.Object == S.Object &&
        (U.Section == S.Name || llvm::is_contained(U.Companions, S.Name)))
      return &U;
  return nullptr;
}

/// A unit tied to code outside it by a jump no linker stretches moves only
/// with that code; ramfit's units do not span objects, so it stays in flash.
void keepShortReferencesWhole(PlanStepResult &Planned,
                              ArrayRef<ShortReference> References,
                              DiagnosticHandler Diag) {
  for (const ShortReference &Ref : References) {
    const PlacementUnit *From = unitHolding(Planned, *Ref.From);
    const PlacementUnit *To = unitHolding(Planned, *Ref.To);
    // Code already in RAM links as it is: its memories are within reach.
    if (From == To || (From && From->Placed) || (To && To->Placed))
      continue;
    std::string Jump = Ref.Type + ", " + Ref.Reach + ", in " + Ref.From->Name +
                       " of " + Ref.From->Object;
    std::string Consequence =
        "the link will fail with \"relocation truncated to fit\"";
    if (From && From->Samples > 0)
      keepInFlash(Planned, *From,
                  "its jump to " + Ref.Symbol + " (" + Jump +
                      ") cannot reach between flash and RAM",
                  Consequence, Diag);
    if (To && To->Samples > 0)
      keepInFlash(Planned, *To,
                  "a jump to it (" + Jump +
                      ") cannot reach between flash and RAM",
                  Consequence, Diag);
  }
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

/// The cost model, told where RAM is when the memory map and region say:
/// calls out of a unit are then sized by the real distances.
Expected<CostModel> withDestination(const PlanStepOptions &Options,
                                    const CallScanner *Calls,
                                    DiagnosticHandler Diag) {
  CostModel Model = Options.Model;
  const BudgetSpec &Spec = Options.Budget;
  if (Spec.Script.empty() || Spec.Region.empty()) {
    if (Calls)
      note(Diag, "where RAM is is not known (--memory-map and --region say): "
                 "every call out of a unit is sized as a call that no "
                 "longer reaches its target");
    return Model;
  }
  Expected<MemoryRegion> Region =
      resolveRegion(Spec.Script, Spec.Region, Spec.SearchDirs);
  if (!Region)
    return Region.takeError();
  Model.Destination =
      AddressRange(Region->Origin, Region->Origin + Region->Length);
  return Model;
}

/// The bytes of the units already in RAM, which the plan keeps or frees:
/// the budget "auto" gives them back to the plan.
uint64_t placedBytes(ArrayRef<PlacementUnit> Units, DiagnosticHandler Diag) {
  uint64_t Bytes = 0;
  size_t Count = 0;
  for (const PlacementUnit &Unit : Units)
    if (Unit.Placed) {
      Bytes += Unit.Size;
      ++Count;
    }
  if (Count)
    note(Diag, Twine(Bytes) + " bytes of code in " + Twine(Count) +
                   " unit(s) are in RAM already: the budget counts them, and "
                   "the plan keeps or frees each");
  return Bytes;
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
        planHtml(P, Planned.Units, Planned.Selection, Greedy);
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
  Expected<ElfAndSamples> Read =
      readElfAndSamples(Options.Input, Diag, ContentHash::Take);
  if (!Read)
    return Read.takeError();
  const Binary &Elf = *Read->Elf;
  const std::vector<SampleFile> &Files = Read->Files;
  // With "auto", the region's free bytes; the code already there is added
  // once the units say how much it is.
  Expected<uint64_t> FreeBytes = resolveBudget(Options.Budget, Elf, Diag);
  if (!FreeBytes)
    return FreeBytes.takeError();
  Expected<Profile> Profiled =
      buildProfile(Elf, Files, {Options.Input.AllowMismatch}, Diag);
  if (!Profiled)
    return Profiled.takeError();

  // profile -> placement units, sized from the map and the calls they make
  Expected<std::optional<LinkerMap>> Map =
      readOptionalLinkerMap(Options.Map, Diag);
  if (!Map)
    return Map.takeError();
  std::vector<ShortReference> ShortReferences;
  if (*Map) {
    if (Error Err = checkMapMatchesElf(**Map, Elf))
      return Err;
    ShortReferences = readInputObjects(**Map, Elf, Diag);
  }
  Expected<std::unique_ptr<CallScanner>> Calls = CallScanner::create(Elf);
  if (!Calls)
    warning(Diag, toString(Calls.takeError()) + "; allowing " +
                      Twine(Options.Model.CallAllowance) +
                      " bytes per unit for longer calls");
  const CallScanner *CallsOrNull = Calls ? Calls->get() : nullptr;
  const LinkerMap *MapOrNull = *Map ? &**Map : nullptr;
  Expected<CostModel> Model = withDestination(Options, CallsOrNull, Diag);
  if (!Model)
    return Model.takeError();
  PlanStepResult Planned;
  Expected<RamClosure> Closure =
      findMustRunFromRam(Options.Roots, Elf, CallsOrNull, MapOrNull, Diag);
  if (!Closure)
    return Closure.takeError();
  Planned.MustRunFromRam = std::move(*Closure);
  std::vector<FunctionInfo> Required = functionsPinnedByName(Elf, Options.Pins);
  for (const ClosureMember &Member : Planned.MustRunFromRam.Members)
    Required.push_back(Member.Code);
  Planned.Units =
      buildUnits(*Profiled, Elf, MapOrNull, CallsOrNull, *Model, Required);
  markMustRunFromRam(Planned.Units, Planned.MustRunFromRam, Options.Excludes,
                     Diag);
  if (Error Err = checkPatternsMatch(Planned.Units, Elf, MapOrNull,
                                     Options.Pins, Options.Excludes))
    return Err;
  uint64_t Placed = placedBytes(Planned.Units, Diag);
  uint64_t Budget = *FreeBytes + (Options.Budget.Size == "auto" ? Placed : 0);
  if (Error Err = checkBudgetFits(Options.Budget, Budget, Placed, Elf))
    return Err;

  if (!Options.SizesFrom.empty())
    if (Error Err = sizeAsLinked(Planned.Units, Options.SizesFrom, Elf,
                                 Options.Model, Diag))
      return Err;

  // units -> the selection under the budget -> the plan
  Planned.Selection.Budget = Budget;
  Planned.Selection.Pins = Options.Pins;
  Planned.Selection.Excludes = Options.Excludes;
  Planned.Selection.MinSamples = Options.MinSamples;
  Planned.Selection.KeepPlaced = Profiled->ModelledCycles > 0;
  if (Calls)
    if (Error Err = keepStartupInFlash(Planned, **Calls, Elf, Diag))
      return Err;
  keepShortReferencesWhole(Planned, ShortReferences, Diag);
  Expected<SelectResult> Selected =
      selectUnits(Planned.Units, Planned.Selection, *Model);
  if (!Selected)
    return Selected.takeError();
  Planned.Selected = std::move(*Selected);
  if (Calls)
    note(Diag, flashGrowth(Elf, **Calls, Planned.Units,
                           Planned.Selected.chosenUnits(),
                           Planned.Selected.Bytes, Model->Destination)
                   .describe());
  Planned.Result = planOfSelection(Elf, *Profiled, Files, Planned.Units,
                                   Planned.Selected, Budget);
  recordMustRunFromRam(Planned.Result, Planned.MustRunFromRam, Options.Roots,
                       Planned.Units);

  Expected<std::vector<OutputFile>> Outputs = planOutputs(Options, Planned);
  if (!Outputs)
    return Outputs.takeError();
  if (Error Err = writeAllOrNothing(*Outputs))
    return Err;
  return Planned;
}

} // namespace ramfit
