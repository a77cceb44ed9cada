#include "support/Diagnostics.h"

#include "gtest/gtest.h"

using namespace ramfit;

TEST(DiagnosticsTest, NamesFileAndLine) {
  EXPECT_EQ("'samples.log':12: not a hex address",
            llvm::toString(inputError("samples.log", 12, "not a hex address")));
}

TEST(DiagnosticsTest, FileWithoutLine) {
  EXPECT_EQ("'fw.elf': not an ELF file",
            llvm::toString(inputError("fw.elf", "not an ELF file")));
  EXPECT_EQ("'fw.elf': ", location("fw.elf"));
  EXPECT_EQ("'fw.elf':3: ", location("fw.elf", 3));
}

TEST(DiagnosticsTest, LineAndColumn) {
  EXPECT_EQ(
      "'plan.yaml':4:7: unknown key 'sise'",
      llvm::toString(inputError("plan.yaml", 4, 7, "unknown key 'sise'")));
}
