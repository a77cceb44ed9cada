#include "profile/Profile.h"
#include "DiagnosticLog.h"
#include "FixtureElf.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

Frame at(uint64_t Address) {
  Frame F;
  F.Address = Address;
  return F;
}

/// Frames' names live in a name table; the tests' live as long as they do.
NameTable &testNames() {
  static NameTable Names;
  return Names;
}

Frame named(llvm::StringRef Function, llvm::StringRef SourceFile) {
  Frame F;
  F.Function = testNames().save(Function);
  F.SourceFile = testNames().save(SourceFile);
  return F;
}

SampleFile samples(StackCounts Stacks, double Weight = 1) {
  SampleFile File;
  File.Path = "samples";
  File.Weight = Weight;
  for (const auto &[Frames, Count] : Stacks)
    File.SampleCount += Count;
  File.Stacks = std::move(Stacks);
  return File;
}

const FunctionProfile *row(const Profile &P, llvm::StringRef Name,
                           llvm::StringRef FileSuffix = "") {
  for (const FunctionProfile &F : P.Functions)
    if (F.Name == Name && llvm::StringRef(F.File).endswith(FileSuffix))
      return &F;
  return nullptr;
}

class ProfileTest : public ::testing::Test {
protected:
  void SetUp() override {
    Elf = openFixture("riscv");
    ASSERT_TRUE(Elf);
  }

  Profile build(std::vector<SampleFile> Files) {
    llvm::Expected<Profile> P = buildProfile(*Elf, Files, {}, Log);
    if (!P) {
      ADD_FAILURE() << llvm::toString(P.takeError());
      return Profile();
    }
    return std::move(*P);
  }

  std::unique_ptr<Binary> Elf;
  DiagnosticLog Log;
};

TEST_F(ProfileTest, SelfGoesToFrameZeroCumulativeToEveryCaller) {
  uint64_t Filter = onlyFunction(*Elf, "fir_filter").Address;
  uint64_t Main = onlyFunction(*Elf, "main").Address;
  // A caller's address is a return address, one past the call.
  Profile P = build(
      {samples({{{at(Filter + 2), at(Main + 8)}, 3}, {{at(Main + 4)}, 1}})});
  EXPECT_EQ(4, P.TotalSamples);
  EXPECT_EQ(4, P.AttributedSamples);
  ASSERT_EQ("fir_filter", P.Functions[0].Name);
  EXPECT_EQ(3, P.Functions[0].Self);
  EXPECT_EQ(3, P.Functions[0].Cumulative);
  const FunctionProfile *MainRow = row(P, "main");
  ASSERT_TRUE(MainRow);
  EXPECT_EQ(1, MainRow->Self);
  EXPECT_EQ(4, MainRow->Cumulative);
}

TEST_F(ProfileTest, RecursionCountsOncePerStack) {
  uint64_t Filter = onlyFunction(*Elf, "fir_filter").Address;
  Profile P = build({samples({{{at(Filter + 2), at(Filter + 6)}, 2}})});
  EXPECT_EQ(2, P.Functions[0].Self);
  EXPECT_EQ(2, P.Functions[0].Cumulative);
}

TEST_F(ProfileTest, InlinedCodeCountsForTheFunctionItRunsIn) {
  const FunctionInfo &Filter = onlyFunction(*Elf, "fir_filter");
  uint64_t Inlined = 0;
  for (uint64_t A = Filter.Address; A < Filter.end() && !Inlined; A += 2)
    for (const InlinedFrame *Frame : Elf->inlinedAt(A))
      if (Frame->Name == "mix_step")
        Inlined = A;
  ASSERT_NE(0u, Inlined);
  Profile P = build({samples({{{at(Inlined)}, 5}})});
  const FunctionProfile *FilterRow = row(P, "fir_filter");
  ASSERT_TRUE(FilterRow);
  EXPECT_EQ(5, FilterRow->Self);
  EXPECT_EQ(5, FilterRow->Cumulative);
  // The out-of-line copy of mix_step did not run: moving it gains nothing.
  EXPECT_EQ(nullptr, row(P, "mix_step"));
  ASSERT_EQ(1u, FilterRow->Inlined.size());
  EXPECT_EQ("mix_step", FilterRow->Inlined[0].Name);
  EXPECT_EQ(5, FilterRow->Inlined[0].Samples);
  EXPECT_TRUE(llvm::StringRef(FilterRow->Inlined[0].File).endswith("filter.c"));
}

