//===- StackCountsTest.cpp - Distinct stacks counted once -----------------===//
//
// Stacks are kept once with their count, whatever their depth and however
// many there are, and read back as they were given.
//
//===----------------------------------------------------------------------===//
#include "samples/StackCounts.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

Frame at(uint64_t Address, llvm::StringRef Function = "") {
  Frame F;
  F.Address = Address;
  F.Function = Function;
  return F;
}

Frame named(llvm::StringRef Function, llvm::StringRef SourceFile) {
  Frame F;
  F.Function = Function;
  F.SourceFile = SourceFile;
  return F;
}

TEST(StackCountsTest, EqualStacksAreCountedOnce) {
  StackCounts Stacks;
  Stack Call = {at(0x100, "f"), at(0x204, "main")};
  Stacks.add(Call);
  Stacks.add(Call, 2);
  Stacks.add({at(0x100, "f")});
  EXPECT_EQ(2u, Stacks.size());
  EXPECT_EQ(3u, Stacks.countOf(Call));
  EXPECT_EQ(1u, Stacks.countOf({at(0x100, "f")}));
  EXPECT_EQ(0u, Stacks.countOf({at(0x204, "main"), at(0x100, "f")}));
}

TEST(StackCountsTest, FramesDifferByAddressNameAndFile) {
  StackCounts Stacks;
  Stacks.add({named("scramble", "vm.c")});
  Stacks.add({named("scramble", "gc.c")});
  Stacks.add({at(0, "scramble")});
  Stacks.add({named("scramble", "vm.c")});
  EXPECT_EQ(3u, Stacks.size());
  EXPECT_EQ(2u, Stacks.countOf({named("scramble", "vm.c")}));
  EXPECT_EQ(1u, Stacks.countOf({at(0, "scramble")}));
}

TEST(StackCountsTest, ManyAndDeepStacksReadBackAsGiven) {
  // More stacks than the first tables hold and deeper than a block of
  // frames: every one comes back, in the order first counted.
  StackCounts Stacks;
  std::vector<Stack> Given;
  for (uint64_t I = 0; I < 20000; ++I) {
    Stack Frames;
    size_t Depth = I % 997 == 0 ? 5000 : 1 + I % 7;
    for (size_t D = 0; D < Depth; ++D)
      Frames.push_back(at(I * 16 + D));
    Stacks.add(Frames, I + 1);
    Given.push_back(std::move(Frames));
  }
  ASSERT_EQ(Given.size(), Stacks.size());
  size_t Index = 0;
  for (const auto &[Frames, Count] : Stacks) {
    EXPECT_EQ(llvm::ArrayRef<Frame>(Given[Index]), Frames);
    EXPECT_EQ(Index + 1, Count);
    ++Index;
  }
  for (size_t I = 0; I < Given.size(); I += 101)
    EXPECT_EQ(I + 1, Stacks.countOf(Given[I]));
}

TEST(StackCountsTest, AddAllSumsAndEqualityIgnoresOrder) {
  StackCounts First = {{{at(1)}, 2}, {{at(2), at(3)}, 1}};
  StackCounts Second = {{{at(2), at(3)}, 4}, {{at(5)}, 1}};
  First.addAll(Second);
  StackCounts Expected = {{{at(5)}, 1}, {{at(1)}, 2}, {{at(2), at(3)}, 5}};
  EXPECT_EQ(Expected, First);
  EXPECT_FALSE(Expected == Second);
  StackCounts OneOff = {{{at(5)}, 1}, {{at(1)}, 2}, {{at(2), at(3)}, 4}};
  EXPECT_FALSE(Expected == OneOff);
}

TEST(StackCountsTest, AddAllTakesFramesOverAndGoesOnCounting) {
  // Merged ranges: the second table's frames are taken over where they are,
  // and stacks counted afterwards land beside them.
  StackCounts First, Second;
  for (uint64_t I = 0; I < 3000; ++I)
    First.add({at(I), at(0x9000)}, 1);
  for (uint64_t I = 2000; I < 6000; ++I)
    Second.add({at(I), at(0x9000)}, 2);
  First.addAll(std::move(Second));
  EXPECT_TRUE(Second.empty());
  for (uint64_t I = 6000; I < 9000; ++I)
    First.add({at(I), at(0x9000)}, 4);
  ASSERT_EQ(9000u, First.size());
  for (uint64_t I = 0; I < 9000; ++I)
    EXPECT_EQ(I < 2000 ? 1u : I < 3000 ? 3u : I < 6000 ? 2u : 4u,
              First.countOf({at(I), at(0x9000)}))
        << I;
  StackCounts Empty;
  Empty.addAll(std::move(First));
  EXPECT_EQ(9000u, Empty.size());
  EXPECT_EQ(3u, Empty.countOf({at(2500), at(0x9000)}));
}

} // namespace
