#include "Samples.h"
#include "Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/LineIterator.h"
#include "llvm/Support/MemoryBuffer.h"
#include <tuple>

using namespace llvm;

namespace ramfit {

bool Frame::operator<(const Frame &Other) const {
  return std::tie(Address, Function, SourceFile) <
         std::tie(Other.Address, Other.Function, Other.SourceFile);
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

static std::optional<uint64_t> parseHex(StringRef Text) {
  Text.consume_front("0x") || Text.consume_front("0X");
  uint64_t Value;
  if (Text.empty() || Text.getAsInteger(16, Value))
    return std::nullopt;
  return Value;
}

//===----------------------------------------------------------------------===//
// gdb logs: "p $pc" values, "bt" frames and stop lines, with their noise.
//===----------------------------------------------------------------------===//

namespace {

/// "NAME (ARGS) at FILE:LINE", "NAME (ARGS) from LIB" or "NAME ()", the tail
/// shared by stop lines and backtrace frames.
std::optional<Frame> parseLocation(StringRef Text) {
  Frame Result;
  if (Text.startswith("0x")) {
    auto [AddressText, Rest] = Text.split(" in ");
    if (Rest.empty())
      return std::nullopt;
    Result.Address = parseHex(AddressText);
    if (!Result.Address)
      return std::nullopt;
    Text = Rest;
  }
  size_t ArgsStart = Text.find(" (");
  if (ArgsStart == StringRef::npos || ArgsStart == 0)
    return std::nullopt;
  Result.Function = Text.take_front(ArgsStart).str();
  if (Result.Function.find(' ') != std::string::npos)
    return std::nullopt;
  StringRef Rest = Text.drop_front(ArgsStart + 1);
  size_t At = Rest.rfind(") at ");
  if (At != StringRef::npos) {
    StringRef FileLine = Rest.drop_front(At + 5);
    auto [File, Line] = FileLine.rsplit(':');
    unsigned LineNumber;
    if (File.empty() || Line.getAsInteger(10, LineNumber))
      return std::nullopt;
    Result.SourceFile = File.str();
    return Result;
  }
  if (Rest.endswith(")") || Rest.contains(") from "))
    return Result;
  return std::nullopt;
}

bool isGdbNoise(StringRef Line) {
  static const char *const Prefixes[] = {"Program received signal",
                                         "Program stopped",
                                         "Continuing.",
                                         "Warning: 'set logging",
                                         "Use 'set logging",
                                         "Copying output to",
                                         "Redirecting output to",
                                         "Done logging to",
                                         "Remote debugging using",
                                         "Reading symbols from",
                                         "[Inferior",
                                         "Quit",
                                         "Breakpoint ",
                                         "Temporary breakpoint",
                                         "Run till exit",
                                         "Loading section",
                                         "Start address",
                                         "Transfer rate",
                                         "warning: ",
                                         "Thread ",
                                         "(More stack frames follow"};
  for (const char *Prefix : Prefixes)
    if (Line.startswith(Prefix))
      return true;
  // Source echo after a stop: "294\t    code", and wrapped frame arguments.
  size_t Digits = Line.find_first_not_of("0123456789");
  if (Digits > 0 && Digits != StringRef::npos && Line[Digits] == '\t')
    return true;
  return Line.startswith(" ") || Line.startswith("\t");
}

bool isInterruption(StringRef Line) {
  return Line.contains("received signal") || Line.startswith("Program stopped");
}

class GdbLogParser {
public:
  GdbLogParser(SampleFile &Out) : Out(Out) {}

  void consume(StringRef Line, unsigned LineNumber) {
    if (isInterruption(Line)) {
      flush();
      return;
    }
    if (Line.startswith("$")) {
      consumeValue(Line, LineNumber);
      return;
    }
    if (Line.startswith("#")) {
      consumeFrame(Line, LineNumber);
      return;
    }
    if (isGdbNoise(Line))
      return;
    if (std::optional<Frame> Stop = parseLocation(Line)) {
      if (StopFrame || Pc || !Backtrace.empty())
        flush();
      StopFrame = std::move(*Stop);
      return;
    }
    noteNotUnderstood(LineNumber);
  }

  void finish() {
    flush();
    if (NotUnderstood)
      warn(location(Out.Path, FirstNotUnderstood) + Twine(NotUnderstood) +
           " line(s) not understood and skipped, this being the first");
  }

private:
  /// "$N = (void (*)()) 0x80002a4a <gc_alloc+144>"; other values are the
  /// user's own prints and are not samples.
  void consumeValue(StringRef Line, unsigned LineNumber) {
    size_t Equals = Line.find(" = ");
    if (Equals == StringRef::npos) {
      noteNotUnderstood(LineNumber);
      return;
    }
    StringRef Value = Line.drop_front(Equals + 3);
    if (!Value.startswith("(void (*)()) "))
      return;
    Value = Value.drop_front(strlen("(void (*)()) "));
    auto [AddressText, SymbolText] = Value.split(' ');
    std::optional<uint64_t> Address = parseHex(AddressText);
    SymbolHint Hint;
    bool HintOk = SymbolText.empty() || parseSymbolHint(SymbolText, Hint);
    if (!Address || !HintOk) {
      noteNotUnderstood(LineNumber);
      return;
    }
    if (Pc)
      flush();
    Pc = Address;
    if (!Hint.Symbol.empty()) {
      Hint.Line = LineNumber;
      PcHint = std::move(Hint);
    }
  }

  static bool parseSymbolHint(StringRef Text, SymbolHint &Hint) {
    if (!Text.consume_front("<") || !Text.consume_back(">") || Text.empty())
      return false;
    auto [Symbol, Offset] = Text.rsplit('+');
    if (Offset.empty() && !Text.contains('+')) {
      Hint.Symbol = Text.str();
      return true;
    }
    if (Symbol.empty() || Offset.getAsInteger(10, Hint.Offset))
      return false;
    Hint.Symbol = Symbol.str();
    return true;
  }

  /// "#1  0x8001828c in fun_bc_call (...) at ../../py/objfun.c:294"
  void consumeFrame(StringRef Line, unsigned LineNumber) {
    StringRef Rest = Line.drop_front(1);
    size_t Digits = Rest.find_first_not_of("0123456789");
    unsigned Index;
    if (Digits == 0 || Digits == StringRef::npos ||
        Rest.take_front(Digits).getAsInteger(10, Index)) {
      noteNotUnderstood(LineNumber);
      return;
    }
    std::optional<Frame> Parsed =
        parseLocation(Rest.drop_front(Digits).ltrim());
    if (!Parsed || (Index != 0 && Backtrace.size() != Index)) {
      noteNotUnderstood(LineNumber);
      return;
    }
    if (Index == 0 && !Backtrace.empty())
      flush();
    Backtrace.push_back(std::move(*Parsed));
  }

  void noteNotUnderstood(unsigned LineNumber) {
    if (NotUnderstood++ == 0)
      FirstNotUnderstood = LineNumber;
  }

  void flush() {
    Stack Frames;
    if (!Backtrace.empty())
      Frames = std::move(Backtrace);
    else if (StopFrame)
      Frames.push_back(std::move(*StopFrame));
    if (Pc) {
      if (Frames.empty())
        Frames.emplace_back();
      Frames[0].Address = Pc;
      if (PcHint) {
        SymbolHint &Seen = Out.Hints[*Pc];
        if (Seen.Symbol.empty())
          Seen = *PcHint;
        ++Seen.Count;
      }
    }
    if (!Frames.empty()) {
      ++Out.Stacks[std::move(Frames)];
      ++Out.SampleCount;
    }
    Backtrace.clear();
    StopFrame.reset();
    Pc.reset();
    PcHint.reset();
  }

  SampleFile &Out;
  std::optional<uint64_t> Pc;
  std::optional<SymbolHint> PcHint;
  std::optional<Frame> StopFrame;
  Stack Backtrace;
  unsigned NotUnderstood = 0;
  unsigned FirstNotUnderstood = 0;
};

bool isComment(StringRef Line) {
  // "#0  main () at ..." is a gdb frame, not a comment.
  return Line.startswith("#") && !(Line.size() > 1 && isDigit(Line[1]));
}

} // namespace

static Error parseGdbLog(StringRef Content, SampleFile &Out) {
  GdbLogParser Parser(Out);
  auto Buffer = MemoryBuffer::getMemBuffer(Content, Out.Path, false);
  for (line_iterator It(*Buffer, /*SkipBlanks=*/true); !It.is_at_end(); ++It)
    Parser.consume(It->rtrim("\r"), It.line_number());
  Parser.finish();
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Plain hex address lists and folded stacks.
//===----------------------------------------------------------------------===//

static Error parseHexList(StringRef Content, SampleFile &Out) {
  auto Buffer = MemoryBuffer::getMemBuffer(Content, Out.Path, false);
  for (line_iterator It(*Buffer, /*SkipBlanks=*/true); !It.is_at_end(); ++It) {
    StringRef Line = It->trim();
    if (Line.empty() || isComment(Line))
      continue;
    std::optional<uint64_t> Address = parseHex(Line);
    if (!Address)
      return inputError(Out.Path, It.line_number(),
                        "not a hex address: '" + Line + "'");
    Frame Pc;
    Pc.Address = Address;
    ++Out.Stacks[Stack{std::move(Pc)}];
    ++Out.SampleCount;
  }
  return Error::success();
}

/// "main;f;g 12": root first, as flamegraph tools write them. A frame is a
/// function name or a hex address.
static Error parseFolded(StringRef Content, SampleFile &Out) {
  auto Buffer = MemoryBuffer::getMemBuffer(Content, Out.Path, false);
  for (line_iterator It(*Buffer, /*SkipBlanks=*/true); !It.is_at_end(); ++It) {
    StringRef Line = It->trim();
    if (Line.empty() || isComment(Line))
      continue;
    auto [FramesText, CountText] = Line.rsplit(' ');
    uint64_t Count;
    if (CountText.empty() || CountText.getAsInteger(10, Count) ||
        FramesText.trim().empty())
      return inputError(Out.Path, It.line_number(),
                        "expected 'frame;frame;... COUNT', got '" + Line + "'");
    SmallVector<StringRef, 16> Names;
    FramesText.trim().split(Names, ';');
    Stack Frames;
    for (auto Name = Names.rbegin(); Name != Names.rend(); ++Name) {
      StringRef Text = Name->trim();
      if (Text.empty())
        return inputError(Out.Path, It.line_number(),
                          "empty frame in '" + Line + "'");
      Frame F;
      if (Text.startswith("0x"))
        F.Address = parseHex(Text);
      if (!F.Address)
        F.Function = Text.str();
      Frames.push_back(std::move(F));
    }
    if (Count == 0)
      continue;
    Out.Stacks[std::move(Frames)] += Count;
    Out.SampleCount += Count;
  }
  return Error::success();
}

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
      Frame Pc;
      Pc.Address = LowPc + uint64_t((__uint128_t(Span) * Bin) / BinCount);
      Out.Stacks[Stack{std::move(Pc)}] += Count;
      Out.SampleCount += Count;
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

static bool isGdbMarker(StringRef Line) {
  if (Line.startswith("$") && Line.contains(" = "))
    return true;
  if (Line.size() > 1 && Line[0] == '#' && isDigit(Line[1]))
    return true;
  return isInterruption(Line) || Line.startswith("Continuing.");
}

static Expected<SampleFormat> detectFormat(StringRef Path, StringRef Content) {
  if (Content.startswith("gmon"))
    return SampleFormat::Gmon;
  if (Content.trim().empty())
    return inputError(Path, "no samples: the file is empty");
  if (Content.take_front(4096).contains('\0'))
    return inputError(Path, "binary data in no known sample format");
  auto Buffer = MemoryBuffer::getMemBuffer(Content, Path, false);
  unsigned FirstDataLine = 0;
  StringRef FirstData;
  unsigned Examined = 0;
  for (line_iterator It(*Buffer, /*SkipBlanks=*/true);
       !It.is_at_end() && Examined < 200; ++It, ++Examined) {
    StringRef Line = It->trim();
    if (isGdbMarker(Line))
      return SampleFormat::GdbLog;
    if (!FirstDataLine && !Line.empty() && !isComment(Line)) {
      FirstDataLine = It.line_number();
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

Expected<SampleFile> parseSamples(StringRef Path, StringRef Content,
                                  SampleFormat Forced) {
  SampleFile Out;
  Out.Path = Path.str();
  readSamplerHeader(Content, Out);
  Out.Format = Forced;
  if (Forced == SampleFormat::Auto) {
    Expected<SampleFormat> Detected = detectFormat(Path, Content);
    if (!Detected)
      return Detected.takeError();
    Out.Format = *Detected;
  }
  Error Err = Error::success();
  switch (Out.Format) {
  case SampleFormat::GdbLog:
    Err = parseGdbLog(Content, Out);
    break;
  case SampleFormat::HexList:
    Err = parseHexList(Content, Out);
    break;
  case SampleFormat::Gmon:
    if (!Content.startswith("gmon"))
      Err = inputError(Path, "not a gmon.out file (no 'gmon' magic)");
    else
      Err = parseGmon(Content, Out);
    break;
  case SampleFormat::Folded:
    Err = parseFolded(Content, Out);
    break;
  case SampleFormat::Auto:
    llvm_unreachable("detected above");
  }
  if (Err)
    return Err;
  if (Out.SampleCount == 0)
    return inputError(Path, "no samples found in this " +
                                sampleFormatName(Out.Format) + " file");
  return Out;
}

std::pair<StringRef, double> splitSampleSpec(StringRef Spec) {
  auto [Path, WeightText] = Spec.rsplit('@');
  double Weight;
  if (WeightText.empty() || Path.empty() || WeightText.getAsDouble(Weight) ||
      !(Weight > 0))
    return {Spec, 1.0};
  return {Path, Weight};
}

Expected<SampleFile> readSampleFile(StringRef Spec, SampleFormat Forced) {
  auto [Path, Weight] = splitSampleSpec(Spec);
  auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return inputError(Path, Buffer.getError().message());
  Expected<SampleFile> File =
      parseSamples(Path, (*Buffer)->getBuffer(), Forced);
  if (File)
    File->Weight = Weight;
  return File;
}

} // namespace ramfit
