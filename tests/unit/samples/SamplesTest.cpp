#include "samples/Samples.h"
#include "DiagnosticLog.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"
#include <string>

using namespace ramfit;
using llvm::StringRef;

namespace {

/// Hex lists, folded stacks and gmon.out are read without warnings.
SampleFile parseOk(StringRef Content,
                   SampleFormat Format = SampleFormat::Auto) {
  DiagnosticLog Log;
  llvm::Expected<SampleFile> File = parseSamples("test", Content, Format, Log);
  if (!File) {
    ADD_FAILURE() << llvm::toString(File.takeError());
    return SampleFile();
  }
  EXPECT_TRUE(Log.empty());
  return std::move(*File);
}

std::string parseError(StringRef Content,
                       SampleFormat Format = SampleFormat::Auto) {
  DiagnosticLog Log;
  llvm::Expected<SampleFile> File = parseSamples("test", Content, Format, Log);
  if (File) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return llvm::toString(File.takeError());
}

/// Frames' names live in a name table; the tests' live as long as they do.
NameTable &testNames() {
  static NameTable Names;
  return Names;
}

Frame at(uint64_t Address, StringRef Function = "", StringRef SourceFile = "") {
  Frame F;
  F.Address = Address;
  F.Function = testNames().save(Function);
  F.SourceFile = testNames().save(SourceFile);
  return F;
}

Frame named(StringRef Function, StringRef SourceFile = "") {
  Frame F;
  F.Function = testNames().save(Function);
  F.SourceFile = testNames().save(SourceFile);
  return F;
}

// As gdb 13 writes it with 'set logging on' around 'cont; p $pc'.
const char PcLog[] =
    R"(Warning: 'set logging on', an alias for the command 'set logging enabled', is deprecated.
Use 'set logging enabled on'.

Program received signal SIGINT, Interrupt.
0x80023166 in gc_alloc (n_bytes=16, alloc_flags=0) at ../../py/gc.c:480
480	        if (ATB_GET_KIND(area, block) == AT_FREE) {
$1 = (void (*)()) 0x80023166 <gc_alloc+144>
Continuing.

Program received signal SIGINT, Interrupt.
mp_execute_bytecode (code_state=0x10001f00, inject_exc=0x0) at ../../py/vm.c:300
300	    MICROPY_VM_HOOK_INIT
$2 = (void (*)()) 0x80002a4a <mp_execute_bytecode>
Continuing.

Program received signal SIGINT, Interrupt.
0x80023166 in gc_alloc (n_bytes=16, alloc_flags=0) at ../../py/gc.c:480
480	        if (ATB_GET_KIND(area, block) == AT_FREE) {
$3 = (void (*)()) 0x80023166 <gc_alloc+144>
Warning: 'set logging off', an alias for the command 'set logging enabled', is deprecated.
Use 'set logging enabled off'.
)";

TEST(SamplesTest, GdbPcLog) {
  SampleFile File = parseOk(PcLog);
  EXPECT_EQ(SampleFormat::GdbLog, File.Format);
  EXPECT_EQ(3u, File.SampleCount);
  // The PC is the sample; gdb's names are kept to check the build.
  EXPECT_TRUE(File.Stacks.empty());
  EXPECT_EQ(2u, File.PcCounts.lookup(0x80023166));
  EXPECT_EQ(1u, File.PcCounts.lookup(0x80002a4a));
  EXPECT_EQ("gc_alloc", File.PcFunctionHints[0x80023166].Function);
  EXPECT_EQ(2u, File.PcFunctionHints[0x80023166].Count);
  EXPECT_EQ(5u, File.PcFunctionHints[0x80023166].Line);

  ASSERT_EQ(2u, File.Hints.size());
  EXPECT_EQ("gc_alloc", File.Hints[0x80023166].Symbol);
  EXPECT_EQ(144u, File.Hints[0x80023166].Offset);
  EXPECT_EQ(2u, File.Hints[0x80023166].Count);
  EXPECT_EQ(7u, File.Hints[0x80023166].Line);
  EXPECT_EQ(0u, File.Hints[0x80002a4a].Offset);
}

// Without stop lines every value line is its own sample.
TEST(SamplesTest, GdbValuesOnly) {
  SampleFile File = parseOk("$1 = (void (*)()) 0x10 <f+4>\n"
                            "$2 = (void (*)()) 0x10 <f+4>\n"
                            "$3 = 42\n"
                            "$4 = (void (*)()) 0x20\n");
  EXPECT_EQ(3u, File.SampleCount);
  EXPECT_EQ(2u, File.PcCounts.lookup(0x10));
  EXPECT_EQ(1u, File.PcCounts.lookup(0x20));
}

const char BacktraceLog[] = R"(
Program received signal SIGINT, Interrupt.
#0  0x8001828c in fun_bc_call (self_in=0x2001, n_args=1, n_kw=0, args=0x10001f80) at ../../py/objfun.c:294
#1  0x80012c10 in mp_call_function_n_kw (fun_in=0x2001, n_args=1, n_kw=0, args=0x10001f80) at ../../py/runtime.c:665
#2  0x800001f0 in main () at main.c:12

Program received signal SIGINT, Interrupt.
#0  gc_collect (heap=<optimized out>) at ../../py/gc.c:300
#1  0x800001f0 in main () at main.c:12
)";

TEST(SamplesTest, GdbBacktraceLog) {
  SampleFile File = parseOk(BacktraceLog);
  EXPECT_EQ(2u, File.SampleCount);
  Stack Call{at(0x8001828c, "fun_bc_call", "../../py/objfun.c"),
             at(0x80012c10, "mp_call_function_n_kw", "../../py/runtime.c"),
             at(0x800001f0, "main", "main.c")};
  EXPECT_EQ(1u, File.Stacks.countOf(Call));
  // Frame #0 without an address is known by name and file.
  Stack Collect{named("gc_collect", "../../py/gc.c"),
                at(0x800001f0, "main", "main.c")};
  EXPECT_EQ(1u, File.Stacks.countOf(Collect));
}

// CircuitPython's profiling.gdb.txt prints $pc, then the backtrace.
TEST(SamplesTest, GdbMixedLogTakesPcFromValue) {
  SampleFile File = parseOk(R"(
Program received signal SIGINT, Interrupt.
gc_collect (heap=0x0) at ../../py/gc.c:300
300	  for (;;)
$1 = (void (*)()) 0x80000100 <gc_collect>
#0  gc_collect (heap=0x0) at ../../py/gc.c:300
#1  0x800001f0 in main () at main.c:12
)");
  EXPECT_EQ(1u, File.SampleCount);
  Stack Expected{at(0x80000100, "gc_collect", "../../py/gc.c"),
                 at(0x800001f0, "main", "main.c")};
  EXPECT_EQ(1u, File.Stacks.countOf(Expected));
}

TEST(SamplesTest, HexList) {
  SampleFile File = parseOk("# header\n0x80000010\n80000010\n\n0X20\r\n");
  EXPECT_EQ(SampleFormat::HexList, File.Format);
  EXPECT_EQ(3u, File.SampleCount);
  EXPECT_EQ(2u, File.PcCounts.lookup(0x80000010));
  EXPECT_TRUE(File.Stacks.empty());
}

TEST(SamplesTest, HexListRejectsGarbageWithLine) {
  EXPECT_EQ("'test':3: not a hex address: 'zz'",
            parseError("0x10\n0x20\nzz\n", SampleFormat::HexList));
}

TEST(SamplesTest, Folded) {
  SampleFile File = parseOk("main;mp_execute_bytecode;gc_alloc 12\n"
                            "main;0x80000010 3\n");
  EXPECT_EQ(SampleFormat::Folded, File.Format);
  EXPECT_EQ(15u, File.SampleCount);
  Stack Alloc{named("gc_alloc"), named("mp_execute_bytecode"), named("main")};
  EXPECT_EQ(12u, File.Stacks.countOf(Alloc));
  Stack ByAddress{at(0x80000010), named("main")};
  EXPECT_EQ(3u, File.Stacks.countOf(ByAddress));
}

TEST(SamplesTest, FoldedRejectsMissingCount) {
  EXPECT_EQ("'test':2: expected 'frame;frame;... COUNT', got 'main;f'",
            parseError("main 1\nmain;f\n", SampleFormat::Folded));
}

std::string gmonHeader() {
  return std::string("gmon\1\0\0\0", 8) + std::string(12, '\0');
}

std::string le32(uint32_t V) {
  std::string S;
  for (int I = 0; I < 4; ++I)
    S += char((V >> (8 * I)) & 0xff);
  return S;
}

std::string histogram(uint32_t Low, uint32_t High, uint32_t Bins,
                      const std::string &BinData) {
  std::string Dimension = "seconds";
  Dimension.resize(15, '\0');
  return std::string(1, '\0') + le32(Low) + le32(High) + le32(Bins) +
         le32(100) + Dimension + "s" + BinData;
}

TEST(SamplesTest, GmonHistogram) {
  // Four bins of 4 bytes each over 0x1000-0x1010.
  std::string Bins("\0\0\3\0\0\0\1\0", 8);
  SampleFile File = parseOk(gmonHeader() + histogram(0x1000, 0x1010, 4, Bins));
  EXPECT_EQ(SampleFormat::Gmon, File.Format);
  EXPECT_EQ(4u, File.SampleCount);
  EXPECT_EQ(3u, File.PcCounts.lookup(0x1004));
  EXPECT_EQ(1u, File.PcCounts.lookup(0x100c));
}

TEST(SamplesTest, GmonRejectsHostileBinCount) {
  std::string Bins("\1\0", 2);
  EXPECT_EQ(
      "'test': histogram record at offset 20 claims 2147483648 bins but "
      "only 2 bytes follow",
      parseError(gmonHeader() + histogram(0x1000, 0x2000, 1u << 31, Bins)));
}

TEST(SamplesTest, GmonRejectsTruncatedHeader) {
  EXPECT_EQ("'test': gmon.out header is truncated", parseError("gmon\1\0"));
}

TEST(SamplesTest, DetectionNamesFirstFailingLine) {
  EXPECT_EQ("'test':2: no known sample format (gdb log, hex list, gmon.out, "
            "cycle profile, folded stacks) matches 'hello there'",
            parseError("# comment\nhello there\n"));
  EXPECT_EQ("'test': no samples: the file is empty", parseError("\n\n"));
  EXPECT_EQ("'test': binary data in no known sample format",
            parseError(std::string("\x7f"
                                   "ELF\0\1",
                                   6)));
}

TEST(SamplesTest, FormatNames) {
  EXPECT_EQ(SampleFormat::Gmon, *parseSampleFormat("gmon"));
  EXPECT_EQ("folded", sampleFormatName(SampleFormat::Folded));
  llvm::Expected<SampleFormat> Bad = parseSampleFormat("perf");
  ASSERT_FALSE(bool(Bad));
  llvm::consumeError(Bad.takeError());
}

TEST(SamplesTest, WeightFromFileName) {
  llvm::SmallString<128> Path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("weight", "hex", Path));
  {
    std::error_code EC;
    llvm::raw_fd_ostream Out(Path, EC);
    Out << "0x10\n";
  }
  DiagnosticLog Log;
  llvm::Expected<SampleFile> File =
      readSampleFile((Path + "@2.5").str(), SampleFormat::Auto, Log);
  ASSERT_TRUE(bool(File)) << llvm::toString(File.takeError());
  EXPECT_EQ(2.5, File->Weight);
  EXPECT_EQ(Path.str(), File->Path);
  llvm::sys::fs::remove(Path);
}

