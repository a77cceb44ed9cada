#include "samples/CycleProfile.h"
#include "DiagnosticLog.h"
#include "samples/Samples.h"

#include "gtest/gtest.h"
#include <string>

using namespace ramfit;

namespace {

/// A flash region with 7 stall cycles a fetch and a RAM region with 1 (2 a
/// load): instructions in each and in neither, and a word of flash that is
/// only loaded, as an Arm literal pool is.
const char *Profile = "# ramfit-cycles 1\n"
                      "# instruction-cycles 1\n"
                      "# region flash 0x1000 0x1000 fetch=7 load=5 store=3\n"
                      "# region ram 0x8000 0x100 fetch=1 load=2 store=0\n"
                      "# ram ram\n"
                      "# totals instructions=19 cycles=120 fetch-stall=96 "
                      "data-stall=5\n"
                      "# address executions fetch-stall data-stall loads "
                      "load-stall\n"
                      "0x100 1 0 0 0 0\n"
                      "0x1000 10 70 5 0 0\n"
                      "0x1004 3 21 0 0 0\n"
                      "0x1008 0 0 0 1 5\n"
                      "0x8000 5 5 0 0 0\n";

std::string errorOf(llvm::StringRef Content) {
  llvm::Expected<CycleProfile> Parsed = parseCycleProfile("p.txt", Content);
  if (Parsed) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return llvm::toString(Parsed.takeError());
}

TEST(CycleProfileTest, ReadsHeaderTotalsAndRows) {
  llvm::Expected<CycleProfile> Parsed = parseCycleProfile("p.txt", Profile);
  ASSERT_TRUE(bool(Parsed)) << llvm::toString(Parsed.takeError());
  EXPECT_EQ(Parsed->Regions.size(), 2u);
  EXPECT_EQ(Parsed->Regions[0].FetchStall, 7u);
  EXPECT_EQ(Parsed->Regions[1].LoadStall, 2u);
  EXPECT_EQ(Parsed->Totals.Cycles, 120u);
  ASSERT_EQ(Parsed->Rows.size(), 5u);
  EXPECT_EQ(Parsed->Rows[1].Address, 0x1000u);
  EXPECT_EQ(Parsed->Rows[1].DataStall, 5u);
  EXPECT_EQ(Parsed->Rows[3].Loads, 1u);
  EXPECT_EQ(Parsed->Rows[3].LoadStall, 5u);
}

// In RAM, 10 fetches still stall 1 cycle each: of 70, 60 are saved; a
// load 2 of 5. Code already in RAM, and code in no region, saves nothing.
TEST(CycleProfileTest, SavesTheStallsAboveRamsOwn) {
  llvm::Expected<CycleProfile> Parsed = parseCycleProfile("p.txt", Profile);
  ASSERT_TRUE(bool(Parsed)) << llvm::toString(Parsed.takeError());
  EXPECT_EQ(Parsed->fetchSavedInRam(Parsed->Rows[0]), 0u);
  EXPECT_EQ(Parsed->fetchSavedInRam(Parsed->Rows[1]), 60u);
  EXPECT_EQ(Parsed->fetchSavedInRam(Parsed->Rows[2]), 18u);
  EXPECT_EQ(Parsed->loadSavedInRam(Parsed->Rows[3]), 3u);
  EXPECT_EQ(Parsed->fetchSavedInRam(Parsed->Rows[4]), 0u);
}

TEST(CycleProfileTest, IsReadAsSamplesOfCyclesSaved) {
  DiagnosticLog Log;
  llvm::Expected<SampleFile> File =
      parseSamples("p.txt", Profile, SampleFormat::Auto, Log);
  ASSERT_TRUE(bool(File)) << llvm::toString(File.takeError());
  EXPECT_EQ(File->Format, SampleFormat::Cycles);
  EXPECT_EQ(File->ModelledCycles, 120u);
  EXPECT_EQ(File->PcCounts.lookup(0x1000), 60u);
  EXPECT_EQ(File->PcCounts.lookup(0x1004), 18u);
  EXPECT_EQ(File->PcCounts.count(0x8000), 0u);
  EXPECT_EQ(File->PcCounts.count(0x1008), 0u);
  EXPECT_EQ(File->CodeDataCounts.lookup(0x1008), 3u);
  EXPECT_EQ(File->SampleCount, 81u);
  EXPECT_TRUE(Log.empty());
}

TEST(CycleProfileTest, RowsMustAddUpToTheTotals) {
  std::string Cut(Profile);
  Cut.resize(Cut.rfind("0x1004"));
  EXPECT_EQ(errorOf(Cut),
            "'p.txt':6: the rows do not add up to the totals (11 "
            "instructions, 70 fetch and 5 data stall cycles): the file is cut "
            "or edited");
}

TEST(CycleProfileTest, NamesWhatIsMalformed) {
  EXPECT_EQ(errorOf("# ramfit-cycles 2\n"),
            "'p.txt':1: not a cycle profile: it must start with '# "
            "ramfit-cycles 1'");
  EXPECT_EQ(errorOf("# ramfit-cycles 1\n# region flash 0x0\n"),
            "'p.txt':2: malformed '# region' line: 'region flash 0x0'");
  EXPECT_EQ(errorOf("# ramfit-cycles 1\n0x100 1 0 0\n"),
            "'p.txt':2: a row before the '# totals' line");
  EXPECT_EQ(errorOf("# ramfit-cycles 1\n# totals instructions=1 cycles=1 "
                    "fetch-stall=0 data-stall=0\n0x100 one 0 0 0 0\n"),
            "'p.txt':3: expected 'ADDRESS EXECUTIONS FETCH-STALL DATA-STALL "
            "LOADS LOAD-STALL', got '0x100 one 0 0 0 0'");
  EXPECT_EQ(errorOf("# ramfit-cycles 1\n# instruction-cycles 1\n"),
            "'p.txt': no '# totals' line: the run did not finish writing its "
            "profile");
}

TEST(CycleProfileTest, NothingToSaveIsAnError) {
  DiagnosticLog Log;
  llvm::Expected<SampleFile> File = parseSamples(
      "p.txt",
      "# ramfit-cycles 1\n# region ram 0x8000 0x100 fetch=0 load=0 store=0\n"
      "# ram ram\n# totals instructions=5 cycles=5 fetch-stall=0 "
      "data-stall=0\n0x8000 5 0 0 0 0\n",
      SampleFormat::Auto, Log);
  ASSERT_FALSE(bool(File));
  EXPECT_EQ(llvm::toString(File.takeError()),
            "'p.txt': no code of this run stalls on fetches that RAM would "
            "save: there is nothing to plan");
}

} // namespace
