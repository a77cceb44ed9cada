#include "apply/PlacementAudit.h"
#include "FixtureElf.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

InputPattern pattern(llvm::StringRef File, llvm::StringRef Section) {
  InputPattern P;
  P.File = File.str();
  P.Sections = {Section.str()};
  P.Text = (File + "(" + Section + ")").str();
  P.Script = "board.ld";
  return P;
}

/// The RISC-V fixture as linked, with nothing in RAM, audited against a
/// RAM output section listing what a hand list would: its verdicts are
/// what ld did with each line.
class PlacementAuditTest : public ::testing::Test {
protected:
  void SetUp() override {
    Elf = openFixture("riscv");
    llvm::Expected<LinkerMap> Read = readLinkerMap(
        std::string(RAMFIT_FIXTURE_DIR) + "/riscv/firmware.map");
    ASSERT_TRUE(bool(Read)) << llvm::toString(Read.takeError());
    Map = std::move(*Read);
  }

  AuditResult audit(std::vector<InputPattern> Patterns) {
    OutputSection Data;
    Data.Name = ".data";
    Data.Region = "RAM";
    Data.Patterns = std::move(Patterns);
    return auditPlacement(*Elf, Map, {Data}, Ram, nullptr);
  }

  std::unique_ptr<Binary> Elf;
  LinkerMap Map;
  MemoryRegion Ram{"RAM", 0x80400000, 128 * 1024};
};

TEST_F(PlacementAuditTest, SaysWhyALinePlacesNothing) {
  AuditResult Result = audit({pattern("*", ".text.no_such_function"),
                              pattern("*", ".text.__udivdi3"),
                              pattern("*", ".text.fir_filter"),
                              pattern("*", ".data .data.*")});
  ASSERT_EQ(Result.Patterns.size(), 4u);
  EXPECT_EQ(Result.Patterns[0].Verdict, PatternVerdict::Stale);
  EXPECT_EQ(Result.Patterns[0].Why,
            "no function no_such_function in the ELF: renamed, removed, "
            "inlined everywhere, or never called (--gc-sections)");
  // libgcc's helper is in plain .text of an archive member.
  EXPECT_EQ(Result.Patterns[1].Verdict, PatternVerdict::LeavesInFlash);
  EXPECT_NE(Result.Patterns[1].Why.find(
                "__udivdi3 stays in flash: its input section is '.text' of "),
            std::string::npos)
      << Result.Patterns[1].Why;
  // The ordering trap: '.text' came first and took the section.
  EXPECT_EQ(Result.Patterns[2].Verdict, PatternVerdict::LeavesInFlash);
  EXPECT_NE(Result.Patterns[2].Why.find(
                "'.text.fir_filter' of " + std::string(RAMFIT_FIXTURE_DIR) +
                "/riscv/obj/filter.o matches, but an earlier rule took it to "
                ".text at 0x800"),
            std::string::npos)
      << Result.Patterns[2].Why;
  EXPECT_EQ(Result.Patterns[3].Verdict, PatternVerdict::Data);
  EXPECT_EQ(Result.problems(), 3u);
  EXPECT_EQ(Result.CodeSections, 0u);
}

// With the region covering flash, the lines place code, and a second line
// for a section the first took is redundant.
TEST_F(PlacementAuditTest, CountsWhatEachLinePlacesOnce) {
  Ram = {"FLASH", 0x80000000, 1024 * 1024};
  OutputSection Text;
  Text.Name = ".text";
  Text.Region = "FLASH";
  Text.Patterns = {pattern("*", ".text.fir_filter"),
                   pattern("*/filter.o", ".text.fir_filter"),
                   pattern("*", ".text*")};
  AuditResult Result = auditPlacement(*Elf, Map, {Text}, Ram, nullptr);
  EXPECT_EQ(Result.Patterns[0].Verdict, PatternVerdict::Places);
  EXPECT_EQ(Result.Patterns[0].Sections, 1u);
  EXPECT_EQ(Result.Patterns[1].Verdict, PatternVerdict::AlreadyPlaced);
  EXPECT_NE(Result.Patterns[1].Why.find(
                "is placed by the earlier *(.text.fir_filter)"),
            std::string::npos)
      << Result.Patterns[1].Why;
  EXPECT_EQ(Result.Patterns[2].Verdict, PatternVerdict::Places);
  EXPECT_GT(Result.CodeSections, 10u);
  EXPECT_EQ(Result.CodeSections,
            Result.Patterns[0].Sections + Result.Patterns[2].Sections);
}

} // namespace
