//===- ParallelRead.h - One large text sample file on several threads -*- C++
//-*-===//
//
// A log of a million samples is hundreds of megabytes. It is cut at sample
// boundaries into one range per core; each range is parsed on its own thread
// into its own SampleFile, and the results are merged in file order, so that
// the counts and the first-seen hints are those of one front-to-back read.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_SAMPLES_PARALLELREAD_H
#define RAMFIT_SAMPLES_PARALLELREAD_H

#include "samples/LineParser.h"
#include "samples/Samples.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/FileSystem.h"
#include <memory>
#include <optional>

namespace ramfit {

/// How many ranges a file of Size bytes is read in: one per physical core,
/// each of at least 16 MiB (a smaller one is not worth a thread).
unsigned rangesFor(uint64_t Size);

/// Whether a sample starts at this line, so that the file may be cut before
/// it: what the parser carries from one line to the next is then settled.
using SampleStartTest = llvm::function_ref<bool(llvm::StringRef Line)>;

/// A new parser for one range, filling Out.
using ParserMaker = llvm::function_ref<std::unique_ptr<LineParser>(
    SampleFile &Out, DiagnosticHandler Diag)>;

/// Reads File (Size bytes) in up to Ranges ranges, one parser and thread
/// each; Head is the file as its head described it (path, format, sampler
/// header). Returns nothing when reading in ranges would not say exactly
/// what one read says: when the file cannot be cut, or when a range failed
/// or said anything at all (a message names a line, and a range knows only
/// its own line numbers). The caller then reads the file front to back.
std::optional<SampleFile> readInRanges(llvm::sys::fs::file_t File,
                                       uint64_t Size, unsigned Ranges,
                                       const SampleFile &Head,
                                       SampleStartTest IsSampleStart,
                                       ParserMaker MakeParser);

} // namespace ramfit

#endif
