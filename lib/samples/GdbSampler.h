//===- GdbSampler.h - How to run ramfit's gdb sampler ------------*- C++
//-*-===//
//
// The sampler itself is a gdb Python extension (tools/gdb/ramfit_sampler.py),
// installed under share/ramfit/gdb/. This finds it and writes the commands
// that attach gdb to a remote and take samples, ready to copy.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_GDBSAMPLER_H
#define RAMFIT_GDBSAMPLER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>

namespace ramfit {

struct SamplerSession {
  std::string Script;
  std::string Remote = "localhost:3333";
  std::string Elf = "firmware.elf";
  unsigned Samples = 1000;
  double Interval = 0.01;
  bool Backtrace = false;
  std::string Output = "samples.txt";
};

/// share/ramfit/gdb/ramfit_sampler.py beside the bin/ directory that holds
/// the running ramfit, in an install or a build tree alike.
llvm::Expected<std::string> findSamplerScript(llvm::StringRef Executable);

/// The gdb command line, the commands to give gdb, and the profile step.
std::string samplerInstructions(const SamplerSession &Session);

} // namespace ramfit

#endif
