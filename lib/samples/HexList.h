//===- HexList.h - Plain lists of sampled addresses -*- C++ -*-===//
//
// One hex address a line, "0x8000a4c2" or "8000A4C2", as a script that polls
// a debug probe writes them; "#" starts a comment.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_SAMPLES_HEXLIST_H
#define RAMFIT_SAMPLES_HEXLIST_H

#include "samples/LineParser.h"

#include <memory>

namespace ramfit {

/// A last line cut short is a warning to Diag, and no sample.
std::unique_ptr<LineParser> makeHexListParser(SampleFile &Out,
                                              DiagnosticHandler Diag);

} // namespace ramfit

#endif
