#include "Runner.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
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
  llvm::Expected<RunStatus> Status = runSteps(Config(), {"link"}, OS);
  ASSERT_FALSE(bool(Status));
  EXPECT_EQ("unknown step 'link' (expected plan, ldscript, annotate or check)",
            llvm::toString(Status.takeError()));
}

TEST(RunnerTest, UnchangedBytesLeaveTheFileAlone) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("runner", Dir));
  std::string Path = (Dir + "/out.ld").str();
  ASSERT_FALSE(bool(writeIfChanged(Path, "same\n")));
  // An older time than any write could give.
  int FD;
  ASSERT_FALSE(llvm::sys::fs::openFileForWrite(Path, FD,
                                               llvm::sys::fs::CD_OpenExisting));
  ASSERT_FALSE(llvm::sys::fs::setLastAccessAndModificationTime(
      FD, llvm::sys::TimePoint<>()));
  llvm::sys::Process::SafelyCloseFileDescriptor(FD);
  ASSERT_FALSE(bool(writeIfChanged(Path, "same\n")));
  llvm::sys::fs::file_status After;
  ASSERT_FALSE(llvm::sys::fs::status(Path, After));
  EXPECT_EQ(llvm::sys::TimePoint<>(), After.getLastModificationTime());
  ASSERT_FALSE(bool(writeIfChanged(Path, "different\n")));
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  ASSERT_TRUE(bool(Buffer));
  EXPECT_EQ("different\n", (*Buffer)->getBuffer());
  llvm::sys::fs::remove_directories(Dir);
}

} // namespace
