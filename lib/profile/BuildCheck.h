//===- BuildCheck.h - Do the samples come from this ELF? --------*- C++ -*-===//
//
// A profile of samples taken from another build is quietly wrong: every
// address means something else. What the samples say about the build (the
// sampler's header with the ELF's hash, gdb's names for PCs and return
// addresses) is checked against the ELF before any sample is counted.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PROFILE_BUILDCHECK_H
#define RAMFIT_PROFILE_BUILDCHECK_H

#include "firmware/Binary.h"
#include "samples/Samples.h"
#include "support/Diagnostics.h"

#include "llvm/Support/Error.h"

namespace ramfit {

/// An error naming the first disagreeing line when File was sampled from
/// another build; a warning instead when only a few samples disagree, or
/// with AllowMismatch.
llvm::Error checkSamplesMatchBuild(const Binary &Elf, const SampleFile &File,
                                   bool AllowMismatch, DiagnosticHandler Diag);

/// The same for the sampled PCs: each must be where an instruction of Elf
/// starts (firmware/InstructionBoundaries.h). More than three that are not,
/// or more than one in twenty, is an error; fewer, or with AllowMismatch, a
/// warning.
llvm::Error checkSamplesAreInstructions(const Binary &Elf,
                                        const SampleFile &File,
                                        bool AllowMismatch,
                                        DiagnosticHandler Diag);

} // namespace ramfit

#endif
