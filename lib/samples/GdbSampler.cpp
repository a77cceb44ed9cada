#include "samples/GdbSampler.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit {

Expected<std::string> findSamplerScript(StringRef Executable) {
  SmallString<256> Script(
      sys::path::parent_path(sys::path::parent_path(Executable)));
  sys::path::append(Script, "share", "ramfit", "gdb", "ramfit_sampler.py");
  if (!sys::fs::exists(Script))
    return createStringError(inconvertibleErrorCode(),
                             "the gdb sampler is not installed at '" + Script +
                                 "'");
  SmallString<256> Real;
  if (sys::fs::real_path(Script, Real))
    return Script.str().str();
  return Real.str().str();
}

std::string samplerInstructions(const SamplerSession &Session) {
  std::string Text;
  raw_string_ostream OS(Text);
  OS << "# Start gdb with ramfit's sampler and the firmware that runs on the "
        "target:\n"
     << "gdb-multiarch -x " << Session.Script << " " << Session.Elf << "\n"
     << "# Then, at the (gdb) prompt:\n"
     << "target extended-remote " << Session.Remote << "\n"
     << "ramfit-sample " << Session.Samples
     << format(" --interval %g", Session.Interval)
     << (Session.Backtrace ? " --backtrace" : "") << " --output "
     << Session.Output << "\n"
     << "# Ctrl-C stops early and keeps every sample so far. Then, in a "
        "shell:\n"
     << "ramfit profile --elf " << Session.Elf << " " << Session.Output << "\n";
  return OS.str();
}

} // namespace ramfit
