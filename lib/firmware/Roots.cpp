#include "firmware/Roots.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include <set>

using namespace llvm;
using namespace llvm::object;

namespace ramfit {

namespace {

std::string hex(uint64_t Value) {
  return "0x" + utohexstr(Value, /*LowerCase=*/true);
}

/// A Cortex-M vector table: the initial stack pointer, then the handlers.
struct VectorTable {
  uint64_t Address = 0;
  /// Words it holds at most, where its symbol or section says.
  uint64_t Words = 0;
  std::string Name;
};

/// The names CMSIS, vendor start-up files and hand-written ones give the
/// table, as symbols and as sections.
constexpr const char *TableSymbols[] = {
    "__isr_vector", "__Vectors", "g_pfnVectors",   "__vector_table", "_vectors",
    "isr_vector",   "vectors",   "__VECTOR_TABLE", "exception_table"};
constexpr const char *TableSections[] = {".isr_vector",   ".vectors",
                                         ".vector_table", ".isr_vector_table",
                                         ".intvecs",      ".vector"};
/// Exceptions 16 and up are the device's interrupts.
constexpr uint64_t MaxTableWords = 16 + 496;

/// A Thumb handler address: odd, into code.
std::optional<uint64_t> thumbCode(const Binary &Elf, uint32_t Word) {
  if (!(Word & 1) || !Elf.isCode(Word & ~1u))
    return std::nullopt;
  return Word & ~1u;
}

bool looksLikeTable(const Binary &Elf, uint64_t Address) {
  std::optional<uint32_t> Reset = Elf.wordAt(Address + 4);
  return Reset && thumbCode(Elf, *Reset);
}

/// The table: a symbol of a known name, else a section of one, else the
/// read-only section the image begins with, as the core reads it at reset.
std::optional<VectorTable> findVectorTable(const Binary &Elf) {
  const ObjectFile &Object = Elf.object();
  for (const char *Wanted : TableSymbols)
    for (const ELFSymbolRef Symbol : Object.symbols()) {
      Expected<StringRef> Name = Symbol.getName();
      Expected<uint64_t> Value = Symbol.getValue();
      bool Match = Name && Value && *Name == Wanted;
      if (!Name)
        consumeError(Name.takeError());
      if (!Value)
        consumeError(Value.takeError());
      if (Match && looksLikeTable(Elf, *Value))
        return VectorTable{*Value, Symbol.getSize() / 4, Wanted};
    }
  std::optional<VectorTable> Lowest;
  for (const SectionRef &Section : Object.sections()) {
    uint64_t Flags = ELFSectionRef(Section).getFlags();
    Expected<StringRef> Name = Section.getName();
    if (!Name) {
      consumeError(Name.takeError());
      continue;
    }
    if (!(Flags & ELF::SHF_ALLOC) || Section.isBSS() || !Section.getSize() ||
        !looksLikeTable(Elf, Section.getAddress()))
      continue;
    VectorTable Table{Section.getAddress(), Section.getSize() / 4, Name->str()};
    if (llvm::is_contained(TableSections, *Name))
      return Table;
    if (!(Flags & ELF::SHF_WRITE) &&
        (!Lowest || Section.getAddress() < Lowest->Address))
      Lowest = Table;
  }
  return Lowest;
}

std::string exceptionName(uint64_t Number) {
  static const char *const Names[16] = {
      "",           "Reset", "NMI",    "HardFault", "MemManage", "BusFault",
      "UsageFault", "",      "",       "",          "",          "SVCall",
      "DebugMon",   "",      "PendSV", "SysTick"};
  if (Number < 16)
    return Names[Number];
  return "IRQ " + std::to_string(Number - 16);
}

} // namespace

std::optional<ResetEntry> findResetEntry(const Binary &Elf) {
  if (Elf.isArm()) {
    if (std::optional<VectorTable> Table = findVectorTable(Elf))
      return ResetEntry{*thumbCode(Elf, *Elf.wordAt(Table->Address + 4)),
                        "word 1 of the vector table at " + hex(Table->Address) +
                            ", " + Table->Name};
  } else {
    // The reset address is the board's; start-up code names it _start,
    // typed as a function or not.
    for (uint64_t Start : Elf.symbolAddresses("_start"))
      if (Elf.isCode(Start))
        return ResetEntry{Start, "_start"};
  }
  if (Elf.entry() || Elf.isCode(0))
    return ResetEntry{Elf.entry(), "the ELF entry point"};
  return std::nullopt;
}

std::vector<InterruptEntry> findInterruptEntries(const Binary &Elf,
                                                 const CallScanner &Calls) {
  std::vector<InterruptEntry> Entries;
  std::set<uint64_t> Seen;
  if (!Elf.isArm()) {
    for (const TrapVectorWrite &Write : Calls.trapVectorWrites())
      if (Elf.isCode(Write.Vector) && Seen.insert(Write.Vector).second)
        Entries.push_back({Write.Vector, "the trap vector, " + Write.Register +
                                             " as set at " + hex(Write.At)});
    return Entries;
  }
  std::optional<VectorTable> Table = findVectorTable(Elf);
  if (!Table)
    return Entries;
  uint64_t Words = Table->Words >= 2 && Table->Words <= MaxTableWords
                       ? Table->Words
                       : MaxTableWords;
  // Past the exceptions, the table ends at the first word that is neither
  // a handler nor an unused (zero) slot.
  for (uint64_t Number = 2; Number < Words; ++Number) {
    std::optional<uint32_t> Word = Elf.wordAt(Table->Address + 4 * Number);
    if (!Word)
      break;
    std::optional<uint64_t> Handler = thumbCode(Elf, *Word);
    if (!Handler) {
      if (*Word == 0 || Number < 16)
        continue;
      break;
    }
    if (Seen.insert(*Handler).second)
      Entries.push_back({*Handler, "vector " + std::to_string(Number) + ", " +
                                       exceptionName(Number) +
                                       ", of the table at " +
                                       hex(Table->Address)});
  }
  return Entries;
}

} // namespace ramfit
