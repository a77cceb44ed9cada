#include "Profile.h"
#include "Diagnostics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include <map>
#include <set>

using namespace llvm;

namespace ramfit {

namespace {

/// gdb's "at ../../py/vm.c:12" names the file relative to the build
/// directory; DWARF has it absolute. Compare what both end with.
bool sameSourceFile(StringRef DwarfPath, StringRef GdbPath) {
  while (GdbPath.consume_front("../") || GdbPath.consume_front("./"))
    ;
  return !GdbPath.empty() && DwarfPath.endswith(GdbPath) &&
         (DwarfPath.size() == GdbPath.size() ||
          sys::path::is_separator(
              DwarfPath[DwarfPath.size() - GdbPath.size() - 1]));
}

constexpr unsigned NoRow = ~0u;
constexpr uint64_t UnattributedPage = 4096;

class ProfileBuilder {
public:
  ProfileBuilder(const Binary &Elf) : Elf(Elf) {}

  /// Returns how many of the file's samples fell in a function.
  Expected<double> add(const SampleFile &File) {
    double SelfBefore = SelfTotal;
    Frame Pc;
    for (const auto &[Address, Count] : File.PcCounts) {
      Pc.Address = Address;
      if (Error Err = addStack(File, Pc, Count * File.Weight))
        return Err;
    }
    for (const auto &[Frames, Count] : File.Stacks)
      if (Error Err = addStack(File, Frames, Count * File.Weight))
        return Err;
    return SelfTotal - SelfBefore;
  }

  Profile finish() {
    Profile Result;
    Result.ElfPath = Elf.path().str();
    Result.ElfSha256 = Elf.sha256();
    Result.HasDebugInfo = Elf.hasDebugInfo();
    Result.TotalSamples = Total;
    for (FunctionProfile &Row : Rows)
      if (Row.Self > 0 || Row.Cumulative > 0)
        Result.Functions.push_back(std::move(Row));
    llvm::stable_sort(Result.Functions, [](const FunctionProfile &A,
                                           const FunctionProfile &B) {
      return std::make_tuple(-A.Self, -A.Cumulative, A.Name, A.Address) <
             std::make_tuple(-B.Self, -B.Cumulative, B.Name, B.Address);
    });
    collectUnattributed(Result);
    return Result;
  }

private:
  Error addStack(const SampleFile &File, ArrayRef<Frame> Frames,
                 double Weight) {
    Total += Weight;
    SmallVector<unsigned, 16> Seen;
    auto Count = [&](unsigned Row) {
      if (Row != NoRow && !llvm::is_contained(Seen, Row)) {
        Seen.push_back(Row);
        Rows[Row].Cumulative += Weight;
      }
    };
    for (size_t Depth = 0; Depth < Frames.size(); ++Depth) {
      const Frame &F = Frames[Depth];
      if (F.Address) {
        if (Elf.addressBits() == 32 && *F.Address > UINT32_MAX)
          return inputError(File.Path, "address 0x" + utohexstr(*F.Address) +
                                           " does not fit the 32-bit ELF '" +
                                           Elf.path() + "'");
        // A caller's address is its return address: look just before it.
        uint64_t Address = Depth && *F.Address ? *F.Address - 1 : *F.Address;
        const SmallVector<unsigned, 4> &AtAddress = rowsAt(Address);
        if (Depth == 0) {
          if (AtAddress.empty())
            UnattributedByAddress[*F.Address] += Weight;
          else
            addSelf(AtAddress.front(), Weight);
        }
        for (unsigned Row : AtAddress)
          Count(Row);
        continue;
      }
      unsigned Row = rowNamed(F.Function, F.SourceFile);
      if (Depth == 0) {
        if (Row == NoRow)
          UnattributedByName[F.Function.empty() ? "?" : F.Function] += Weight;
        else
          addSelf(Row, Weight);
      }
      Count(Row);
    }
    return Error::success();
  }

  void addSelf(unsigned Row, double Weight) {
    Rows[Row].Self += Weight;
    SelfTotal += Weight;
  }

  unsigned rowOf(const FunctionInfo &Function) {
    auto [It, Inserted] = RowOfFunction.try_emplace(&Function, Rows.size());
    if (Inserted) {
      FunctionProfile Row;
      Row.Name = Function.Name;
      Row.File = Function.DeclFile;
      Row.Line = Function.DeclLine;
      Row.Object = Function.Object;
      Row.Section = Function.Section;
      Row.Parent = Function.Parent;
      Row.Address = Function.Address;
      Row.Size = Function.Size;
      Rows.push_back(std::move(Row));
    }
    return It->second;
  }

