#include "plan/Selector.h"
#include "plan/Together.h"

#include "gtest/gtest.h"
#include <random>

using namespace ramfit;
using llvm::Expected;
using llvm::toString;

namespace {

double bruteForceBest(const std::vector<uint64_t> &Sizes,
                      const std::vector<double> &Values, uint64_t Capacity) {
  double Best = 0;
  for (uint32_t Mask = 0; Mask < (1u << Sizes.size()); ++Mask) {
    uint64_t Bytes = 0;
    double Value = 0;
    for (size_t I = 0; I < Sizes.size(); ++I)
      if (Mask & (1u << I)) {
        Bytes += Sizes[I];
        Value += Values[I];
      }
    if (Bytes <= Capacity)
      Best = std::max(Best, Value);
  }
  return Best;
}

TEST(SelectorTest, KnapsackMatchesBruteForce) {
  std::mt19937 Random(20261125);
  for (int Instance = 0; Instance < 300; ++Instance) {
    size_t Count = 1 + Random() % 12;
    std::vector<uint64_t> Sizes;
    std::vector<double> Values;
    for (size_t I = 0; I < Count; ++I) {
      Sizes.push_back(4 * (1 + Random() % 64));
      Values.push_back(Random() % 100);
    }
    uint64_t Capacity = 4 * (Random() % 200);
    Selection Optimal = solveKnapsack(Sizes, Values, Capacity, 4);
    SCOPED_TRACE("instance " + std::to_string(Instance));
    EXPECT_EQ(bruteForceBest(Sizes, Values, Capacity), Optimal.Value);
    // The chosen set is real: it fits and adds up.
    uint64_t Bytes = 0;
    double Value = 0;
    for (size_t I : Optimal.Chosen) {
      Bytes += Sizes[I];
      Value += Values[I];
    }
    EXPECT_LE(Bytes, Capacity);
    EXPECT_EQ(Bytes, Optimal.Bytes);
    EXPECT_EQ(Value, Optimal.Value);
    EXPECT_LE(greedyByDensity(Sizes, Values, Capacity).Value, Optimal.Value);
  }
}

TEST(SelectorTest, ReductionKeepsTheOptimumOfTheWholeTable) {
  // Profile-like instances, too big for brute force: the reduced table must
  // find what the whole table (kept for the coverage curve) finds.
  std::mt19937 Random(7);
  for (int Instance = 0; Instance < 40; ++Instance) {
    std::vector<uint64_t> Sizes;
    std::vector<double> Values;
    for (size_t I = 0; I < 400; ++I) {
      Sizes.push_back(4 * (1 + Random() % (I % 50 == 0 ? 1500 : 60)));
      Values.push_back(double(Random() % 1000) / double(1 + I % 97));
    }
    uint64_t Capacity = 4 * (Random() % 4000);
    std::vector<double> Best;
    double Whole = solveKnapsack(Sizes, Values, Capacity, 4, &Best).Value;
    Selection Reduced = solveKnapsack(Sizes, Values, Capacity, 4);
    SCOPED_TRACE("instance " + std::to_string(Instance));
    EXPECT_NEAR(Whole, Reduced.Value, 1e-9 * Whole);
    EXPECT_LE(Reduced.Bytes, Capacity);
  }
}

TEST(SelectorTest, GreedyCanMissTheOptimum) {
  // Density picks the small dense unit, then the big one no longer fits.
  std::vector<uint64_t> Sizes{8, 100};
  std::vector<double> Values{10, 100};
  EXPECT_EQ(10, greedyByDensity(Sizes, Values, 100).Value);
  EXPECT_EQ(100, solveKnapsack(Sizes, Values, 100, 4).Value);
}

PlacementUnit unit(std::string Name, uint64_t Size, double Samples,
                   std::string Section = "") {
  PlacementUnit U;
  U.Name = Name;
  U.Functions = {Name};
  U.Size = Size;
  U.Samples = Samples;
  U.Section = Section.empty() ? ".text." + Name : Section;
  return U;
}

std::vector<std::string> chosenNames(const std::vector<PlacementUnit> &Units,
                                     const SelectResult &R) {
  std::vector<std::string> Names;
  for (const Choice &C : R.Chosen)
    Names.push_back(Units[C.Unit].Name + ":" + C.Why);
  return Names;
}

TEST(SelectorTest, PinsExcludesAndMinSamples) {
  std::vector<PlacementUnit> Units{unit("hot", 64, 50), unit("warm", 32, 20),
                                   unit("cold", 16, 1),
                                   unit("__udivdi3", 64, 5, ".text")};
  CostModel Model;
  SelectOptions Options;
  Options.Budget = 112;
  Options.Pins = {"__udiv*"};
  Options.Excludes = {"warm"};
  Options.MinSamples = 2;
  Expected<SelectResult> R = selectUnits(Units, Options, Model);
  ASSERT_TRUE(bool(R)) << toString(R.takeError());
  EXPECT_EQ((std::vector<std::string>{"__udivdi3:pinned"}),
            chosenNames(Units, *R));
  EXPECT_EQ(64u, R->Bytes);
  Options.Budget = 128;
  R = selectUnits(Units, Options, Model);
  ASSERT_TRUE(bool(R));
  EXPECT_EQ(
      (std::vector<std::string>{"__udivdi3:pinned", "hot:rank 1 by density"}),
      chosenNames(Units, *R));
  EXPECT_EQ(55, R->Samples);
}

PlacementUnit placedUnit(std::string Name, uint64_t Size, double Samples) {
  PlacementUnit U = unit(Name, Size, Samples, ".itcm." + Name);
  U.Placed = true;
  return U;
}

std::vector<std::string> namesOf(const std::vector<PlacementUnit> &Units,
                                 const std::vector<size_t> &Indices) {
  std::vector<std::string> Names;
  for (size_t I : Indices)
    Names.push_back(Units[I].Name);
  return Names;
}

TEST(SelectorTest, PlacedUnitsAreKeptOrFreedUnderTheSameBudget) {
  // Code already in RAM competes with code in flash for the same bytes: the
  // placed unit that earns its bytes stays, the others are freed, not
  // offered as "next".
  std::vector<PlacementUnit> Units{
      unit("hot", 64, 50), placedUnit("loop", 32, 40),
      placedUnit("idle", 32, 2), placedUnit("never", 16, 0),
      unit("warm", 64, 10)};
  SelectOptions Options;
  Options.Budget = 96;
  Expected<SelectResult> R = selectUnits(Units, Options, CostModel());
  ASSERT_TRUE(bool(R)) << toString(R.takeError());
  EXPECT_EQ((std::vector<std::string>{"loop:kept: rank 1 by density",
                                      "hot:rank 2 by density"}),
            chosenNames(Units, *R));
  EXPECT_EQ(96u, R->Bytes);
  EXPECT_EQ((std::vector<std::string>{"never", "idle"}),
            namesOf(Units, R->Freed));
  EXPECT_EQ((std::vector<std::string>{"warm"}), namesOf(Units, R->Next));

  // An excluded placed unit is freed, and its bytes go to the next best
  // (idle, kept now); with cycle profiles, which cannot weigh placed code,
  // every placed unit is kept as if pinned.
  Options.Excludes = {"loop"};
  R = selectUnits(Units, Options, CostModel());
  ASSERT_TRUE(bool(R));
  EXPECT_EQ((std::vector<std::string>{"loop", "never"}),
            namesOf(Units, R->Freed));
  EXPECT_EQ((std::vector<std::string>{"hot:rank 1 by density",
                                      "idle:kept: rank 3 by density"}),
            chosenNames(Units, *R));
  Options.Excludes.clear();
  Options.KeepPlaced = true;
  R = selectUnits(Units, Options, CostModel());
  ASSERT_TRUE(bool(R));
  EXPECT_TRUE(R->Freed.empty());
  EXPECT_EQ(80u, R->Bytes);
  ASSERT_EQ(3u, R->Chosen.size());
  EXPECT_EQ(0u, R->Chosen[0].Why.find("kept: already in RAM"));
}

TEST(SelectorTest, PinsOverflowingTheBudgetAreAnError) {
  std::vector<PlacementUnit> Units{unit("big", 4096, 1), unit("hot", 64, 50)};
  SelectOptions Options;
  Options.Budget = 1024;
  Options.Pins = {"big"};
  Expected<SelectResult> R = selectUnits(Units, Options, CostModel());
  ASSERT_FALSE(bool(R));
  EXPECT_EQ("pinned units alone take 4096 bytes, over the budget of 1024 by "
            "3072: big (4096)",
            toString(R.takeError()));
}

TEST(SelectorTest, ZeroBudgetIsAnError) {
  Expected<SelectResult> R =
      selectUnits({unit("hot", 64, 50)}, {}, CostModel());
  ASSERT_FALSE(bool(R));
  EXPECT_EQ("the RAM budget is zero: nothing can be placed",
            toString(R.takeError()));
}

TEST(SelectorTest, NextListsTheBestLeftOut) {
  std::vector<PlacementUnit> Units{unit("a", 64, 50), unit("b", 64, 40),
                                   unit("c", 64, 10)};
  SelectOptions Options;
  Options.Budget = 64;
  Expected<SelectResult> R = selectUnits(Units, Options, CostModel());
  ASSERT_TRUE(bool(R));
  ASSERT_EQ(2u, R->Next.size());
  EXPECT_EQ("b", Units[R->Next[0]].Name);
  EXPECT_EQ("c", Units[R->Next[1]].Name);
}

TEST(SelectorTest, CostModel) {
  CostModel Model;
  Model.FlashRamRatio = 4;
  EXPECT_DOUBLE_EQ(75, Model.benefit(100));
}

} // namespace

