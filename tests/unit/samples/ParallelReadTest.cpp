#include "samples/ParallelRead.h"
#include "DiagnosticLog.h"
#include "samples/GdbLines.h"
#include "samples/GdbLog.h"
#include "samples/HexList.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"
#include <string>

using namespace ramfit;
using llvm::StringRef;

namespace {

/// A gdb log as a user records it: interruptions, stop lines with and
/// without an address, source echoes, 'p $pc' values and backtraces.
std::string gdbLog(unsigned Samples) {
  std::string Log;
  llvm::raw_string_ostream OS(Log);
  OS << "Remote debugging using :3333\n";
  for (unsigned I = 0; I < Samples; ++I) {
    unsigned Function = (I * 7) % 13;
    // New addresses keep appearing, so later ranges see some first.
    uint64_t Address =
        0x80000000 + (I / 5000) * 0x10000 + Function * 0x100 + (I % 5) * 2;
    OS << "\nProgram received signal SIGINT, Interrupt.\n";
    if (I % 5)
      OS << llvm::format_hex(Address, 10) << " in ";
    OS << "f" << Function << " (x=<optimized out>) at src/f.c:" << 10 + I % 9
       << "\n"
       << 10 + I % 9 << "\t  x = x * 3;\n";
    if (I % 3 == 0) {
      OS << "#0  " << llvm::format_hex(Address, 10) << " in f" << Function
         << " (x=1) at src/f.c:12\n"
         << "#1  0x80001004 in main () at src/main.c:" << 20 + I % 2 << "\n";
    } else {
      OS << "$" << I + 1 << " = (void (*)()) " << llvm::format_hex(Address, 10)
         << " <f" << Function << "+" << (I % 5) * 2 << ">\n";
    }
  }
  return Log;
}

class RangesTest : public ::testing::Test {
protected:
  /// The content read in Ranges ranges, or nothing if they gave up.
  std::optional<SampleFile> readInRangesOf(StringRef Content, unsigned Ranges,
                                           SampleFormat Format) {
    llvm::SmallString<128> Path;
    EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("ranges", "log", Path));
    Remover.emplace(Path);
    {
      std::error_code EC;
      llvm::raw_fd_ostream Out(Path, EC);
      Out << Content;
    }
    llvm::Expected<llvm::sys::fs::file_t> File =
        llvm::sys::fs::openNativeFileForRead(Path);
    if (!File) {
      ADD_FAILURE() << llvm::toString(File.takeError());
      return std::nullopt;
    }
    SampleFile Head;
    Head.Path = "test.log";
    Head.Format = Format;
    bool IsGdb = Format == SampleFormat::GdbLog;
    std::optional<SampleFile> Read = readInRanges(
        *File, Content.size(), Ranges, Head,
        [&](StringRef Line) { return !IsGdb || isInterruption(Line); },
        [&](SampleFile &Out, DiagnosticHandler Diag) {
          return IsGdb ? makeGdbLogParser(Out, Diag)
                       : makeHexListParser(Out, Diag);
        });
    llvm::sys::fs::closeFile(*File);
    return Read;
  }

  std::optional<llvm::FileRemover> Remover;
};

SampleFile readWhole(StringRef Content, SampleFormat Format) {
  DiagnosticLog Log;
  llvm::Expected<SampleFile> File =
      parseSamples("test.log", Content, Format, Log);
  EXPECT_TRUE(static_cast<bool>(File));
  return File ? std::move(*File) : SampleFile();
}

template <typename Hints>
void expectSameHints(const Hints &Expected, const Hints &Actual) {
  ASSERT_EQ(Expected.size(), Actual.size());
  for (const auto &[Address, Hint] : Expected) {
    auto Found = Actual.find(Address);
    ASSERT_NE(Found, Actual.end());
    EXPECT_EQ(Hint.Line, Found->second.Line) << Address;
    EXPECT_EQ(Hint.Count, Found->second.Count) << Address;
  }
}

