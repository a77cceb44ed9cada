#include "firmware/Calls.h"
#include "FixtureElf.h"

#include "gtest/gtest.h"
#include <set>

using namespace ramfit;

namespace {

class CallsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CallsTest, MainCallsTheWorkload) {
  auto Elf = openFixture(GetParam());
  ASSERT_TRUE(Elf);
  llvm::Expected<std::unique_ptr<CallScanner>> Scanner =
      CallScanner::create(*Elf);
  ASSERT_TRUE(bool(Scanner)) << llvm::toString(Scanner.takeError());
  const FunctionInfo &Main = onlyFunction(*Elf, "main");
  std::vector<CallSite> Calls = (*Scanner)->callsIn(Main.Address, Main.Size);
  auto callsFunction = [&](llvm::StringRef Callee) {
    uint64_t Target = onlyFunction(*Elf, Callee).Address;
    for (const CallSite &Site : Calls)
      if (Site.Target == Target)
        return true;
    return false;
  };
  EXPECT_TRUE(callsFunction("fir_filter"));
  EXPECT_TRUE(callsFunction("mp_execute_bytecode"));
  EXPECT_TRUE(callsFunction("gc_collect"));
  for (const CallSite &Site : Calls) {
    EXPECT_GE(Site.Address, Main.Address);
    EXPECT_LT(Site.Address, Main.end());
  }
}

TEST_P(CallsTest, GrowthCountsCallsOutOfTheCode) {
  auto Elf = openFixture(GetParam());
  ASSERT_TRUE(Elf);
  auto Scanner = CallScanner::create(*Elf);
  ASSERT_TRUE(bool(Scanner));
  // fir_filter has mix_step inlined and calls nothing.
  const FunctionInfo &Filter = onlyFunction(*Elf, "fir_filter");
  EXPECT_TRUE((*Scanner)->callsIn(Filter.Address, Filter.Size).empty());
  EXPECT_EQ(0u, (*Scanner)->farCallGrowth(Filter.Address, Filter.end()));
  const FunctionInfo &Main = onlyFunction(*Elf, "main");
  std::vector<CallSite> Calls = (*Scanner)->callsIn(Main.Address, Main.Size);
  uint64_t Growth = (*Scanner)->farCallGrowth(Main.Address, Main.end());
  if (GetParam() == "riscv") {
    // Each relaxed jal (4 bytes) or c.jal (2) becomes auipc + jalr (8).
    uint64_t Expected = 0;
    for (const CallSite &Site : Calls)
      if (Site.Target)
        Expected += 8 - Site.Length;
    EXPECT_EQ(Expected, Growth);
  } else {
    // One 8-byte veneer per distinct target.
    std::set<uint64_t> Targets;
    for (const CallSite &Site : Calls)
      if (Site.Target)
        Targets.insert(*Site.Target);
    EXPECT_EQ(8 * Targets.size(), Growth);
  }
  EXPECT_GT(Growth, 0u);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CallsTest,
                         ::testing::Values("riscv", "arm"));

} // namespace
