#include "Selector.h"
#include "Diagnostics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MathExtras.h"
#include <numeric>

using namespace llvm;

namespace ramfit {

double CostModel::speedup(double Covered, double Total) const {
  if (Total <= 0)
    return 1;
  double Fraction = Covered / Total;
  return 1 / ((1 - Fraction) + Fraction / FlashRamRatio);
}

std::vector<PlacementUnit> buildUnits(const Profile &P, const LinkerMap *Map,
                                      const CostModel &Model) {
  std::vector<PlacementUnit> Units;
  DenseMap<const InputSection *, size_t> UnitOfSection;
  uint64_t Allowance = alignTo(Model.CallAllowance, Model.Alignment);
  // Rows come sorted by self samples, so a unit is named after its hottest
  // function.
  for (const FunctionProfile &F : P.Functions) {
    if (!F.Address || F.Self <= 0)
      continue;
    const InputSection *Section = Map ? Map->sectionAt(*F.Address) : nullptr;
    if (Section) {
      auto [It, Inserted] = UnitOfSection.try_emplace(Section, Units.size());
      if (!Inserted) {
        Units[It->second].Functions.push_back(F.Name);
        Units[It->second].Samples += F.Self;
        continue;
      }
    }
    PlacementUnit Unit;
    Unit.Name = F.Name;
    Unit.Functions = {F.Name};
    Unit.File = F.File;
    Unit.Line = F.Line;
    Unit.Samples = F.Self;
    Unit.Section = Section ? Section->Name : "";
    Unit.Object = Section ? Section->Object : F.Object;
    Unit.Address = Section ? Section->Address : *F.Address;
    uint64_t Raw = Section ? Section->Size : F.Size;
    Unit.Size = alignTo(Raw, Model.Alignment) + Allowance;
    Units.push_back(std::move(Unit));
  }
  return Units;
}

Selection solveKnapsack(ArrayRef<uint64_t> Sizes, ArrayRef<double> Values,
                        uint64_t Capacity, uint64_t Step) {
  size_t Cells = Capacity / Step + 1;
  std::vector<double> Best(Cells, 0.0);
  // Took[I][C]: item I is in the best choice of items 0..I at capacity C.
  std::vector<std::vector<bool>> Took(Sizes.size());
  for (size_t I = 0; I < Sizes.size(); ++I) {
    uint64_t Weight = Sizes[I] / Step;
    Took[I].assign(Cells, false);
    if (Weight >= Cells || Values[I] <= 0)
      continue;
    for (size_t C = Cells - 1; C >= Weight; --C) {
      double With = Best[C - Weight] + Values[I];
      if (With > Best[C]) {
        Best[C] = With;
        Took[I][C] = true;
      }
      if (C == Weight)
        break;
    }
  }
  Selection Result;
  size_t C = Cells - 1;
  for (size_t I = Sizes.size(); I-- > 0;) {
    if (!Took[I][C])
      continue;
    Result.Chosen.push_back(I);
    Result.Bytes += Sizes[I];
    Result.Value += Values[I];
    C -= Sizes[I] / Step;
  }
  std::reverse(Result.Chosen.begin(), Result.Chosen.end());
  return Result;
}

static std::vector<size_t> byDensity(ArrayRef<uint64_t> Sizes,
                                     ArrayRef<double> Values) {
  std::vector<size_t> Order(Sizes.size());
  std::iota(Order.begin(), Order.end(), 0);
  llvm::stable_sort(Order, [&](size_t A, size_t B) {
    return Values[A] * Sizes[B] > Values[B] * Sizes[A];
  });
  return Order;
}

Selection greedyByDensity(ArrayRef<uint64_t> Sizes, ArrayRef<double> Values,
                          uint64_t Capacity) {
  Selection Result;
  for (size_t I : byDensity(Sizes, Values)) {
    if (Values[I] <= 0 || Result.Bytes + Sizes[I] > Capacity)
      continue;
    Result.Chosen.push_back(I);
    Result.Bytes += Sizes[I];
    Result.Value += Values[I];
  }
  return Result;
}

namespace {

class UnitMatcher {
public:
  static Expected<UnitMatcher> create(ArrayRef<std::string> Globs) {
    UnitMatcher Matcher;
    for (const std::string &Glob : Globs) {
      Expected<GlobPattern> Pattern = GlobPattern::create(Glob);
      if (!Pattern)
        return createStringError(inconvertibleErrorCode(),
                                 "bad pattern '" + Glob +
                                     "': " + toString(Pattern.takeError()));
      Matcher.Patterns.push_back(std::move(*Pattern));
    }
    return Matcher;
  }