/// Writes Content to a new temporary file and returns its path.
std::string temporaryFile(StringRef Suffix, StringRef Content) {
  llvm::SmallString<128> Path;
  EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("samples", Suffix, Path));
  std::error_code EC;
  llvm::raw_fd_ostream Out(Path, EC);
  Out << Content;
  return Path.str().str();
}

TEST(SamplesTest, StreamsLinesAcrossReadChunks) {
  // Lines of varying length so that chunk boundaries fall mid-line, CRLF
  // and a last line without a newline.
  std::string Content;
  uint64_t Expected = 0;
  for (unsigned I = 0; I < 200000; ++I) {
    Content += "0x" + std::string(I % 7, '0') + "8000" +
               std::to_string(I % 10) + (I % 3 ? "\n" : "\r\n");
    ++Expected;
  }
  Content += "0x80001";
  ++Expected;
  std::string Path = temporaryFile("hex", Content);
  DiagnosticLog Log;
  llvm::Expected<SampleFile> File =
      readSampleFile(Path, SampleFormat::Auto, Log);
  ASSERT_TRUE(bool(File)) << llvm::toString(File.takeError());
  EXPECT_EQ(Expected, File->SampleCount);
  EXPECT_EQ(10u, File->PcCounts.size());
  EXPECT_EQ(20000u + 1, File->PcCounts.lookup(0x80001));
  llvm::sys::fs::remove(Path);
}

