#include "firmware/MemoryMap.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace ramfit;
using llvm::Expected;
using llvm::toString;

namespace {

TEST(MemoryMapTest, Sizes) {
  EXPECT_EQ(16384u, *parseSize("16384"));
  EXPECT_EQ(16384u, *parseSize("0x4000"));
  EXPECT_EQ(16384u, *parseSize("16KiB"));
  EXPECT_EQ(1u << 30, *parseSize("1G"));
  EXPECT_EQ(2ull << 30, *parseSize("2GiB"));
  EXPECT_EQ(16384u, *parseSize("16K"));
  EXPECT_EQ(1048576u, *parseSize("1MiB"));
  EXPECT_EQ(1048576u, *parseSize("1M"));
  for (const char *Bad : {"12XB", "", "KiB", "-4", "0x", "1.5K"}) {
    Expected<uint64_t> Size = parseSize(Bad);
    ASSERT_FALSE(bool(Size)) << Bad;
    EXPECT_EQ("'" + std::string(Bad) +
                  "' is not a size (expected 16384, 0x4000, 16K or 16KiB)",
              toString(Size.takeError()));
  }
}

class ScriptTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("memory-map", Dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  std::string write(const std::string &Name, const std::string &Text) {
    std::string Path = (Dir + "/" + Name).str();
    std::error_code EC;
    llvm::raw_fd_ostream Out(Path, EC);
    Out << Text;
    return Path;
  }

  llvm::SmallString<128> Dir;
};

TEST_F(ScriptTest, MemoryThroughInclude) {
  write("memory.ld", "/* regions */\nMEMORY\n{\n"
                     "  FLASH (rx) : ORIGIN = 0x20000000, LENGTH = 1M\n"
                     "  sram (rwx) : org = 0x10000000, len = 64K + 64K\n}\n");
  std::string Script = write(
      "board.ld", "INCLUDE memory.ld\nSECTIONS { .text : { *(.text) } }\n");
  Expected<std::vector<MemoryRegion>> Regions = readMemoryRegions(Script);
  ASSERT_TRUE(bool(Regions)) << toString(Regions.takeError());
  ASSERT_EQ(2u, Regions->size());
  EXPECT_EQ("FLASH", (*Regions)[0].Name);
  EXPECT_EQ(0x20000000u, (*Regions)[0].Origin);
  EXPECT_EQ(1048576u, (*Regions)[0].Length);
  EXPECT_EQ("sram", (*Regions)[1].Name);
  EXPECT_EQ(0x10000000u, (*Regions)[1].Origin);
  EXPECT_EQ(131072u, (*Regions)[1].Length);
}

// What real ports write: regions placed after one another with ORIGIN()
// and LENGTH(), sizes from symbols assigned before MEMORY, arithmetic.
TEST_F(ScriptTest, ExpressionsAsLdEvaluatesThem) {
  std::string Script = write(
      "port.ld", "_flash_size = 2M;\n_boot = 0x10000 ;\n"
                 "MEMORY {\n"
                 "  BOOT (rx) : ORIGIN = 0x20000000, LENGTH = _boot\n"
                 "  ROM (rx) : ORIGIN = ORIGIN(BOOT) + LENGTH(BOOT),\n"
                 "             LENGTH = _flash_size - LENGTH(BOOT) - 4K\n"
                 "  RAM (rwx) : ORIGIN = 0x10000000, LENGTH = (128 * 1024) - "
                 "0x10 * 2\n"
                 "  ITCM (rwx) : ORIGIN = 1 << 28 | 0x800, LENGTH = 010\n"
                 "}\n");
  Expected<std::vector<MemoryRegion>> Regions = readMemoryRegions(Script);
  ASSERT_TRUE(bool(Regions)) << toString(Regions.takeError());
  ASSERT_EQ(4u, Regions->size());
  EXPECT_EQ(0x20010000u, (*Regions)[1].Origin);
  EXPECT_EQ(2u * 1024 * 1024 - 0x10000 - 4096, (*Regions)[1].Length);
  EXPECT_EQ(128u * 1024 - 32, (*Regions)[2].Length);
  EXPECT_EQ(0x10000800u, (*Regions)[3].Origin);
  EXPECT_EQ(8u, (*Regions)[3].Length);
}

// picolibc's own picolibc.ld: regions a linker command line may move with
// --defsym, defaults otherwise; a symbol the script assigns is DEFINED.
TEST_F(ScriptTest, ConditionalsOnDefinedSymbols) {
  std::string Script = write(
      "picolibc.ld",
      "__ram_size = 0x4000;\nMEMORY\n{\n"
      "\tflash (rx!w) : ORIGIN = DEFINED(__flash) ? __flash : 0x10000000, "
      "LENGTH = DEFINED(__flash_size) ? __flash_size : 0x10000\n"
      "\tram (w!rx)   : ORIGIN = DEFINED(__ram  ) ? __ram   : 0x20000000, "
      "LENGTH = DEFINED(__ram_size  ) ? __ram_size   : 0x08000\n}\n");
  Expected<std::vector<MemoryRegion>> Regions = readMemoryRegions(Script);
  ASSERT_TRUE(bool(Regions)) << toString(Regions.takeError());
  ASSERT_EQ(2u, Regions->size());
  EXPECT_EQ(0x10000000u, (*Regions)[0].Origin);
  EXPECT_EQ(0x10000u, (*Regions)[0].Length);
  EXPECT_EQ(0x20000000u, (*Regions)[1].Origin);
  EXPECT_EQ(0x4000u, (*Regions)[1].Length);
}

// INCLUDE is looked up as ld looks it up: from the working directory (a
// path such as mcu/arm/cortex-m.ld), then in the -L directories.
TEST_F(ScriptTest, IncludeFromTheWorkingDirectoryThenSearchDirectories) {
  llvm::sys::fs::create_directories(Dir + "/mcu/arm");
  llvm::sys::fs::create_directories(Dir + "/boards/x");
  llvm::sys::fs::create_directories(Dir + "/lib");
  write("mcu/arm/cortex-m.ld",
        "MEMORY { RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 64K }\n");
  write("lib/flash.ld", "MEMORY { FLASH (rx) : ORIGIN = 0, LENGTH = 1M }\n");
  std::string Board = write("boards/x/board.ld",
                            "INCLUDE mcu/arm/cortex-m.ld\nINCLUDE flash.ld\n");
  llvm::SmallString<128> Before;
  llvm::sys::fs::current_path(Before);
  llvm::sys::fs::set_current_path(Dir);
  Expected<std::vector<MemoryRegion>> Regions =
      readMemoryRegions(Board, {(Dir + "/lib").str()});
  llvm::sys::fs::set_current_path(Before);
  ASSERT_TRUE(bool(Regions)) << toString(Regions.takeError());
  ASSERT_EQ(2u, Regions->size());
  EXPECT_EQ("RAM", (*Regions)[0].Name);
  EXPECT_EQ("FLASH", (*Regions)[1].Name);
}

TEST_F(ScriptTest, Errors) {
  std::string Unbalanced =
      write("unbalanced.ld", "MEMORY\n{\n  RAM : ORIGIN = 0, LENGTH = 4K\n");
  Expected<std::vector<MemoryRegion>> Regions = readMemoryRegions(Unbalanced);
  ASSERT_FALSE(bool(Regions));
  EXPECT_EQ("'" + Unbalanced + "':1: MEMORY has no closing '}'",
            toString(Regions.takeError()));

  std::string Missing = write("missing.ld", "\nINCLUDE nowhere.ld\n");
  Regions = readMemoryRegions(Missing);
  ASSERT_FALSE(bool(Regions));
  EXPECT_EQ("'" + Missing +
                "':2: INCLUDE 'nowhere.ld' is found neither in the working "
                "directory, nor in a -L directory, nor beside the script",
            toString(Regions.takeError()));

  std::string BadSize =
      write("bad.ld", "MEMORY {\n RAM : ORIGIN = 0, LENGTH = 12XB\n}\n");
  Regions = readMemoryRegions(BadSize);
  ASSERT_FALSE(bool(Regions));
  EXPECT_EQ("'" + BadSize +
                "':2: '12XB' is neither a number nor a symbol assigned "
                "before it",
            toString(Regions.takeError()));

  std::string Later =
      write("later.ld", "MEMORY {\n RAM : ORIGIN = ORIGIN(ROM), LENGTH = 4K\n"
                        " ROM : ORIGIN = 0, LENGTH = 4K\n}\n");
  Regions = readMemoryRegions(Later);
  ASSERT_FALSE(bool(Regions));
  EXPECT_EQ("'" + Later +
                "':2: ORIGIN(ROM): no memory region 'ROM' is defined before it",
            toString(Regions.takeError()));

  std::string Cycle = write("cycle.ld", "INCLUDE cycle.ld\n");
  Regions = readMemoryRegions(Cycle);
  ASSERT_FALSE(bool(Regions));
  EXPECT_NE(std::string::npos,
            toString(Regions.takeError()).find("INCLUDE nests too deep"));
}

} // namespace
