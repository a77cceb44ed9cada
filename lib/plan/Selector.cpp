#include "plan/Selector.h"
#include "plan/Veneers.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
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

Expected<double> parseFlashRamRatio(StringRef Text) {
  double Ratio;
  if (Text.trim().getAsDouble(Ratio) || !(Ratio >= 1) || std::isinf(Ratio))
    return createStringError(inconvertibleErrorCode(),
                             "flash/RAM ratio '" + Text +
                                 "' is not a number of at least 1");
  return Ratio;
}

double CostModel::speedup(double Covered, double Total) const {
  if (Total <= 0)
    return 1;
  double Fraction = Covered / Total;
  return 1 / ((1 - Fraction) + Fraction / FlashRamRatio);
}

namespace {

/// ".text.f" and ".text.unlikely.f" of one object are halves of f.
std::string companionName(StringRef Section) {
  if (Section.consume_front(".text.unlikely."))
    return ".text." + Section.str();
  if (Section.consume_front(".text."))
    return ".text.unlikely." + Section.str();
  return "";
}

const InputSection *findSection(const LinkerMap &Map, StringRef Name,
                                StringRef Object) {
  for (const InputSection &S : Map.Sections)
    if (S.Name == Name && S.Object == Object)
      return &S;
  return nullptr;
}

} // namespace

namespace {

/// The profile's functions with samples, then the code already in RAM that
/// has none: a placed unit must be weighed even when nothing ran it.
std::vector<FunctionProfile> unitFunctions(const Profile &P,
                                           const Binary &Elf) {
  std::vector<FunctionProfile> Rows;
  llvm::DenseSet<uint64_t> Sampled;
  for (const FunctionProfile &F : P.Functions)
    if (F.Self > 0) {
      Rows.push_back(F);
      Sampled.insert(F.Address);
    }
  for (const FunctionInfo &F : Elf.functions()) {
    if (F.Size == 0 || !Elf.isCopiedAtStartup(F.Address) ||
        !Sampled.insert(F.Address).second)
      continue;
    FunctionProfile Row;
    Row.Name = F.Name;
    Row.File = F.DeclFile;
    Row.Line = F.DeclLine;
    Row.CompileUnit = F.CompileUnit;
    Row.Address = F.Address;
    Row.Size = F.Size;
    Rows.push_back(std::move(Row));
  }
  return Rows;
}

} // namespace

