//===- pc-floor.cpp - The least work any reader of the bench's logs does --===//
//
// bench/run races ramfit against `wc -l`, which only counts newlines. This
// program measures what lies in between: the least a reader must do to get
// the PC counts out of the bench's `p $pc` log or hex list, and nothing
// else. It reads the file on every core in ranges, finds each line with
// memchr, parses the hex address of each value line ("$N = (void (*)())
// 0xADDR <sym+off>") or hex line, and counts it in an open-addressing table
// of its own. It knows no ELF, keeps no hints, checks no line and merges no
// tables: a lower bound for ramfit's reading, not a tool.
//
// Usage: ramfit-bench-pc-floor pc|hex FILE. Prints the samples and the
// distinct addresses it counted, so that bench/run can check them.
//
//===----------------------------------------------------------------------===//
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <sys/mman.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

/// Addresses and their counts; a count of 0 marks an empty slot.
class CountTable {
public:
  CountTable() { resize(1 << 12); }
  ~CountTable() { free(Slots); }
  CountTable(const CountTable &) = delete;
  CountTable &operator=(const CountTable &) = delete;

  void count(uint64_t Address) {
    Slot &S = slotOf(Address);
    if (S.Count++ == 0) {
      S.Address = Address;
      if (++Used * 4 > Size * 3)
        grow();
    }
  }

  uint64_t samples() const {
    uint64_t Sum = 0;
    for (size_t I = 0; I < Size; ++I)
      Sum += Slots[I].Count;
    return Sum;
  }
  size_t distinct() const { return Used; }

private:
  struct Slot {
    uint64_t Address;
    uint64_t Count;
  };

  /// Address's slot, or the empty one where it goes.
  Slot &slotOf(uint64_t Address) {
    size_t Mask = Size - 1;
    for (size_t I = (Address * 0x9E3779B97F4A7C15ull) >> 40;; ++I) {
      Slot &S = Slots[I & Mask];
      if (S.Address == Address || S.Count == 0)
        return S;
    }
  }

  /// Fresh empty slots. Tables of 2 MiB and more go in huge pages, as
  /// ramfit's own allocator puts them: in the bench's VM a 4 KiB page
  /// faults in about 10 us, and this floor should not pay what ramfit
  /// does not.
  void resize(size_t Count) {
    constexpr size_t HugePage = 2 << 20;
    size_t Bytes = Count * sizeof(Slot);
    if (Bytes >= HugePage) {
      Slots = static_cast<Slot *>(aligned_alloc(HugePage, Bytes));
      madvise(Slots, Bytes, MADV_HUGEPAGE);
    } else {
      Slots = static_cast<Slot *>(malloc(Bytes));
    }
    memset(Slots, 0, Bytes);
    Size = Count;
  }

  void grow() {
    Slot *Old = Slots;
    size_t OldSize = Size;
    resize(Size * 2);
    for (size_t I = 0; I < OldSize; ++I)
      if (Old[I].Count)
        slotOf(Old[I].Address) = Old[I];
    free(Old);
  }

  Slot *Slots = nullptr;
  size_t Size = 0;
  size_t Used = 0;
};

/// The hex number at the start of Text, after an optional "0x".
uint64_t parseHex(std::string_view Text) {
  if (Text.size() > 2 && Text[0] == '0' && (Text[1] == 'x' || Text[1] == 'X'))
    Text.remove_prefix(2);
  uint64_t Value = 0;
  for (char C : Text) {
    unsigned Digit;
    if (C >= '0' && C <= '9')
      Digit = C - '0';
    else if (C >= 'a' && C <= 'f')
      Digit = C - 'a' + 10;
    else if (C >= 'A' && C <= 'F')
      Digit = C - 'A' + 10;
    else
      break;
    Value = Value << 4 | Digit;
  }
  return Value;
}

/// The PC of a line, or 0 when the line holds none. gdb reading commands
/// from a pipe or a script puts its prompt in front of the value.
uint64_t pcOfLogLine(std::string_view Line) {
  constexpr std::string_view Prompt = "(gdb) ";
  while (Line.substr(0, Prompt.size()) == Prompt)
    Line.remove_prefix(Prompt.size());
  if (Line.empty() || Line[0] != '$')
    return 0;
  size_t At = Line.find(" 0x");
  return At == std::string_view::npos ? 0 : parseHex(Line.substr(At + 1));
}

uint64_t pcOfHexLine(std::string_view Line) { return parseHex(Line); }

/// Counts the lines that start in [Begin, End): a line that starts before
/// Begin belongs to the range before.
template <typename PcOfLine>
void readRange(int File, off_t Begin, off_t End, PcOfLine PcOf,
               CountTable &Counts) {
  constexpr size_t ChunkBytes = 256 << 10;
  std::vector<char> Buffer;
  size_t Kept = 0;
  bool SkipFirst = Begin > 0;
  off_t At = Begin > 0 ? Begin - 1 : 0;
  for (bool Done = false; !Done;) {
    Buffer.resize(Kept + ChunkBytes);
    ssize_t Read = pread(File, Buffer.data() + Kept, ChunkBytes, At);
    if (Read <= 0)
      Done = true;
    else
      At += Read;
    char *Line = Buffer.data();
    char *Filled = Buffer.data() + Kept + std::max<ssize_t>(Read, 0);
    for (;;) {
      char *NewLine = static_cast<char *>(memchr(Line, '\n', Filled - Line));
      if (!NewLine) {
        if (Done && Line < Filled && !SkipFirst)
          NewLine = Filled;
        else
          break;
      }
      off_t LineStart = At - (Filled - Line);
      if (!SkipFirst) {
        if (LineStart >= End)
          return;
        if (uint64_t Pc = PcOf(std::string_view(Line, NewLine - Line)))
          Counts.count(Pc);
      }
      SkipFirst = false;
      if (NewLine == Filled) {
        // The file's last line, without a newline.
        Line = Filled;
        break;
      }
      Line = NewLine + 1;
    }
    Kept = Filled - Line;
    memmove(Buffer.data(), Line, Kept);
  }
}

} // namespace

int main(int Argc, char **Argv) {
  if (Argc != 3 || (strcmp(Argv[1], "pc") && strcmp(Argv[1], "hex"))) {
    fprintf(stderr, "usage: %s pc|hex FILE\n", Argv[0]);
    return 2;
  }
  bool Log = !strcmp(Argv[1], "pc");
  int File = open(Argv[2], O_RDONLY);
  if (File < 0) {
    perror(Argv[2]);
    return 1;
  }
  off_t Size = lseek(File, 0, SEEK_END);
  unsigned Ranges = std::max(1u, std::thread::hardware_concurrency());
  std::vector<CountTable> Counts(Ranges);
  std::vector<std::thread> Workers;
  for (unsigned I = 0; I < Ranges; ++I)
    Workers.emplace_back([&, I] {
      off_t Begin = Size * I / Ranges, End = Size * (I + 1) / Ranges;
      if (Log)
        readRange(File, Begin, End, pcOfLogLine, Counts[I]);
      else
        readRange(File, Begin, End, pcOfHexLine, Counts[I]);
    });
  for (std::thread &Worker : Workers)
    Worker.join();
  uint64_t Samples = 0;
  size_t Distinct = 0;
  for (const CountTable &Range : Counts) {
    Samples += Range.samples();
    Distinct = std::max(Distinct, Range.distinct());
  }
  printf("%llu samples, %zu distinct addresses in the largest range\n",
         static_cast<unsigned long long>(Samples), Distinct);
  return 0;
}