namespace {

TEST(SelectorTest, CoverageCurveIsMonotoneAndOptimalBeatsGreedy) {
  std::vector<PlacementUnit> Units{unit("a", 8, 10), unit("b", 100, 100),
                                   unit("c", 40, 30), unit("pinned", 16, 1)};
  SelectOptions Options;
  Options.Pins = {"pinned"};
  Expected<std::vector<CoveragePoint>> Curve =
      coverageCurve(Units, Options, 160, 40);
  ASSERT_TRUE(bool(Curve)) << toString(Curve.takeError());
  ASSERT_EQ(41u, Curve->size());
  EXPECT_EQ(0u, Curve->front().Bytes);
  EXPECT_EQ(0, Curve->front().Optimal);
  EXPECT_EQ(160u, Curve->back().Bytes);
  for (size_t I = 1; I < Curve->size(); ++I) {
    EXPECT_GE((*Curve)[I].Optimal, (*Curve)[I - 1].Optimal);
    EXPECT_GE((*Curve)[I].Optimal, (*Curve)[I].Greedy);
  }
  // Each point is what the selector itself would choose at that budget.
  for (const CoveragePoint &Point : *Curve) {
    if (Point.Bytes < 16)
      continue;
    Options.Budget = Point.Bytes;
    Expected<SelectResult> R = selectUnits(Units, Options, CostModel());
    ASSERT_TRUE(bool(R));
    EXPECT_EQ(R->Samples, Point.Optimal) << Point.Bytes;
    EXPECT_EQ(R->GreedySamples, Point.Greedy) << Point.Bytes;
  }
  // At 116 bytes greedy takes a and c (40 samples) where b fits (101).
  Options.Budget = 116;
  EXPECT_EQ(101, selectUnits(Units, Options, CostModel())->Samples);
}

} // namespace

