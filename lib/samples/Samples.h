//===- Samples.h - Reading PC samples in every format ramfit knows -*- C++
//-*-===//
//
// A sample is one interruption of the target: where the CPU was and, when the
// source recorded it, the stack of callers. Identical PCs and stacks are
// counted once with a multiplicity, so a file of millions of samples costs
// memory only in proportion to its distinct stacks.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_SAMPLES_H
#define RAMFIT_SAMPLES_H

#include "samples/StackCounts.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/StringSaver.h"
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ramfit {

enum class SampleFormat { Auto, GdbLog, HexList, Gmon, Folded, Cycles };

llvm::Expected<SampleFormat> parseSampleFormat(llvm::StringRef Name);
llvm::StringRef sampleFormatName(SampleFormat Format);

/// The names a sample file's frames and hints hold, each kept once: a log of
/// a million samples names a few thousand functions at a hundred thousand
/// addresses.
class NameTable {
public:
  llvm::StringRef save(llvm::StringRef Name) { return Saver.save(Name); }
  /// Names saved in Other stay valid as long as this table: the ranges of
  /// one file, read into tables of their own, are merged without copying a
  /// name.
  void keepAlive(std::shared_ptr<NameTable> Other) {
    Kept.push_back(std::move(Other));
  }

private:
  llvm::BumpPtrAllocator Allocator;
  llvm::UniqueStringSaver Saver{Allocator};
  std::vector<std::shared_ptr<NameTable>> Kept;
};

/// gdb's "<symbol+offset>" for a sampled PC, kept to check that the samples
/// come from the same build as the ELF. The name is in the file's Names.
struct SymbolHint {
  llvm::StringRef Symbol;
  /// 32 bits: a log holds one hint per sampled address, and an offset into
  /// a function is never larger.
  uint32_t Offset = 0;
  unsigned Line = 0;
  /// 32 bits, as Line: each time gdb gave the hint is a line of the log.
  uint32_t Count = 0;
};

/// gdb's name for the function at an address, from a stop line or a
/// backtrace frame: the innermost function there, inlined or not, under its
/// name in DWARF (a clone's base name). Kept to check the build too. The
/// name is in the file's Names.
struct FunctionHint {
  llvm::StringRef Function;
  unsigned Line = 0;
  /// 32 bits, as Line: each time gdb named the function is a line of the
  /// log. The hint then takes 24 bytes instead of 32, at each of a large
  /// log's hundred thousand addresses (its peak RSS 54 to 51 MiB).
  uint32_t Count = 0;
};

/// Sampled addresses as hash keys. DenseMap's own hash of an integer (times
/// 37) keeps the alignment of the PCs in the low bits, so that 2- and
/// 4-byte aligned PCs share a fraction of the buckets and probe long; this
/// one spreads every bit (Fibonacci hashing).
struct AddressKeyInfo : llvm::DenseMapInfo<uint64_t> {
  static unsigned getHashValue(uint64_t Address) {
    return static_cast<unsigned>((Address * 0x9E3779B97F4A7C15ull) >> 32);
  }
};

template <typename T>
using AddressMap = llvm::DenseMap<uint64_t, T, AddressKeyInfo>;

struct SampleFile {
  std::string Path;
  double Weight = 1;
  SampleFormat Format = SampleFormat::Auto;
  /// Samples that are a PC alone, by address: those of 'p $pc' logs, hex
  /// lists and gmon.out, most samples of all, which need no stack.
  AddressMap<uint64_t> PcCounts;
  /// Every other sample, by stack.
  StackCounts Stacks;
  /// A cycle profile's stall cycles of loads from an address, saved when
  /// the code holding the address moves (an Arm literal pool, a Thumb
  /// branch table). They count for the function that holds the address,
  /// and for nothing where none does (constants in .rodata stay in flash).
  AddressMap<uint64_t> CodeDataCounts;
  /// Where the frames' and hints' names are; copies of a SampleFile share
  /// it.
  std::shared_ptr<NameTable> Names = std::make_shared<NameTable>();
  /// Keyed by sampled address.
  AddressMap<SymbolHint> Hints;
  /// Keyed by sampled address (frame 0) and by return address (callers).
  AddressMap<FunctionHint> PcFunctionHints;
  AddressMap<FunctionHint> CallerFunctionHints;
  uint64_t SampleCount = 0;
  /// A cycle profile's modelled cycles of the whole run, of which its
  /// counts are the part RAM would save; 0 for samples.
  uint64_t ModelledCycles = 0;
  /// The hex SHA-256 of the file's bytes, taken while it was read: a plan
  /// records it.
  std::string Sha256;
  /// From the "# ramfit-samples elf=PATH sha256=HASH" header that ramfit's
  /// gdb sampler writes: the build the samples were taken from.
  std::string SampledElf;
  std::string SampledSha256;
};

/// "file.txt@2" is file.txt with weight 2; a name that merely contains '@'
/// has weight 1.
std::pair<llvm::StringRef, double> splitSampleSpec(llvm::StringRef Spec);

/// Whether a read takes the SHA-256 of the file (SampleFile::Sha256): a plan
/// records it; a profile does not need it, and a large file is then read on
/// every core.
enum class ContentHash { Skip, Take };

/// Reads "PATH" or "PATH@WEIGHT". The format is detected from the content
/// unless Forced names one.
/// What a reader skipped without understanding it is a warning to Diag.
llvm::Expected<SampleFile> readSampleFile(llvm::StringRef Spec,
                                          SampleFormat Forced,
                                          DiagnosticHandler Diag,
                                          ContentHash Hash = ContentHash::Take);

/// Parses samples already in memory; Path names them in errors.
llvm::Expected<SampleFile> parseSamples(llvm::StringRef Path,
                                        llvm::StringRef Content,
                                        SampleFormat Forced,
                                        DiagnosticHandler Diag);

} // namespace ramfit

#endif
