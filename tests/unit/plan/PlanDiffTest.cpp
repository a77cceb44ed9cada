#include "plan/PlanDiff.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

PlannedUnit unit(const char *Name, const char *File, uint64_t Size,
                 double Self) {
  PlannedUnit U;
  U.Name = Name;
  U.File = File;
  U.Size = Size;
  U.Self = Self;
  return U;
}

// Two statics of one name in two files are two units; a unit is added,
// freed or kept by its name and file.
TEST(PlanDiffTest, UnitsByNameAndFile) {
  Plan Old, New;
  Old.Units = {unit("step", "a.c", 40, 10), unit("step", "b.c", 30, 5),
               unit("gc", "gc.c", 20, 1)};
  New.Units = {unit("step", "a.c", 44, 12), unit("hot", "vm.c", 100, 30),
               unit("step", "c.c", 8, 2)};
  PlanDiff Diff = diffPlans(Old, "old.yaml", New, "new.yaml");
  ASSERT_EQ(Diff.Added.size(), 2u);
  EXPECT_EQ(Diff.Added[0].Name, "hot");
  EXPECT_EQ(Diff.Added[1].File, "c.c");
  ASSERT_EQ(Diff.Freed.size(), 2u);
  EXPECT_EQ(Diff.Freed[0].File, "b.c");
  EXPECT_EQ(Diff.Freed[1].Name, "gc");
  ASSERT_EQ(Diff.Kept.size(), 1u);
  EXPECT_EQ(Diff.Kept[0].OldSize, 40u);
  EXPECT_EQ(Diff.Kept[0].NewSize, 44u);

  std::string Text = planDiffToText(Diff);
  EXPECT_NE(Text.find("Added: 2 unit(s), 108 bytes, 32 samples\n"),
            std::string::npos)
      << Text;
  EXPECT_NE(Text.find("Freed: 2 unit(s), 50 bytes, 6 samples\n"),
            std::string::npos);
  EXPECT_NE(Text.find("Kept: 1 unit(s), 40 bytes before, 44 now\n"),
            std::string::npos);
  EXPECT_EQ(Text.find("different builds"), std::string::npos);
  New.ElfSha256 = "another";
  EXPECT_NE(
      planDiffToText(diffPlans(Old, "o", New, "n")).find("different builds"),
      std::string::npos);
}

} // namespace
