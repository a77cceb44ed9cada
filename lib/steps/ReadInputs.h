//===- ReadInputs.h - The ELF and the samples of a step, read at once -*- C++
//-*-===//
//
// profile and plan start from the same inputs: the firmware ELF and the
// sample files. Loading the ELF's symbols and DWARF takes as long as reading
// a million hex addresses, and neither needs the other, so they are read on
// two threads; what each says is passed on as one read after the other
// would say it.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_STEPS_READINPUTS_H
#define RAMFIT_STEPS_READINPUTS_H

#include "firmware/Binary.h"
#include "samples/Samples.h"
#include "steps/Steps.h"

#include "llvm/Support/Error.h"
#include <memory>
#include <vector>

namespace ramfit {

struct ElfAndSamples {
  std::unique_ptr<Binary> Elf;
  std::vector<SampleFile> Files;
};

/// The ELF's diagnostics come first, then the samples'; when both fail, the
/// error is the ELF's.
llvm::Expected<ElfAndSamples> readElfAndSamples(const ProfileStepOptions &O,
                                                DiagnosticHandler Diag,
                                                ContentHash Hash);

} // namespace ramfit

#endif
