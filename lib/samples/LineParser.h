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
#include <string>

namespace ramfit {

class LineParser {
public:
  virtual ~LineParser() = default;
  /// Line has no "\n" or "\r\n" and is never blank; Number counts from 1.
  virtual llvm::Error consume(llvm::StringRef Line, unsigned Number) = 0;
  /// The last line, when the file does not end it with a newline: a file
  /// cut while it was written ends so. A format that can tell a cut line
  /// from a whole one says so here; others read it as any line.
  virtual llvm::Error consumeUnterminated(llvm::StringRef Line,
                                          unsigned Number) {
    return consume(Line, Number);
  }
  virtual llvm::Error finish() = 0;
};

/// "0x8000a4c2", "8000A4C2": at most 16 digits. Written out because it runs
/// once per sample, millions of times.
std::optional<uint64_t> parseHex(llvm::StringRef Text);

/// Counts Count samples of a PC alone.
void countPc(SampleFile &Out, uint64_t Address, uint64_t Count = 1);

/// "# comment", but not "#0  main () at ...", which is a gdb frame.
bool isComment(llvm::StringRef Line);

/// Cuts bytes, arriving in chunks of any size, into lines for a parser.
/// A line longer than any sample format writes means the file is not one,
/// and stops the reading before it costs memory.
class LineSplitter {
public:
  static constexpr size_t MaxLine = 64 * 1024;

  LineSplitter(llvm::StringRef Path, LineParser &Parser)
      : Path(Path), Parser(Parser) {}

  llvm::Error feed(llvm::StringRef Chunk);
  llvm::Error finish();
  /// The lines read so far, blank ones included.
  unsigned lines() const { return Number; }

private:
  llvm::Error emit(llvm::StringRef Line, bool Terminated = true);
  llvm::Error tooLong();

  llvm::StringRef Path;
  LineParser &Parser;
  std::string Partial;
  unsigned Number = 0;
};

} // namespace ramfit

#endif
