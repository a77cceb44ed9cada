// The fixture firmware the build compiled with the real cross compilers.
#ifndef RAMFIT_TESTS_FIXTURE_ELF_H
#define RAMFIT_TESTS_FIXTURE_ELF_H

#include "DiagnosticLog.h"
#include "firmware/Binary.h"

#include "gtest/gtest.h"
#include <string>

inline std::string fixtureElf(const std::string &Board) {
  return std::string(RAMFIT_FIXTURE_DIR) + "/" + Board + "/firmware.elf";
}

/// The fixture firmware, which must open without a warning.
inline std::unique_ptr<ramfit::Binary> openFixture(const std::string &Board) {
  DiagnosticLog Log;
  llvm::Expected<std::unique_ptr<ramfit::Binary>> Elf =
      ramfit::Binary::open(fixtureElf(Board), Log);
  EXPECT_TRUE(Log.empty());
  if (!Elf) {
    ADD_FAILURE() << llvm::toString(Elf.takeError());
    return nullptr;
  }
  return std::move(*Elf);
}

inline const ramfit::FunctionInfo &onlyFunction(const ramfit::Binary &Elf,
                                                llvm::StringRef Name) {
  std::vector<const ramfit::FunctionInfo *> Found = Elf.functionsNamed(Name);
  EXPECT_EQ(1u, Found.size()) << Name.str();
  static ramfit::FunctionInfo None;
  return Found.empty() ? None : *Found.front();
}

#endif
