// Each form of gdb 13 output the log reader accepts, as gdb writes it.
#include "DiagnosticLog.h"
#include "samples/Samples.h"

#include "gtest/gtest.h"
#include <string>

using namespace ramfit;

namespace {

/// Every form here is understood: a line skipped with a warning fails the
/// test unless the test asks for the warnings.
SampleFile parse(llvm::StringRef Content, DiagnosticLog *Warnings = nullptr) {
  DiagnosticLog Log;
  llvm::Expected<SampleFile> File =
      parseSamples("test.log", Content, SampleFormat::GdbLog, Log);
  if (!File) {
    ADD_FAILURE() << llvm::toString(File.takeError());
    return SampleFile();
  }
  if (Warnings)
    *Warnings = Log;
  else
    EXPECT_TRUE(Log.empty()) << Log.warnings().front();
  return std::move(*File);
}

/// Frames' names live in a name table; the tests' live as long as they do.
Frame at(uint64_t Address, llvm::StringRef Function,
         llvm::StringRef SourceFile) {
  static NameTable Names;
  return Frame{Address, Names.save(Function), Names.save(SourceFile)};
}

// Commands from a pipe: gdb's prompt before the first line of each output,
// and twice where a command printed nothing.
TEST(GdbLogTest, PromptsFromAPipe) {
  SampleFile File = parse(R"((gdb) Continuing.

Program received signal SIGINT, Interrupt.
0x80000136 in lookup_slot (key=key@entry=154, seed=7) at src/expr.c:59
59	    hash += slots[(slot + 1u) % SLOTS] ^ (hash << 3);
(gdb) $1 = (void (*)()) 0x80000136 <lookup_slot+30>
(gdb) #0  0x80000136 in lookup_slot (key=key@entry=154, seed=7) at src/expr.c:59
#1  0x80000294 in lookup_slot (seed=7, key=<optimized out>) at src/expr.c:51
#2  expr_workload (rounds=rounds@entry=24) at src/expr.c:85
#3  0x800005d2 in main () at src/main.c:51
(gdb) (gdb) Continuing.
)");
  EXPECT_EQ(1u, File.SampleCount);
  // Frame #2 has no address: lookup_slot was inlined into expr_workload at
  // 0x80000294, one frame of code that runs in expr_workload.
  Stack Expected{at(0x80000136, "lookup_slot", "src/expr.c"),
                 at(0x80000294, "expr_workload", "src/expr.c"),
                 at(0x800005d2, "main", "src/main.c")};
  EXPECT_EQ(1u, File.Stacks.countOf(Expected));
  EXPECT_EQ("lookup_slot", File.Hints[0x80000136].Symbol);
  EXPECT_EQ(30u, File.Hints[0x80000136].Offset);
  EXPECT_EQ("lookup_slot", File.PcFunctionHints[0x80000136].Function);
  EXPECT_EQ(1u, File.PcFunctionHints[0x80000136].Count);
  EXPECT_EQ("lookup_slot", File.CallerFunctionHints[0x80000294].Function);
  EXPECT_EQ("main", File.CallerFunctionHints[0x800005d2].Function);
}

// The PC is at the start of a line: no address in the stop line or frame
// #0, and frame #0 is a function inlined into frame #1.
TEST(GdbLogTest, InlinedFrameZeroTakesThePcOfItsSample) {
  SampleFile File = parse(R"(
Program received signal SIGINT, Interrupt.
combine (b=1.25, a=1, op=<optimized out>) at src/expr.c:36
36	    return a * 0.5f + b;
$1 = (void (*)()) 0x800001c8 <eval_node+80>
#0  combine (b=1.25, a=1, op=<optimized out>) at src/expr.c:36
#1  eval_node (nodes=nodes@entry=0x8040010c <tree>, index=<optimized out>) at src/expr.c:44
#2  0x8000019e in eval_node (nodes=nodes@entry=0x8040010c <tree>, index=<optimized out>) at src/expr.c:44
#3  0x80000254 in expr_workload (rounds=rounds@entry=24) at src/expr.c:83
)");
  Stack Expected{at(0x800001c8, "eval_node", "src/expr.c"),
                 at(0x8000019e, "eval_node", "src/expr.c"),
                 at(0x80000254, "expr_workload", "src/expr.c")};
  EXPECT_EQ(1u, File.Stacks.countOf(Expected));
  EXPECT_EQ(1u, File.SampleCount);
}

// 'p/x $pc', 'info registers pc' and 'x/i $pc' name the PC too; one sample
// shown by several of them is one sample.
TEST(GdbLogTest, EveryWayOfPrintingThePc) {
  SampleFile File = parse(R"(
Program received signal SIGINT, Interrupt.
(gdb) pc             0x16c               0x16c <eval_node>
(gdb) => 0x16c <eval_node>:	push	{r4, r5, r6, lr}
(gdb) $1 = 0x16c

Program received signal SIGINT, Interrupt.
pc             0x748	0x748 <__aeabi_fadd>

Program received signal SIGINT, Interrupt.
=> 0x5ec <__aeabi_fmul+23>:	lsls	r2, r0, #1

Program received signal SIGINT, Interrupt.
$2 = 0x200
$3 = 42
$4 = (int *) 0x300
)");
  EXPECT_EQ(4u, File.SampleCount);
  EXPECT_EQ(1u, File.PcCounts.lookup(0x16c));
  EXPECT_EQ(1u, File.PcCounts.lookup(0x748));
  EXPECT_EQ(1u, File.PcCounts.lookup(0x5ec));
  EXPECT_EQ(1u, File.PcCounts.lookup(0x200));
  EXPECT_EQ(0u, File.PcCounts.lookup(0x300));
  EXPECT_EQ("__aeabi_fmul", File.Hints[0x5ec].Symbol);
  EXPECT_EQ(23u, File.Hints[0x5ec].Offset);
}

// What a terminal adds: frames wrapped over two lines, and 'bt N', a
// signal handler frame, '??' and where the unwinder stopped.
TEST(GdbLogTest, WrappedFramesAndUnwinderNoise) {
  SampleFile File = parse(R"(
Program received signal SIGINT, Interrupt.
#0  0x80000602 in scramble (x=3254526703,
    x@entry=2442748347) at src/vm.c:14
#1  0x800006a8 in mp_execute_bytecode (code=0x80400704 <bytecode> "\v0Uz (", length=200)
    at src/vm.c:27
(More stack frames follow...)

Program received signal SIGINT, Interrupt.
#0  0x80000100 in isr (n=3) at src/irq.c:9
#1  <signal handler called>
#2  0x00000000 in ?? ()
Backtrace stopped: previous frame identical to this frame (corrupt stack?)
)");
  EXPECT_EQ(2u, File.SampleCount);
  Stack Wrapped{at(0x80000602, "scramble", "src/vm.c"),
                at(0x800006a8, "mp_execute_bytecode", "src/vm.c")};
  EXPECT_EQ(1u, File.Stacks.countOf(Wrapped));
  Stack Interrupted{at(0x80000100, "isr", "src/irq.c"), at(0, "", "")};
  EXPECT_EQ(1u, File.Stacks.countOf(Interrupted));
}

