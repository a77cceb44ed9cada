#include "apply/PlacementCheck.h"
#include "FixtureElf.h"

#include "gtest/gtest.h"

using namespace ramfit;
using llvm::Expected;
using llvm::toString;

namespace {

TEST(PlacementCheckTest, ParseRegion) {
  Expected<MemoryRegion> Region = parseRegion("RAM=0x10000000,128K");
  ASSERT_TRUE(bool(Region)) << toString(Region.takeError());
  EXPECT_EQ("RAM", Region->Name);
  EXPECT_EQ(0x10000000u, Region->Origin);
  EXPECT_EQ(131072u, Region->Length);
  for (const char *Bad : {"RAM", "RAM=0x100", "=0,4K", "RAM=x,4K", "RAM=0,0"}) {
    Expected<MemoryRegion> R = parseRegion(Bad);
    EXPECT_FALSE(bool(R)) << Bad;
    if (!R)
      llvm::consumeError(R.takeError());
  }
}

Plan planOf(std::vector<std::string> Names) {
  Plan P;
  for (std::string &Name : Names) {
    PlannedUnit U;
    U.Section = ".text." + Name;
    U.Name = std::move(Name);
    P.Units.push_back(std::move(U));
  }
  return P;
}

// A section that holds several functions ('.ramtext', libgcc's '.text') is
// named after one: the others of its compile unit right beside it count
// too, unless another unit names them. In the fixture filter.c's mix_step
// sits right before fir_filter.
TEST(PlacementCheckTest, SharedSectionsCountTheirOtherFunctions) {
  auto Elf = openFixture("riscv");
  ASSERT_TRUE(Elf);
  MemoryRegion Flash{"FLASH", 0x80000000, 1024 * 1024};
  const FunctionInfo &Filter = onlyFunction(*Elf, "fir_filter");
  const FunctionInfo &Mix = onlyFunction(*Elf, "mix_step");
  ASSERT_EQ(Mix.end(), Filter.Address);
  Plan P = planOf({"fir_filter"});
  P.Units[0].Section = ".ramtext";
  CheckResult Shared = checkPlacement(P, *Elf, Flash, nullptr, false);
  ASSERT_EQ(1u, Shared.Sizes.size());
  EXPECT_GE(Shared.Sizes[0].Linked, Filter.Size + Mix.Size);
  // Its own section: fir_filter alone.
  P.Units[0].Section = ".text.fir_filter";
  CheckResult Own = checkPlacement(P, *Elf, Flash, nullptr, false);
  EXPECT_LT(Own.Sizes[0].Linked, Filter.Size + 16);
  // mix_step planned on its own: not fir_filter's.
  P = planOf({"fir_filter", "mix_step"});
  P.Units[0].Section = ".ramtext";
  CheckResult Named = checkPlacement(P, *Elf, Flash, nullptr, false);
  ASSERT_EQ(2u, Named.Sizes.size());
  EXPECT_LT(Named.Sizes[0].Linked, Filter.Size + 16);
}

TEST(PlacementCheckTest, FunctionsOutsideTheRegionFail) {
  auto Elf = openFixture("riscv");
  ASSERT_TRUE(Elf);
  MemoryRegion Ram{"RAM", 0x80400000, 128 * 1024};
  CheckResult Result =
      checkPlacement(planOf({"fir_filter"}), *Elf, Ram, nullptr, false);
  EXPECT_TRUE(Result.failed());
  EXPECT_EQ(0u, Result.InRam);
  ASSERT_EQ(1u, Result.Findings.size());
  EXPECT_EQ(0u, Result.Findings[0].Message.find("fir_filter is at 0x800"));
}

// The linked size of a unit is its function, its cold part and the padding
// after each; more than the plan's budget in all fails the check.
TEST(PlacementCheckTest, LinkedSizesAgainstTheBudget) {
  auto Elf = openFixture("riscv");
  ASSERT_TRUE(Elf);
  // The unmodified fixture, with its flash taken for the region.
  MemoryRegion Flash{"FLASH", 0x80000000, 1024 * 1024};
  Plan P = planOf({"fir_filter", "gc_collect"});
  P.Units[0].Size = 100;
  P.Units[1].Size = 120;
  P.Budget = 4096;
  CheckResult Result = checkPlacement(P, *Elf, Flash, nullptr, false);
  EXPECT_FALSE(Result.failed());
  ASSERT_EQ(2u, Result.Sizes.size());
  const FunctionInfo &Filter = onlyFunction(*Elf, "fir_filter");
  EXPECT_GE(Result.Sizes[0].Linked, Filter.Size);
  EXPECT_LT(Result.Sizes[0].Linked, Filter.Size + 16);
  const FunctionInfo &Cold = onlyFunction(*Elf, "gc_collect.cold");
  EXPECT_GE(Result.Sizes[1].Linked,
            onlyFunction(*Elf, "gc_collect").Size + Cold.Size);
  EXPECT_EQ(220u, Result.predictedTotal());

  P.Budget = Result.linkedTotal() - 1;
  Result = checkPlacement(P, *Elf, Flash, nullptr, false);
  EXPECT_TRUE(Result.failed());
  ASSERT_FALSE(Result.Findings.empty());
  EXPECT_EQ(0u, Result.Findings.back().Message.find(
                    "the planned code takes " +
                    std::to_string(Result.linkedTotal()) + " bytes in FLASH"))
      << Result.Findings.back().Message;
}

// A unit is measured only where a relink placed it: in the same output
// section as before it was never moved.
TEST(PlacementCheckTest, UnitsNotMovedAreNotMeasured) {
  auto Elf = openFixture("riscv");
  auto Again = openFixture("riscv");
  ASSERT_TRUE(Elf && Again);
  PlacementUnit Unit;
  Unit.Name = "fir_filter";
  Unit.Functions = {"fir_filter"};
  EXPECT_FALSE(measuredSize(Unit, *Elf, *Again).has_value());
  Unit.Functions = {"no_such_function"};
  EXPECT_FALSE(measuredSize(Unit, *Elf, *Again).has_value());
}

TEST(PlacementCheckTest, CallsOutOfTheRegionAreWarningsOrErrors) {
  auto Elf = openFixture("riscv");
  ASSERT_TRUE(Elf);
  auto Calls = CallScanner::create(*Elf);
  ASSERT_TRUE(bool(Calls));
  // Treat main's own code as the region: everything it calls is outside.
  const FunctionInfo &Main = onlyFunction(*Elf, "main");
  MemoryRegion Region{"FAST", Main.Address, Main.Size};
  CheckResult Lenient =
      checkPlacement(planOf({"main"}), *Elf, Region, Calls->get(), false);
  EXPECT_FALSE(Lenient.failed());
  EXPECT_EQ(1u, Lenient.InRam);
  // Not findings but calls, for check to summarise.
  EXPECT_TRUE(Lenient.Findings.empty());
  bool SawFilter = false;
  for (const FlashCall &Call : Lenient.FlashCalls)
    SawFilter |= Call.Caller == "main" && Call.Callee == "fir_filter";
  EXPECT_TRUE(SawFilter);
  std::string Summary = summarizeFlashCalls(Lenient.FlashCalls, "FAST");
  EXPECT_EQ(0u, Summary.find(std::to_string(Lenient.FlashCalls.size()) +
                             " call(s) from code in FAST to "))
      << Summary;
  EXPECT_NE(std::string::npos, Summary.find("fir_filter (1)")) << Summary;
  CheckResult Strict =
      checkPlacement(planOf({"main"}), *Elf, Region, Calls->get(), true);
  EXPECT_TRUE(Strict.failed());
  EXPECT_TRUE(Strict.FlashCalls.empty());
  bool SawFilterError = false;
  for (const Diagnostic &F : Strict.Findings)
    SawFilterError |= F.Level == Severity::Error &&
                      F.Message.find("main (in FAST) calls fir_filter") == 0;
  EXPECT_TRUE(SawFilterError);
}

TEST(PlacementCheckTest, MissingFunctionFails) {
  auto Elf = openFixture("riscv");
  ASSERT_TRUE(Elf);
  MemoryRegion Flash{"FLASH", 0x80000000, 1024 * 1024};
  CheckResult Result = checkPlacement(planOf({"fir_filter", "gone"}), *Elf,
                                      Flash, nullptr, false);
  EXPECT_TRUE(Result.failed());
  EXPECT_EQ(1u, Result.InRam);
  ASSERT_EQ(1u, Result.Findings.size());
  EXPECT_NE(std::string::npos,
            Result.Findings[0].Message.find("gone is missing from '"));
}

TEST(PlacementCheckTest, InlinedAwayIsAWarning) {
  auto Elf = openFixture("riscv");
  ASSERT_TRUE(Elf);
  MemoryRegion Flash{"FLASH", 0x80000000, 1024 * 1024};
  // fill_inputs is a static that GCC inlined into main and dropped.
  CheckResult Result =
      checkPlacement(planOf({"fill_inputs"}), *Elf, Flash, nullptr, false);
  EXPECT_FALSE(Result.failed());
  ASSERT_EQ(1u, Result.Findings.size());
  EXPECT_EQ("fill_inputs was inlined into its callers: no copy of it is left "
            "to place",
            Result.Findings[0].Message);
}

TEST(PlacementCheckTest, RegionOverflow) {
  auto Elf = openFixture("riscv");
  ASSERT_TRUE(Elf);
  // .text.start is 0x52 bytes at the start of flash; give it 16.
  MemoryRegion Tiny{"TINY", 0x80000000, 16};
  CheckResult Result = checkPlacement(Plan(), *Elf, Tiny, nullptr, false);
  EXPECT_TRUE(Result.failed());
  ASSERT_FALSE(Result.Findings.empty());
  EXPECT_NE(std::string::npos,
            Result.Findings[0].Message.find("bytes past the end of TINY"));
}

} // namespace