void expectSameSamples(const SampleFile &Expected, const SampleFile &Actual) {
  EXPECT_EQ(Expected.SampleCount, Actual.SampleCount);
  EXPECT_EQ(Expected.PcCounts.size(), Actual.PcCounts.size());
  for (const auto &[Address, Count] : Expected.PcCounts)
    EXPECT_EQ(Count, Actual.PcCounts.lookup(Address)) << Address;
  EXPECT_EQ(Expected.Stacks, Actual.Stacks);
  expectSameHints(Expected.Hints, Actual.Hints);
  for (const auto &[Address, Hint] : Expected.Hints)
    EXPECT_EQ(Hint.Symbol, Actual.Hints.lookup(Address).Symbol);
  expectSameHints(Expected.PcFunctionHints, Actual.PcFunctionHints);
  expectSameHints(Expected.CallerFunctionHints, Actual.CallerFunctionHints);
}

TEST_F(RangesTest, AGdbLogReadInRangesCountsWhatOneReadCounts) {
  std::string Log = gdbLog(400);
  std::optional<SampleFile> Ranged =
      readInRangesOf(Log, 4, SampleFormat::GdbLog);
  ASSERT_TRUE(Ranged.has_value());
  SampleFile Whole = readWhole(Log, SampleFormat::GdbLog);
  EXPECT_EQ(Whole.SampleCount, 400u);
  expectSameSamples(Whole, *Ranged);
}

TEST_F(RangesTest, ACutFindsASampleStartFarPastIt) {
  // 200 KB of noise around the middle: the first window after the cut
  // point holds no interruption, the larger one does.
  std::string Noise;
  while (Noise.size() < 200 << 10)
    Noise += "warning: the target was slow to answer\n";
  std::string Log = gdbLog(300) + Noise + gdbLog(300);
  std::optional<SampleFile> Ranged =
      readInRangesOf(Log, 2, SampleFormat::GdbLog);
  ASSERT_TRUE(Ranged.has_value());
  expectSameSamples(readWhole(Log, SampleFormat::GdbLog), *Ranged);
}

TEST_F(RangesTest, AHexListIsCutAtAnyLine) {
  std::string List;
  for (unsigned I = 0; I < 5000; ++I)
    List += llvm::utohexstr(0x8000 + (I * 31) % 997) + "\n";
  std::optional<SampleFile> Ranged =
      readInRangesOf(List, 3, SampleFormat::HexList);
  ASSERT_TRUE(Ranged.has_value());
  expectSameSamples(readWhole(List, SampleFormat::HexList), *Ranged);
}

TEST_F(RangesTest, ALineNotUnderstoodLeavesTheFileToOneRead) {
  // The warning names the line, which only a front-to-back read knows.
  std::string Log = gdbLog(400) + "an unknown line\n" + gdbLog(10);
  EXPECT_FALSE(readInRangesOf(Log, 4, SampleFormat::GdbLog).has_value());
}

TEST_F(RangesTest, ALogWithoutInterruptionsIsNotCut) {
  std::string Log;
  for (unsigned I = 1; I <= 3000; ++I)
    Log += "$" + std::to_string(I) + " = (void (*)()) 0x80000010 <f+16>\n";
  EXPECT_FALSE(readInRangesOf(Log, 4, SampleFormat::GdbLog).has_value());
}

TEST_F(RangesTest, OneRangeIsOneRead) {
  EXPECT_FALSE(readInRangesOf(gdbLog(50), 1, SampleFormat::GdbLog).has_value());
}

TEST(SampleFileTest, ALargeLogReadWithoutItsHashCountsTheSame) {
  // Large enough to be read on every core the machine has.
  std::string Log = gdbLog(400000);
  ASSERT_GT(Log.size(), 32u << 20);
  llvm::SmallString<128> Path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("large", "log", Path));
  llvm::FileRemover Remover(Path);
  {
    std::error_code EC;
    llvm::raw_fd_ostream Out(Path, EC);
    Out << Log;
  }
  DiagnosticLog Log1, Log2;
  llvm::Expected<SampleFile> Hashed =
      readSampleFile(Path, SampleFormat::Auto, Log1, ContentHash::Take);
  llvm::Expected<SampleFile> Fast =
      readSampleFile(Path, SampleFormat::Auto, Log2, ContentHash::Skip);
  ASSERT_TRUE(Hashed && Fast);
  EXPECT_EQ(Hashed->Sha256.size(), 64u);
  EXPECT_TRUE(Fast->Sha256.empty());
  expectSameSamples(*Hashed, *Fast);
  EXPECT_TRUE(Log1.empty());
  EXPECT_TRUE(Log2.empty());
}

} // namespace
