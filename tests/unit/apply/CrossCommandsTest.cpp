#include "apply/CrossCommands.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "gtest/gtest.h"

using namespace ramfit;

namespace {

bool has(const std::vector<std::string> &Args, llvm::StringRef Arg) {
  return llvm::is_contained(Args, Arg);
}

TEST(CrossCommandsTest, TargetFlagsDecideTheCache) {
  std::vector<std::string> Flags = CrossCommands::targetFlags(
      {"arm-none-eabi-gcc", "-mcpu=cortex-m4", "-mthumb", "-O2", "-Ifoo",
       "--specs=nano.specs", "-c", "x.c"});
  EXPECT_EQ((std::vector<std::string>{"arm-none-eabi-gcc", "-mcpu=cortex-m4",
                                      "-mthumb", "--specs=nano.specs"}),
            Flags);
}

TEST(CrossCommandsTest, RiscvGccBecomesClang) {
  CrossCommands Adapter("/usr/lib/llvm-16/lib/clang/16");
  llvm::Expected<std::vector<std::string>> Args = Adapter.adapt(
      {"riscv64-unknown-elf-gcc", "-march=rv32imac", "-mabi=ilp32",
       "--specs=picolibc.specs", "-fno-tree-loop-distribute-patterns",
       "-fcallgraph-info=su", "-O2", "-DBOARD=1", "-c", "x.c"});
  ASSERT_TRUE(bool(Args)) << llvm::toString(Args.takeError());
  EXPECT_EQ("--target=riscv32-unknown-elf", (*Args)[1]);
  EXPECT_TRUE(has(*Args, "-nostdlibinc"));
  EXPECT_TRUE(has(*Args, "-resource-dir=/usr/lib/llvm-16/lib/clang/16"));
  // picolibc's headers, through the specs file, and not GCC's own.
  bool Picolibc = false;
  for (size_t I = 0; I + 1 < Args->size(); ++I)
    if ((*Args)[I] == "-isystem") {
      llvm::StringRef Dir = (*Args)[I + 1];
      Picolibc |= Dir.contains("picolibc");
      EXPECT_FALSE(Dir.contains("/lib/gcc/") && Dir.endswith("/include"))
          << Dir.str();
    }
  EXPECT_TRUE(Picolibc);
  EXPECT_TRUE(has(*Args, "-D__INT32_TYPE__=long int"));
  EXPECT_TRUE(has(*Args, "-U__INT32_TYPE__"));
  // Clang claims GCC 4.2 unless told; code that checks __GNUC__ would fail.
  EXPECT_TRUE(has(*Args, "-fgnuc-version=12.2.0"));
  // GCC-only flags are gone; the ones Clang knows are kept.
  EXPECT_FALSE(has(*Args, "-fno-tree-loop-distribute-patterns"));
  EXPECT_FALSE(has(*Args, "-fcallgraph-info=su"));
  EXPECT_TRUE(has(*Args, "-O2"));
  auto Define = llvm::find(*Args, "-D");
  ASSERT_NE(Args->end(), Define);
  EXPECT_EQ("BOARD=1", *std::next(Define));
  EXPECT_TRUE(has(*Args, "-march=rv32imac"));
}

// GCC 12 spells the CSR and fence instructions as extensions, and the
// Fomu's build passes -misa-spec=2.2: Clang 16 rejects both.
TEST(CrossCommandsTest, GccOnlyArchSpellingsAreAdapted) {
  EXPECT_EQ("rv32imac", CrossCommands::clangRiscvArch("rv32imac_zicsr"));
  EXPECT_EQ("rv32i", CrossCommands::clangRiscvArch("rv32i_zicsr_zifencei"));
  EXPECT_EQ("rv32imac_zba",
            CrossCommands::clangRiscvArch("rv32imac_zicsr_zba"));
  EXPECT_EQ("rv32imac", CrossCommands::clangRiscvArch("rv32imac"));
  CrossCommands Adapter("/usr/lib/llvm-16/lib/clang/16");
  llvm::Expected<std::vector<std::string>> Args =
      Adapter.adapt({"riscv64-unknown-elf-gcc", "-march=rv32i_zicsr",
                     "-mabi=ilp32", "-misa-spec=2.2", "-c", "x.c"});
  ASSERT_TRUE(bool(Args)) << llvm::toString(Args.takeError());
  EXPECT_TRUE(has(*Args, "-march=rv32i"));
  EXPECT_FALSE(has(*Args, "-march=rv32i_zicsr"));
  EXPECT_FALSE(has(*Args, "-misa-spec=2.2"));
}

TEST(CrossCommandsTest, ClangCommandsPassThrough) {
  CrossCommands Adapter("/nowhere");
  std::vector<std::string> Command{"clang", "-c", "x.c"};
  llvm::Expected<std::vector<std::string>> Args = Adapter.adapt(Command);
  ASSERT_TRUE(bool(Args));
  EXPECT_EQ(Command, *Args);
}

TEST(CrossCommandsTest, MissingDriverIsAnError) {
  CrossCommands Adapter("/nowhere");
  llvm::Expected<std::vector<std::string>> Args =
      Adapter.adapt({"no-such-gcc", "-c", "x.c"});
  ASSERT_FALSE(bool(Args));
  EXPECT_EQ("cannot find the compiler 'no-such-gcc' of compile_commands.json",
            llvm::toString(Args.takeError()));
}

} // namespace
