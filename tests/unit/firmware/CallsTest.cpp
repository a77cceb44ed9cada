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

// A jump to code outside the function is a call that 'check' must see:
// GCC's jump from gc_collect to its cold part on RISC-V, libgcc's 'b.w'
// from __aeabi_uldivmod to __aeabi_idiv0 on Arm.
TEST_P(CallsTest, JumpsOutOfTheCodeAreCalls) {
  auto Elf = openFixture(GetParam());
  ASSERT_TRUE(Elf);
  auto Scanner = CallScanner::create(*Elf);
  ASSERT_TRUE(bool(Scanner));
  bool Riscv = GetParam() == "riscv";
  const FunctionInfo &From =
      onlyFunction(*Elf, Riscv ? "gc_collect" : "__aeabi_uldivmod");
  uint64_t To =
      onlyFunction(*Elf, Riscv ? "gc_collect.cold" : "__aeabi_idiv0").Address;
  std::vector<CallSite> Calls = (*Scanner)->callsIn(From.Address, From.Size);
  EXPECT_TRUE(llvm::any_of(Calls, [&](const CallSite &Site) {
    return Site.Target == To && Site.Length == 4;
  }));
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

// RISC-V has no veneers; the Cortex-M4 fixture (Thumb-2, from its build
// attributes) gets GNU ld's 8-byte 'ldr.w pc' stub and a 16 MiB 'bl'.
TEST_P(CallsTest, VeneersAndReachFollowTheArchitecture) {
  auto Elf = openFixture(GetParam());
  ASSERT_TRUE(Elf);
  auto Scanner = CallScanner::create(*Elf);
  ASSERT_TRUE(bool(Scanner));
  bool Riscv = GetParam() == "riscv";
  EXPECT_EQ(Riscv ? 0u : 8u, (*Scanner)->veneerBytes());
  EXPECT_EQ(Riscv ? 1u << 20 : 16u << 20, (*Scanner)->callReach());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CallsTest,
                         ::testing::Values("riscv", "arm"));

} // namespace
