//===- GdbScriptCommand.cpp - ramfit gdb-script ---------------------------===//

#include "Commands.h"
#include "samples/GdbSampler.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit::cli {

namespace {

cl::opt<std::string> Remote("remote",
                            cl::desc("The gdb remote: QEMU's gdbstub, OpenOCD, "
                                     "or 'wishbone-tool -s gdb'"),
                            cl::value_desc("HOST:PORT"),
                            cl::init("localhost:3333"),
                            cl::sub(GdbScriptCommand));
cl::opt<std::string> Elf("elf", cl::desc("The firmware ELF"),
                         cl::value_desc("FILE"), cl::init("firmware.elf"),
                         cl::sub(GdbScriptCommand));
cl::opt<unsigned> Samples("samples", cl::desc("How many samples to take"),
                          cl::init(1000), cl::sub(GdbScriptCommand));
cl::opt<double> Interval("interval",
                         cl::desc("Seconds the target runs between samples"),
                         cl::init(0.01), cl::sub(GdbScriptCommand));
cl::opt<bool> Backtrace("backtrace",
                        cl::desc("Sample whole stacks (folded), not just $pc"),
                        cl::sub(GdbScriptCommand));
cl::opt<std::string> Output("output", cl::desc("The samples file"),
                            cl::value_desc("FILE"), cl::init("samples.txt"),
                            cl::sub(GdbScriptCommand));
cl::alias OutputShort("o", cl::desc("Alias for --output"),
                      cl::aliasopt(Output));
cl::opt<bool> PathOnly("path", cl::desc("Print only the sampler's path"),
                       cl::sub(GdbScriptCommand));

} // namespace

int runGdbScript(const char *Argv0) {
  std::string Executable = sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&runGdbScript));
  Expected<std::string> Script = findSamplerScript(Executable);
  if (!Script)
    return reportError(Script.takeError());
  if (PathOnly) {
    outs() << *Script << "\n";
    return 0;
  }
  outs() << samplerInstructions(
      {*Script, Remote, Elf, Samples, Interval, Backtrace, Output});
  return 0;
}

} // namespace ramfit::cli
