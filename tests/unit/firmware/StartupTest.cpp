#include "firmware/Startup.h"
#include "FixtureElf.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

// The RISC-V fixture's _start (assembly, no function type) copies .data in
// a loop of its own and then calls main: nothing it calls runs before the
// copy is done, main least of all.
TEST(StartupTest, CodeAfterTheCopyLoopMayMove) {
  auto Elf = openFixture("riscv");
  ASSERT_TRUE(Elf);
  auto Calls = CallScanner::create(*Elf);
  ASSERT_TRUE(bool(Calls)) << llvm::toString(Calls.takeError());
  EXPECT_TRUE(functionsBeforeTheCopy(*Elf, **Calls).Functions.empty());

  // The copy loop ends before the call to main.
  uint64_t Main = onlyFunction(*Elf, "main").Address;
  uint64_t Start = Elf->entry();
  // _start is all of its output section, .text.start.
  uint64_t Size = 0;
  for (const SectionRange &Section : Elf->sections())
    if (Section.Address == Start)
      Size = Section.Size;
  ASSERT_NE(0u, Size);
  std::optional<uint64_t> LoopEnd = (*Calls)->firstLoopEnd(Start, Size);
  ASSERT_TRUE(LoopEnd.has_value());
  bool CallsMain = false;
  for (const CallSite &Site : (*Calls)->callsIn(Start, Size)) {
    if (Site.Target == Main) {
      CallsMain = true;
      EXPECT_GT(Site.Address, *LoopEnd);
    }
  }
  EXPECT_TRUE(CallsMain);
}

} // namespace
