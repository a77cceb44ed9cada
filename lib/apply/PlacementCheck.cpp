#include "apply/PlacementCheck.h"
#include "apply/MustRunFromRamCheck.h"

#include "support/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <map>
#include <set>

using namespace llvm;

namespace ramfit {

uint64_t CheckResult::predictedTotal() const {
  if (PlannedTogether)
    return PlannedTogether;
  uint64_t Total = 0;
  for (const LinkedSize &S : Sizes)
    Total += S.Predicted;
  return Total;
}

uint64_t CheckResult::linkedTotal() const {
  uint64_t Total = VeneerBytes;
  for (const LinkedSize &S : Sizes)
    Total += S.Linked;
  return Total;
}

uint64_t CheckResult::otherCodeBytes() const {
  uint64_t Total = 0;
  for (const LinkedSize &S : OtherCode)
    Total += S.Linked;
  return Total;
}

bool CheckResult::failed() const {
  return llvm::any_of(
      Findings, [](const Diagnostic &F) { return F.Level == Severity::Error; });
}

namespace {

std::string hex(uint64_t Value) { return "0x" + utohexstr(Value, true); }

std::string describeRegion(const MemoryRegion &Region) {
  return Region.Name + " (" + hex(Region.Origin) + "-" +
         hex(Region.Origin + Region.Length) + ")";
}

/// The functions called Name in Elf, statics that share the name told
/// apart by their file.
std::vector<const FunctionInfo *>
functionsNamed(const Binary &Elf, StringRef Name, StringRef File) {
  std::vector<const FunctionInfo *> Found = Elf.functionsNamed(Name);
  if (Found.size() > 1 && !File.empty())
    llvm::erase_if(Found,
                   [&](const FunctionInfo *F) { return F->DeclFile != File; });
  return Found;
}

/// The planned function in the new ELF.
std::vector<const FunctionInfo *> findPlanned(const Binary &Elf,
                                              const PlannedUnit &Unit) {
  return functionsNamed(Elf, Unit.Name, Unit.File);
}

/// The clones and cold parts of function Name ("f.cold", "f.part.0" of f)
/// that are not among Others (units of their own).
std::vector<const FunctionInfo *>
partsOf(const Binary &Elf, StringRef Name,
        function_ref<bool(StringRef)> Others) {
  std::vector<const FunctionInfo *> Parts;
  for (const FunctionInfo &F : Elf.functions())
    if (F.Parent == Name && F.Name != Name && !Others(F.Name))
      Parts.push_back(&F);
  return Parts;
}

void checkOverflow(const Binary &Elf, const MemoryRegion &Region,
                   CheckResult &Result) {
  uint64_t End = Region.Origin + Region.Length;
  for (const SectionRange &Section : Elf.sections())
    if (Region.contains(Section.Address) &&
        Section.Address + Section.Size > End)
      Result.Findings.push_back(
          {Severity::Error,
           Section.Name + " ends at " + hex(Section.Address + Section.Size) +
               ", " + std::to_string(Section.Address + Section.Size - End) +
               " bytes past the end of " + describeRegion(Region)});
}

} // namespace

CheckResult checkElf(const Plan &P, const Binary &Elf,
                     const MemoryRegion &Region, bool FlashCallsAreErrors) {
  Expected<std::unique_ptr<CallScanner>> Calls = CallScanner::create(Elf);
  CheckResult Result = checkPlacement(
      P, Elf, Region, Calls ? Calls->get() : nullptr, FlashCallsAreErrors);
  if (Calls) {
    std::vector<FunctionInfo> Untyped;
    llvm::append_range(Result.Findings,
                       checkMustRunFromRam(P, Elf, Region, **Calls, Untyped));
    // Assembly such as trap_entry is code in the region all the same.
    for (const FunctionInfo &Code : Untyped) {
      auto Unit = llvm::find_if(
          P.Units, [&](const PlannedUnit &U) { return U.Name == Code.Name; });
      if (Unit != P.Units.end())
        Result.Sizes.push_back({Code.Name, Unit->Size, Code.Size});
      else
        Result.OtherCode.push_back({Code.Name, 0, Code.Size});
    }
    llvm::append_range(Result.Findings,
                       checkStartupOutsideRam(Elf, Region, **Calls));
  }
  llvm::stable_sort(Result.OtherCode, [](const auto &A, const auto &B) {
    return A.Linked > B.Linked;
  });
  if (!Calls)
    Result.Findings.insert(
        Result.Findings.begin(),
        {Severity::Warning, toString(Calls.takeError()) +
                                "; calls from RAM into flash are not checked"});
  return Result;
}

namespace {

/// Where the first data object at or after Address starts, if any: code
/// ends there, whatever its section's end says.
uint64_t nextDataObject(const Binary &Elf, uint64_t Address) {
  uint64_t Next = UINT64_MAX;
  for (const object::SymbolRef &Symbol : Elf.object().symbols()) {
    Expected<object::SymbolRef::Type> Type = Symbol.getType();
    Expected<uint64_t> Start = Symbol.getAddress();
    if (!Type || !Start) {
      consumeError(Type.takeError());
      consumeError(Start.takeError());
      continue;
    }
    if (*Type == object::SymbolRef::ST_Data && *Start >= Address)
      Next = std::min(Next, *Start);
  }
  return Next;
}

/// The most padding ld puts between code: the largest code alignment.
constexpr uint64_t MaxPadding = 16;

/// The first function in Region at or after Address; none at the end.
const FunctionInfo *codeAfter(const Binary &Elf, const MemoryRegion &Region,
                              uint64_t Address) {
  const FunctionInfo *Next = nullptr;
  for (const FunctionInfo &Other : Elf.functions())
    if (Other.Size && Other.Address >= Address &&
        Region.contains(Other.Address) &&
        (!Next || Other.Address < Next->Address))
      Next = &Other;
  return Next;
}

/// Bytes from a placed function to the next code in the region, or to the
/// end of its output section where no code or data follows it, the
/// padding the linker put there included (up to MaxPadding).
uint64_t linkedBytes(const Binary &Elf, const FunctionInfo &F,
                     const MemoryRegion &Region) {
  const FunctionInfo *After = codeAfter(Elf, Region, F.end());
  uint64_t Next = After ? After->Address : UINT64_MAX;
  // Padding before data is the data's alignment, not the code's.
  for (const SectionRange &Section : Elf.sections()) {
    uint64_t End = Section.Address + Section.Size;
    if (Section.Address <= F.Address && F.end() <= End &&
        nextDataObject(Elf, F.end()) >= End)
      Next = std::min(Next, End);
  }
  return Next - F.end() < MaxPadding ? Next - F.Address : F.Size;
}

/// The one function named Name in Elf, or none.
const FunctionInfo *onlyNamed(const Binary &Elf, StringRef Name,
                              StringRef File) {
  std::vector<const FunctionInfo *> Found = functionsNamed(Elf, Name, File);
  return Found.size() == 1 ? Found.front() : nullptr;
}

/// The allocated section of Elf that holds Address, as a region.
MemoryRegion sectionRegion(const Binary &Elf, uint64_t Address) {
  for (const SectionRange &Section : Elf.sections())
    if (Section.Address <= Address && Address < Section.Address + Section.Size)
      return {Section.Name, Section.Address, Section.Size};
  return {"", Address, 0};
}

/// The other functions of Code's input sections: a unit of a libgcc
/// member's .text, or of a section that holds several functions
/// ('.ramtext'), is named after its hottest. Each is code of the same compile
/// unit right before or after one of Code's (within padding) that no unit of
/// the plan (or of its free list) names, and not a veneer.
void addSectionMates(const Binary &Elf, const MemoryRegion &Region,
                     const std::set<std::string> &Named,
                     std::vector<const FunctionInfo *> &Code) {
  auto IsMate = [&](const FunctionInfo &Other, const FunctionInfo &F) {
    return Other.Size && Region.contains(Other.Address) &&
           Other.CompileUnit == F.CompileUnit && !Named.count(Other.Name) &&
           !StringRef(Other.Name).endswith("_veneer") &&
           !llvm::is_contained(Code, &Other);
  };
  for (size_t I = 0; I < Code.size(); ++I) {
    const FunctionInfo &F = *Code[I];
    const FunctionInfo *After = codeAfter(Elf, Region, F.end());
    const FunctionInfo *Before = nullptr;
    for (const FunctionInfo &Other : Elf.functions())
      if (Other.Size && Region.contains(Other.Address) &&
          Other.end() <= F.Address && (!Before || Other.end() > Before->end()))
        Before = &Other;
    if (After && After->Address - F.end() < MaxPadding && IsMate(*After, F))
      Code.push_back(After);
    if (Before && F.Address - Before->end() < MaxPadding && IsMate(*Before, F))
      Code.push_back(Before);
  }
}

void checkSizes(const Plan &P, const Binary &Elf, const MemoryRegion &Region,
                CheckResult &Result) {
  std::set<uint64_t> Counted;
  std::set<std::string> Named;
  for (const std::vector<PlannedUnit> *Units : {&P.Units, &P.Free})
    for (const PlannedUnit &Unit : *Units)
      Named.insert(Unit.Name);
  for (const PlannedUnit &Unit : P.Units) {
    LinkedSize Size{Unit.Name, Unit.Size, 0};
    std::vector<const FunctionInfo *> Code = findPlanned(Elf, Unit);
    llvm::append_range(Code, partsOf(Elf, Unit.Name, [&](StringRef Part) {
                         return Named.count(Part.str()) > 0;
                       }));
    // A section named after its function (-ffunction-sections, '.itcm.f')
    // holds that function alone.
    if (!StringRef(Unit.Section).endswith("." + Unit.Name))
      addSectionMates(Elf, Region, Named, Code);
    // Entry points of one routine overlap (libgcc's __riscv_save_N): count
    // the bytes the functions span, once.
    std::vector<std::pair<uint64_t, uint64_t>> Spans;
    for (const FunctionInfo *F : Code)
      if (Region.contains(F->Address) && Counted.insert(F->Address).second)
        Spans.emplace_back(F->Address,
                           F->Address + linkedBytes(Elf, *F, Region));
    llvm::sort(Spans);
    uint64_t CoveredTo = 0;
    for (auto [Start, End] : Spans) {
      Size.Linked += End - std::min(End, std::max(Start, CoveredTo));
      CoveredTo = std::max(CoveredTo, End);
    }
    if (!Size.Linked)
      continue;
    Result.Sizes.push_back(Size);
    // A unit that grew well past what the plan gave it (an annotation that
    // folds GCC's '.part' split back in) may take a later link over budget.
    if (Size.Predicted && Size.Linked * 10 > Size.Predicted * 11)
      Result.Findings.push_back(
          {Severity::Warning,
           llvm::demangle(Unit.Name) + " takes " + std::to_string(Size.Linked) +
               " bytes in " + Region.Name + ", " +
               std::to_string((Size.Linked - Size.Predicted) * 100 /
                              Size.Predicted) +
               "% more than the " + std::to_string(Size.Predicted) +
               " the plan gave it (plan again with --sizes-from this ELF)"});
  }
  for (const FunctionInfo &F : Elf.functions()) {
    if (!Region.contains(F.Address) || !Counted.insert(F.Address).second)
      continue;
    if (StringRef(F.Name).endswith("_veneer"))
      Result.VeneerBytes += linkedBytes(Elf, F, Region);
    else
      Result.OtherCode.push_back({F.Name, 0, linkedBytes(Elf, F, Region)});
  }
  if (P.Budget && Result.linkedTotal() > P.Budget)
    Result.Findings.push_back(
        {Severity::Error,
         "the planned code takes " + std::to_string(Result.linkedTotal()) +
             " bytes in " + Region.Name + " (" +
             std::to_string(Result.VeneerBytes) +
             " of them veneers), more than the plan's budget of " +
             std::to_string(P.Budget)});
}

} // namespace

std::optional<uint64_t> measuredSize(const PlacementUnit &Unit,
                                     const Binary &Original,
                                     const Binary &Relinked) {
  uint64_t Bytes = 0;
  for (const std::string &Name : Unit.Functions) {
    const FunctionInfo *Before = onlyNamed(Original, Name, Unit.File);
    const FunctionInfo *After = onlyNamed(Relinked, Name, Unit.File);
    if (!Before || !After || Before->OutputSection == After->OutputSection)
      return std::nullopt;
    MemoryRegion Section = sectionRegion(Relinked, After->Address);
    Bytes += linkedBytes(Relinked, *After, Section);
    for (const FunctionInfo *Part :
         partsOf(Relinked, Name, [&](StringRef Other) {
           return llvm::is_contained(Unit.Functions, Other);
         }))
      if (Section.contains(Part->Address))
        Bytes += linkedBytes(Relinked, *Part, Section);
  }
  return Bytes;
}

CheckResult checkPlacement(const Plan &P, const Binary &Elf,
                           const MemoryRegion &Region, const CallScanner *Calls,
                           bool FlashCallsAreErrors) {
  CheckResult Result;
  for (const PlannedUnit &Unit : P.Units) {
    std::vector<const FunctionInfo *> Found = findPlanned(Elf, Unit);
    // Assembly without a function type ('trap_entry:') is found by its
    // symbol.
    ArrayRef<uint64_t> Untyped = Elf.symbolAddresses(Unit.Name);
    if (Found.empty() && !Untyped.empty()) {
      if (Region.contains(Untyped.front()))
        ++Result.InRam;
      else
        Result.Findings.push_back(
            {Severity::Error, Unit.Name + " is at " + hex(Untyped.front()) +
                                  " in " +
                                  Elf.sectionAt(Untyped.front()).str() +
                                  ", outside " + describeRegion(Region)});
      continue;
    }
    if (Found.empty()) {
      if (Elf.isInlinedOnly(Unit.Name))
        Result.Findings.push_back(
            {Severity::Warning,
             llvm::demangle(Unit.Name) +
                 " was inlined into its callers: no copy of it "
                 "is left to place"});
      else
        Result.Findings.push_back(
            {Severity::Error, llvm::demangle(Unit.Name) + " is missing from '" +
                                  Elf.path().str() + "'"});
      continue;
    }
    for (const FunctionInfo *F : Found) {
      if (!Region.contains(F->Address)) {
        Result.Findings.push_back(
            {Severity::Error, llvm::demangle(F->Name) + " is at " +
                                  hex(F->Address) + " in " + F->OutputSection +
                                  ", outside " + describeRegion(Region)});
        continue;
      }
      ++Result.InRam;
      if (Calls)
        for (FlashCall &Call : flashCallsFrom(Elf, *F, Region, *Calls)) {
          if (FlashCallsAreErrors)
            Result.Findings.push_back(
                {Severity::Error, describeFlashCall(Call, Region.Name)});
          else
            Result.FlashCalls.push_back(std::move(Call));
        }
    }
  }
  // The fragment cannot take code out of RAM: what placed a freed unit
  // (its annotation, a line of the script) must go. One line for all.
  std::vector<std::string> StillIn;
  for (const PlannedUnit &Unit : P.Free)
    for (const FunctionInfo *F : findPlanned(Elf, Unit))
      if (Region.contains(F->Address))
        StillIn.push_back(llvm::demangle(F->Name));
  if (!StillIn.empty())
    Result.Findings.push_back(
        {Severity::Warning,
         std::to_string(StillIn.size()) +
             " function(s) the plan frees are "
             "still in " +
             Region.Name + " (" +
             join(llvm::ArrayRef(StillIn).take_front(10), ", ") +
             (StillIn.size() > 10 ? ", ..." : "") +
             "): remove what places each (its annotation, "
             "with 'annotate --sync', or its line in the linker script)"});
  checkOverflow(Elf, Region, Result);
  Result.PlannedTogether = P.Used;
  checkSizes(P, Elf, Region, Result);
  return Result;
}

} // namespace ramfit