TEST_F(ProfileTest, ClonePartCountsUnderItsParent) {
  uint64_t Cold = onlyFunction(*Elf, "gc_collect.cold").Address;
  Profile P = build({samples({{{at(Cold)}, 2}})});
  const FunctionProfile *ColdRow = row(P, "gc_collect.cold");
  ASSERT_TRUE(ColdRow);
  EXPECT_EQ(2, ColdRow->Self);
  EXPECT_EQ("gc_collect", ColdRow->Parent);
  const FunctionProfile *Parent = row(P, "gc_collect");
  ASSERT_TRUE(Parent);
  EXPECT_EQ(0, Parent->Self);
  EXPECT_EQ(2, Parent->Cumulative);
}

TEST_F(ProfileTest, GdbSourceFileTellsStaticsApart) {
  Profile P = build({samples({{{named("scramble", "../src/vm.c")}, 3},
                              {{named("scramble", "../src/gc.c")}, 1}})});
  EXPECT_EQ(3, row(P, "scramble", "/src/vm.c")->Self);
  EXPECT_EQ(1, row(P, "scramble", "/src/gc.c")->Self);
  EXPECT_EQ(0, P.UnattributedTotal);
}

TEST_F(ProfileTest, WeightsScaleSamples) {
  uint64_t Filter = onlyFunction(*Elf, "fir_filter").Address;
  Profile P =
      build({samples({{{at(Filter)}, 2}}, 1.5), samples({{{at(Filter)}, 1}})});
  EXPECT_EQ(4, P.TotalSamples);
  EXPECT_EQ(4, P.Functions[0].Self);
}

TEST_F(ProfileTest, NoSampleInAFunctionMeansAnotherBuild) {
  std::vector<SampleFile> Files{samples({{{at(0x10000000)}, 2}})};
  llvm::Expected<Profile> P = buildProfile(*Elf, Files, {}, Log);
  ASSERT_FALSE(bool(P));
  EXPECT_NE(std::string::npos,
            llvm::toString(P.takeError())
                .find("'samples': none of its 2 samples falls in a function"));
  llvm::Expected<Profile> Allowed =
      buildProfile(*Elf, Files, {/*AllowMismatch=*/true}, Log);
  ASSERT_TRUE(bool(Allowed));
  EXPECT_EQ(2, Allowed->UnattributedTotal);
}

// More than three PCs where no instruction of the ELF starts prove another
// build, however many fall in functions; --allow-mismatch makes it a
// warning.
TEST_F(ProfileTest, PcsInsideInstructionsMeanAnotherBuild) {
  uint64_t Filter = onlyFunction(*Elf, "fir_filter").Address;
  std::vector<SampleFile> Files{
      samples({{{at(Filter)}, 100}, {{at(Filter + 1)}, 4}})};
  llvm::Expected<Profile> P = buildProfile(*Elf, Files, {}, Log);
  ASSERT_FALSE(bool(P));
  EXPECT_NE(std::string::npos,
            llvm::toString(P.takeError())
                .find("'samples': the samples come from a different build "
                      "than the ELF: 4 of 104 sample(s) are at no instruction "
                      "of '"));
  ASSERT_TRUE(bool(buildProfile(*Elf, Files, {/*AllowMismatch=*/true}, Log)));
  ASSERT_EQ(1u, Log.warnings().size());
  EXPECT_NE(std::string::npos,
            Log.warnings()[0].find("(inside the instruction at fir_filter)"))
      << Log.warnings()[0];
}

TEST_F(ProfileTest, UnattributedByRangeAndByName) {
  uint64_t Filter = onlyFunction(*Elf, "fir_filter").Address;
  llvm::Expected<Profile> Built =
      buildProfile(*Elf,
                   {samples({{{at(0x10000000)}, 2},
                             {{at(0x10000010)}, 1},
                             {{at(Filter)}, 1},
                             {{named("no_such_function", "")}, 4}})},
                   {/*AllowMismatch=*/true}, Log);
  ASSERT_TRUE(bool(Built)) << llvm::toString(Built.takeError());
  const Profile &P = *Built;
  EXPECT_EQ(7, P.UnattributedTotal);
  EXPECT_EQ(1, P.AttributedSamples);
  ASSERT_EQ(2u, P.Unattributed.size());
  EXPECT_EQ("'no_such_function', named by the samples, is no single function "
            "of the ELF",
            P.Unattributed[0].What);
  EXPECT_EQ("0x10000000-0x10000010 outside every section of the ELF",
            P.Unattributed[1].What);
  EXPECT_EQ(3, P.Unattributed[1].Samples);
}

SampleFile withHints(uint64_t Address, std::string Symbol, uint32_t Offset,
                     uint32_t Count) {
  SampleFile File = samples({{{at(Address)}, Count}});
  File.Hints[Address] = SymbolHint{File.Names->save(Symbol), Offset, 7, Count};
  return File;
}

