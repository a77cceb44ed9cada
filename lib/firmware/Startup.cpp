#include "firmware/Startup.h"

#include "llvm/ADT/StringRef.h"
#include <algorithm>
#include <optional>
#include <set>

using namespace llvm;

namespace ramfit {

namespace {

/// What C startup code copies with: the library's own and Arm's EABI ones.
bool isCopyRoutine(StringRef Name) {
  return Name == "memcpy" || Name == "memmove" ||
         Name.startswith("__aeabi_memcpy") ||
         Name.startswith("__aeabi_memmove");
}

/// The entry function. Startup code in assembly often has no .size, or
/// no function type at all: it then reaches to the next function.
std::optional<FunctionInfo> entryFunction(const Binary &Elf) {
  if (const FunctionInfo *Sized = Elf.functionAt(Elf.entry()))
    return *Sized;
  FunctionInfo Entry;
  Entry.Name = "the entry point";
  Entry.Address = Elf.entry();
  uint64_t Next = UINT64_MAX;
  for (const FunctionInfo &F : Elf.functions()) {
    if (F.Address == Elf.entry() && F.Size == 0)
      Entry.Name = F.Name;
    else if (F.Address > Elf.entry())
      Next = std::min(Next, F.Address);
  }
  // Nor past the end of its section.
  for (const SectionRange &Section : Elf.sections())
    if (Section.Address <= Entry.Address &&
        Entry.Address < Section.Address + Section.Size)
      Next = std::min(Next, Section.Address + Section.Size);
  if (Next == UINT64_MAX)
    return std::nullopt;
  Entry.Size = Next - Entry.Address;
  return Entry;
}

} // namespace

std::vector<StartupFunction> functionsBeforeTheCopy(const Binary &Elf,
                                                    const CallScanner &Calls) {
  std::vector<StartupFunction> Found;
  std::optional<FunctionInfo> EntryFunction = entryFunction(Elf);
  if (!EntryFunction)
    return Found;
  const FunctionInfo *Entry = &*EntryFunction;
  // Only an entry function of the ELF's own can be planned, and kept out.
  if (const FunctionInfo *Listed = Elf.functionAt(Elf.entry()))
    Found.push_back({Listed, ""});
  std::vector<CallSite> EntryCalls = Calls.callsIn(Entry->Address, Entry->Size);
  // The copy ends with the first call to a copy routine, or else with the
  // first loop, which is the copy written out.
  std::optional<uint64_t> CopyEnd;
  for (const CallSite &Site : EntryCalls) {
    const FunctionInfo *Callee =
        Site.Target ? Elf.functionAt(*Site.Target) : nullptr;
    if (Callee && isCopyRoutine(Callee->Name)) {
      CopyEnd = Site.Address + Site.Length;
      break;
    }
  }
  if (!CopyEnd)
    CopyEnd = Calls.firstLoopEnd(Entry->Address, Entry->Size);
  if (!CopyEnd)
    return Found;

  std::set<uint64_t> Seen{Entry->Address};
  std::vector<const FunctionInfo *> Pending;
  auto Visit = [&](std::optional<uint64_t> Target) {
    const FunctionInfo *Callee = Target ? Elf.functionAt(*Target) : nullptr;
    if (Callee && Seen.insert(Callee->Address).second) {
      Found.push_back({Callee, Entry->Name});
      Pending.push_back(Callee);
    }
  };
  for (const CallSite &Site : EntryCalls)
    if (Site.Address < *CopyEnd)
      Visit(Site.Target);
  while (!Pending.empty()) {
    const FunctionInfo *F = Pending.back();
    Pending.pop_back();
    for (const CallSite &Site : Calls.callsIn(F->Address, F->Size))
      Visit(Site.Target);
  }
  return Found;
}

} // namespace ramfit