  /// The out-of-line function at Address first, then the functions inlined
  /// there, then the parent of a clone.
  const SmallVector<unsigned, 4> &rowsAt(uint64_t Address) {
    auto [It, Inserted] = RowsAtAddress.try_emplace(Address);
    if (!Inserted)
      return It->second;
    SmallVector<unsigned, 4> Found;
    if (const FunctionInfo *Function = Elf.functionAt(Address)) {
      Found.push_back(rowOf(*Function));
      for (const InlinedFrame &Inlined : Elf.inlinedAt(Address))
        Found.push_back(rowOfInlined(Inlined));
      if (const FunctionInfo *Parent = parentOf(*Function))
        Found.push_back(rowOf(*Parent));
    }
    It->second = std::move(Found);
    return It->second;
  }

  /// A static parent shares its clone's object; a global one is unique.
  const FunctionInfo *parentOf(const FunctionInfo &Clone) const {
    if (Clone.Parent.empty())
      return nullptr;
    std::vector<const FunctionInfo *> Candidates =
        Elf.functionsNamed(Clone.Parent);
    if (Candidates.size() > 1)
      llvm::erase_if(Candidates, [&](const FunctionInfo *F) {
        return F->Object != Clone.Object;
      });
    return Candidates.size() == 1 ? Candidates.front() : nullptr;
  }

  /// An inlined function is counted under its out-of-line copy when one
  /// exists, otherwise under a row of its own with no address.
  unsigned rowOfInlined(const InlinedFrame &Inlined) {
    std::vector<const FunctionInfo *> Copies = Elf.functionsNamed(Inlined.Name);
    for (const FunctionInfo *Copy : Copies)
      if (Copy->DeclFile == Inlined.DeclFile &&
          Copy->DeclLine == Inlined.DeclLine)
        return rowOf(*Copy);
    auto Key = std::make_pair(Inlined.Name, Inlined.DeclFile);
    auto [It, Inserted] = RowOfInlineOnly.try_emplace(Key, Rows.size());
    if (Inserted) {
      FunctionProfile Row;
      Row.Name = Inlined.Name;
      Row.File = Inlined.DeclFile;
      Row.Line = Inlined.DeclLine;
      Rows.push_back(std::move(Row));
    }
    return It->second;
  }

  /// A frame known only by name (folded stacks, gdb frames without an
  /// address); gdb's source file tells same-named statics apart.
  unsigned rowNamed(StringRef Name, StringRef SourceFile) {
    std::vector<const FunctionInfo *> Candidates = Elf.functionsNamed(Name);
    if (Candidates.size() > 1 && !SourceFile.empty())
      llvm::erase_if(Candidates, [&](const FunctionInfo *F) {
        return !sameSourceFile(F->DeclFile, SourceFile) &&
               !sameSourceFile(F->Object, SourceFile);
      });
    if (Candidates.size() == 1)
      return rowOf(*Candidates.front());
    if (Candidates.size() > 1 && AmbiguousWarned.insert(Name.str()).second)
      warn("'" + Name + "' names " + Twine(Candidates.size()) +
           " functions in '" + Elf.path() +
           "' and the samples do not say which; its samples are unattributed");
    return NoRow;
  }

  void collectUnattributed(Profile &Result) {
    // Neighbouring addresses in one section (or one page outside every
    // section) make one range.
    struct Range {
      uint64_t Low, High;
      double Samples;
      std::string Section;
    };
    std::vector<Range> Ranges;
    for (const auto &[Address, Samples] : UnattributedByAddress) {
      std::string Section = Elf.sectionAt(Address).str();
      if (!Ranges.empty() && Ranges.back().Section == Section &&
          (!Section.empty() || Ranges.back().Low / UnattributedPage ==
                                   Address / UnattributedPage)) {
        Ranges.back().High = Address;
        Ranges.back().Samples += Samples;
        continue;
      }
      Ranges.push_back({Address, Address, Samples, Section});
    }
    for (const Range &R : Ranges) {
      std::string What;
      raw_string_ostream OS(What);
      OS << format_hex(R.Low, 10);
      if (R.High != R.Low)
        OS << "-" << format_hex(R.High, 10);
      if (R.Section.empty())
        OS << " outside every section of the ELF";
      else
        OS << " in " << R.Section << ", in no function symbol";
      Result.Unattributed.push_back({OS.str(), R.Samples});
    }
    for (const auto &[Name, Samples] : UnattributedByName)
      Result.Unattributed.push_back(
          {"'" + Name +
               "', named by the samples, is no single function of the ELF",
           Samples});
    llvm::stable_sort(Result.Unattributed, [](const UnattributedSamples &A,
                                              const UnattributedSamples &B) {
      return A.Samples > B.Samples;
    });
    for (const UnattributedSamples &U : Result.Unattributed)
      UnattributedTotal += U.Samples;
    Result.UnattributedTotal = UnattributedTotal;
    Result.AttributedSamples = Total - UnattributedTotal;
  }