namespace {

/// A unit at Address (16 bytes of code) whose calls reach Targets through
/// veneers of VeneerBytes (Thumb-2's 8), counted in its size as they would
/// be alone.
PlacementUnit armUnit(std::string Name, uint64_t Address, double Samples,
                      std::vector<uint64_t> Targets, uint64_t VeneerBytes = 8) {
  PlacementUnit U =
      unit(std::move(Name), 16 + VeneerBytes * Targets.size(), Samples);
  U.Address = Address;
  U.Code = {llvm::AddressRange(Address, Address + 16)};
  U.VeneerTargets = std::move(Targets);
  U.VeneerBytes = VeneerBytes;
  return U;
}

// Two units calling the same far function share one veneer: together they
// take 16 + 16 + 8 bytes, which a budget of 40 holds, though each alone is
// counted 24.
TEST(SelectorTest, UnitsShareTheirVeneers) {
  std::vector<PlacementUnit> Units{armUnit("a", 0x100, 10, {0x900}),
                                   armUnit("b", 0x200, 9, {0x900})};
  SelectOptions Options;
  Options.Budget = 40;
  llvm::Expected<SelectResult> Result = selectUnits(Units, Options, {});
  ASSERT_TRUE(bool(Result)) << llvm::toString(Result.takeError());
  EXPECT_EQ(2u, Result->Chosen.size());
  EXPECT_EQ(40u, Result->Bytes);
  // v6-M's veneers take 16 bytes: the pair takes 16 + 16 + 16.
  std::vector<PlacementUnit> V6m{armUnit("a", 0x100, 10, {0x900}, 16),
                                 armUnit("b", 0x200, 9, {0x900}, 16)};
  Options.Budget = 48;
  EXPECT_EQ(48u, selectUnits(V6m, Options, {})->Bytes);
  // A call into another chosen unit needs no veneer at all.
  EXPECT_EQ(16u + 16u, bytesTogether({armUnit("a", 0x100, 1, {0x200}),
                                      armUnit("b", 0x200, 1, {})},
                                     {0, 1}));
}

// RISC-V units laid out as ld lays them: a 2-aligned section packs
// against the one before, a 4-aligned one is padded to 4; a call to a unit
// in RAM too stays short, one to code left in flash grows; the veneers of
// Arm go in an 8-aligned stub section after the code.
/// A RISC-V unit of one section, sized as buildUnits sizes it: its bytes,
/// the padding its alignment may need after 2-aligned code, and every call
/// grown as if its target stayed in flash.
PlacementUnit riscvUnit(std::string Name, uint64_t Address, uint64_t Bytes,
                        uint64_t Alignment, std::vector<FarCall> Calls,
                        double Samples = 1) {
  PlacementUnit U = unit(Name, 0, Samples);
  U.Code = {llvm::AddressRange(Address, Address + Bytes)};
  U.Pieces = {{Bytes, Alignment}};
  U.FarCalls = std::move(Calls);
  U.Size = Bytes + (Alignment > 2 ? Alignment - 2 : 0);
  for (const FarCall &Call : U.FarCalls)
    U.Size += Call.Growth;
  return U;
}

TEST(SelectorTest, UnitsTogetherAreLaidOutAsLdLaysThemOut) {
  // a: 94 bytes, 2-aligned, one c.jal to b (+6 far, +2 to RAM) and one to
  // flash at 0x900 (+6). b: 30 bytes, 4-aligned.
  std::vector<PlacementUnit> Units{
      riscvUnit("a", 0x100, 94, 2, {{0x200, 6, 2}, {0x900, 6, 2}}),
      riscvUnit("b", 0x200, 30, 4, {})};
  // Alone, a is 94 + 12 = 106 and b 30, and 2 for the padding it may need.
  EXPECT_EQ(106u, Units[0].Size);
  EXPECT_EQ(32u, Units[1].Size);
  // Together: a at 0, 94 + 6 (the call to flash; the one to b stays a
  // c.jal) = 100; b at 100 (4-aligned), 130.
  EXPECT_EQ(130u, bytesTogether(Units, {0, 1}));
  // In the other order: b at 0, 30; a at 30 (2-aligned), 30 + 94 + 6.
  EXPECT_EQ(130u, bytesTogether(Units, {1, 0}));
  // a alone: both calls grow.
  EXPECT_EQ(94u + 12u, bytesTogether(Units, {0}));
  // b then a 4-aligned: padding after b's 30 bytes.
  Units[0].Pieces[0].Alignment = 4;
  EXPECT_EQ(32u + 94u + 6u, bytesTogether(Units, {1, 0}));
  // Arm: 20 bytes of code, then its veneer 8-aligned: 24 + 8.
  PlacementUnit Arm = armUnit("c", 0x100, 1, {0x900});
  Arm.Size = 20 + 8;
  EXPECT_EQ(32u, bytesTogether({Arm}, {0}));
}

// A caller and the callee it calls with 'c.jal's fit only together: alone
// the caller counts its calls grown (94 + 12), together they stay short
// (94 + 30 = 124). Sizes alone would take c (11 samples); a and b cover 13.
TEST(SelectorTest, UnitsThatShrinkOnlyTogetherAreFound) {
  std::vector<PlacementUnit> Units{
      riscvUnit("a", 0x100, 94, 2, {{0x200, 6, 2}, {0x200, 6, 2}}, 10),
      riscvUnit("b", 0x200, 30, 2, {}, 3),
      riscvUnit("c", 0x300, 100, 2, {}, 11)};
  SelectOptions Options;
  Options.Budget = 128;
  llvm::Expected<SelectResult> Result = selectUnits(Units, Options, {});
  ASSERT_TRUE(bool(Result)) << llvm::toString(Result.takeError());
  EXPECT_EQ(13, Result->Samples);
  EXPECT_EQ(124u, Result->Bytes);
}

// On random RISC-V instances (2-aligned units calling each other and
// flash) the selection covers what the best set covers, by brute force
// over every set laid out as ld lays it out. (With mixed alignments a
// unit's size counts the padding it may need in full: plan/Exact.h.)
TEST(SelectorTest, SelectionIsTheOptimumOverLaidOutSizes) {
  std::mt19937 Random(11);
  for (int Round = 0; Round < 300; ++Round) {
    std::vector<PlacementUnit> Units;
    constexpr int Count = 7;
    for (int I = 0; I < Count; ++I) {
      std::vector<FarCall> Calls;
      for (int C = Random() % 4; C > 0; --C) {
        uint64_t Target = Random() % 2 ? 0x100 * (Random() % Count + 1) : 0x900;
        bool Compressed = Random() % 2;
        Calls.push_back({Target, Compressed ? 6u : 4u, Compressed ? 2u : 0u});
      }
      Units.push_back(riscvUnit("u" + std::to_string(I), 0x100 * (I + 1),
                                2 * (5 + Random() % 40), 2, Calls,
                                1 + Random() % 30));
    }
    SelectOptions Options;
    Options.Budget = 40 + 2 * (Random() % 150);
    llvm::Expected<SelectResult> Result = selectUnits(Units, Options, {});
    ASSERT_TRUE(bool(Result));
    // Every set, laid out as the plan lists units: densest first.
    std::vector<uint64_t> Sizes;
    std::vector<double> Values;
    for (const PlacementUnit &U : Units) {
      Sizes.push_back(U.Size);
      Values.push_back(CostModel().benefit(U.Samples));
    }
    std::vector<size_t> Order = byDensity(Sizes, Values);
    double Best = 0;
    for (unsigned Mask = 0; Mask < (1u << Count); ++Mask) {
      std::vector<size_t> Set;
      double Samples = 0;
      for (size_t I : Order)
        if (Mask >> I & 1) {
          Set.push_back(I);
          Samples += Units[I].Samples;
        }
      if (Samples > Best && bytesTogether(Units, Set) <= Options.Budget)
        Best = Samples;
    }
    EXPECT_LE(Result->Bytes, Options.Budget);
    EXPECT_EQ(Best, Result->Samples) << "round " << Round;
  }
}

// On random instances the selection never takes more than the budget once
// veneers are shared, and covers at least what sizes alone allowed.
TEST(SelectorTest, SharedVeneersNeverOverflow) {
  std::mt19937 Random(7);
  for (int Round = 0; Round < 200; ++Round) {
    std::vector<PlacementUnit> Units;
    for (int I = 0; I < 8; ++I) {
      std::vector<uint64_t> Targets;
      for (uint64_t T = 0; T < 4; ++T)
        if (Random() % 3 == 0)
          Targets.push_back(T % 2 ? 0x1000 + T : 0x100 * (Random() % 8 + 1));
      llvm::sort(Targets);
      Targets.erase(std::unique(Targets.begin(), Targets.end()), Targets.end());
      Units.push_back(armUnit("u" + std::to_string(I), 0x100 * (I + 1),
                              1 + Random() % 50, Targets));
    }
    SelectOptions Options;
    Options.Budget = 40 + 4 * (Random() % 30);
    llvm::Expected<SelectResult> Result = selectUnits(Units, Options, {});
    ASSERT_TRUE(bool(Result));
    std::vector<size_t> Chosen;
    for (const Choice &C : Result->Chosen)
      Chosen.push_back(C.Unit);
    EXPECT_EQ(bytesTogether(Units, Chosen), Result->Bytes);
    EXPECT_LE(Result->Bytes, Options.Budget);
    // The standalone optimum, which never counts a veneer twice too few.
    std::vector<uint64_t> Sizes;
    std::vector<double> Values;
    for (const PlacementUnit &U : Units) {
      Sizes.push_back(U.Size);
      Values.push_back(CostModel().benefit(U.Samples));
    }
    Selection Alone = solveKnapsack(Sizes, Values, Options.Budget, 4);
    double Covered = 0;
    for (size_t I : Alone.Chosen)
      Covered += Units[I].Samples;
    EXPECT_GE(Result->Samples, Covered);
  }
}

} // namespace
