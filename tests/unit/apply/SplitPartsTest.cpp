// GCC's split-off parts, and which planned functions an annotation would
// grow by them.
#include "apply/SplitParts.h"
#include "DiagnosticLog.h"
#include "FixtureElf.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

PlannedUnit unit(const std::string &Name, uint64_t Size) {
  PlannedUnit U;
  U.Name = Name;
  U.Size = Size;
  return U;
}

TEST(SplitPartsTest, TheRiscvFixturesColdPartIsFoundUnderItsFunction) {
  DiagnosticLog Log;
  llvm::Expected<SplitOffParts> Parts =
      readSplitOffParts(fixtureElf("riscv"), Log);
  ASSERT_TRUE(bool(Parts)) << llvm::toString(Parts.takeError());
  ASSERT_EQ(1u, Parts->count("gc_collect"));
  const std::vector<SplitOffPart> &Found = Parts->at("gc_collect");
  ASSERT_EQ(1u, Found.size());
  EXPECT_EQ("gc_collect.cold", Found.front().Name);
  EXPECT_GT(Found.front().Size, 0u);
  // Functions that were not split have no entry.
  EXPECT_EQ(0u, Parts->count("fir_filter"));
}

TEST(SplitPartsTest, AFunctionWhosePartIsNotPlannedWouldGrowByIt) {
  Plan P;
  P.Units = {unit("gc_free", 32)};
  SplitOffParts Parts{{"gc_free", {{"gc_free.part.0", 224}}}};
  std::optional<std::string> Why = foldsBackParts(P.Units[0], P, Parts);
  ASSERT_TRUE(Why.has_value());
  EXPECT_NE(std::string::npos, Why->find("gc_free.part.0 (224 bytes)"));
  EXPECT_NE(std::string::npos,
            Why->find("about 256 bytes where the plan counted 32"));
}

TEST(SplitPartsTest, AFunctionPlannedWithItsPartsIsAnnotatedWhole) {
  Plan P;
  P.Units = {unit("gc_free", 32), unit("gc_free.part.0", 224)};
  SplitOffParts Parts{{"gc_free", {{"gc_free.part.0", 224}}}};
  EXPECT_FALSE(foldsBackParts(P.Units[0], P, Parts).has_value());
  EXPECT_FALSE(splitOffAlone(P.Units[1], P).has_value());
}

TEST(SplitPartsTest, APartPlannedWithoutItsFunctionIsTheFragments) {
  Plan P;
  P.Units = {unit("gc_free.part.0", 224)};
  EXPECT_TRUE(splitOffAlone(P.Units[0], P).has_value());
  // A part is never itself grown by the parts of its function.
  SplitOffParts Parts{{"gc_free", {{"gc_free.part.0", 224}}}};
  EXPECT_FALSE(foldsBackParts(P.Units[0], P, Parts).has_value());
}

} // namespace
