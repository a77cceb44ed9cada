#include "samples/Gmon.h"
#include "samples/LineParser.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/DataExtractor.h"

using namespace llvm;

namespace ramfit {

namespace {

constexpr size_t HeaderSize = 20; // "gmon", version, 12 spare bytes
constexpr uint8_t TagTimeHistogram = 0;
constexpr uint8_t TagCallGraphArc = 1;
constexpr size_t DimensionSize = 15;

/// The histogram header does not say how wide its addresses are; the
/// dimension text ("seconds") that follows them does.
bool looksLikeDimension(StringRef Text) {
  StringRef Name = Text.take_until([](char C) { return C == '\0'; });
  if (Name.empty())
    return false;
  for (char C : Name)
    if (!isPrint(C))
      return false;
  return Text.drop_front(Name.size()).find_first_not_of('\0') ==
         StringRef::npos;
}

/// The address width (4 or 8) of the histogram record at Offset, just past
/// its tag; 0 when neither width leaves a dimension text where it belongs.
unsigned histogramAddressWidth(StringRef Content, uint64_t Offset) {
  for (unsigned Width : {4, 8}) {
    uint64_t Dimension = Offset + 2 * Width + 8;
    if (Content.size() >= Dimension + DimensionSize + 1 &&
        looksLikeDimension(Content.substr(Dimension, DimensionSize)))
      return Width;
  }
  return 0;
}

} // namespace

bool hasGmonMagic(StringRef Content) { return Content.startswith("gmon"); }

Error parseGmon(StringRef Content, SampleFile &Out) {
  if (Content.size() < HeaderSize)
    return inputError(Out.Path, "gmon.out header is truncated");
  DataExtractor Header(Content, /*IsLittleEndian=*/true, 4);
  uint64_t Offset = 4;
  uint32_t Version = Header.getU32(&Offset);
  if (Version != 1)
    return inputError(Out.Path, "gmon.out version " + Twine(Version) +
                                    " is not supported (expected 1)");
  bool SawHistogram = false;
  // Address width of the profiled target, learnt from the first histogram.
  unsigned Width = 4;
  Offset = HeaderSize;
  while (Offset < Content.size()) {
    uint64_t RecordStart = Offset;
    uint8_t Tag = uint8_t(Content[Offset++]);
    if (Tag == TagCallGraphArc) {
      // from_pc, self_pc, count: skipped, the histogram is the sample.
      if (Content.size() - Offset < 2 * Width + 4)
        return inputError(Out.Path, "call-graph record at offset " +
                                        Twine(RecordStart) + " is truncated");
      Offset += 2 * Width + 4;
      continue;
    }
    if (Tag != TagTimeHistogram)
      return inputError(Out.Path, "record tag " + Twine(unsigned(Tag)) +
                                      " at offset " + Twine(RecordStart) +
                                      " is not supported");
    Width = histogramAddressWidth(Content, Offset);
    if (!Width)
      return inputError(Out.Path, "histogram record at offset " +
                                      Twine(RecordStart) +
                                      " is truncated or malformed");
    DataExtractor Record(Content, /*IsLittleEndian=*/true, Width);
    uint64_t LowPc = Record.getAddress(&Offset);
    uint64_t HighPc = Record.getAddress(&Offset);
    uint32_t BinCount = Record.getU32(&Offset);
    Offset += 4 + DimensionSize + 1; // profiling rate, dimension, abbreviation
    if (HighPc <= LowPc)
      return inputError(Out.Path, "histogram record at offset " +
                                      Twine(RecordStart) + " has high_pc " +
                                      "not above low_pc");
    uint64_t Remaining = Content.size() - Offset;
    if (BinCount == 0 || BinCount > Remaining / 2)
      return inputError(Out.Path, "histogram record at offset " +
                                      Twine(RecordStart) + " claims " +
                                      Twine(BinCount) + " bins but only " +
                                      Twine(Remaining) + " bytes follow");
    // Bin I covers [low + I*span/bins, low + (I+1)*span/bins).
    uint64_t Span = HighPc - LowPc;
    for (uint64_t Bin = 0; Bin < BinCount; ++Bin) {
      uint16_t Count = Record.getU16(&Offset);
      if (Count)
        countPc(Out, LowPc + uint64_t((__uint128_t(Span) * Bin) / BinCount),
                Count);
    }
    SawHistogram = true;
  }
  if (!SawHistogram)
    return inputError(Out.Path, "gmon.out has no histogram record");
  return Error::success();
}

} // namespace ramfit
