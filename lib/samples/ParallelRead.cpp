#include "samples/ParallelRead.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include <optional>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <vector>

using namespace llvm;

namespace ramfit {

namespace {

/// Each range reads through a buffer this large; several are alive at once.
constexpr size_t ChunkBytes = 256 << 10;
/// How far past a cut point a sample start is looked for; a log whose
/// samples are further apart than this is read in fewer ranges.
constexpr size_t SearchBytes = 1 << 20;

/// The offset of the first line after Offset at which a sample starts.
/// A small window first: samples are a few hundred bytes apart, and the
/// fresh pages of a 1 MiB window were 3 ms before any range could start.
std::optional<uint64_t> sampleStartAfter(sys::fs::file_t File, uint64_t Offset,
                                         SampleStartTest IsSampleStart) {
  for (size_t Bytes = 64 << 10;; Bytes = SearchBytes) {
    std::unique_ptr<char[]> Window(new char[Bytes]);
    Expected<size_t> Read = sys::fs::readNativeFileSlice(
        File, MutableArrayRef<char>(Window.get(), Bytes), Offset);
    if (!Read) {
      consumeError(Read.takeError());
      return std::nullopt;
    }
    StringRef Text(Window.get(), *Read);
    // The line under Offset may have started before it: it is skipped.
    size_t Start = Text.find('\n');
    while (Start != StringRef::npos) {
      ++Start;
      size_t End = Text.find('\n', Start);
      if (End == StringRef::npos)
        break;
      StringRef Line = Text.slice(Start, End);
      Line.consume_back("\r");
      if (IsSampleStart(Line))
        return Offset + Start;
      Start = End;
    }
    if (Bytes == SearchBytes || *Read < Bytes)
      return std::nullopt;
  }
}

struct RangeResult {
  SampleFile Out;
  unsigned Lines = 0;
  /// Read to the end without an error or a message.
  bool Clean = false;
};

void readRange(sys::fs::file_t File, uint64_t Begin, uint64_t End,
               ParserMaker MakeParser, RangeResult &Result) {
  bool Said = false;
  auto Listen = [&](const Diagnostic &) { Said = true; };
  std::unique_ptr<LineParser> Parser = MakeParser(Result.Out, Listen);
  LineSplitter Lines(Result.Out.Path, *Parser);
  std::vector<char> Buffer(ChunkBytes);
  for (uint64_t At = Begin; At < End;) {
    MutableArrayRef<char> Into(Buffer.data(),
                               std::min<uint64_t>(ChunkBytes, End - At));
    Expected<size_t> Read = sys::fs::readNativeFileSlice(File, Into, At);
    if (!Read)
      return consumeError(Read.takeError());
    if (*Read == 0)
      return;
    if (Error Err = Lines.feed(StringRef(Buffer.data(), *Read)))
      return consumeError(std::move(Err));
    At += *Read;
  }
  if (Error Err = Lines.finish())
    return consumeError(std::move(Err));
  Result.Lines = Lines.lines();
  Result.Clean = !Said;
}

/// Hints of a later range count towards those of earlier ones, which saw
/// the address first. Nothing is reserved: the ranges of one log sample
/// mostly the same addresses, and room for both would rehash the table.
/// From is freed once merged, before the next table grows.
template <typename Hint>
void mergeHints(AddressMap<Hint> &Into, AddressMap<Hint> &From,
                unsigned LineOffset) {
  for (const auto &[Address, Seen] : From) {
    auto [Kept, New] = Into.try_emplace(Address, Seen);
    if (New)
      Kept->second.Line += LineOffset;
    else
      Kept->second.Count += Seen.Count;
  }
  From = AddressMap<Hint>();
}

/// From's names stay where they are, kept alive by Into's table.
void mergeInto(SampleFile &Into, SampleFile &From, unsigned LineOffset) {
  Into.Names->keepAlive(From.Names);
  auto MergeCounts = [&] {
    for (auto &[Address, Count] : From.PcCounts)
      Into.PcCounts[Address] += Count;
    Into.Stacks.addAll(std::move(From.Stacks));
  };
  // A backtrace log's stacks merge on a thread of their own beside the
  // hints: both are hash lookups that miss the cache. PCs alone merge
  // before the hints: on two threads the two tables were alive at once.
  std::optional<ThreadPool> Counts;
  if (From.Stacks.empty()) {
    MergeCounts();
  } else {
    Counts.emplace(hardware_concurrency(1));
    Counts->async(MergeCounts);
  }
  mergeHints(Into.CallerFunctionHints, From.CallerFunctionHints, LineOffset);
  mergeHints(Into.PcFunctionHints, From.PcFunctionHints, LineOffset);
  mergeHints(Into.Hints, From.Hints, LineOffset);
  if (Counts)
    Counts->wait();
  Into.SampleCount += From.SampleCount;
}

} // namespace

unsigned rangesFor(uint64_t Size) {
  constexpr uint64_t MinRange = 16 << 20;
  // Physical cores: two hyperthreads of one core share the caches whose
  // misses bound the parse.
  return std::min<uint64_t>(
      heavyweight_hardware_concurrency().compute_thread_count(),
      Size / MinRange);
}

std::optional<SampleFile> readInRanges(sys::fs::file_t File, uint64_t Size,
                                       unsigned Ranges, const SampleFile &Head,
                                       SampleStartTest IsSampleStart,
                                       ParserMaker MakeParser) {
  if (Ranges < 2)
    return std::nullopt;
  std::vector<uint64_t> Cuts = {0};
  for (uint64_t I = 1; I < Ranges; ++I) {
    std::optional<uint64_t> Cut =
        sampleStartAfter(File, Size * I / Ranges, IsSampleStart);
    if (Cut && *Cut > Cuts.back() && *Cut < Size)
      Cuts.push_back(*Cut);
  }
  if (Cuts.size() < 2)
    return std::nullopt;
  Cuts.push_back(Size);

  std::vector<RangeResult> Results(Cuts.size() - 1);
  // Each range its own name table: they fill at once.
  for (RangeResult &Result : Results) {
    Result.Out = Head;
    Result.Out.Names = std::make_shared<NameTable>();
  }
  // The first range on this thread, the others on a pool of their own.
  ThreadPool Workers(hardware_concurrency(Results.size() - 1));
  for (size_t I = 1; I < Results.size(); ++I)
    Workers.async([&, I] {
      readRange(File, Cuts[I], Cuts[I + 1], MakeParser, Results[I]);
    });
  readRange(File, Cuts[0], Cuts[1], MakeParser, Results[0]);
  Workers.wait();
  if (!all_of(Results, [](const RangeResult &R) { return R.Clean; }))
    return std::nullopt;

  SampleFile Out = std::move(Results[0].Out);
  unsigned LinesBefore = Results[0].Lines;
  for (size_t I = 1; I < Results.size(); ++I) {
    mergeInto(Out, Results[I].Out, LinesBefore);
    LinesBefore += Results[I].Lines;
  }
  Results.clear();
#ifdef __GLIBC__
  // What the ranges' parsers and the merge freed stays resident in the
  // threads' malloc arenas unless given back; the profile then grows past it.
  malloc_trim(0);
#endif
  return Out;
}

} // namespace ramfit