TEST(SamplesTest, GdbHintsSurviveReadChunks) {
  // Each line a new address, so hints are taken on every line, those that
  // straddle the reader's chunks included.
  std::string Content;
  for (unsigned I = 0; I < 60000; ++I)
    Content += "$" + std::to_string(I + 1) + " = (void (*)()) 0x" +
               llvm::utohexstr(0x80000000 + 2 * I) + " <fir_filter+" +
               std::to_string(2 * I) + ">\n";
  std::string Path = temporaryFile("log", Content);
  DiagnosticLog Log;
  llvm::Expected<SampleFile> File =
      readSampleFile(Path, SampleFormat::Auto, Log);
  ASSERT_TRUE(bool(File)) << llvm::toString(File.takeError());
  ASSERT_EQ(60000u, File->Hints.size());
  for (const auto &[Address, Hint] : File->Hints) {
    EXPECT_EQ("fir_filter", Hint.Symbol);
    EXPECT_EQ(Address - 0x80000000, Hint.Offset);
  }
  llvm::sys::fs::remove(Path);
}

TEST(SamplesTest, OverlongLineStopsTheReadingWithItsNumber) {
  std::string Path =
      temporaryFile("hex", "0x10\n0x20\n" + std::string(100000, '1'));
  DiagnosticLog Log;
  llvm::Expected<SampleFile> File =
      readSampleFile(Path, SampleFormat::HexList, Log);
  ASSERT_FALSE(bool(File));
  EXPECT_EQ("'" + Path + "':3: line is longer than 64 KiB: not a sample file",
            llvm::toString(File.takeError()));
  llvm::sys::fs::remove(Path);
}

