//===- Folded.h - Folded stacks, as flame-graph tools write them -*- C++
//-*-===//
//
// "main;f;g 12": the frames root first, then the count.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_SAMPLES_FOLDED_H
#define RAMFIT_SAMPLES_FOLDED_H

#include "samples/LineParser.h"

#include <memory>

namespace ramfit {

std::unique_ptr<LineParser> makeFoldedParser(SampleFile &Out);

} // namespace ramfit

#endif
