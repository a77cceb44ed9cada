#include "plan/Plan.h"
#include "support/Output.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "gtest/gtest.h"

using namespace ramfit;
using llvm::Expected;
using llvm::toString;

namespace {

Plan samplePlan() {
  Plan P;
  P.ElfPath = "build/firmware.elf";
  P.ElfSha256 = std::string(64, 'a');
  P.Budget = 16384;
  P.Used = 192;
  P.TotalSamples = 200;
  P.CoveredSamples = 199.5;
  P.TakenTotal = P.TotalSamples;
  P.TakenCovered = P.CoveredSamples;
  P.SampleFiles = {{"pc.log", std::string(64, 'b'), 1},
                   {"bt.log", std::string(64, 'c'), 0.5}};
  PlannedUnit Filter{
      "fir_filter",   "src/filter.c",     15, 104, 198, ".text.fir_filter", {},
      "obj/filter.o", "rank 1 by density"};
  PlannedUnit Collect{"gc_collect",
                      "src/gc.c",
                      13,
                      116,
                      6,
                      ".text.gc_collect",
                      {".text.unlikely.gc_collect"},
                      "obj/gc.o",
                      "rank 5 by density"};
  PlannedUnit Udiv{"__udivdi3", "",      0,  864,
                   1.5,         ".text", {}, "libgcc.a(_udivdi3.o)",
                   "pinned"};
  P.Units = {Filter, Collect, Udiv};
  P.Next = {Filter};
  return P;
}

TEST(PlanTest, RoundTripsByteForByte) {
  std::string First = planToYaml(samplePlan());
  Expected<Plan> Read = parsePlan("plan.yaml", First);
  ASSERT_TRUE(bool(Read)) << toString(Read.takeError());
  EXPECT_EQ(First, planToYaml(*Read));
  ASSERT_EQ(3u, Read->Units.size());
  EXPECT_EQ(std::vector<std::string>{".text.unlikely.gc_collect"},
            Read->Units[1].Companions);
  EXPECT_EQ("libgcc.a(_udivdi3.o)", Read->Units[2].Object);
  EXPECT_EQ(0.5, Read->SampleFiles[1].Weight);
}

TEST(PlanTest, PlacedAndFreedUnitsRoundTrip) {
  Plan P = samplePlan();
  P.Units[0].Placed = true;
  P.Free = {P.Units[1]};
  P.Free[0].Placed = true;
  std::string First = planToYaml(P);
  EXPECT_NE(std::string::npos, First.find("    placed: true\n"));
  EXPECT_NE(std::string::npos, First.find("\nfree:\n  - name: gc_collect\n"));
  Expected<Plan> Read = parsePlan("plan.yaml", First);
  ASSERT_TRUE(bool(Read)) << toString(Read.takeError());
  EXPECT_EQ(First, planToYaml(*Read));
  EXPECT_TRUE(Read->Units[0].Placed);
  EXPECT_FALSE(Read->Units[1].Placed);
  ASSERT_EQ(1u, Read->Free.size());
  EXPECT_TRUE(Read->Free[0].Placed);
  // A plan without placed code says nothing of it.
  EXPECT_EQ(std::string::npos, planToYaml(samplePlan()).find("placed"));
  EXPECT_EQ(std::string::npos, planToYaml(samplePlan()).find("free:"));
}

// Samples taken in code already in RAM: the totals as in flash, and as
// taken, both survive the file; a plan without such samples has no
// 'taken' and reads it as its totals.
TEST(PlanTest, TakenSamplesRoundTrip) {
  Plan P = samplePlan();
  P.TakenTotal = P.TotalSamples - 70;
  P.TakenCovered = P.CoveredSamples - 70;
  std::string First = planToYaml(P);
  Expected<Plan> Read = parsePlan("plan.yaml", First);
  ASSERT_TRUE(bool(Read)) << toString(Read.takeError());
  EXPECT_EQ(First, planToYaml(*Read));
  EXPECT_EQ(P.TakenTotal, Read->TakenTotal);
  EXPECT_EQ(P.TakenCovered, Read->TakenCovered);
  Plan Plain = samplePlan();
  Plain.TakenTotal = Plain.TotalSamples;
  Plain.TakenCovered = Plain.CoveredSamples;
  std::string Text = planToYaml(Plain);
  EXPECT_EQ(std::string::npos, Text.find("taken"));
  Expected<Plan> Untaken = parsePlan("plan.yaml", Text);
  ASSERT_TRUE(bool(Untaken)) << toString(Untaken.takeError());
  EXPECT_EQ(Plain.TotalSamples, Untaken->TakenTotal);
  EXPECT_EQ(Plain.CoveredSamples, Untaken->TakenCovered);
}

// The roots of the code that must run from RAM, the options that shaped
// it and its indirect calls survive the file, so that check finds the same
// code again.
TEST(PlanTest, MustRunFromRamRoundTrips) {
  Plan P = samplePlan();
  P.Roots = {{"trap_entry", "the trap vector, mtvec as set at 0x80000010"},
             {"flash_write", "code for a busy flash, in .ramtext"}};
  P.NotARoot = {"SVC_Handler"};
  P.Indirect = {"irq_middle=on_*"};
  P.MustRunFromRamBytes = 202;
  P.MustRunFromRamSamples = 3;
  P.IndirectCalls = {{"irq_middle", 0x800000f0, true}};
  std::string First = planToYaml(P);
  EXPECT_NE(std::string::npos,
            First.find("must_run_from_ram:\n  bytes: 202\n  samples: 3\n"));
  EXPECT_NE(std::string::npos,
            First.find("- {function: irq_middle, address: 0x800000f0, "
                       "targets_named: true}"));
  Expected<Plan> Read = parsePlan("plan.yaml", First);
  ASSERT_TRUE(bool(Read)) << toString(Read.takeError());
  EXPECT_EQ(First, planToYaml(*Read));
  ASSERT_EQ(2u, Read->Roots.size());
  EXPECT_EQ("flash_write", Read->Roots[1].Name);
  ASSERT_EQ(1u, Read->IndirectCalls.size());
  EXPECT_EQ(0x800000f0u, Read->IndirectCalls[0].Address);
  // A plan without roots says nothing of them.
  EXPECT_EQ(std::string::npos,
            planToYaml(samplePlan()).find("must_run_from_ram"));
}

TEST(PlanTest, AHandEditedPlanIsUsedAsItStands) {
  Expected<Plan> P = parsePlan("plan.yaml", "units:\n"
                                            "  - name: fir_filter\n"
                                            "    size: 104\n");
  ASSERT_TRUE(bool(P)) << toString(P.takeError());
  ASSERT_EQ(1u, P->Units.size());
  EXPECT_EQ("fir_filter", P->Units[0].Name);
}

std::string planError(const std::string &Content) {
  Expected<Plan> P = parsePlan("plan.yaml", Content);
  if (P) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return toString(P.takeError());
}

TEST(PlanTest, ErrorsPointAtLineAndColumn) {
  EXPECT_EQ(
      "'plan.yaml':3:5: unknown key 'sise' in a unit; did you mean 'size'?",
      planError("units:\n  - name: f\n    sise: 4\n"));
  EXPECT_EQ("'plan.yaml':3:11: '-4' must not be negative",
            planError("units:\n  - name: f\n    size: -4\n"));
  EXPECT_EQ("'plan.yaml':3:11: expected a number, got 'big'",
            planError("units:\n  - name: f\n    size: big\n"));
  EXPECT_EQ("'plan.yaml':3:13: expected true or false, got 'maybe'",
            planError("units:\n  - name: f\n    placed: maybe\n"));
  EXPECT_EQ("'plan.yaml':2:5: a unit has no 'size'",
            planError("units:\n  - name: f\n"));
  EXPECT_EQ("'plan.yaml':1:1: the plan has no 'units'",
            planError("budget:\n  bytes: 4\n"));
  EXPECT_EQ("'plan.yaml':1:1: unknown key 'colour' in the plan",
            planError("colour: red\nunits: []\n"));
}

TEST(PlanTest, SyntaxErrorsPointAtLineAndColumn) {
  std::string Message = planError("units:\n  - name: [f\n");
  EXPECT_EQ(0u, Message.find("'plan.yaml':")) << Message;
}

TEST(PlanTest, AtomicWriteReplacesTheWholeFile) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("plan-test", Dir));
  std::string Path = (Dir + "/plan.yaml").str();
  ASSERT_FALSE(bool(writeFileAtomically(Path, "first version\n")));
  ASSERT_FALSE(bool(writeFileAtomically(Path, "second\n")));
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  ASSERT_TRUE(bool(Buffer));
  EXPECT_EQ("second\n", (*Buffer)->getBuffer());
  std::error_code EC;
  size_t Entries = 0;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    ++Entries;
  EXPECT_EQ(1u, Entries) << "no temporary file is left behind";
  llvm::sys::fs::remove_directories(Dir);
}

