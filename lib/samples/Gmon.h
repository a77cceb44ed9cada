//===- Gmon.h - gmon.out, as OpenOCD's "profile" and gprof write it -*- C++
//-*-===//
//
// A binary file: a header, then time-histogram records (a PC range cut into
// bins, a sample count per bin) and call-graph arcs. The histogram is the
// sample; the arcs are skipped.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_SAMPLES_GMON_H
#define RAMFIT_SAMPLES_GMON_H

#include "samples/Samples.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace ramfit {

/// Whether Content starts with gmon.out's magic.
bool hasGmonMagic(llvm::StringRef Content);

/// Counts each bin's samples at the bin's first address.
llvm::Error parseGmon(llvm::StringRef Content, SampleFile &Out);

} // namespace ramfit

#endif
