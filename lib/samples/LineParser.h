//===- LineParser.h - The interface of every line-based sample format -*- C++
//-*-===//
//
// Text sample files are streamed: a format's parser is fed one line at a
// time, so that a file of any length is read in bounded memory.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_LINEPARSER_H
#define RAMFIT_LINEPARSER_H

#include "samples/Samples.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <optional>

namespace ramfit {

class LineParser {
public:
  virtual ~LineParser() = default;
  /// Line has no "\n" or "\r\n" and is never blank; Number counts from 1.
  virtual llvm::Error consume(llvm::StringRef Line, unsigned Number) = 0;
  virtual llvm::Error finish() = 0;
};

/// "0x8000a4c2", "8000A4C2": at most 16 digits. Written out because it runs
/// once per sample, millions of times.
std::optional<uint64_t> parseHex(llvm::StringRef Text);

/// Counts Count samples of a PC alone.
void countPc(SampleFile &Out, uint64_t Address, uint64_t Count = 1);

} // namespace ramfit

#endif
