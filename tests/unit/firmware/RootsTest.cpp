#include "firmware/Roots.h"
#include "FixtureElf.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

// The Cortex-M interrupts fixture is linked without ENTRY(): the ELF's
// entry point is the start of .text, but the core starts at the reset
// handler that word 1 of the vector table names.
TEST(RootsTest, CortexMResetComesFromTheVectorTable) {
  auto Elf = openFixture("interrupts-arm");
  ASSERT_TRUE(Elf);
  std::optional<ResetEntry> Reset = findResetEntry(*Elf);
  ASSERT_TRUE(Reset.has_value());
  EXPECT_EQ(onlyFunction(*Elf, "Reset_Handler").Address, Reset->Address);
  EXPECT_NE(Elf->entry(), Reset->Address);
  EXPECT_EQ("word 1 of the vector table at 0x0, .isr_vector", Reset->Source);
}

// Every handler the table names, once each: Default_Handler fills several
// slots, SysTick_Handler is slot 15; reserved (zero) slots are skipped.
TEST(RootsTest, CortexMHandlersAreTheTablesWords) {
  auto Elf = openFixture("interrupts-arm");
  ASSERT_TRUE(Elf);
  auto Calls = CallScanner::create(*Elf);
  ASSERT_TRUE(bool(Calls)) << llvm::toString(Calls.takeError());
  std::vector<InterruptEntry> Entries = findInterruptEntries(*Elf, **Calls);
  ASSERT_EQ(2u, Entries.size());
  EXPECT_EQ(onlyFunction(*Elf, "Default_Handler").Address, Entries[0].Address);
  EXPECT_EQ("vector 2, NMI, of the table at 0x0", Entries[0].Source);
  EXPECT_EQ(onlyFunction(*Elf, "SysTick_Handler").Address, Entries[1].Address);
  EXPECT_EQ("vector 15, SysTick, of the table at 0x0", Entries[1].Source);
}

// RISC-V: the trap vector is what _start writes to mtvec ('la' then
// 'csrw'), trap_entry, which has no function type; the reset entry is
// _start.
TEST(RootsTest, RiscvTrapVectorIsWhatMtvecIsSetTo) {
  auto Elf = openFixture("interrupts-riscv");
  ASSERT_TRUE(Elf);
  auto Calls = CallScanner::create(*Elf);
  ASSERT_TRUE(bool(Calls)) << llvm::toString(Calls.takeError());
  llvm::ArrayRef<uint64_t> TrapEntry = Elf->symbolAddresses("trap_entry");
  ASSERT_EQ(1u, TrapEntry.size());
  EXPECT_EQ(nullptr, Elf->functionAt(TrapEntry.front()));
  std::vector<InterruptEntry> Entries = findInterruptEntries(*Elf, **Calls);
  ASSERT_EQ(1u, Entries.size());
  EXPECT_EQ(TrapEntry.front(), Entries[0].Address);
  EXPECT_EQ(0u, Entries[0].Source.find("the trap vector, mtvec as set at 0x"));

  std::optional<ResetEntry> Reset = findResetEntry(*Elf);
  ASSERT_TRUE(Reset.has_value());
  EXPECT_EQ(Elf->symbolAddresses("_start").front(), Reset->Address);
  EXPECT_EQ("_start", Reset->Source);
}

// The firmware fixture sets no trap vector and has a table with a reset
// handler alone: no interrupt entries.
TEST(RootsTest, NoVectorsNoEntries) {
  for (const char *Board : {"riscv", "arm"}) {
    auto Elf = openFixture(Board);
    ASSERT_TRUE(Elf);
    auto Calls = CallScanner::create(*Elf);
    ASSERT_TRUE(bool(Calls)) << llvm::toString(Calls.takeError());
    EXPECT_TRUE(findInterruptEntries(*Elf, **Calls).empty()) << Board;
  }
}

} // namespace