TEST(PlanTest, WritingIntoAMissingDirectoryFails) {
  llvm::Error Err = writeFileAtomically("/nonexistent-dir/plan.yaml", "x");
  ASSERT_TRUE(bool(Err));
  EXPECT_EQ(0u,
            toString(std::move(Err)).find("'/nonexistent-dir/plan.yaml': "));
}

} // namespace

namespace {

TEST(PlanTest, PathsInsideThePlansDirectoryAreRelative) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("plan-paths", Dir));
  Plan P;
  P.ElfPath = (Dir + "/build/firmware.elf").str();
  P.SampleFiles = {{(Dir + "/samples.txt").str(), "", 1}};
  PlannedUnit Inside;
  Inside.Name = "f";
  Inside.File = (Dir + "/src/f.c").str();
  Inside.Object = "build/obj/f.o";
  PlannedUnit Outside;
  Outside.Name = "__udivdi3";
  Outside.File = "/build/gcc/libgcc/libgcc2.c";
  P.Units = {Inside, Outside};

  std::string Yaml = planToYaml(P, Dir);
  EXPECT_NE(std::string::npos, Yaml.find("  path: build/firmware.elf\n"));
  EXPECT_NE(std::string::npos, Yaml.find("    - path: samples.txt\n"));
  EXPECT_NE(std::string::npos, Yaml.find("    file: src/f.c\n"));
  EXPECT_NE(std::string::npos,
            Yaml.find("    file: /build/gcc/libgcc/libgcc2.c\n"));
  EXPECT_NE(std::string::npos, Yaml.find("    object: build/obj/f.o\n"));

  std::string PlanPath = (Dir + "/plan.yaml").str();
  ASSERT_FALSE(bool(writeFileAtomically(PlanPath, Yaml)));
  llvm::Expected<Plan> Read = readPlan(PlanPath);
  ASSERT_TRUE(bool(Read)) << llvm::toString(Read.takeError());
  EXPECT_EQ(P.ElfPath, Read->ElfPath);
  EXPECT_EQ(P.Units[0].File, Read->Units[0].File);
  EXPECT_EQ("build/obj/f.o", Read->Units[0].Object);
  EXPECT_EQ(Yaml, planToYaml(*Read, planDirectory(PlanPath)));
  llvm::sys::fs::remove_directories(Dir);
}