  const Binary &Elf;
  std::vector<FunctionProfile> Rows;
  DenseMap<const FunctionInfo *, unsigned> RowOfFunction;
  std::map<std::pair<std::string, std::string>, unsigned> RowOfInlineOnly;
  DenseMap<uint64_t, SmallVector<unsigned, 4>> RowsAtAddress;
  std::map<uint64_t, double> UnattributedByAddress;
  std::map<std::string, double> UnattributedByName;
  std::set<std::string> AmbiguousWarned;
  double Total = 0;
  double SelfTotal = 0;
  double UnattributedTotal = 0;
};

/// gdb printed "<symbol+offset>" for each sampled PC. When that disagrees
/// with the ELF for more than a few samples, the ELF is not the build that
/// was sampled, and the profile would be quietly wrong.
Error checkSameBuild(const Binary &Elf, const SampleFile &File,
                     bool AllowMismatch) {
  constexpr uint64_t Tolerated = 3;
  constexpr size_t Examples = 3;
  uint64_t Mismatched = 0;
  std::vector<std::pair<unsigned, uint64_t>> Disagreeing; // line, address
  for (const auto &[Address, Hint] : File.Hints) {
    if (Address >= Hint.Offset &&
        Elf.hasSymbolAt(Hint.Symbol, Address - Hint.Offset))
      continue;
    Mismatched += Hint.Count;
    Disagreeing.emplace_back(Hint.Line, Address);
  }
  if (!Mismatched)
    return Error::success();
  // The examples are the first in the file.
  llvm::sort(Disagreeing);
  unsigned FirstLine = Disagreeing.front().first;
  std::vector<std::string> Described;
  for (const auto &[Line, Address] : Disagreeing) {
    if (Described.size() == Examples)
      break;
    const SymbolHint &Hint = File.Hints.find(Address)->second;
    Described.push_back("gdb saw " + Hint.Symbol + "+" +
                        std::to_string(Hint.Offset) + " at 0x" +
                        utohexstr(Address) + " where the ELF has " +
                        Elf.describe(Address));
  }
  std::string Message = Twine(Mismatched)
                            .concat(" sample(s) disagree with '")
                            .concat(Elf.path())
                            .concat("': ")
                            .concat(join(Described, "; "))
                            .str();
  if (Mismatched <= Tolerated || AllowMismatch) {
    warn(location(File.Path, FirstLine) + Message);
    return Error::success();
  }
  return inputError(File.Path, FirstLine,
                    "the samples come from a different build than the ELF: " +
                        Message + " (use --allow-mismatch to go on anyway)");
}

/// Samples from ramfit's sampler name the ELF they were taken from.
Error checkSampledBuild(const Binary &Elf, const SampleFile &File,
                        bool AllowMismatch) {
  if (File.SampledSha256.empty() || File.SampledSha256 == Elf.sha256())
    return Error::success();
  std::string Message = "the samples were taken from '" + File.SampledElf +
                        "' (sha256 " + File.SampledSha256.substr(0, 12) +
                        "...), not from this build of '" + Elf.path().str() +
                        "' (sha256 " + Elf.sha256().substr(0, 12) + "...)";
  if (AllowMismatch) {
    warn(location(File.Path, 1) + Message);
    return Error::success();
  }
  return inputError(File.Path, 1,
                    Message + " (use --allow-mismatch to go on anyway)");
}

} // namespace

Expected<Profile> buildProfile(const Binary &Elf, ArrayRef<SampleFile> Files,
                               const ProfileOptions &Options) {
  if (!Elf.hasDebugInfo())
    warn(location(Elf.path()) +
         "no DWARF debug info: functions come from the symbol table alone, "
         "without file:line or inlined frames");
  ProfileBuilder Builder(Elf);
  for (const SampleFile &File : Files) {
    if (Error Err = checkSampledBuild(Elf, File, Options.AllowMismatch))
      return Err;
    if (Error Err = checkSameBuild(Elf, File, Options.AllowMismatch))
      return Err;
    Expected<double> Attributed = Builder.add(File);
    if (!Attributed)
      return Attributed.takeError();
    if (*Attributed == 0 && !Options.AllowMismatch)
      return inputError(File.Path,
                        "none of its " + Twine(File.SampleCount) +
                            " samples falls in a function of '" + Elf.path() +
                            "': samples from another build or target? (use "
                            "--allow-mismatch to go on anyway)");
  }
  return Builder.finish();
}

} // namespace ramfit
