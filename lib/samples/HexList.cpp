#include "samples/HexList.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include <algorithm>

using namespace llvm;

namespace ramfit {

namespace {

class HexListParser : public LineParser {
public:
  HexListParser(SampleFile &Out, DiagnosticHandler Diag)
      : Out(Out), Diag(Diag) {}

  Error consume(StringRef Line, unsigned Number) override {
    // StringRef::trim builds a table of the blanks at every call: 8% of
    // reading a million addresses, most of which have no blank to trim.
    if (isSpace(Line.front()) || isSpace(Line.back()))
      Line = Line.trim();
    if (Line.empty() || isComment(Line))
      return Error::success();
    std::optional<uint64_t> Address = parseHex(Line);
    if (!Address)
      return inputError(Out.Path, Number,
                        "not a hex address: '" + Line.take_front(80) + "'");
    Widest = std::max(Widest, digits(Line));
    countPc(Out, *Address);
    return Error::success();
  }

  /// A list cut while it was written ends in part of an address ("0x8000"
  /// of "0x80001234"): shorter than the addresses before it, or no address.
  /// It is no sample.
  Error consumeUnterminated(StringRef Line, unsigned Number) override {
    StringRef Text = Line.trim();
    if (Text.empty() || isComment(Text))
      return Error::success();
    if (parseHex(Text) && digits(Text) >= Widest)
      return consume(Line, Number);
    warning(Diag, location(Out.Path, Number) + "the last line, '" +
                      Text.take_front(80) +
                      "', has no newline and is not a whole address like "
                      "those before it: the list was cut while it was "
                      "written; it is not counted");
    return Error::success();
  }

  Error finish() override { return Error::success(); }

private:
  /// Its significant digits: a list may pad its addresses with zeros.
  static size_t digits(StringRef Address) {
    if (!Address.consume_front("0x"))
      Address.consume_front("0X");
    return Address.ltrim('0').size();
  }

  SampleFile &Out;
  DiagnosticHandler Diag;
  /// The most significant digits an address of the list had.
  size_t Widest = 0;
};

} // namespace

std::unique_ptr<LineParser> makeHexListParser(SampleFile &Out,
                                              DiagnosticHandler Diag) {
  return std::make_unique<HexListParser>(Out, Diag);
}

} // namespace ramfit