std::vector<PlacementUnit> buildUnits(const Profile &P, const Binary &Elf,
                                      const LinkerMap *Map,
                                      const CallScanner *Calls,
                                      const CostModel &Model) {
  std::vector<PlacementUnit> Units;
  DenseMap<const InputSection *, size_t> UnitOfSection;
  auto CodeSize = [&](uint64_t Address, uint64_t Size,
                      ArrayRef<AddressRange> MovingAlong) {
    // Code in RAM already has the longer calls it needs.
    if (Elf.isCopiedAtStartup(Address))
      return alignTo(Size, Model.Alignment);
    uint64_t Growth = Calls
                          ? Calls->farCallGrowth(Address, Address + Size,
                                                 MovingAlong, Model.Destination)
                          : Model.CallAllowance;
    return alignTo(Size, Model.Alignment) + alignTo(Growth, Model.Alignment);
  };
  // Rows come sorted by self samples, so a unit is named after its hottest
  // function.
  for (const FunctionProfile &F : unitFunctions(P, Elf)) {
    bool Placed = Elf.isCopiedAtStartup(F.Address);
    // The samples of code in RAM, as they would have been in flash.
    double Samples = Placed ? F.Self * Model.FlashRamRatio : F.Self;
    const InputSection *Section = Map ? Map->sectionAt(F.Address) : nullptr;
    const InputSection *Companion = nullptr;
    if (Section) {
      Companion =
          findSection(*Map, companionName(Section->Name), Section->Object);
      auto Found = UnitOfSection.find(Section);
      if (Found == UnitOfSection.end() && Companion)
        Found = UnitOfSection.find(Companion);
      if (Found != UnitOfSection.end()) {
        PlacementUnit &Unit = Units[Found->second];
        Unit.Functions.push_back(F.Name);
        Unit.Samples += Samples;
        Unit.RamSamples += Placed ? F.Self : 0;
        continue;
      }
      UnitOfSection[Section] = Units.size();
      if (Companion)
        UnitOfSection[Companion] = Units.size();
    }
    PlacementUnit Unit;
    Unit.Name = F.Name;
    Unit.Functions = {F.Name};
    Unit.File = F.File;
    Unit.Line = F.Line;
    Unit.Samples = Samples;
    Unit.Placed = Placed;
    Unit.RamSamples = Placed ? F.Self : 0;
    Unit.Section = Section ? Section->Name : "";
    Unit.Object = Section ? Section->Object : F.CompileUnit;
    Unit.Address = Section ? Section->Address : F.Address;
    uint64_t MainSize = Section ? Section->Size : F.Size;
    std::vector<AddressRange> CompanionRange;
    if (Companion)
      CompanionRange.emplace_back(Companion->Address,
                                  Companion->Address + Companion->Size);
    Unit.Size = CodeSize(Unit.Address, MainSize, CompanionRange);
    Unit.Code.emplace_back(Unit.Address, Unit.Address + MainSize);
    if (Companion) {
      Unit.Companions.push_back(Companion->Name);
      Unit.Size += CodeSize(Companion->Address, Companion->Size, Unit.Code);
      Unit.Code.push_back(CompanionRange.front());
    }
    if (Calls && !Placed)
      Unit.VeneerTargets =
          Calls->veneerTargets(Unit.Address, Unit.Address + MainSize,
                               CompanionRange, Model.Destination);
    Units.push_back(std::move(Unit));
  }
  return Units;
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

namespace {

/// Units split by the options: pinned in, candidates, and the rest out.
struct Partition {
  std::vector<size_t> Pinned;
  /// Why each pinned unit is in.
  std::vector<std::string> PinnedWhy;
  /// Placed units that cannot be chosen: they are freed.
  std::vector<size_t> Freed;
  uint64_t PinnedBytes = 0;
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
    if (Pinned || (Unit.Placed && Options.KeepPlaced)) {
      Result.Pinned.push_back(I);
      Result.PinnedWhy.push_back(
          Pinned ? "pinned"
                 : "kept: already in RAM, and cycles measured there cannot "
                   "say what it would cost in flash");
      Result.PinnedBytes += Unit.Size;
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

/// The pinned units and the candidates Picked chose, as indices of Units.
std::vector<size_t> unitsOf(const Partition &Split, const Selection &Picked) {
  std::vector<size_t> Chosen = Split.Pinned;
  for (size_t I : Picked.Chosen)
    Chosen.push_back(Split.Candidates[I]);
  return Chosen;
}

/// Units chosen together share their veneers (Arm), so the selection
/// leaves room: solve again with each veneer charged once, to the first
/// chosen unit that needs it, and keep the new selection while it covers
/// more and truly fits. Returns the bytes the kept selection takes.
uint64_t shareVeneers(ArrayRef<PlacementUnit> Units, const Partition &Split,
                      ArrayRef<double> Benefits, uint64_t Budget,
                      uint64_t Alignment, Selection &Optimal) {
  std::vector<size_t> Chosen = unitsOf(Split, Optimal);
  uint64_t Bytes = bytesTogether(Units, Chosen);
  bool AnyVeneers = llvm::any_of(
      Units, [](const PlacementUnit &U) { return !U.VeneerTargets.empty(); });
  for (unsigned Round = 0; AnyVeneers && Round < 4; ++Round) {
    std::vector<uint64_t> Charged = chargedSizes(Units, Chosen);
    uint64_t Pinned = 0;
    for (size_t I : Split.Pinned)
      Pinned += Charged[I];
    std::vector<uint64_t> Sizes;
    for (size_t I : Split.Candidates)
      Sizes.push_back(Charged[I]);
    if (Pinned > Budget)
      break;
    Selection Next = solveKnapsack(Sizes, Benefits, Budget - Pinned, Alignment);
    std::vector<size_t> NextChosen = unitsOf(Split, Next);
    uint64_t NextBytes = bytesTogether(Units, NextChosen);
    if (NextBytes > Budget || Next.Value <= Optimal.Value)
      break;
    Optimal = std::move(Next);
    Chosen = std::move(NextChosen);
    Bytes = NextBytes;
  }
  return Bytes;
}

} // namespace

Expected<SelectResult> selectUnits(ArrayRef<PlacementUnit> Units,
                                   const SelectOptions &Options,
                                   const CostModel &Model) {
  if (Options.Budget == 0)
    return createStringError(inconvertibleErrorCode(),
                             "the RAM budget is zero: nothing can be placed");
  Expected<Partition> Split = partition(Units, Options);
  if (!Split)
    return Split.takeError();
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
      solveKnapsack(Split->Sizes, Benefits, Capacity, Model.Alignment);
  Selection Greedy = greedyByDensity(Split->Sizes, Benefits, Capacity);
  uint64_t Bytes = shareVeneers(Units, *Split, Benefits, Options.Budget,
                                Model.Alignment, Optimal);
  Result.GreedySamples = Split->PinnedSamples;
  for (size_t I : Greedy.Chosen)
    Result.GreedySamples += Split->Samples[I];

  std::vector<bool> Taken(Split->Candidates.size());
  for (size_t I : Optimal.Chosen)
    Taken[I] = true;
  unsigned Rank = 0;
  for (size_t I : byDensity(Split->Sizes, Benefits)) {
    ++Rank;
    const PlacementUnit &Unit = Units[Split->Candidates[I]];
    if (Taken[I]) {
      Result.Chosen.push_back(
          {Split->Candidates[I], (Unit.Placed ? "kept: rank " : "rank ") +
                                     std::to_string(Rank) + " by density"});
      Result.Samples += Unit.Samples;
    } else if (Unit.Placed) {
      Result.Freed.push_back(Split->Candidates[I]);
    } else if (Result.Next.size() < Options.NextCount) {
      Result.Next.push_back(Split->Candidates[I]);
    }
  }
  Result.Bytes = Bytes;
  return Result;
}

Expected<std::vector<CoveragePoint>>
coverageCurve(ArrayRef<PlacementUnit> Units, const SelectOptions &Options,
              const CostModel &Model, uint64_t MaxBytes, size_t Points) {
  Expected<Partition> Split = partition(Units, Options);
  if (!Split)
    return Split.takeError();
  std::vector<double> Best;
  uint64_t Room =
      MaxBytes > Split->PinnedBytes ? MaxBytes - Split->PinnedBytes : 0;
  solveKnapsack(Split->Sizes, Split->Samples, Room, Model.Alignment, &Best);
  std::vector<CoveragePoint> Curve;
  for (size_t Point = 0; Point <= Points; ++Point) {
    CoveragePoint P;
    P.Bytes = alignDown(MaxBytes * Point / Points, Model.Alignment);
    if (P.Bytes >= Split->PinnedBytes) {
      uint64_t Free = P.Bytes - Split->PinnedBytes;
      P.Optimal = Split->PinnedSamples + Best[Free / Model.Alignment];
      P.Greedy = Split->PinnedSamples +
                 greedyByDensity(Split->Sizes, Split->Samples, Free).Value;
    }
    Curve.push_back(P);
  }
  return Curve;
}

} // namespace ramfit
