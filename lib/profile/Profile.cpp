#include "profile/Profile.h"
#include "profile/BuildCheck.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include <map>
#include <set>

using namespace llvm;

namespace ramfit {

FunctionProfile profileRowOf(const FunctionInfo &F) {
  FunctionProfile Row;
  Row.Name = F.Name;
  Row.File = F.DeclFile;
  Row.Line = F.DeclLine;
  Row.CompileUnit = F.CompileUnit;
  Row.OutputSection = F.OutputSection;
  Row.Parent = F.Parent;
  Row.Address = F.Address;
  Row.Size = F.Size;
  return Row;
}

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
  ProfileBuilder(const Binary &Elf, DiagnosticHandler Diag)
      : Elf(Elf), Diag(Diag) {}

  /// Returns how many of the file's samples fell in a function.
  Expected<double> add(const SampleFile &File) {
    double SelfBefore = SelfTotal;
    // In address order: consecutive PCs then fall in the same function, its
    // symbol, DWARF and row already in the cache, where the hash table's
    // order jumped across the whole image at every PC.
    std::vector<std::pair<uint64_t, uint64_t>> Pcs(File.PcCounts.begin(),
                                                   File.PcCounts.end());
    llvm::sort(Pcs);
    Frame Pc;
    for (const auto &[Address, Count] : Pcs) {
      Pc.Address = Address;
      if (Error Err = addStack(File, Pc, Count * File.Weight))
        return Err;
    }
    for (const auto &[Frames, Count] : File.Stacks)
      if (Error Err = addStack(File, Frames, Count * File.Weight))
        return Err;
    for (const auto &[Address, Count] : File.CodeDataCounts) {
      CodeAt Code = codeAt(Address);
      if (Code.Function == NoRow)
        continue;
      double Weight = Count * File.Weight;
      Total += Weight;
      Rows[Code.Function].Cumulative += Weight;
      addSelf(Code.Function, Weight);
    }
    return SelfTotal - SelfBefore;
  }

  Profile finish() {
    for (auto &[Row, Code] : Inlined)
      Rows[Row].Inlined.push_back(std::move(Code));
    for (FunctionProfile &Row : Rows)
      llvm::stable_sort(
          Row.Inlined, [](const InlinedProfile &A, const InlinedProfile &B) {
            // Ties by name: the order must not depend on the
            // order in which the samples were read.
            return std::make_tuple(-A.Samples, A.Name, A.Line, A.File) <
                   std::make_tuple(-B.Samples, B.Name, B.Line, B.File);
          });
    Profile Result;
    Result.ElfPath = Elf.path().str();
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
    SmallVector<unsigned, 16> SeenRows;
    SmallVector<unsigned, 16> SeenInlined;
    auto Count = [&](unsigned Row) {
      if (Row != NoRow && !llvm::is_contained(SeenRows, Row)) {
        SeenRows.push_back(Row);
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
        // Return addresses recur in many stacks, sampled PCs mostly not:
        // only the first are worth keeping.
        CodeAt Code = Depth ? cachedCodeAt(Address) : codeAt(Address);
        if (Depth == 0) {
          if (Code.Function == NoRow)
            UnattributedByAddress[*F.Address] += Weight;
          else
            addSelf(Code.Function, Weight);
        }
        Count(Code.Function);
        Count(Code.Parent);
        for (unsigned Slot : Code.Inlined)
          if (!llvm::is_contained(SeenInlined, Slot)) {
            SeenInlined.push_back(Slot);
            Inlined[Slot].second.Samples += Weight;
          }
        continue;
      }
      unsigned Row = rowNamed(F.Function, F.SourceFile);
      if (Depth == 0) {
        if (Row == NoRow)
          UnattributedByName[F.Function.empty() ? "?" : F.Function.str()] +=
              Weight;
        else
          addSelf(Row, Weight);
      }
      Count(Row);
      if (Row != NoRow)
        Count(rowOfParent(Row));
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
      Rows.push_back(profileRowOf(Function));
      RowFunctions.push_back(&Function);
    }
    return It->second;
  }

  /// What the code at an address counts for: the out-of-line function that
  /// holds it, the parent of that function when it is a clone, and the
  /// functions inlined there (slots of Inlined). Valid until the next
  /// lookup.
  struct CodeAt {
    unsigned Function = NoRow;
    unsigned Parent = NoRow;
    ArrayRef<unsigned> Inlined;
  };

  CodeAt codeAt(uint64_t Address) {
    CodeAt Found;
    LastInlined.clear();
    if (const FunctionInfo *Function = Elf.functionAt(Address)) {
      Found.Function = rowOf(*Function);
      Found.Parent = rowOfParent(Found.Function);
      for (const InlinedFrame *Frame : Elf.inlinedAt(Address))
        LastInlined.push_back(inlinedSlot(Found.Function, *Frame));
    }
    Found.Inlined = LastInlined;
    return Found;
  }

  /// A return address's code, kept in 16 bytes: a backtrace log has tens
  /// of thousands of them.
  struct CallerCode {
    unsigned Function, Parent;
    uint32_t InlinedBegin, InlinedSize;
  };

  CodeAt cachedCodeAt(uint64_t Address) {
    auto [It, Inserted] = CallerCodeAt.try_emplace(Address);
    if (Inserted) {
      CodeAt Found = codeAt(Address);
      It->second = {Found.Function, Found.Parent,
                    uint32_t(CallerInlined.size()),
                    uint32_t(Found.Inlined.size())};
      CallerInlined.append(Found.Inlined.begin(), Found.Inlined.end());
    }
    const CallerCode &Kept = It->second;
    return {Kept.Function, Kept.Parent,
            ArrayRef<unsigned>(CallerInlined)
                .slice(Kept.InlinedBegin, Kept.InlinedSize)};
  }

