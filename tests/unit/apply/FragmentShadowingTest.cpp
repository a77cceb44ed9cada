#include "apply/FragmentShadowing.h"

#include "ScratchDirectory.h"
#include "gtest/gtest.h"

using namespace ramfit;

namespace {

class FragmentShadowingTest : public ScratchDirectoryTest {
protected:
  /// ".text.hot" and ".text.cold" of obj/a.o, the fragment naming the hot
  /// one.
  llvm::Error check(llvm::StringRef Script, bool MemoryOnlyPasses = false) {
    LinkerMap Map;
    Map.Sections = {{".text.hot", "obj/a.o", 0x100, 16, 0},
                    {".text.cold", "obj/a.o", 0x110, 16, 0}};
    return checkFragmentTakesItsSections({write("link.ld", Script),
                                          {},
                                          "ramtext.ld",
                                          "*(.text.hot)\n",
                                          MemoryOnlyPasses},
                                         Map);
  }
};

// The fragment INCLUDEd before the catch-all takes what it names.
TEST_F(FragmentShadowingTest, AFragmentBeforeTheCatchAllPasses) {
  llvm::Error Err = check("SECTIONS {\n  .data : { INCLUDE ramtext.ld }\n"
                          "  .text : { *(.text .text.*) }\n}\n");
  EXPECT_FALSE(bool(Err)) << llvm::toString(std::move(Err));
}

// After it, the catch-all takes the section first: the error names the
// section, the rule and its line.
TEST_F(FragmentShadowingTest, ACatchAllBeforeTheFragmentShadowsIt) {
  llvm::Error Err = check("SECTIONS {\n  .text : { *(.text .text.*) }\n"
                          "  .data : { INCLUDE ramtext.ld }\n}\n");
  std::string Message = llvm::toString(std::move(Err));
  EXPECT_NE(std::string::npos,
            Message.find("1 input section(s) the fragment names would not "
                         "move"))
      << Message;
  EXPECT_NE(std::string::npos,
            Message.find(".text.hot of obj/a.o is taken first by "
                         "'*(.text .text.*)' in .text at "))
      << Message;
  EXPECT_NE(std::string::npos, Message.find("link.ld:2")) << Message;
  EXPECT_EQ(std::string::npos, Message.find(".text.cold")) << Message;
}

// A narrower rule before it that leaves the section alone is no shadow.
TEST_F(FragmentShadowingTest, ARuleForOtherSectionsIsNoShadow) {
  llvm::Error Err = check("SECTIONS {\n  .text : { *(.text.cold) }\n"
                          "  .data : { INCLUDE ramtext.ld }\n}\n");
  EXPECT_FALSE(bool(Err)) << llvm::toString(std::move(Err));
}

// A rule that takes the section first to where the fragment runs moves it
// all the same: the Fomu's '*(.itcm.*)' in .data before the INCLUDE, or an
// earlier output section in the same region.
TEST_F(FragmentShadowingTest, AnEarlierRuleThatRunsInTheSameRegionIsNoShadow) {
  llvm::Error Same = check("SECTIONS {\n  .data : { *(.text.hot)\n"
                           "    INCLUDE ramtext.ld } > RAM\n"
                           "  .text : { *(.text .text.*) } > FLASH\n}\n");
  EXPECT_FALSE(bool(Same)) << llvm::toString(std::move(Same));
  llvm::Error Region = check("SECTIONS {\n  .itcm : { *(.text.hot) } > RAM\n"
                             "  .data : { INCLUDE ramtext.ld } > RAM\n}\n");
  EXPECT_FALSE(bool(Region)) << llvm::toString(std::move(Region));
  llvm::Error Elsewhere =
      check("SECTIONS {\n  .text : { *(.text.hot) } > FLASH\n"
            "  .data : { INCLUDE ramtext.ld } > RAM\n}\n");
  EXPECT_TRUE(bool(Elsewhere));
  llvm::consumeError(std::move(Elsewhere));
}

// A script that never INCLUDEs the fragment would link it nowhere; a file
// with MEMORY alone passes only where it may stand for the script.
TEST_F(FragmentShadowingTest, AScriptWithoutTheIncludeIsAnError) {
  llvm::Error Err = check("SECTIONS {\n  .text : { *(.text .text.*) }\n}\n");
  EXPECT_NE(std::string::npos,
            llvm::toString(std::move(Err))
                .find("the script does not INCLUDE 'ramtext.ld'"));
  const char *MemoryOnly =
      "MEMORY { RAM : ORIGIN = 0x10000000, LENGTH = 128K }\n";
  llvm::Error Strict = check(MemoryOnly);
  EXPECT_NE(std::string::npos,
            llvm::toString(std::move(Strict)).find("does not INCLUDE"));
  llvm::Error Passes = check(MemoryOnly, /*MemoryOnlyPasses=*/true);
  EXPECT_FALSE(bool(Passes)) << llvm::toString(std::move(Passes));
}

} // namespace
