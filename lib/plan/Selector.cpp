#include "plan/Selector.h"
#include "plan/Exact.h"
#include "plan/Together.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/GlobPattern.h"
#include <cmath>

using namespace llvm;

namespace ramfit {

Expected<std::string> parseUnitPattern(StringRef Glob) {
  Expected<GlobPattern> Pattern = GlobPattern::create(Glob);
  if (!Pattern)
    return createStringError(inconvertibleErrorCode(),
                             "bad pattern '" + Glob +
                                 "': " + toString(Pattern.takeError()));
  return Glob.str();
}

Expected<UnitMatcher> UnitMatcher::create(ArrayRef<std::string> Globs) {
  UnitMatcher Matcher;
  for (const std::string &Glob : Globs) {
    Expected<GlobPattern> Pattern = GlobPattern::create(Glob);
    if (!Pattern) {
      consumeError(Pattern.takeError());
      return parseUnitPattern(Glob).takeError();
    }
    Matcher.Patterns.push_back(std::move(*Pattern));
  }
  return Matcher;
}

bool UnitMatcher::matches(const PlacementUnit &Unit) const {
  for (const GlobPattern &Pattern : Patterns) {
    if (Pattern.match(Unit.Section))
      return true;
    for (const std::string &Function : Unit.Functions)
      if (Pattern.match(Function))
        return true;
  }
  return false;
}

Error checkPatternsMatch(ArrayRef<PlacementUnit> Units, const Binary &Elf,
                         const LinkerMap *Map, ArrayRef<std::string> Pins,
                         ArrayRef<std::string> Excludes) {
  for (auto [Flag, Globs] :
       {std::pair("--pin", Pins), std::pair("--exclude", Excludes)})
    for (const std::string &Glob : Globs) {
      // The matcher keeps pointers into the pattern it is given.
      Expected<UnitMatcher> Matcher =
          UnitMatcher::create(ArrayRef<std::string>(Glob));
      if (!Matcher)
        return Matcher.takeError();
      // What a unit could be made of: a function, or a section of the map
      // (or, without one, of the ELF), sampled in this run or not.
      PlacementUnit Candidate;
      auto MatchesSection = [&](StringRef Section) {
        Candidate.Section = Section.str();
        return Matcher->matches(Candidate);
      };
      Candidate.Functions.resize(1);
      bool Matched = llvm::any_of(Units,
                                  [&](const PlacementUnit &Unit) {
                                    return Matcher->matches(Unit);
                                  }) ||
                     llvm::any_of(Elf.functions(), [&](const FunctionInfo &F) {
                       Candidate.Functions[0] = F.Name;
                       return Matcher->matches(Candidate);
                     });
      Candidate.Functions.clear();
      Matched = Matched ||
                (Map ? llvm::any_of(Map->Sections,
                                    [&](const InputSection &S) {
                                      return MatchesSection(S.Name);
                                    })
                     : llvm::any_of(Elf.sections(), [&](const SectionRange &S) {
                         return MatchesSection(S.Name);
                       }));
      if (!Matched)
        return createStringError(
            inconvertibleErrorCode(),
            Twine(Flag) + " '" + Glob +
                "' matches no function and no section of '" + Elf.path() + "'" +
                (Map ? " or of '" + Map->Path + "'" : std::string()));
    }
  return Error::success();
}

std::vector<FunctionInfo> functionsPinnedByName(const Binary &Elf,
                                                ArrayRef<std::string> Globs) {
  std::vector<FunctionInfo> Found;
  Expected<UnitMatcher> Pins = UnitMatcher::create(Globs);
  if (!Pins) {
    consumeError(Pins.takeError());
    return Found;
  }
  for (const FunctionInfo &F : Elf.functions()) {
    PlacementUnit ByName;
    ByName.Functions = {F.Name};
    if (Pins->matches(ByName))
      Found.push_back(F);
  }
  return Found;
}

namespace {

/// Units split by the options: pinned in, candidates, and the rest out.
struct Partition {
  std::vector<size_t> Pinned;
  /// Why each pinned unit is in.
  std::vector<std::string> PinnedWhy;
  /// Placed units that cannot be chosen: they are freed.
  std::vector<size_t> Freed;
  uint64_t PinnedBytes = 0;
  /// Of those, the code that must run from RAM.
  uint64_t RequiredBytes = 0;
  double PinnedSamples = 0;
  std::vector<size_t> Candidates;
  std::vector<uint64_t> Sizes;
  std::vector<double> Samples;
};

Expected<Partition> partition(ArrayRef<PlacementUnit> Units,
                              const SelectOptions &Options) {
  Expected<UnitMatcher> Pins = UnitMatcher::create(Options.Pins);
  if (!Pins)
    return Pins.takeError();
  Expected<UnitMatcher> Excludes = UnitMatcher::create(Options.Excludes);
  if (!Excludes)
    return Excludes.takeError();
  Partition Result;
  for (size_t I = 0; I < Units.size(); ++I) {
    const PlacementUnit &Unit = Units[I];
    bool Pinned = Pins->matches(Unit);
    bool Required = !Unit.MustRunFromRam.empty();
    if (Required || Pinned || (Unit.Placed && Options.KeepPlaced)) {
      Result.Pinned.push_back(I);
      Result.PinnedWhy.push_back(
          Required ? "must run from RAM: " + Unit.MustRunFromRam
          : Pinned ? "pinned"
                   : "kept: already in RAM, and cycles measured there cannot "
                     "say what it would cost in flash");
      Result.PinnedBytes += Unit.Size;
      if (Required)
        Result.RequiredBytes += Unit.Size;
      Result.PinnedSamples += Unit.Samples;
    } else if (!Excludes->matches(Unit) && Unit.Samples >= Options.MinSamples &&
               Unit.Samples > 0) {
      Result.Candidates.push_back(I);
      Result.Sizes.push_back(Unit.Size);
      Result.Samples.push_back(Unit.Samples);
    } else if (Unit.Placed) {
      Result.Freed.push_back(I);
    }
  }
  return Result;
}

/// The pinned units and the candidates Picked chose, as indices of Units,
/// in the plan's order: pinned first, then by Rank (candidates' positions
/// by density), which is the order the fragment lists and ld lays out.
std::vector<size_t> unitsOf(const Partition &Split, const Selection &Picked,
                            ArrayRef<size_t> Rank) {
  std::vector<bool> Taken(Split.Candidates.size());
  for (size_t I : Picked.Chosen)
    Taken[I] = true;
  std::vector<size_t> Chosen = Split.Pinned;
  for (size_t I : Rank)
    if (Taken[I])
      Chosen.push_back(Split.Candidates[I]);
  return Chosen;
}

/// Units chosen together share their veneers (Arm) and call each other
/// with short calls (RISC-V), so a unit's size depends on what else is
/// chosen. Starting from Chosen, solve again with each veneer charged once,
/// to the first chosen unit that needs it, and calls to chosen units short;
/// repeat from the new selection while it changes. Optimal becomes any
/// selection on the way that covers more and truly fits, laid out.
void solveTogether(ArrayRef<PlacementUnit> Units, const Partition &Split,
                   ArrayRef<double> Benefits, ArrayRef<size_t> Rank,
                   uint64_t Budget, std::vector<size_t> Chosen,
                   Selection &Optimal) {
  for (unsigned Round = 0; Round < 4; ++Round) {
    std::vector<uint64_t> Charged = chargedSizes(Units, Chosen);
    uint64_t Pinned = 0;
    for (size_t I : Split.Pinned)
      Pinned += Charged[I];
    std::vector<uint64_t> Sizes;
    for (size_t I : Split.Candidates)
      Sizes.push_back(Charged[I]);
    if (Pinned > Budget)
      return;
    Selection Next =
        solveKnapsack(Sizes, Benefits, Budget - Pinned, commonStep(Sizes));
    std::vector<size_t> NextChosen = unitsOf(Split, Next, Rank);
    if (Next.Value > Optimal.Value &&
        bytesTogether(Units, NextChosen) <= Budget)
      Optimal = std::move(Next);
    if (NextChosen == Chosen)
      return;
    Chosen = std::move(NextChosen);
  }
}

/// The selection by sizes alone (each unit paying for every call and
/// veneer of its own) always fits, but may leave room. Improve on it from
/// two starts: that selection, and every candidate at once (each unit as
/// small as its calls to the others make it), which finds the sets whose
/// members shrink only together, such as a caller and its callees.
void improveTogether(ArrayRef<PlacementUnit> Units, const Partition &Split,
                     ArrayRef<double> Benefits, ArrayRef<size_t> Rank,
                     uint64_t Budget, Selection &Optimal) {
  bool AnyShared = llvm::any_of(Units, [](const PlacementUnit &U) {
    return !U.VeneerTargets.empty() || !U.FarCalls.empty();
  });
  if (!AnyShared)
    return;
  solveTogether(Units, Split, Benefits, Rank, Budget,
                unitsOf(Split, Optimal, Rank), Optimal);
  std::vector<size_t> Everything = Split.Pinned;
  for (size_t I : Rank)
    Everything.push_back(Split.Candidates[I]);
  solveTogether(Units, Split, Benefits, Rank, Budget, Everything, Optimal);
  // From the best of those, the exact search (plan/Exact.h).
  TogetherProblem Problem{Units,    Split.Pinned, Split.Candidates,
                          Benefits, Rank,         Budget};
  searchTogether(Problem, Optimal.Chosen, Optimal.Value);
}

} // namespace

std::vector<size_t> SelectResult::chosenUnits() const {
  std::vector<size_t> Units;
  for (const Choice &C : Chosen)
    Units.push_back(C.Unit);
  return Units;
}

Expected<SelectResult> selectUnits(ArrayRef<PlacementUnit> Units,
                                   const SelectOptions &Options,
                                   const CostModel &Model) {
  if (Options.Budget == 0)
    return createStringError(inconvertibleErrorCode(),
                             "the RAM budget is zero: nothing can be placed");
  Expected<Partition> Split = partition(Units, Options);
  if (!Split)
    return Split.takeError();
  if (Split->RequiredBytes > Options.Budget)
    return createStringError(
        inconvertibleErrorCode(),
        "the code that must run from RAM (what interrupts, traps and code "
        "for a busy flash reach) takes " +
            std::to_string(Split->RequiredBytes) +
            " bytes, over the budget of " + std::to_string(Options.Budget) +
            ": raise the budget, or name the vectors that are never enabled "
            "with --not-a-root");
  if (Split->PinnedBytes > Options.Budget) {
    std::string Names;
    for (size_t I : Split->Pinned)
      Names += (Names.empty() ? "" : ", ") + Units[I].Name + " (" +
               std::to_string(Units[I].Size) + ")";
    return createStringError(
        inconvertibleErrorCode(),
        "pinned units alone take " + std::to_string(Split->PinnedBytes) +
            " bytes, over the budget of " + std::to_string(Options.Budget) +
            " by " + std::to_string(Split->PinnedBytes - Options.Budget) +
            ": " + Names);
  }

  SelectResult Result;
  for (size_t I = 0; I < Split->Pinned.size(); ++I)
    Result.Chosen.push_back({Split->Pinned[I], Split->PinnedWhy[I]});
  Result.Freed = Split->Freed;
  Result.Bytes = Split->PinnedBytes;
  Result.Samples = Split->PinnedSamples;

  std::vector<double> Benefits;
  for (double Samples : Split->Samples)
    Benefits.push_back(Model.benefit(Samples));
  uint64_t Capacity = Options.Budget - Split->PinnedBytes;
  Selection Optimal =
      solveKnapsack(Split->Sizes, Benefits, Capacity, commonStep(Split->Sizes));
  Selection Greedy = greedyByDensity(Split->Sizes, Benefits, Capacity);
  std::vector<size_t> Rank = byDensity(Split->Sizes, Benefits);
  improveTogether(Units, *Split, Benefits, Rank, Options.Budget, Optimal);
  Result.GreedySamples = Split->PinnedSamples;
  for (size_t I : Greedy.Chosen)
    Result.GreedySamples += Split->Samples[I];

  std::vector<bool> Taken(Split->Candidates.size());
  for (size_t I : Optimal.Chosen)
    Taken[I] = true;
  unsigned Position = 0;
  for (size_t I : Rank) {
    ++Position;
    const PlacementUnit &Unit = Units[Split->Candidates[I]];
    if (Taken[I]) {
      Result.Chosen.push_back(
          {Split->Candidates[I], (Unit.Placed ? "kept: rank " : "rank ") +
                                     std::to_string(Position) + " by density"});
      Result.Samples += Unit.Samples;
    } else if (Unit.Placed) {
      Result.Freed.push_back(Split->Candidates[I]);
    } else if (Result.Next.size() < Options.NextCount) {
      Result.Next.push_back(Split->Candidates[I]);
    }
  }
  // Laid out as the fragment will list them: in the plan's order.
  Result.Bytes = bytesTogether(Units, Result.chosenUnits());
  return Result;
}

Expected<std::vector<CoveragePoint>>
coverageCurve(ArrayRef<PlacementUnit> Units, const SelectOptions &Options,
              uint64_t MaxBytes, size_t Points) {
  Expected<Partition> Split = partition(Units, Options);
  if (!Split)
    return Split.takeError();
  std::vector<double> Best;
  uint64_t Room =
      MaxBytes > Split->PinnedBytes ? MaxBytes - Split->PinnedBytes : 0;
  uint64_t Step = commonStep(Split->Sizes);
  solveKnapsack(Split->Sizes, Split->Samples, Room, Step, &Best);
  std::vector<CoveragePoint> Curve;
  for (size_t Point = 0; Point <= Points; ++Point) {
    CoveragePoint P;
    P.Bytes = alignDown(MaxBytes * Point / Points, Step);
    if (P.Bytes >= Split->PinnedBytes) {
      uint64_t Free = P.Bytes - Split->PinnedBytes;
      P.Optimal = Split->PinnedSamples +
                  Best[std::min<uint64_t>(Free / Step, Best.size() - 1)];
      P.Greedy = Split->PinnedSamples +
                 greedyByDensity(Split->Sizes, Split->Samples, Free).Value;
    }
    Curve.push_back(P);
  }
  return Curve;
}

} // namespace ramfit
