// Test files written to a fresh directory, removed afterwards.
#ifndef RAMFIT_TESTS_SCRATCH_DIRECTORY_H
#define RAMFIT_TESTS_SCRATCH_DIRECTORY_H

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"
#include <string>

class ScratchDirectoryTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("ramfit-test", Dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  /// Writes Text to Name in the directory; its path.
  std::string write(llvm::StringRef Name, llvm::StringRef Text) {
    llvm::SmallString<128> Path(Dir);
    llvm::sys::path::append(Path, Name);
    EXPECT_FALSE(
        llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path)));
    std::error_code EC;
    llvm::raw_fd_ostream(Path, EC) << Text;
    EXPECT_FALSE(EC);
    return std::string(Path);
  }

  llvm::SmallString<128> Dir;
};

#endif
