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

} // namespace

StartupCode functionsBeforeTheCopy(const Binary &Elf,
                                   const CallScanner &Calls) {
  StartupCode Found;
  Found.Entry = findResetEntry(Elf);
  // Start-up code in assembly often has no .size, or no function type.
  std::optional<FunctionInfo> EntryFunction =
      Found.Entry ? Elf.codeAt(Found.Entry->Address) : std::nullopt;
  if (!EntryFunction)
    return Found;
  const FunctionInfo *Entry = &*EntryFunction;
  // Only an entry function of the ELF's own can be planned, and kept out.
  if (const FunctionInfo *Listed = Elf.functionAt(Entry->Address))
    Found.Functions.push_back({Listed, "", Listed->Name});
  std::vector<CallSite> EntryCalls = Calls.callsIn(Entry->Address, Entry->Size);
  // The copy ends with the first call to a copy routine, or else with the
  // first loop, which is the copy written out.
  std::optional<uint64_t> CopyEnd;
  for (const CallSite &Site : EntryCalls) {
    const FunctionInfo *Callee =
        Site.Target ? Elf.functionAt(*Site.Target) : nullptr;
    if (Callee && isCopyRoutine(Elf.throughVeneer(Callee)->Name)) {
      CopyEnd = Site.Address + Site.Length;
      break;
    }
  }
  if (!CopyEnd)
    CopyEnd = Calls.firstLoopEnd(Entry->Address, Entry->Size);
  if (!CopyEnd)
    return Found;

  std::set<uint64_t> Seen{Entry->Address};
  // Indices into Found.Functions still to scan.
  std::vector<size_t> Pending;
  auto Visit = [&](std::optional<uint64_t> Target, const std::string &Path) {
    const FunctionInfo *Callee = Target ? Elf.functionAt(*Target) : nullptr;
    // Once moved, code is reached through the linker's veneer.
    if (Callee)
      Callee = Elf.throughVeneer(Callee);
    if (Callee && Seen.insert(Callee->Address).second) {
      Found.Functions.push_back(
          {Callee, Entry->Name, Path + " -> " + Callee->Name});
      Pending.push_back(Found.Functions.size() - 1);
    }
  };
  for (const CallSite &Site : EntryCalls)
    if (Site.Address < *CopyEnd)
      Visit(Site.Target, Entry->Name);
  while (!Pending.empty()) {
    StartupFunction Caller = Found.Functions[Pending.back()];
    Pending.pop_back();
    for (const CallSite &Site :
         Calls.callsIn(Caller.Function->Address, Caller.Function->Size))
      Visit(Site.Target, Caller.Path);
  }
  return Found;
}

} // namespace ramfit
