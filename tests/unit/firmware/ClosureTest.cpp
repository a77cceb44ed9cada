#include "firmware/Closure.h"
#include "FixtureElf.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

struct Scanned {
  std::unique_ptr<Binary> Elf;
  std::unique_ptr<CallScanner> Calls;
};

Scanned scan(const std::string &Board) {
  Scanned S;
  S.Elf = openFixture(Board);
  if (!S.Elf)
    return S;
  auto Calls = CallScanner::create(*S.Elf);
  if (!Calls) {
    ADD_FAILURE() << llvm::toString(Calls.takeError());
    return S;
  }
  S.Calls = std::move(*Calls);
  return S;
}

size_t memberNamed(const RamClosure &Closure, llvm::StringRef Name) {
  for (size_t I = 0; I < Closure.Members.size(); ++I)
    if (Closure.Members[I].Code.Name == Name)
      return I;
  return ClosureMember::NotCalled;
}

// From the trap vector: the direct chain, each member with its path; the
// call through a pointer is listed, its target left out.
TEST(ClosureTest, DirectCallsAreFollowedIndirectOnesListed) {
  Scanned S = scan("interrupts-riscv");
  ASSERT_TRUE(S.Calls);
  llvm::Expected<RamClosure> Closure =
      findRamClosure(*S.Elf, *S.Calls, nullptr, {});
  ASSERT_TRUE(bool(Closure)) << llvm::toString(Closure.takeError());
  size_t Leaf = memberNamed(*Closure, "irq_leaf");
  ASSERT_NE(ClosureMember::NotCalled, Leaf);
  EXPECT_EQ("trap_entry -> isr -> irq_dispatch -> irq_middle -> irq_leaf",
            Closure->pathTo(Leaf));
  EXPECT_EQ(ClosureMember::NotCalled, memberNamed(*Closure, "on_event"));
  EXPECT_EQ(ClosureMember::NotCalled, memberNamed(*Closure, "work"));
  ASSERT_EQ(1u, Closure->IndirectCalls.size());
  EXPECT_EQ("irq_middle", Closure->IndirectCalls[0].Function);
  EXPECT_FALSE(Closure->IndirectCalls[0].TargetsNamed);
}

// Named targets join; a section root brings what its code calls; a
// vector named not a root takes its chain out.
TEST(ClosureTest, OptionsShapeTheRoots) {
  Scanned S = scan("interrupts-arm");
  ASSERT_TRUE(S.Calls);
  RamRootOptions Options;
  Options.KeepSections = {".ramtext"};
  Options.Indirect = {"irq_middle=on_*"};
  Options.NotARoot = {"Default_Handler"};
  llvm::Expected<RamClosure> Closure =
      findRamClosure(*S.Elf, *S.Calls, nullptr, Options);
  ASSERT_TRUE(bool(Closure)) << llvm::toString(Closure.takeError());
  size_t OnEvent = memberNamed(*Closure, "on_event");
  ASSERT_NE(ClosureMember::NotCalled, OnEvent);
  EXPECT_EQ("SysTick_Handler -> irq_dispatch -> irq_middle -> on_event",
            Closure->pathTo(OnEvent));
  size_t Wait = memberNamed(*Closure, "flash_wait_ready");
  ASSERT_NE(ClosureMember::NotCalled, Wait);
  EXPECT_EQ("flash_write -> flash_wait_ready", Closure->pathTo(Wait));
  EXPECT_EQ("code for a busy flash, in .ramtext",
            Closure->Members[Closure->rootOf(Wait)].RootWhy);
  EXPECT_EQ(ClosureMember::NotCalled, memberNamed(*Closure, "Default_Handler"));
  EXPECT_TRUE(Closure->IndirectCalls[0].TargetsNamed);
}

// Patterns that match nothing are errors naming them, unless the caller
// passes over them (check, with the names a plan recorded).
TEST(ClosureTest, PatternsThatMatchNothing) {
  Scanned S = scan("interrupts-arm");
  ASSERT_TRUE(S.Calls);
  RamRootOptions Options;
  Options.KeepReachable = {"usb_*"};
  Options.NotARoot = {"PendSV_Handler"};
  llvm::Expected<RamClosure> Closure =
      findRamClosure(*S.Elf, *S.Calls, nullptr, Options);
  ASSERT_FALSE(bool(Closure));
  std::string Message = llvm::toString(Closure.takeError());
  EXPECT_NE(std::string::npos,
            Message.find("--not-a-root 'PendSV_Handler' matches no interrupt"));
  EXPECT_NE(std::string::npos,
            Message.find("--keep-reachable 'usb_*' matches no function"));
  Options.PatternsMustMatch = false;
  EXPECT_TRUE(bool(findRamClosure(*S.Elf, *S.Calls, nullptr, Options)));
}

TEST(ClosureTest, IndirectTargetsAreChecked) {
  EXPECT_TRUE(bool(parseIndirectTargets("dcd_event_handler=tud_*_cb,x")));
  for (const char *Bad : {"dcd_event_handler", "=f", "f=", "f=a,,b", "f=[a"}) {
    llvm::Expected<std::string> Parsed = parseIndirectTargets(Bad);
    EXPECT_FALSE(bool(Parsed)) << Bad;
    if (!Parsed)
      llvm::consumeError(Parsed.takeError());
  }
  EXPECT_EQ("operator\\[\\]", exactPattern("operator[]"));
}

} // namespace
