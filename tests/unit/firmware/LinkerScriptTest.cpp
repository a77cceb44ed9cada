#include "firmware/LinkerScript.h"

#include "ScratchDirectory.h"
#include "llvm/Support/FileSystem.h"
#include "gtest/gtest.h"

using namespace ramfit;
using llvm::Expected;

namespace {

/// The script front end every reader shares (MEMORY for plan, check and
/// run; SECTIONS for audit, ldscript's shadowing check and check).
class LinkerScriptTest : public ScratchDirectoryTest {
protected:
  /// findInclude run from the scratch directory, as ld runs in a build
  /// directory.
  Expected<std::string> find(llvm::StringRef Includer, llvm::StringRef Name,
                             std::vector<std::string> SearchDirs = {}) {
    llvm::SmallString<128> Before;
    llvm::sys::fs::current_path(Before);
    llvm::sys::fs::set_current_path(Dir);
    Expected<std::string> Found = findInclude(Includer, 7, Name, SearchDirs);
    llvm::sys::fs::set_current_path(Before);
    return Found;
  }
};

// ld's order: the working directory, then each -L directory, then (for a
// script read away from its build) beside the including script; quotes are
// ld's, not the file's.
TEST_F(LinkerScriptTest, FindsIncludesWhereLdDoes) {
  std::string Board = write("boards/x/board.ld", "");
  write("mcu/virt.ld", "/* from the working directory */");
  write("lib/flash.ld", "");
  write("lib/mcu/virt.ld", "/* shadowed by the working directory's */");
  write("boards/x/beside.ld", "");
  std::vector<std::string> L{(Dir + "/lib").str()};

  for (llvm::StringRef Name : {"mcu/virt.ld", "\"mcu/virt.ld\""}) {
    Expected<std::string> Found = find(Board, Name, L);
    ASSERT_TRUE(bool(Found)) << toString(Found.takeError());
    EXPECT_EQ(*Found, "./mcu/virt.ld") << Name.str();
  }
  Expected<std::string> FromL = find(Board, "\"flash.ld\"", L);
  ASSERT_TRUE(bool(FromL)) << toString(FromL.takeError());
  EXPECT_EQ(*FromL, (Dir + "/lib/flash.ld").str());
  Expected<std::string> Beside = find(Board, "beside.ld", L);
  ASSERT_TRUE(bool(Beside)) << toString(Beside.takeError());
  EXPECT_EQ(*Beside, (Dir + "/boards/x/beside.ld").str());
  Expected<std::string> Absolute = find(Board, (Dir + "/lib/flash.ld").str());
  ASSERT_TRUE(bool(Absolute)) << toString(Absolute.takeError());

  Expected<std::string> Missing = find(Board, "\"nowhere.ld\"", L);
  ASSERT_FALSE(bool(Missing));
  EXPECT_EQ(toString(Missing.takeError()),
            "'" + Board +
                "':7: INCLUDE 'nowhere.ld' is found neither in the working "
                "directory, nor in a -L directory, nor beside the script");
}

TEST_F(LinkerScriptTest, TokensSkipCommentsAndCountLines) {
  std::vector<Token> Tokens =
      tokenize("MEMORY /* a\ncomment */ {\n RAM : ORIGIN = 0x10<<4\n}\n"
               "INCLUDE \"mcu/virt.ld\"\nINCLUDE dir/x.ld;\n");
  std::vector<std::string> Texts;
  for (const Token &T : Tokens)
    Texts.push_back(T.Text + "@" + std::to_string(T.Line));
  EXPECT_EQ(Texts, (std::vector<std::string>{
                       "MEMORY@1", "{@2", "RAM@3", ":@3", "ORIGIN@3", "=@3",
                       "0x10@3", "<<@3", "4@3", "}@4", "INCLUDE@5",
                       "mcu/virt.ld@5", "INCLUDE@6", "dir/x.ld@6", ";@6"}));
}

TEST_F(LinkerScriptTest, CursorReadsWordsAndBalancedGroups) {
  ScriptCursor C("s.ld", "KEEP ( *(.init) ) /* x */\n .text : { a; b }");
  EXPECT_EQ(C.word(), "KEEP");
  EXPECT_TRUE(C.consume('('));
  EXPECT_EQ(C.skipBalanced('(', ')'), " *(.init) ");
  EXPECT_EQ(C.word("(){};:"), ".text");
  EXPECT_EQ(C.Line, 2u);
  EXPECT_TRUE(C.consume(':'));
  EXPECT_TRUE(C.consume('{'));
  C.skipStatement();
  EXPECT_EQ(C.word(), "b");
  EXPECT_TRUE(C.consume('}'));
  EXPECT_TRUE(C.atEnd());
  EXPECT_EQ(toString(C.error("what")), "'s.ld':2: what");
}

} // namespace
