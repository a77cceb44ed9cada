#include "samples/Folded.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/SmallVector.h"

using namespace llvm;

namespace ramfit {

namespace {

/// "main;f;g 12": root first, as flamegraph tools write them. A frame is a
/// function name or a hex address.
class FoldedParser : public LineParser {
public:
  explicit FoldedParser(SampleFile &Out) : Out(Out) {}

  Error consume(StringRef Line, unsigned Number) override {
    Line = Line.trim();
    if (Line.empty() || isComment(Line))
      return Error::success();
    auto [FramesText, CountText] = Line.rsplit(' ');
    uint64_t Count;
    if (CountText.empty() || CountText.getAsInteger(10, Count) ||
        FramesText.trim().empty())
      return inputError(Out.Path, Number,
                        "expected 'frame;frame;... COUNT', got '" +
                            Line.take_front(80) + "'");
    SmallVector<StringRef, 16> Names;
    FramesText.trim().split(Names, ';');
    Stack Frames;
    for (auto Name = Names.rbegin(); Name != Names.rend(); ++Name) {
      StringRef Text = Name->trim();
      if (Text.empty())
        return inputError(Out.Path, Number,
                          "empty frame in '" + Line.take_front(80) + "'");
      Frame F;
      if (Text.startswith("0x"))
        F.Address = parseHex(Text);
      if (!F.Address)
        F.Function = Out.Names->save(Text);
      Frames.push_back(std::move(F));
    }
    if (Count == 0)
      return Error::success();
    if (Out.SampleCount + Count < Count)
      return inputError(Out.Path, Number, "sample counts overflow 64 bits");
    Out.Stacks.add(Frames, Count);
    Out.SampleCount += Count;
    return Error::success();
  }

  Error finish() override { return Error::success(); }

private:
  SampleFile &Out;
};

} // namespace

std::unique_ptr<LineParser> makeFoldedParser(SampleFile &Out) {
  return std::make_unique<FoldedParser>(Out);
}

} // namespace ramfit