TEST(SamplesTest, DirectoryIsNotASampleFile) {
  DiagnosticLog Log;
  llvm::Expected<SampleFile> File =
      readSampleFile(llvm::sys::path::get_separator(), SampleFormat::Auto, Log);
  ASSERT_FALSE(bool(File));
  EXPECT_NE(std::string::npos,
            llvm::toString(File.takeError()).find("is a directory"));
}

} // namespace

// A plan records each sample file's hash; it is taken while the file
// streams by, not by reading the file again.
TEST(SamplesTest, HashTakenWhileReading) {
  llvm::SmallString<128> Path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("samples", "hex", Path));
  std::string Content;
  for (int I = 0; I < 300000; ++I)
    Content += "0x8000" + llvm::utohexstr(I % 4096, true, 4) + "\n";
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << Content;
  }
  DiagnosticLog Log;
  llvm::Expected<SampleFile> File =
      readSampleFile(Path, SampleFormat::Auto, Log);
  llvm::sys::fs::remove(Path);
  ASSERT_TRUE(bool(File)) << llvm::toString(File.takeError());
  EXPECT_EQ(300000u, File->SampleCount);
  EXPECT_EQ(
      llvm::toHex(llvm::SHA256::hash(llvm::arrayRefFromStringRef(Content)),
                  /*LowerCase=*/true),
      File->Sha256);
}
