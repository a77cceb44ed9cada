#include "firmware/LinkerMap.h"

#include "gtest/gtest.h"

using namespace ramfit;
using llvm::Expected;
using llvm::toString;

namespace {

// Cut from the riscv fixture's map, as riscv64-unknown-elf-ld 2.40 writes it.
const char Map[] =
    R"(Archive member included to satisfy reference by file (symbol)

/usr/lib/gcc/riscv64-unknown-elf/12.2.0/rv32imac/ilp32/libgcc.a(_udivdi3.o)
                              obj/arith.o (__udivdi3)

Discarded input sections

 .text          0x00000000        0x0 obj/crt0.o
 .text.unused   0x00000000       0x40 obj/gc.o

Memory Configuration

Name             Origin             Length             Attributes
FLASH            0x80000000         0x00100000         xr

Linker script and memory map

LOAD obj/crt0.o
.text           0x80000000      0xcb0
 *(.text.start)
 .text.start    0x80000000       0x52 obj/crt0.o
                0x80000000                _start
 *(.text .text.*)
 .text          0x80000052        0x0 obj/board.o
 .text.board_putc
                0x80000052       0x14 obj/board.o
                0x80000052                board_putc
 *fill*         0x80000066        0x2 
 .text          0x80000458      0x35e /usr/lib/gcc/riscv64-unknown-elf/12.2.0/rv32imac/ilp32/libgcc.a(_udivdi3.o)
                0x80000458                __udivdi3
                0x80000800                . = ALIGN (0x4)
)";

TEST(LinkerMapTest, InputSectionsWithObjects) {
  Expected<LinkerMap> Parsed = parseLinkerMap("fw.map", Map);
  ASSERT_TRUE(bool(Parsed)) << toString(Parsed.takeError());
  ASSERT_EQ(3u, Parsed->Sections.size());
  EXPECT_EQ(".text.start", Parsed->Sections[0].Name);
  EXPECT_EQ(".text.board_putc", Parsed->Sections[1].Name);
  EXPECT_EQ("obj/board.o", Parsed->Sections[1].Object);
  EXPECT_EQ(0x80000052u, Parsed->Sections[1].Address);
  EXPECT_EQ(0x14u, Parsed->Sections[1].Size);
  EXPECT_EQ(".text", Parsed->Sections[2].Name);
  EXPECT_EQ("/usr/lib/gcc/riscv64-unknown-elf/12.2.0/rv32imac/ilp32/"
            "libgcc.a(_udivdi3.o)",
            Parsed->Sections[2].Object);
}

TEST(LinkerMapTest, SectionAt) {
  Expected<LinkerMap> Parsed = parseLinkerMap("fw.map", Map);
  ASSERT_TRUE(bool(Parsed));
  EXPECT_EQ(".text.board_putc", Parsed->sectionAt(0x80000060)->Name);
  EXPECT_EQ(nullptr, Parsed->sectionAt(0x80000066));
  EXPECT_EQ(".text", Parsed->sectionAt(0x80000458)->Name);
  EXPECT_EQ(nullptr, Parsed->sectionAt(0x10));
}

TEST(LinkerMapTest, NotAMap) {
  Expected<LinkerMap> Parsed = parseLinkerMap("fw.map", "hello\n");
  ASSERT_FALSE(bool(Parsed));
  EXPECT_EQ("'fw.map': not a GNU ld map file (no 'Linker script and memory "
            "map' line)",
            toString(Parsed.takeError()));
}

TEST(LinkerMapTest, TruncatedLongName) {
  Expected<LinkerMap> Parsed = parseLinkerMap(
      "fw.map", "Linker script and memory map\n\n .text.board_putc\n");
  ASSERT_FALSE(bool(Parsed));
  EXPECT_EQ("'fw.map': expected 'ADDRESS SIZE OBJECT' after input section "
            "'.text.board_putc'",
            toString(Parsed.takeError()));
}

} // namespace

// On a Cortex-M, flash starts at 0, where the map also lists debug info at
// its offsets: those are never the section of code.
TEST(LinkerMapTest, DebugSectionsAtZeroAreNoPlacement) {
  Expected<LinkerMap> Parsed = parseLinkerMap(
      "fw.map", "Linker script and memory map\n\n"
                ".text           0x00000000      0x100\n"
                " .text.f        0x00000040       0x20 obj/f.o\n"
                ".debug_str      0x00000000      0x400\n"
                " .debug_str     0x00000000      0x400 obj/f.o\n"
                ".ARM.attributes 0x00000000       0x2e\n"
                " .ARM.attributes\n"
                "                0x00000000       0x2e obj/f.o\n");
  ASSERT_TRUE(bool(Parsed)) << toString(Parsed.takeError());
  ASSERT_EQ(1u, Parsed->Sections.size());
  const InputSection *At = Parsed->sectionAt(0x48);
  ASSERT_TRUE(At);
  EXPECT_EQ(".text.f", At->Name);
  EXPECT_EQ(nullptr, Parsed->sectionAt(0x10));
}

#include "FixtureElf.h"

namespace {

// Each fixture's map belongs to its ELF, the C++ fixture's and its '.cold'
// parts in '.text.unlikely.f' included; the other board's map does not.
TEST(LinkerMapTest, AMapBelongsToItsOwnElf) {
  for (std::string Board : {"riscv", "arm", "cxx-riscv", "cxx-arm"}) {
    auto Elf = openFixture(Board);
    ASSERT_TRUE(Elf);
    std::string MapPath = fixtureElf(Board);
    MapPath.replace(MapPath.size() - 3, 3, "map");
    Expected<LinkerMap> Own = readLinkerMap(MapPath);
    ASSERT_TRUE(bool(Own)) << toString(Own.takeError());
    llvm::Error Err = checkMapMatchesElf(*Own, *Elf);
    EXPECT_FALSE(bool(Err)) << Board << ": " << toString(std::move(Err));
  }
  auto Riscv = openFixture("riscv");
  ASSERT_TRUE(Riscv);
  std::string ArmMap = fixtureElf("arm");
  ArmMap.replace(ArmMap.size() - 3, 3, "map");
  Expected<LinkerMap> Other = readLinkerMap(ArmMap);
  ASSERT_TRUE(bool(Other)) << toString(Other.takeError());
  llvm::Error Err = checkMapMatchesElf(*Other, *Riscv);
  ASSERT_TRUE(bool(Err));
  EXPECT_NE(std::string::npos, toString(std::move(Err)).find("not the map of"));
}

} // namespace