TEST_F(ProfileTest, MatchingHintsPass) {
  uint64_t Filter = onlyFunction(*Elf, "fir_filter").Address;
  llvm::Expected<Profile> P = buildProfile(
      *Elf, {withHints(Filter + 2, "fir_filter", 2, 100)}, {}, Log);
  EXPECT_TRUE(bool(P)) << llvm::toString(P.takeError());
}

TEST_F(ProfileTest, HintsFromAnotherBuildStop) {
  uint64_t Filter = onlyFunction(*Elf, "fir_filter").Address;
  std::vector<SampleFile> Files{withHints(Filter + 2, "fir_filter", 6, 4)};
  llvm::Expected<Profile> P = buildProfile(*Elf, Files, {}, Log);
  ASSERT_FALSE(bool(P));
  std::string Message = llvm::toString(P.takeError());
  EXPECT_NE(std::string::npos,
            Message.find("'samples':7: the samples come from a different "
                         "build than the ELF: 4 sample(s) disagree"))
      << Message;
  EXPECT_TRUE(bool(buildProfile(*Elf, Files, {/*AllowMismatch=*/true}, Log)));
  ASSERT_EQ(1u, Log.warnings().size());
  EXPECT_EQ(0u, Log.warnings()[0].find("'samples':7: 4 sample(s) disagree"))
      << Log.warnings()[0];
}

TEST_F(ProfileTest, AFewStrayHintsOnlyWarn) {
  uint64_t Filter = onlyFunction(*Elf, "fir_filter").Address;
  llvm::Expected<Profile> P =
      buildProfile(*Elf, {withHints(Filter + 2, "fir_filter", 6, 3)}, {}, Log);
  EXPECT_TRUE(bool(P)) << llvm::toString(P.takeError());
  ASSERT_EQ(1u, Log.warnings().size());
  EXPECT_EQ(0u, Log.warnings()[0].find("'samples':7: 3 sample(s) disagree "
                                       "with '"))
      << Log.warnings()[0];
}

TEST_F(ProfileTest, MatchingSamplesWarnOfNothing) {
  uint64_t Filter = onlyFunction(*Elf, "fir_filter").Address;
  build({withHints(Filter + 2, "fir_filter", 2, 100)});
  EXPECT_TRUE(Log.empty());
}

TEST_F(ProfileTest, AnAmbiguousNameWarnsOnce) {
  // gc.c and vm.c each have a static scramble(); a folded stack names it
  // without saying which.
  uint64_t Filter = onlyFunction(*Elf, "fir_filter").Address;
  Profile P =
      build({samples({{{named("scramble", "")}, 2}, {{at(Filter)}, 1}}),
             samples({{{named("scramble", "")}, 1}, {{at(Filter)}, 1}})});
  EXPECT_EQ(3, P.UnattributedTotal);
  ASSERT_EQ(1u, Log.warnings().size());
  EXPECT_EQ(0u, Log.warnings()[0].find("'scramble' names 2 functions in '"))
      << Log.warnings()[0];
}

} // namespace

namespace {

// gdb names code the link dropped where its DWARF says, from 0 on: on the
// Arm fixture, gdb-multiarch's 'list *0xa' says "0xa is in
// board_selftest_checksum", dropped by --gc-sections, where the ELF has
// board_putc. Not a disagreement; a name that covers no dropped code still
// is.
TEST(ProfileDroppedCodeTest, GdbNamingDroppedCodeIsNoDisagreement) {
  auto Elf = openFixture("arm");
  ASSERT_TRUE(Elf);
  uint64_t Putc = onlyFunction(*Elf, "board_putc").Address;
  auto LogNaming = [&](llvm::StringRef Function) {
    SampleFile File = samples({{{at(Putc)}, 10}});
    File.PcFunctionHints[Putc] =
        FunctionHint{File.Names->save(Function), 3, 10};
    return File;
  };
  DiagnosticLog Log;
  llvm::Expected<Profile> P =
      buildProfile(*Elf, {LogNaming("board_selftest_checksum")}, {}, Log);
  ASSERT_TRUE(bool(P)) << llvm::toString(P.takeError());
  EXPECT_TRUE(Log.empty());
  llvm::Expected<Profile> Other =
      buildProfile(*Elf, {LogNaming("scale_reading")}, {}, Log);
  ASSERT_FALSE(bool(Other));
  EXPECT_NE(std::string::npos,
            llvm::toString(Other.takeError()).find("10 sample(s) disagree"));
}

} // namespace