  /// A pattern names a unit by any function it carries or by its section.
  bool matches(const PlacementUnit &Unit) const {
    for (const GlobPattern &Pattern : Patterns) {
      if (Pattern.match(Unit.Section))
        return true;
      for (const std::string &Function : Unit.Functions)
        if (Pattern.match(Function))
          return true;
    }
    return false;
  }

private:
  std::vector<GlobPattern> Patterns;
};

} // namespace

Expected<SelectResult> selectUnits(ArrayRef<PlacementUnit> Units,
                                   const SelectOptions &Options,
                                   const CostModel &Model) {
  if (Options.Budget == 0)
    return createStringError(inconvertibleErrorCode(),
                             "the RAM budget is zero: nothing can be placed");
  Expected<UnitMatcher> Pins = UnitMatcher::create(Options.Pins);
  if (!Pins)
    return Pins.takeError();
  Expected<UnitMatcher> Excludes = UnitMatcher::create(Options.Excludes);
  if (!Excludes)
    return Excludes.takeError();

  SelectResult Result;
  std::vector<size_t> Candidates;
  std::string PinnedNames;
  for (size_t I = 0; I < Units.size(); ++I) {
    if (Pins->matches(Units[I])) {
      Result.Chosen.push_back({I, "pinned"});
      Result.Bytes += Units[I].Size;
      Result.Samples += Units[I].Samples;
      PinnedNames += (PinnedNames.empty() ? "" : ", ") + Units[I].Name + " (" +
                     std::to_string(Units[I].Size) + ")";
    } else if (!Excludes->matches(Units[I]) &&
               Units[I].Samples >= Options.MinSamples && Units[I].Samples > 0) {
      Candidates.push_back(I);
    }
  }
  if (Result.Bytes > Options.Budget)
    return createStringError(
        inconvertibleErrorCode(),
        "pinned units alone take " + std::to_string(Result.Bytes) +
            " bytes, over the budget of " + std::to_string(Options.Budget) +
            " by " + std::to_string(Result.Bytes - Options.Budget) + ": " +
            PinnedNames);

  std::vector<uint64_t> Sizes;
  std::vector<double> Values;
  for (size_t I : Candidates) {
    Sizes.push_back(Units[I].Size);
    Values.push_back(Model.benefit(Units[I].Samples));
  }
  uint64_t Capacity = Options.Budget - Result.Bytes;
  Selection Optimal = solveKnapsack(Sizes, Values, Capacity, Model.Alignment);
  Selection Greedy = greedyByDensity(Sizes, Values, Capacity);
  Result.GreedySamples = Result.Samples;
  for (size_t I : Greedy.Chosen)
    Result.GreedySamples += Units[Candidates[I]].Samples;

  std::vector<bool> Taken(Candidates.size());
  for (size_t I : Optimal.Chosen)
    Taken[I] = true;
  unsigned Rank = 0;
  for (size_t I : byDensity(Sizes, Values)) {
    ++Rank;
    const PlacementUnit &Unit = Units[Candidates[I]];
    if (Taken[I]) {
      Result.Chosen.push_back(
          {Candidates[I], "rank " + std::to_string(Rank) + " by density"});
      Result.Bytes += Unit.Size;
      Result.Samples += Unit.Samples;
    } else if (Result.Next.size() < Options.NextCount) {
      Result.Next.push_back(Candidates[I]);
    }
  }
  return Result;
}

} // namespace ramfit