// C++ frames: spaces inside the name, templates and operator().
TEST(GdbLogTest, CxxFrameNames) {
  SampleFile File = parse(R"(
Program received signal SIGINT, Interrupt.
#0  0x10000010 in dsp::Filter<int, 3>::operator() (this=0x20000000, x=1) at app.cpp:7
#1  0x10000100 in (anonymous namespace)::run (f=...) at app.cpp:20
)");
  Stack Expected{at(0x10000010, "dsp::Filter<int, 3>::operator()", "app.cpp"),
                 at(0x10000100, "(anonymous namespace)::run", "app.cpp")};
  EXPECT_EQ(1u, File.Stacks.countOf(Expected));
}

// C++ symbols in '<symbol+offset>': '+' and '>' of their own.
TEST(GdbLogTest, CxxSymbolHints) {
  SampleFile File = parse(R"(
Program received signal SIGINT, Interrupt.
$1 = (void (*)(void)) 0x10000010 <Counter::operator++()>

Program received signal SIGINT, Interrupt.
$2 = (void (*)(void)) 0x10000020 <operator+(Big, Big)+6>

Program received signal SIGINT, Interrupt.
=> 0x10000030 <float accumulate<float>(float const*, unsigned long)+4>:	flw	fa5,0(a0)
)");
  EXPECT_EQ(3u, File.SampleCount);
  EXPECT_EQ("Counter::operator++()", File.Hints[0x10000010].Symbol);
  EXPECT_EQ(0u, File.Hints[0x10000010].Offset);
  EXPECT_EQ("operator+(Big, Big)", File.Hints[0x10000020].Symbol);
  EXPECT_EQ(6u, File.Hints[0x10000020].Offset);
  EXPECT_EQ("float accumulate<float>(float const*, unsigned long)",
            File.Hints[0x10000030].Symbol);
  EXPECT_EQ(4u, File.Hints[0x10000030].Offset);
}

// A log cut anywhere still reads; what cannot be read is summarised once.
TEST(GdbLogTest, CutLinesAreSkipped) {
  DiagnosticLog Warnings;
  SampleFile File = parse("$1 = (void (*)()) 0x10 <f+4>\n"
                          "$2 = (void (*)()) 0x10 <f+\n"
                          "#0  0x8001828c in fun_bc_ca\n",
                          &Warnings);
  EXPECT_EQ(1u, File.SampleCount);
  EXPECT_EQ(1u, File.PcCounts.lookup(0x10));
  EXPECT_EQ(std::vector<std::string>{"'test.log':2: 2 line(s) not understood "
                                     "and skipped, this being the first"},
            Warnings.warnings());
}

// A line in no form gdb writes is skipped, and said once for the whole
// file, with the first such line.
TEST(GdbLogTest, LinesNotUnderstoodAreCountedInOneWarning) {
  DiagnosticLog Warnings;
  SampleFile File = parse(R"($1 = (void (*)()) 0x80000130 <fir_filter+20>
garbage one
$2 = (void (*)()) 0x80000130 <fir_filter+20>
garbage two
)",
                          &Warnings);
  EXPECT_EQ(2u, File.SampleCount);
  EXPECT_EQ(std::vector<std::string>{"'test.log':2: 2 line(s) not understood "
                                     "and skipped, this being the first"},
            Warnings.warnings());
}

} // namespace