  /// A static parent shares its clone's object; a global one is unique.
  /// Looked up once per clone: it is asked at every sampled address.
  unsigned rowOfParent(unsigned Row) {
    const FunctionInfo &Clone = *RowFunctions[Row];
    if (Clone.Parent.empty())
      return NoRow;
    auto [Known, New] = ParentRow.try_emplace(Row, NoRow);
    if (!New)
      return Known->second;
    std::vector<const FunctionInfo *> Candidates =
        Elf.functionsNamed(Clone.Parent);
    if (Candidates.size() > 1)
      llvm::erase_if(Candidates, [&](const FunctionInfo *F) {
        return F->CompileUnit != Clone.CompileUnit;
      });
    unsigned Parent =
        Candidates.size() == 1 ? rowOf(*Candidates.front()) : NoRow;
    return ParentRow[Row] = Parent;
  }

  /// Inlined calls of one function and declaration count as one: a frame
  /// is looked up by its name once, then by where it is.
  unsigned inlinedSlot(unsigned Row, const InlinedFrame &Frame) {
    auto [Known, NewFrame] = SlotOfFrame.try_emplace({Row, &Frame});
    if (!NewFrame)
      return Known->second;
    auto Key = std::make_tuple(Row, Frame.Name, Frame.DeclFile, Frame.DeclLine);
    auto [It, Inserted] = InlinedSlots.try_emplace(Key, Inlined.size());
    if (Inserted)
      Inlined.push_back(
          {Row, InlinedProfile{Frame.Name, Frame.DeclFile, Frame.DeclLine, 0}});
    return Known->second = It->second;
  }

  /// A frame known only by name (folded stacks, gdb frames without an
  /// address), under the name a debugger gives it: a clone by its base
  /// name. gdb's source file tells same-named statics apart.
  unsigned rowNamed(StringRef Name, StringRef SourceFile) {
    auto [It, Inserted] = RowOfName.try_emplace(
        std::make_pair(Name.str(), SourceFile.str()), NoRow);
    if (!Inserted)
      return It->second;
    std::vector<const FunctionInfo *> Candidates = Elf.functionsKnownAs(Name);
    if (Candidates.size() > 1 && !SourceFile.empty())
      llvm::erase_if(Candidates, [&](const FunctionInfo *F) {
        return !sameSourceFile(F->DeclFile, SourceFile) &&
               !sameSourceFile(F->CompileUnit, SourceFile);
      });
    if (Candidates.size() == 1)
      It->second = rowOf(*Candidates.front());
    else if (Candidates.size() > 1 && AmbiguousWarned.insert(Name.str()).second)
      warning(Diag, "'" + Name + "' names " + Twine(Candidates.size()) +
                        " functions in '" + Elf.path() +
                        "' and the samples do not say which; its samples are "
                        "unattributed");
    return It->second;
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
      return std::make_tuple(-A.Samples, A.What) <
             std::make_tuple(-B.Samples, B.What);
    });
    for (const UnattributedSamples &U : Result.Unattributed)
      UnattributedTotal += U.Samples;
    Result.UnattributedTotal = UnattributedTotal;
    Result.AttributedSamples = Total - UnattributedTotal;
  }

  const Binary &Elf;
  DiagnosticHandler Diag;
  std::vector<FunctionProfile> Rows;
  /// Parallel to Rows.
  std::vector<const FunctionInfo *> RowFunctions;
  DenseMap<const FunctionInfo *, unsigned> RowOfFunction;
  DenseMap<unsigned, unsigned> ParentRow;
  std::map<std::pair<std::string, std::string>, unsigned> RowOfName;
  /// By return address.
  AddressMap<CallerCode> CallerCodeAt;
  SmallVector<unsigned, 0> CallerInlined;
  /// The inlined slots of the last uncached lookup.
  SmallVector<unsigned, 8> LastInlined;
  /// The row each inlined function counts under, and its count.
  std::vector<std::pair<unsigned, InlinedProfile>> Inlined;
  std::map<std::tuple<unsigned, std::string, std::string, unsigned>, unsigned>
      InlinedSlots;
  DenseMap<std::pair<unsigned, const InlinedFrame *>, unsigned> SlotOfFrame;
  std::map<uint64_t, double> UnattributedByAddress;
  std::map<std::string, double> UnattributedByName;
  std::set<std::string> AmbiguousWarned;
  double Total = 0;
  double SelfTotal = 0;
  double UnattributedTotal = 0;
};

} // namespace

Expected<Profile> buildProfile(const Binary &Elf, ArrayRef<SampleFile> Files,
                               const ProfileOptions &Options,
                               DiagnosticHandler Diag) {
  if (!Elf.hasDebugInfo())
    warning(
        Diag,
        location(Elf.path()) +
            "no DWARF debug info: functions come from the symbol table alone, "
            "without file:line or inlined frames");
  ProfileBuilder Builder(Elf, Diag);
  double ModelledCycles = 0;
  for (const SampleFile &File : Files) {
    // Cycles saved and samples taken are different units: summing them
    // would weigh one file by its length.
    if ((File.ModelledCycles > 0) != (Files.front().ModelledCycles > 0))
      return inputError(File.Path,
                        "cycle profiles and PC samples cannot be combined: "
                        "one counts cycles, the other samples");
    ModelledCycles += double(File.ModelledCycles) * File.Weight;
    if (Error Err =
            checkSamplesMatchBuild(Elf, File, Options.AllowMismatch, Diag))
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
    if (Error Err =
            checkSamplesAreInstructions(Elf, File, Options.AllowMismatch, Diag))
      return Err;
  }
  Profile Result = Builder.finish();
  Result.ModelledCycles = ModelledCycles;
  return Result;
}

} // namespace ramfit
