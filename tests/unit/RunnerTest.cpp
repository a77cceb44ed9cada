#include "steps/Runner.h"
#include "DiagnosticLog.h"

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

} // namespace
