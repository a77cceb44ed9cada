#include "samples/Samples.h"
#include "support/Diagnostics.h"
#include "samples/GdbLog.h"
#include "samples/LineParser.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"
#include <tuple>

using namespace llvm;

namespace ramfit {

bool Frame::operator==(const Frame &Other) const {
  return std::tie(Address, Function, SourceFile) ==
         std::tie(Other.Address, Other.Function, Other.SourceFile);
}

size_t StackHash::operator()(const Stack &Frames) const {
  hash_code Hash = hash_value(Frames.size());
  for (const Frame &F : Frames)
    Hash = hash_combine(Hash, F.Address.has_value(), F.Address.value_or(0),
                        F.Function, F.SourceFile);
  return Hash;
}

static constexpr struct {
  SampleFormat Format;
  const char *Name;
} FormatNames[] = {{SampleFormat::Auto, "auto"},
                   {SampleFormat::GdbLog, "gdb"},
                   {SampleFormat::HexList, "hex"},
                   {SampleFormat::Gmon, "gmon"},
                   {SampleFormat::Folded, "folded"}};

Expected<SampleFormat> parseSampleFormat(StringRef Name) {
  for (const auto &Entry : FormatNames)
    if (Name == Entry.Name)
      return Entry.Format;
  return createStringError(inconvertibleErrorCode(),
                           "unknown sample format '" + Name +
                               "' (expected auto, gdb, hex, gmon or folded)");
}

StringRef sampleFormatName(SampleFormat Format) {
  for (const auto &Entry : FormatNames)
    if (Format == Entry.Format)
      return Entry.Name;
  llvm_unreachable("every format has a name");
}

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

namespace {

bool isComment(StringRef Line) {
  // "#0  main () at ..." is a gdb frame, not a comment.
  return Line.startswith("#") && !(Line.size() > 1 && isDigit(Line[1]));
}

//===----------------------------------------------------------------------===//
// Plain hex address lists and folded stacks.
//===----------------------------------------------------------------------===//

class HexListParser : public LineParser {
public:
  explicit HexListParser(SampleFile &Out) : Out(Out) {}

  Error consume(StringRef Line, unsigned Number) override {
    Line = Line.trim();
    if (Line.empty() || isComment(Line))
      return Error::success();
    std::optional<uint64_t> Address = parseHex(Line);
    if (!Address)
      return inputError(Out.Path, Number,
                        "not a hex address: '" + Line.take_front(80) + "'");
    countPc(Out, *Address);
    return Error::success();
  }

  Error finish() override { return Error::success(); }

private:
  SampleFile &Out;
};

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
        F.Function = Text.str();
      Frames.push_back(std::move(F));
    }
    if (Count == 0)
      return Error::success();
    if (Out.SampleCount + Count < Count)
      return inputError(Out.Path, Number, "sample counts overflow 64 bits");
    Out.Stacks[std::move(Frames)] += Count;
    Out.SampleCount += Count;
    return Error::success();
  }

  Error finish() override { return Error::success(); }

private:
  SampleFile &Out;
};

/// Cuts bytes, arriving in chunks of any size, into lines for a parser.
/// A line longer than any sample format writes means the file is not one,
/// and stops the reading before it costs memory.
class LineSplitter {
public:
  static constexpr size_t MaxLine = 64 * 1024;

  LineSplitter(StringRef Path, LineParser &Parser)
      : Path(Path), Parser(Parser) {}

  Error feed(StringRef Chunk) {
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

  Error finish() {
    if (!Partial.empty()) {
      if (Error Err = emit(Partial))
        return Err;
      Partial.clear();
    }
    return Parser.finish();
  }

private:
  Error emit(StringRef Line) {
    if (Line.size() > MaxLine)
      return tooLong();
    ++Number;
    Line.consume_back("\r");
    if (Line.empty())
      return Error::success();
    return Parser.consume(Line, Number);
  }

  Error tooLong() {
    return inputError(Path, Number + 1,
                      "line is longer than " + Twine(MaxLine / 1024) +
                          " KiB: not a sample file");
  }

  StringRef Path;
  LineParser &Parser;
  std::string Partial;
  unsigned Number = 0;
};

} // namespace

//===----------------------------------------------------------------------===//
// gmon.out, as OpenOCD's "profile" and gprof write it.
//===----------------------------------------------------------------------===//

