// What moving code to RAM costs in flash, on the fixture firmwares:
// expr_workload calls lookup_slot three times, with 'c.jal' on RISC-V and
// 'bl' on Arm.
#include "plan/FlashSide.h"
#include "FixtureElf.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

class FlashSideTest : public ::testing::TestWithParam<std::string> {};

/// The unit of one function, as the plan would move it.
PlacementUnit unitOf(const FunctionInfo &F) {
  PlacementUnit Unit;
  Unit.Name = F.Name;
  Unit.Size = F.Size;
  Unit.Code = {llvm::AddressRange(F.Address, F.end())};
  return Unit;
}

TEST_P(FlashSideTest, CallsIntoMovedCodeGrowInFlash) {
  auto Elf = openFixture(GetParam());
  ASSERT_TRUE(Elf);
  auto Calls = CallScanner::create(*Elf);
  ASSERT_TRUE(bool(Calls));
  const FunctionInfo &Lookup =
      onlyFunction(*Elf, "lookup_slot.part.0.constprop.0");
  std::vector<PlacementUnit> Units{unitOf(Lookup)};
  // Far from flash, its image 4 bytes longer than it was.
  FlashGrowth Far =
      flashGrowth(*Elf, **Calls, Units, {0}, Lookup.Size + 4, std::nullopt);
  EXPECT_EQ(Lookup.Size, Far.MovedBytes);
  if (GetParam() == "riscv") {
    // Each 'c.jal' becomes 'auipc'+'jalr': 6 bytes more.
    EXPECT_EQ(3u, Far.LongerCalls);
    EXPECT_EQ(18u, Far.CallBytes);
    EXPECT_EQ(0u, Far.Veneers);
    EXPECT_EQ(22, Far.total());
  } else {
    // One veneer in flash, shared by the three calls.
    EXPECT_EQ(0u, Far.LongerCalls);
    EXPECT_EQ(1u, Far.Veneers);
    EXPECT_EQ(8u, Far.VeneerBytes);
    EXPECT_EQ(12, Far.total());
  }
  EXPECT_NE(std::string::npos, Far.describe().find("flash grows by"));
  // RAM right after flash: a 'bl' reaches, a 'c.jal' becomes a 'jal'.
  llvm::AddressRange Near(Lookup.Address + 0x10000, Lookup.Address + 0x20000);
  FlashGrowth Close = flashGrowth(*Elf, **Calls, Units, {0}, Lookup.Size, Near);
  EXPECT_EQ(0u, Close.Veneers);
  EXPECT_EQ(GetParam() == "riscv" ? 6 : 0, Close.total());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FlashSideTest,
                         ::testing::Values("riscv", "arm"));

} // namespace
