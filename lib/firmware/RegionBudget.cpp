//===- RegionBudget.cpp - What a RAM region has free for code -------------===//
//
// "--budget auto": a region's bytes less what the ELF allocates there, the
// stack and heap the script keeps there, and what the user reserves; and
// whether a budget given as a size fits the region at all.
//
//===----------------------------------------------------------------------===//

#include "firmware/MemoryMap.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Object/ObjectFile.h"

using namespace llvm;

namespace ramfit {

namespace {

/// What a script keeps for the stack and heap in a region without a section
/// of the ELF to show it: CMSIS's '.stack_dummy (COPY)' and '.heap (COPY)'
/// allocate nothing, and leave only their bounds as symbols.
struct SymbolReserve {
  const char *What, *Low, *High;
};
constexpr SymbolReserve SymbolReserves[] = {
    {"the stack", "__StackLimit", "__StackTop"},
    {"the heap", "__HeapBase", "__HeapLimit"},
    {"the heap", "__heap_start", "__heap_end"},
};

} // namespace

Expected<uint64_t> freeBytes(const std::vector<MemoryRegion> &Regions,
                             StringRef Script, StringRef Region,
                             const Binary &Elf, uint64_t Reserve,
                             std::optional<DiagnosticHandler> Diag) {
  Expected<MemoryRegion> Found = findRegion(Regions, Script, Region);
  if (!Found)
    return Found.takeError();
  uint64_t Used = Elf.bytesWithin(Found->Origin, Found->Length);
  std::vector<std::string> Told;
  // Stack and heap sections the ELF allocates are among the used bytes.
  for (const SectionRange &Section : Elf.sections()) {
    StringRef Name = Section.Name;
    if (Found->contains(Section.Address) && Section.Size &&
        (Name.contains("stack") || Name.contains("heap")))
      Told.push_back(Section.Name + " (" + std::to_string(Section.Size) +
                     " bytes, a section of the ELF)");
  }
  // Scripts set these bounds by assignment: absolute symbols, which the
  // ELF's symbol table keeps with the others.
  StringMap<uint64_t> Bounds;
  for (const object::SymbolRef &Symbol : Elf.object().symbols()) {
    Expected<StringRef> Name = Symbol.getName();
    Expected<uint64_t> Value = Symbol.getValue();
    if (Name && Value)
      Bounds[*Name] = *Value;
    consumeError(Name.takeError());
    consumeError(Value.takeError());
  }
  uint64_t Kept = 0;
  for (const SymbolReserve &R : SymbolReserves) {
    auto Low = Bounds.find(R.Low), High = Bounds.find(R.High);
    if (Low == Bounds.end() || High == Bounds.end() ||
        Low->second >= High->second || !Found->contains(Low->second) ||
        High->second > Found->Origin + Found->Length ||
        Elf.bytesWithin(Low->second, High->second - Low->second))
      continue;
    uint64_t Bytes = High->second - Low->second;
    Kept += Bytes;
    Told.push_back(std::string(R.What) + " (" + std::to_string(Bytes) +
                   " bytes, " + R.Low + " to " + R.High + ")");
  }
  if (Used + Kept + Reserve >= Found->Length)
    return inputError(
        Script,
        "region '" + Region + "' has no room: " + Twine(Found->Length) +
            " bytes, " + Twine(Used) + " used by '" + Elf.path() + "', " +
            (Kept ? Twine(Kept) + " kept for the stack and heap, " : Twine()) +
            Twine(Reserve) + " reserved");
  uint64_t Free = Found->Length - Used - Kept - Reserve;
  if (Diag && !Told.empty())
    note(*Diag, "--budget auto: region '" + Region + "' keeps " +
                    join(Told, ", ") + " out of the budget: " + Twine(Free) +
                    " of its " + Twine(Found->Length) + " bytes are free");
  return Free;
}

Expected<std::string> parseBudget(StringRef Text) {
  if (Text != "auto")
    if (Expected<uint64_t> Size = parseSize(Text); !Size)
      return Size.takeError();
  return Text.str();
}

namespace {

/// The bytes the region Spec names has free in Elf, less the reserve; Diag,
/// when given, hears of a region that holds the entry point.
Expected<uint64_t> regionFreeBytes(const BudgetSpec &Spec, const Binary &Elf,
                                   std::optional<DiagnosticHandler> Diag) {
  Expected<uint64_t> Reserve = parseSize(Spec.Reserve);
  if (!Reserve)
    return Reserve.takeError();
  Expected<std::vector<MemoryRegion>> Regions =
      readMemoryRegions(Spec.Script, Spec.SearchDirs);
  if (!Regions)
    return Regions.takeError();
  if (Expected<MemoryRegion> Found =
          findRegion(*Regions, Spec.Script, Spec.Region);
      Found && Diag)
    warnIfRegionHoldsTheEntry(*Found, Elf, *Diag);
  else if (!Found)
    consumeError(Found.takeError());
  return freeBytes(*Regions, Spec.Script, Spec.Region, Elf, *Reserve, Diag);
}

} // namespace

Expected<uint64_t> resolveBudget(const BudgetSpec &Spec, const Binary &Elf,
                                 DiagnosticHandler Diag) {
  if (Spec.Size != "auto")
    return parseSize(Spec.Size);
  if (Spec.Script.empty() || Spec.Region.empty())
    return createStringError(inconvertibleErrorCode(),
                             "--budget auto needs --memory-map and --region");
  return regionFreeBytes(Spec, Elf, Diag);
}

Error checkBudgetFits(const BudgetSpec &Spec, uint64_t Budget,
                      uint64_t PlacedBytes, const Binary &Elf) {
  if (Spec.Size == "auto" || Spec.Script.empty() || Spec.Region.empty())
    return Error::success();
  Expected<uint64_t> Free = regionFreeBytes(Spec, Elf, std::nullopt);
  if (!Free)
    return Free.takeError();
  if (Budget <= *Free + PlacedBytes)
    return Error::success();
  return createStringError(
      inconvertibleErrorCode(),
      "the budget of " + Twine(Budget) + " bytes is more than region '" +
          Spec.Region + "' of '" + Spec.Script +
          "' has for code: " + Twine(*Free + PlacedBytes) + " bytes (" +
          Twine(*Free) + " free after " + Spec.Reserve + " reserved, and " +
          Twine(PlacedBytes) +
          " of code already there that the plan keeps or frees); use "
          "--budget auto for all of it");
}

} // namespace ramfit
