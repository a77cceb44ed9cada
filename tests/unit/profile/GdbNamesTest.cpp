#include "profile/GdbNames.h"
#include "FixtureElf.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

class GdbNamesTest : public ::testing::TestWithParam<std::string> {};

// gdb calls a clone by its DWARF name, code by the functions inlined into
// it, and nested assembly entry points by any of their names.
TEST_P(GdbNamesTest, ClonesAndInlinedCode) {
  auto Elf = openFixture(GetParam());
  ASSERT_TRUE(Elf);
  std::vector<const FunctionInfo *> Lookup =
      Elf->functionsKnownAs("lookup_slot");
  ASSERT_EQ(1u, Lookup.size());
  EXPECT_TRUE(gdbMayName(*Elf, "lookup_slot", Lookup[0]->Address + 2));
  EXPECT_TRUE(gdbMayName(*Elf, Lookup[0]->Name, Lookup[0]->Address + 2));
  EXPECT_FALSE(gdbMayName(*Elf, "eval_node", Lookup[0]->Address + 2));

  const FunctionInfo &Eval = onlyFunction(*Elf, "eval_node");
  bool CombineInlined = false;
  for (uint64_t A = Eval.Address; A < Eval.end() && !CombineInlined; A += 2)
    CombineInlined = gdbMayName(*Elf, "combine", A);
  EXPECT_TRUE(CombineInlined);
}

// gdb's frames name C++ code demangled, with or without the parameters, and
// add "()" to C++ code whose symbol is not mangled.
TEST_P(GdbNamesTest, CxxNames) {
  auto Elf = openFixture("cxx-" + GetParam());
  ASSERT_TRUE(Elf);
  const FunctionInfo &Step = onlyFunction(*Elf, "_ZN3dsp6Filter4stepEl");
  for (llvm::StringRef Name : {"dsp::Filter::step(long)", "dsp::Filter::step",
                               "dsp::Filter::step(int32_t)"})
    EXPECT_TRUE(gdbMayName(*Elf, Name, Step.Address + 2)) << Name.str();
  EXPECT_FALSE(gdbMayName(*Elf, "dsp::Filter::clamp(long)", Step.Address + 2));
  const FunctionInfo &Main = onlyFunction(*Elf, "main");
  EXPECT_TRUE(gdbMayName(*Elf, "main()", Main.Address + 4));
  const FunctionInfo &Checksum = onlyFunction(*Elf, "c_checksum");
  EXPECT_TRUE(gdbMayName(*Elf, "c_checksum(uint8_t const*, uint32_t)",
                         Checksum.Address));
}

TEST(GdbNamesTest, ParametersComeOff) {
  EXPECT_EQ(withoutParameters("f(int) const"), "f");
  EXPECT_EQ(withoutParameters("g(void (*)(int), char)"), "g");
  EXPECT_EQ(withoutParameters("plain"), "plain");
}

INSTANTIATE_TEST_SUITE_P(Fixtures, GdbNamesTest,
                         ::testing::Values("riscv", "arm"));

} // namespace
