#include "samples/Samples.h"
#include "samples/CycleProfile.h"
#include "samples/Folded.h"
#include "samples/GdbLines.h"
#include "samples/GdbLog.h"
#include "samples/Gmon.h"
#include "samples/HexList.h"
#include "samples/LineParser.h"
#include "samples/ParallelRead.h"
#include "support/Choices.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SHA256.h"
#include <functional>
#include <optional>
#include <tuple>

using namespace llvm;

namespace ramfit {

static const NamedValue<SampleFormat> SampleFormats[] = {
    {"auto", SampleFormat::Auto},     {"gdb", SampleFormat::GdbLog},
    {"hex", SampleFormat::HexList},   {"gmon", SampleFormat::Gmon},
    {"folded", SampleFormat::Folded}, {"cycles", SampleFormat::Cycles}};

Expected<SampleFormat> parseSampleFormat(StringRef Name) {
  return parseChoice<SampleFormat>("sample format", Name, SampleFormats);
}

StringRef sampleFormatName(SampleFormat Format) {
  return choiceName<SampleFormat>(Format, SampleFormats);
}

//===----------------------------------------------------------------------===//
// Detection and the one read loop.
//===----------------------------------------------------------------------===//

static Expected<SampleFormat> detectFormat(StringRef Path, StringRef Content) {
  if (hasGmonMagic(Content))
    return SampleFormat::Gmon;
  if (Content.trim().empty())
    return inputError(Path, "no samples: the file is empty");
  if (Content.startswith(CycleProfileMagic))
    return SampleFormat::Cycles;
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
  return inputError(
      Path, FirstDataLine,
      "no known sample format (gdb log, hex list, gmon.out, cycle profile, "
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

static std::unique_ptr<LineParser> lineParserFor(SampleFile &Out,
                                                 DiagnosticHandler Diag) {
  switch (Out.Format) {
  case SampleFormat::GdbLog:
    return makeGdbLogParser(Out, Diag);
  case SampleFormat::HexList:
    return makeHexListParser(Out, Diag);
  case SampleFormat::Folded:
    return makeFoldedParser(Out);
  case SampleFormat::Cycles:
    return makeCycleProfileParser(Out);
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
  if (Out.Format == SampleFormat::Gmon && !hasGmonMagic(Head))
    return inputError(Out.Path, "not a gmon.out file (no 'gmon' magic)");
  return Error::success();
}

/// The bytes of a sample file front to back, a chunk at a time; an empty
/// chunk at the end.
using ChunkSource = function_ref<Expected<StringRef>()>;

/// Every format is read here front to back, from a file or from memory,
/// starting with First, the chunk that settled the format. Text formats are
/// streamed, so memory grows with the distinct stacks, never with the
/// length of the file; the hash a plan records is taken on the way.
static Expected<SampleFile> readSamples(SampleFile Out, StringRef First,
                                        ChunkSource NextChunk,
                                        DiagnosticHandler Diag,
                                        ContentHash Hash) {
  // gmon.out is binary and small (two bytes a bin): it is parsed whole.
  bool IsGmon = Out.Format == SampleFormat::Gmon;
  std::string GmonContent;
  std::unique_ptr<LineParser> Parser =
      IsGmon ? nullptr : lineParserFor(Out, Diag);
  std::optional<LineSplitter> Lines;
  if (Parser)
    Lines.emplace(Out.Path, *Parser);
  SHA256 Hasher;
  for (Expected<StringRef> Chunk = First; !Chunk->empty();) {
    if (Hash == ContentHash::Take)
      Hasher.update(arrayRefFromStringRef(*Chunk));
    if (IsGmon)
      GmonContent += *Chunk;
    else if (Error Err = Lines->feed(*Chunk))
      return Err;
    Chunk = NextChunk();
    if (!Chunk)
      return Chunk.takeError();
  }
  if (Error Err = IsGmon ? parseGmon(GmonContent, Out) : Lines->finish())
    return Err;
  if (Hash == ContentHash::Take)
    Out.Sha256 = toHex(Hasher.final(), /*LowerCase=*/true);
  return Out;
}

static Expected<SampleFile> requireSamples(Expected<SampleFile> Read) {
  if (Read && Read->SampleCount == 0)
    return inputError(Read->Path, "no samples found in this " +
                                      sampleFormatName(Read->Format) + " file");
  return Read;
}

Expected<SampleFile> parseSamples(StringRef Path, StringRef Content,
                                  SampleFormat Forced, DiagnosticHandler Diag) {
  SampleFile Out;
  Out.Path = Path.str();
  if (Error Err = startSampleFile(Content.take_front(HeadSize), Forced, Out))
    return Err;
  return requireSamples(readSamples(
      std::move(Out), Content, [] { return Expected<StringRef>(""); }, Diag,
      ContentHash::Take));
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

  sys::fs::file_t file() const { return File; }

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

/// Whether the text after Head may be cut into ranges read in parallel,
/// and where: gdb logs at their interruptions, which a log must show from
/// its head on (before the first one, a PC printed twice is two samples, and
/// after it one), line formats at any line.
static std::optional<std::function<bool(StringRef)>>
sampleStarts(const SampleFile &Out, StringRef Head) {
  switch (Out.Format) {
  case SampleFormat::GdbLog: {
    auto IsInterruption = [](StringRef Line) {
      return isInterruption(stripPrompts(Line));
    };
    SmallVector<StringRef, 0> HeadLines;
    Head.split(HeadLines, '\n');
    if (none_of(HeadLines, IsInterruption))
      return std::nullopt;
    return IsInterruption;
  }
  case SampleFormat::HexList:
  case SampleFormat::Folded:
    return [](StringRef) { return true; };
  case SampleFormat::Cycles:
  case SampleFormat::Gmon:
  case SampleFormat::Auto:
    break;
  }
  return std::nullopt;
}

Expected<SampleFile> readSampleFile(StringRef Spec, SampleFormat Forced,
                                    DiagnosticHandler Diag, ContentHash Hash) {
  auto [Path, Weight] = splitSampleSpec(Spec);
  if (sys::fs::is_directory(Path))
    return inputError(Path, "is a directory, not a sample file");
  Expected<ChunkReader> Reader = ChunkReader::open(Path);
  if (!Reader)
    return Reader.takeError();
  SampleFile Out;
  Out.Path = Path.str();
  Out.Weight = Weight;
  Expected<StringRef> First = Reader->next();
  if (!First)
    return First.takeError();
  if (Error Err = startSampleFile(First->take_front(HeadSize), Forced, Out))
    return Err;
  // A large regular file whose hash nobody asked for is read on every core.
  sys::fs::file_status Status;
  std::optional<std::function<bool(StringRef)>> Starts =
      sampleStarts(Out, First->take_front(HeadSize));
  if (Hash == ContentHash::Skip && Starts &&
      !sys::fs::status(Reader->file(), Status) &&
      sys::fs::is_regular_file(Status)) {
    std::optional<SampleFile> Ranged = readInRanges(
        Reader->file(), Status.getSize(), rangesFor(Status.getSize()), Out,
        *Starts, [&](SampleFile &Range, DiagnosticHandler RangeDiag) {
          return lineParserFor(Range, RangeDiag);
        });
    if (Ranged)
      return requireSamples(std::move(*Ranged));
  }
  return requireSamples(readSamples(
      std::move(Out), *First, [&] { return Reader->next(); }, Diag, Hash));
}

} // namespace ramfit
