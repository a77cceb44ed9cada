#include "samples/LineParser.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace ramfit {

std::optional<uint64_t> parseHex(StringRef Text) {
  Text.consume_front("0x") || Text.consume_front("0X");
  if (Text.empty() || Text.size() > 16)
    return std::nullopt;
  uint64_t Value = 0;
  for (char C : Text) {
    unsigned Digit = hexDigitValue(C);
    if (Digit == -1U)
      return std::nullopt;
    Value = Value << 4 | Digit;
  }
  return Value;
}

void countPc(SampleFile &Out, uint64_t Address, uint64_t Count) {
  Out.PcCounts[Address] += Count;
  Out.SampleCount += Count;
}

bool isComment(StringRef Line) {
  return Line.startswith("#") && !(Line.size() > 1 && isDigit(Line[1]));
}

Error LineSplitter::feed(StringRef Chunk) {
  while (!Chunk.empty()) {
    size_t End = Chunk.find('\n');
    if (End == StringRef::npos) {
      if (Partial.size() + Chunk.size() > MaxLine)
        return tooLong();
      Partial.append(Chunk.begin(), Chunk.end());
      return Error::success();
    }
    StringRef Line = Chunk.take_front(End);
    Chunk = Chunk.drop_front(End + 1);
    if (!Partial.empty()) {
      Partial.append(Line.begin(), Line.end());
      Line = Partial;
    }
    Error Err = emit(Line);
    Partial.clear();
    if (Err)
      return Err;
  }
  return Error::success();
}

Error LineSplitter::finish() {
  if (!Partial.empty()) {
    if (Error Err = emit(Partial, /*Terminated=*/false))
      return Err;
    Partial.clear();
  }
  return Parser.finish();
}

Error LineSplitter::emit(StringRef Line, bool Terminated) {
  if (Line.size() > MaxLine)
    return tooLong();
  ++Number;
  Line.consume_back("\r");
  if (Line.empty())
    return Error::success();
  return Terminated ? Parser.consume(Line, Number)
                    : Parser.consumeUnterminated(Line, Number);
}

Error LineSplitter::tooLong() {
  return inputError(Path, Number + 1,
                    "line is longer than " + Twine(MaxLine / 1024) +
                        " KiB: not a sample file");
}

} // namespace ramfit
