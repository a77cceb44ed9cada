#include "firmware/SectionMatcher.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

// Each case was linked with GNU ld 2.40 (arm-none-eabi): main.o and libx.a
// holding m.o, ".ram : { PATTERN(.text.f) }"; "places" is where f went.
TEST(SectionMatcherTest, FilePatternsFollowLdsArchiveRules) {
  const char *Member = "build/libx.a(m.o)";
  const char *Object = "build/obj/m.o";
  // A plain pattern: an object by its path, a member by its member name,
  // never a member by its archive's path.
  EXPECT_TRUE(FilePattern("*m.o").matches(Member));
  EXPECT_TRUE(FilePattern("m.o").matches(Member));
  EXPECT_FALSE(FilePattern("*libx.a").matches(Member));
  EXPECT_TRUE(FilePattern("*/m.o").matches(Object));
  EXPECT_FALSE(FilePattern("m.o").matches(Object));
  // ARCHIVE:MEMBER, ARCHIVE: (every member), :FILE (outside archives).
  EXPECT_TRUE(FilePattern("*libx.a:m.o").matches(Member));
  EXPECT_FALSE(FilePattern("*libx.a:m.o").matches(Object));
  EXPECT_TRUE(FilePattern("*libx.a:").matches(Member));
  EXPECT_TRUE(FilePattern("*libx.a:*").matches(Member));
  EXPECT_FALSE(FilePattern("*liby.a:").matches(Member));
  EXPECT_FALSE(FilePattern(":m.o").matches(Member));
  EXPECT_TRUE(FilePattern(":*m.o").matches(Object));
  EXPECT_TRUE(FilePattern("*").matches(Member));
  EXPECT_TRUE(FilePattern("*").matches(Object));
}

TEST(SectionMatcherTest, NameGlobsCompileOnceAndSurviveCopies) {
  std::vector<NameGlob> Globs;
  for (int I = 0; I < 100; ++I)
    Globs.push_back(std::string(".text.dcd_*"));
  NameGlob Copy = Globs.front();
  Globs.clear();
  EXPECT_TRUE(Copy.matches(".text.dcd_edpt_xfer"));
  EXPECT_FALSE(Copy.matches(".text.tud_task"));
  EXPECT_EQ(Copy.text(), ".text.dcd_*");
  // Not a glob GlobPattern takes: it matches its own text only.
  NameGlob Broken("[.text");
  EXPECT_TRUE(Broken.matches("[.text"));
  EXPECT_FALSE(Broken.matches(".text"));
}

TEST(SectionMatcherTest, SplitsArchiveMembers) {
  EXPECT_EQ(splitArchiveMember("lib/libgcc.a(_udivdi3.o)"),
            std::make_pair(llvm::StringRef("lib/libgcc.a"),
                           llvm::StringRef("_udivdi3.o")));
  EXPECT_EQ(splitArchiveMember("build/vm.o").second, "");
  EXPECT_EQ(splitArchiveMember("(odd)").second, "");
}

} // namespace