namespace gmon {
constexpr size_t HeaderSize = 20; // "gmon", version, 12 spare bytes
constexpr uint8_t TagTimeHistogram = 0;
constexpr uint8_t TagCallGraphArc = 1;
constexpr size_t DimensionSize = 15;
} // namespace gmon

namespace {

/// Reads little-endian fields and reports where the data ran out.
class ByteReader {
public:
  ByteReader(StringRef Data, size_t Offset) : Data(Data), Offset(Offset) {}

  bool has(size_t Bytes) const { return Data.size() - Offset >= Bytes; }
  size_t offset() const { return Offset; }
  size_t remaining() const { return Data.size() - Offset; }

  uint64_t read(size_t Bytes) {
    uint64_t Value = 0;
    for (size_t I = 0; I < Bytes; ++I)
      Value |= uint64_t(uint8_t(Data[Offset + I])) << (8 * I);
    Offset += Bytes;
    return Value;
  }
  StringRef bytes(size_t Bytes) {
    StringRef Result = Data.substr(Offset, Bytes);
    Offset += Bytes;
    return Result;
  }

private:
  StringRef Data;
  size_t Offset;
};

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

} // namespace

static Error parseGmon(StringRef Content, SampleFile &Out) {
  if (Content.size() < gmon::HeaderSize)
    return inputError(Out.Path, "gmon.out header is truncated");
  ByteReader Reader(Content, 4);
  uint64_t Version = Reader.read(4);
  if (Version != 1)
    return inputError(Out.Path, "gmon.out version " + Twine(Version) +
                                    " is not supported (expected 1)");
  Reader = ByteReader(Content, gmon::HeaderSize);
  bool SawHistogram = false;
  // Address width of the profiled target, learnt from the first histogram.
  size_t Width = 4;
  while (Reader.remaining()) {
    size_t RecordStart = Reader.offset();
    uint8_t Tag = Reader.read(1);
    if (Tag == gmon::TagCallGraphArc) {
      // from_pc, self_pc, count: skipped, the histogram is the sample.
      if (!Reader.has(2 * Width + 4))
        return inputError(Out.Path, "call-graph record at offset " +
                                        Twine(RecordStart) + " is truncated");
      Reader.bytes(2 * Width + 4);
      continue;
    }
    if (Tag != gmon::TagTimeHistogram)
      return inputError(Out.Path, "record tag " + Twine(unsigned(Tag)) +
                                      " at offset " + Twine(RecordStart) +
                                      " is not supported");
    Width = 0;
    for (size_t Candidate : {4, 8}) {
      ByteReader Probe = Reader;
      if (Probe.has(2 * Candidate + 8 + gmon::DimensionSize + 1)) {
        Probe.bytes(2 * Candidate + 8);
        if (looksLikeDimension(Probe.bytes(gmon::DimensionSize))) {
          Width = Candidate;
          break;
        }
      }
    }
    if (!Width)
      return inputError(Out.Path, "histogram record at offset " +
                                      Twine(RecordStart) +
                                      " is truncated or malformed");
    uint64_t LowPc = Reader.read(Width);
    uint64_t HighPc = Reader.read(Width);
    uint64_t BinCount = Reader.read(4);
    Reader.read(4); // profiling rate
    Reader.bytes(gmon::DimensionSize + 1);
    if (HighPc <= LowPc)
      return inputError(Out.Path, "histogram record at offset " +
                                      Twine(RecordStart) + " has high_pc " +
                                      "not above low_pc");
    if (BinCount == 0 || BinCount > Reader.remaining() / 2)
      return inputError(Out.Path,
                        "histogram record at offset " + Twine(RecordStart) +
                            " claims " + Twine(BinCount) + " bins but only " +
                            Twine(Reader.remaining()) + " bytes follow");
    // Bin I covers [low + I*span/bins, low + (I+1)*span/bins).
    uint64_t Span = HighPc - LowPc;
    for (uint64_t Bin = 0; Bin < BinCount; ++Bin) {
      uint64_t Count = Reader.read(2);
      if (!Count)
        continue;
      countPc(Out, LowPc + uint64_t((__uint128_t(Span) * Bin) / BinCount),
              Count);
    }
    SawHistogram = true;
  }
  if (!SawHistogram)
    return inputError(Out.Path, "gmon.out has no histogram record");
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Detection and entry points.
//===----------------------------------------------------------------------===//

static Expected<SampleFormat> detectFormat(StringRef Path, StringRef Content) {
  if (Content.startswith("gmon"))
    return SampleFormat::Gmon;
  if (Content.trim().empty())
    return inputError(Path, "no samples: the file is empty");
  if (Content.take_front(4096).contains('\0'))
    return inputError(Path, "binary data in no known sample format");
  unsigned FirstDataLine = 0;
  StringRef FirstData;
  unsigned Examined = 0;
  unsigned LineNumber = 0;
  for (StringRef Rest = Content; !Rest.empty() && Examined < 200;) {
    StringRef Line;
    std::tie(Line, Rest) = Rest.split('\n');
    ++LineNumber;
    Line = Line.trim();
    if (Line.empty())
      continue;
    ++Examined;
    if (isGdbLogMarker(Line))
      return SampleFormat::GdbLog;
    if (!FirstDataLine && !isComment(Line)) {
      FirstDataLine = LineNumber;
      FirstData = Line;
    }
  }
  if (!FirstDataLine)
    return inputError(Path, "no samples: the file holds only comments");
  if (parseHex(FirstData))
    return SampleFormat::HexList;
  auto [Frames, Count] = FirstData.rsplit(' ');
  uint64_t Number;
  if (!Frames.empty() && !Count.getAsInteger(10, Number))
    return SampleFormat::Folded;
  return inputError(Path, FirstDataLine,
                    "no known sample format (gdb log, hex list, gmon.out, "
                    "folded stacks) matches '" +
                        FirstData.take_front(80) + "'");
}

/// "# ramfit-samples elf=PATH sha256=HASH format=hex" on the first line.
static void readSamplerHeader(StringRef Content, SampleFile &Out) {
  StringRef First = Content.take_until([](char C) { return C == '\n'; });
  if (!First.consume_front("# ramfit-samples "))
    return;
  SmallVector<StringRef, 4> Fields;
  First.trim().split(Fields, ' ', -1, /*KeepEmpty=*/false);
  for (StringRef Field : Fields) {
    auto [Key, Value] = Field.split('=');
    if (Key == "elf")
      Out.SampledElf = Value.str();
    else if (Key == "sha256")
      Out.SampledSha256 = Value.str();
  }
}

/// Formats are told apart by the head of the file: this much of it.
static constexpr size_t HeadSize = 64 * 1024;

static std::unique_ptr<LineParser> lineParserFor(SampleFile &Out) {
  switch (Out.Format) {
  case SampleFormat::GdbLog:
    return makeGdbLogParser(Out);
  case SampleFormat::HexList:
    return std::make_unique<HexListParser>(Out);
  case SampleFormat::Folded:
    return std::make_unique<FoldedParser>(Out);
  case SampleFormat::Gmon:
  case SampleFormat::Auto:
    break;
  }
  llvm_unreachable("gmon.out is binary and Auto is resolved first");
}

/// Reads the header line and settles the format from the head of the
/// samples (all of them when they are short).
static Error startSampleFile(StringRef Head, SampleFormat Forced,
                             SampleFile &Out) {
  readSamplerHeader(Head, Out);
  Out.Format = Forced;
  if (Forced == SampleFormat::Auto) {
    Expected<SampleFormat> Detected = detectFormat(Out.Path, Head);
    if (!Detected)
      return Detected.takeError();
    Out.Format = *Detected;
  }
  if (Out.Format == SampleFormat::Gmon && !Head.startswith("gmon"))
    return inputError(Out.Path, "not a gmon.out file (no 'gmon' magic)");
  return Error::success();
}

static std::string hexDigest(SHA256 &Hasher) {
  return toHex(Hasher.final(), /*LowerCase=*/true);
}

static Expected<SampleFile> finishSampleFile(SampleFile Out) {
  if (Out.SampleCount == 0)
    return inputError(Out.Path, "no samples found in this " +
                                    sampleFormatName(Out.Format) + " file");
  return Out;
}

Expected<SampleFile> parseSamples(StringRef Path, StringRef Content,
                                  SampleFormat Forced) {
  SampleFile Out;
  Out.Path = Path.str();
  SHA256 Hasher;
  Hasher.update(arrayRefFromStringRef(Content));
  Out.Sha256 = hexDigest(Hasher);
  if (Error Err = startSampleFile(Content.take_front(HeadSize), Forced, Out))
    return Err;
  if (Out.Format == SampleFormat::Gmon) {
    if (Error Err = parseGmon(Content, Out))
      return Err;
    return finishSampleFile(std::move(Out));
  }
  std::unique_ptr<LineParser> Parser = lineParserFor(Out);
  LineSplitter Lines(Path, *Parser);
  if (Error Err = Lines.feed(Content))
    return Err;
  if (Error Err = Lines.finish())
    return Err;
  return finishSampleFile(std::move(Out));
}

std::pair<StringRef, double> splitSampleSpec(StringRef Spec) {
  auto [Path, WeightText] = Spec.rsplit('@');
  double Weight;
  if (WeightText.empty() || Path.empty() || WeightText.getAsDouble(Weight) ||
      !(Weight > 0))
    return {Spec, 1.0};
  return {Path, Weight};
}

namespace {

/// A file read front to back in fixed chunks; it is closed on destruction.
class ChunkReader {
public:
  static Expected<ChunkReader> open(StringRef Path) {
    Expected<sys::fs::file_t> File = sys::fs::openNativeFileForRead(Path);
    if (!File)
      return inputError(Path, toString(File.takeError()));
    return ChunkReader(Path, *File);
  }
  ChunkReader(ChunkReader &&Other)
      : Path(Other.Path),
        File(std::exchange(Other.File, sys::fs::kInvalidFile)),
        Buffer(std::move(Other.Buffer)) {}
  ~ChunkReader() {
    if (File != sys::fs::kInvalidFile)
      sys::fs::closeFile(File);
  }

  /// Fills the buffer as far as the file allows; empty at the end.
  Expected<StringRef> next() {
    size_t Filled = 0;
    while (Filled < Buffer.size()) {
      Expected<size_t> Read = sys::fs::readNativeFile(
          File, MutableArrayRef<char>(Buffer).drop_front(Filled));
      if (!Read)
        return inputError(Path, toString(Read.takeError()));
      if (*Read == 0)
        break;
      Filled += *Read;
    }
    return StringRef(Buffer.data(), Filled);
  }

private:
  ChunkReader(StringRef Path, sys::fs::file_t File)
      : Path(Path.str()), File(File), Buffer(HeadSize * 16) {}

  std::string Path;
  sys::fs::file_t File;
  std::vector<char> Buffer;
};

} // namespace

static Expected<SampleFile> readGmonFile(StringRef Path, SampleFile Out) {
  Expected<std::unique_ptr<MemoryBuffer>> Buffer = readInputFile(Path);
  if (!Buffer)
    return Buffer.takeError();
  SHA256 Hasher;
  Hasher.update(arrayRefFromStringRef((*Buffer)->getBuffer()));
  Out.Sha256 = hexDigest(Hasher);
  if (Error Err = parseGmon((*Buffer)->getBuffer(), Out))
    return Err;
  return finishSampleFile(std::move(Out));
}

/// Text formats are streamed: memory grows with the distinct stacks, never
/// with the length of the file.
Expected<SampleFile> readSampleFile(StringRef Spec, SampleFormat Forced) {
  auto [Path, Weight] = splitSampleSpec(Spec);
  if (sys::fs::is_directory(Path))
    return inputError(Path, "is a directory, not a sample file");
  Expected<ChunkReader> Reader = ChunkReader::open(Path);
  if (!Reader)
    return Reader.takeError();
  Expected<StringRef> Chunk = Reader->next();
  if (!Chunk)
    return Chunk.takeError();
  SampleFile Out;
  Out.Path = Path.str();
  Out.Weight = Weight;
  if (Error Err = startSampleFile(Chunk->take_front(HeadSize), Forced, Out))
    return Err;
  if (Out.Format == SampleFormat::Gmon)
    return readGmonFile(Path, std::move(Out));

  std::unique_ptr<LineParser> Parser = lineParserFor(Out);
  LineSplitter Lines(Path, *Parser);
  SHA256 Hasher;
  while (!Chunk->empty()) {
    Hasher.update(arrayRefFromStringRef(*Chunk));
    if (Error Err = Lines.feed(*Chunk))
      return Err;
    Chunk = Reader->next();
    if (!Chunk)
      return Chunk.takeError();
  }
  if (Error Err = Lines.finish())
    return Err;
  Out.Sha256 = hexDigest(Hasher);
  return finishSampleFile(std::move(Out));
}

} // namespace ramfit