// A plan kept in a folder of the tree (boards/fomu/) names the ELF and the
// sources beside it with '..', and reads them where the tree now is.
TEST(PlanTest, PathsBesideThePlansDirectoryMoveWithTheTree) {
  Plan P;
  P.ElfPath = "/work/tree/ports/litex/build-fomu/firmware.elf";
  PlannedUnit Unit;
  Unit.Name = "mp_execute_bytecode";
  Unit.File = "/work/tree/py/vm.c";
  P.Units = {Unit};
  std::string Yaml = planToYaml(P, "/work/tree/ports/litex/boards/fomu");
  EXPECT_NE(std::string::npos,
            Yaml.find("  path: ../../build-fomu/firmware.elf\n"))
      << Yaml;
  EXPECT_NE(std::string::npos, Yaml.find("    file: ../../../../py/vm.c\n"))
      << Yaml;
  llvm::Expected<Plan> Moved = parsePlan("plan.yaml", Yaml);
  ASSERT_TRUE(bool(Moved)) << llvm::toString(Moved.takeError());
  // As readPlan resolves them, for a tree now in /elsewhere.
  EXPECT_EQ(
      "/elsewhere/tree/ports/litex/build-fomu/firmware.elf",
      resolvedIn("/elsewhere/tree/ports/litex/boards/fomu", Moved->ElfPath));
  EXPECT_EQ("/elsewhere/tree/py/vm.c",
            resolvedIn("/elsewhere/tree/ports/litex/boards/fomu",
                       Moved->Units[0].File));
}

} // namespace

namespace {

TEST(PlanTest, UnchangedBytesLeaveTheFileAlone) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("unchanged", Dir));
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
