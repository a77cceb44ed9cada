#include "firmware/ScriptSections.h"

#include "ScratchDirectory.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace ramfit;

namespace {

/// Scripts written to a fresh directory, removed afterwards.
class ScriptSectionsTest : public ScratchDirectoryTest {};

std::vector<std::string> texts(const std::vector<NameGlob> &Globs) {
  std::vector<std::string> Texts;
  for (const NameGlob &Glob : Globs)
    Texts.push_back(Glob.text());
  return Texts;
}

// Shaped like CircuitPython's fomu-spi.ld: RAM code inside .data, a hand
// list with globs, comments everywhere, and an INCLUDEd fragment.
const char *FomuLike =
    R"(MEMORY { RAM (xrw) : ORIGIN = 0x10000000, LENGTH = 128K }
_estack = ORIGIN(RAM) + LENGTH(RAM);
SECTIONS
{
    .data :  AT ( _sidata )
    {
        . = ALIGN(4);
        _sdata = .;        /* data start */
        *(.itcm.*)         /* Instruction Tightly Coupled Memory */
        *(.text.dcd_*)
        INCLUDE fragment.ld
        PROVIDE(__global_pointer$ = . + 0x800);
        *(.data .data.*)
    } >RAM
    .text :
    {
        KEEP(*(.text.start)) /* isr vector table */
        *(.text)
        *(.text*)
    } >FLASH
    .ramtext : { *(.ramtext*) } > RAM AT > FLASH
}
)";

TEST_F(ScriptSectionsTest, ReadsOutputSectionsRegionsAndPatternsInOrder) {
  write("fragment.ld",
        "/* generated */\n*libgcc.a:div.o(.text) /* __modsi3 */\n"
        "*/vm.o(.text.scramble)\n");
  std::string Script = write("board.ld", FomuLike);
  llvm::Expected<std::vector<OutputSection>> Sections =
      readOutputSections(Script);
  ASSERT_TRUE(bool(Sections)) << llvm::toString(Sections.takeError());
  ASSERT_EQ(Sections->size(), 3u);
  const OutputSection &Data = (*Sections)[0];
  EXPECT_EQ(Data.Name, ".data");
  EXPECT_EQ(Data.Region, "RAM");
  EXPECT_EQ(Data.LoadRegion, "");
  ASSERT_EQ(Data.Patterns.size(), 5u);
  EXPECT_EQ(Data.Patterns[0].Text, "*(.itcm.*)");
  EXPECT_EQ(Data.Patterns[0].Line, 9u);
  EXPECT_EQ(texts(Data.Patterns[1].Sections),
            std::vector<std::string>{".text.dcd_*"});
  // The fragment's patterns, with its own name and lines.
  EXPECT_EQ(Data.Patterns[2].File.text(), "*libgcc.a:div.o");
  EXPECT_EQ(llvm::sys::path::filename(Data.Patterns[2].Script), "fragment.ld");
  EXPECT_EQ(Data.Patterns[2].Line, 2u);
  EXPECT_EQ(Data.Patterns[3].File.text(), "*/vm.o");
  EXPECT_EQ(texts(Data.Patterns[4].Sections),
            (std::vector<std::string>{".data", ".data.*"}));
  const OutputSection &Text = (*Sections)[1];
  EXPECT_EQ(Text.Region, "FLASH");
  EXPECT_EQ(Text.Patterns[0].Text, "KEEP(*(.text.start))");
  const OutputSection &RamText = (*Sections)[2];
  EXPECT_EQ(RamText.Region, "RAM");
  EXPECT_EQ(RamText.LoadRegion, "FLASH");
}

// A quoted INCLUDE names the file inside the quotes, as for ld and for the
// MEMORY reader; unquoted, the same file.
TEST_F(ScriptSectionsTest, AQuotedIncludeNamesTheFileInsideTheQuotes) {
  write("mcu/riscv/fragment.ld", "*(.text.hot)\n");
  for (const char *Include :
       {"INCLUDE \"mcu/riscv/fragment.ld\"", "INCLUDE mcu/riscv/fragment.ld"}) {
    std::string Script =
        write("board.ld", std::string("SECTIONS {\n  .data : {\n    ") +
                              Include + "\n  } > RAM\n}\n");
    llvm::Expected<std::vector<OutputSection>> Sections =
        readOutputSections(Script);
    ASSERT_TRUE(bool(Sections))
        << Include << ": " << llvm::toString(Sections.takeError());
    ASSERT_EQ(Sections->size(), 1u);
    ASSERT_EQ((*Sections)[0].Patterns.size(), 1u) << Include;
    EXPECT_EQ((*Sections)[0].Patterns[0].Text, "*(.text.hot)");
  }
}

TEST_F(ScriptSectionsTest, MatchesAsLdDoes) {
  InputPattern Hand{"*(.text.dcd_*)", "*", {".text.dcd_*"}, "", 0};
  InputPattern Member{"", "*libgcc.a:div.o", {".text"}, "", 0};
  InputPattern Object{"", "*/vm.o", {".text.scramble"}, "", 0};
  EXPECT_TRUE(Hand.matches({".text.dcd_edpt_xfer", "build/dcd.o", 0, 4}));
  EXPECT_FALSE(Hand.matches({".text.tud_task", "build/usbd.o", 0, 4}));
  EXPECT_TRUE(Member.matches(
      {".text", "/usr/lib/gcc/rv32i/ilp32/libgcc.a(div.o)", 0, 4}));
  EXPECT_FALSE(Member.matches({".text", "build/div.o", 0, 4}));
  EXPECT_TRUE(Object.matches({".text.scramble", "build/obj/vm.o", 0, 4}));
  EXPECT_FALSE(Object.matches({".text.scramble", "build/obj/gc.o", 0, 4}));
}

TEST_F(ScriptSectionsTest, NamesWhatIsWrong) {
  std::string Unclosed =
      write("open.ld", "SECTIONS\n{\n  .data : {\n *(.data)\n");
  llvm::Expected<std::vector<OutputSection>> Sections =
      readOutputSections(Unclosed);
  ASSERT_FALSE(bool(Sections));
  EXPECT_EQ(llvm::toString(Sections.takeError()),
            "'" + Unclosed + "':5: output section '.data' has no closing '}'");
  std::string Missing =
      write("missing.ld", "SECTIONS\n{\n  INCLUDE nowhere.ld\n}\n");
  Sections = readOutputSections(Missing);
  ASSERT_FALSE(bool(Sections));
  EXPECT_EQ(llvm::toString(Sections.takeError()),
            "'" + Missing +
                "':3: INCLUDE 'nowhere.ld' is found neither in the working "
                "directory, nor in a -L directory, nor beside the script");
}

} // namespace
