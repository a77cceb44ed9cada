#include "steps/Runner.h"
#include "DiagnosticLog.h"
#include "FixtureElf.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

TEST(RunnerTest, StepsFollowTheConfig) {
  Config C;
  EXPECT_TRUE(configuredSteps(C).empty());
  C.Samples = {"s.txt"};
  C.Fragment = "ramtext.ld";
  C.Region = "sram";
  EXPECT_EQ((std::vector<std::string>{"plan", "ldscript", "check"}),
            configuredSteps(C));
  C.Patch = "ram.patch";
  EXPECT_EQ((std::vector<std::string>{"plan", "ldscript", "annotate", "check"}),
            configuredSteps(C));
}

TEST(RunnerTest, UnknownStepIsAnError) {
  std::string Log;
  llvm::raw_string_ostream OS(Log);
  DiagnosticLog Diags;
  llvm::Expected<RunStatus> Status = runSteps(Config(), {"link"}, OS, Diags);
  ASSERT_FALSE(bool(Status));
  EXPECT_EQ("unknown step 'link' (accepted: plan, ldscript, annotate, check)",
            llvm::toString(Status.takeError()));
}

/// A config in a fresh directory, with one hot address of the RISC-V
/// fixture as its samples.
class RunnerOnFixture : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> Dir;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("ramfit-run", Dir));
    this->Dir = Dir.str().str();
    std::unique_ptr<Binary> Elf = openFixture("riscv");
    ASSERT_TRUE(Elf);
    std::string Samples = this->Dir + "/s.txt";
    {
      std::error_code EC;
      llvm::raw_fd_ostream OS(Samples, EC);
      OS << "0x" << llvm::utohexstr(onlyFunction(*Elf, "fir_filter").Address)
         << "\n";
    }
    C.Path = this->Dir + "/ramfit.yaml";
    C.Elf = fixtureElf("riscv");
    C.Samples = {Samples};
    C.Budget = "1K";
    C.Plan = this->Dir + "/plan.yaml";
    C.Fragment = this->Dir + "/ramtext.ld";
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  llvm::Expected<RunStatus> run(std::vector<std::string> Steps) {
    Log.clear();
    llvm::raw_string_ostream OS(Log);
    return runSteps(C, Steps, OS, Diags);
  }

  std::string Dir;
  Config C;
  std::string Log;
  DiagnosticLog Diags;
};

// The plan step warns through the handler, not on stderr; a second run
// with the same inputs does nothing.
TEST_F(RunnerOnFixture, StepsWarnThroughTheHandlerAndSkipWhenUnchanged) {
  llvm::Expected<RunStatus> First = run({"plan"});
  ASSERT_TRUE(bool(First)) << llvm::toString(First.takeError());
  EXPECT_EQ(RunOk, *First);
  EXPECT_EQ("ramfit run: plan: done\n", Log);
  ASSERT_EQ(1u, Diags.warnings().size());
  EXPECT_EQ(0u, Diags.warnings()[0].find("no --map given"));

  llvm::Expected<RunStatus> Second = run({"plan"});
  ASSERT_TRUE(bool(Second)) << llvm::toString(Second.takeError());
  EXPECT_EQ("ramfit run: plan: up to date\n", Log);
}

// Whatever the config changes re-runs the step: any key of the file as
// written (outputs.report among them), an output that is not there, and a
// file the memory map INCLUDEs.
TEST_F(RunnerOnFixture, AnyChangeOfTheConfigOrTheScriptsItReadsReRuns) {
  std::string Script = Dir + "/board.ld", Memory = Dir + "/memory.ld";
  auto Write = [](const std::string &Path, llvm::StringRef Text) {
    std::error_code EC;
    llvm::raw_fd_ostream(Path, EC) << Text;
  };
  Write(Script, "INCLUDE memory.ld\n");
  Write(Memory, "MEMORY { RAM : ORIGIN = 0x80400000, LENGTH = 128K }\n");
  C.MemoryMap = Script;
  C.Text = "outputs:\n  report: report-a.txt\n";
  C.Report = Dir + "/report-a.txt";
  auto Ran = [&]() -> std::string {
    llvm::Expected<RunStatus> Status = run({"plan"});
    if (!Status)
      return llvm::toString(Status.takeError());
    return Log;
  };
  EXPECT_EQ("ramfit run: plan: done\n", Ran());
  EXPECT_EQ("ramfit run: plan: up to date\n", Ran());

  C.Text = "outputs:\n  report: report-b.txt\n";
  C.Report = Dir + "/report-b.txt";
  EXPECT_EQ("ramfit run: plan: done\n", Ran());
  EXPECT_TRUE(llvm::sys::fs::exists(C.Report));
  EXPECT_EQ("ramfit run: plan: up to date\n", Ran());

  llvm::sys::fs::remove(C.Report);
  EXPECT_EQ("ramfit run: plan: done\n", Ran());

  Write(Memory, "MEMORY { RAM : ORIGIN = 0x80400000, LENGTH = 64K }\n");
  EXPECT_EQ("ramfit run: plan: done\n", Ran());
  EXPECT_EQ("ramfit run: plan: up to date\n", Ran());
}

// With the map, plan and ldscript run as their subcommands do, and the
// fragment places the hot function.
TEST_F(RunnerOnFixture, PlanAndFragmentFromTheConfig) {
  C.Map = fixtureElf("riscv").substr(0, fixtureElf("riscv").size() - 3) + "map";
  llvm::Expected<RunStatus> Status = run({"plan", "ldscript"});
  ASSERT_TRUE(bool(Status)) << llvm::toString(Status.takeError());
  EXPECT_EQ("ramfit run: plan: done\nramfit run: ldscript: done\n", Log);
  // No warning; the notes say calls were sized as far (the config gives
  // no memory map), where the reset path starts, and what flash grows by.
  EXPECT_TRUE(Diags.warnings().empty());
  ASSERT_EQ(3u, Diags.notes().size());
  EXPECT_EQ(0u, Diags.notes()[0].find("where RAM is is not known"));
  EXPECT_EQ(0u, Diags.notes()[1].find("the reset path starts at"));
  EXPECT_EQ(0u, Diags.notes()[2].find("flash grows by"));
  auto Fragment = llvm::MemoryBuffer::getFile(C.Fragment);
  ASSERT_TRUE(bool(Fragment));
  EXPECT_NE(llvm::StringRef::npos,
            (*Fragment)->getBuffer().find("(.text.fir_filter)"));
}

// The check step's findings are diagnostics, and a failed check is exit
// code 2, not an error.
TEST_F(RunnerOnFixture, FailedCheckIsItsOwnStatus) {
  ASSERT_TRUE(bool(run({"plan"})));
  C.Region = "SRAM=0x10000000,4K";
  Diags = DiagnosticLog();
  llvm::Expected<RunStatus> Status = run({"check"});
  ASSERT_TRUE(bool(Status)) << llvm::toString(Status.takeError());
  EXPECT_EQ(RunCheckFailed, *Status);
  EXPECT_EQ("ramfit run: check: FAILED\n", Log);
  std::vector<std::string> Errors = Diags.messages(Severity::Error);
  ASSERT_EQ(1u, Errors.size());
  EXPECT_EQ(0u, Errors[0].find("fir_filter is at 0x")) << Errors[0];
}

} // namespace
