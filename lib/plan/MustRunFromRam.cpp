//===- MustRunFromRam.cpp - The closure, as the plan keeps it -------------===//

#include "plan/MustRunFromRam.h"
#include "plan/Selector.h"
#include "profile/ProfileReport.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace ramfit {

/// Finds the code that must run from RAM. Without a disassembler it cannot
/// be found, which only roots the user asked for make an error.
Expected<RamClosure> findMustRunFromRam(const RamRootOptions &Roots,
                                        const Binary &Elf,
                                        const CallScanner *Calls,
                                        const LinkerMap *Map,
                                        DiagnosticHandler Diag) {
  if (!Calls) {
    if (!Roots.KeepSections.empty() || !Roots.KeepReachable.empty() ||
        !Roots.Indirect.empty())
      return createStringError(inconvertibleErrorCode(),
                               "the code that must run from RAM cannot be "
                               "found without disassembling the ELF");
    warning(Diag, "interrupt handlers and what they call are not kept in RAM: "
                  "the ELF's code cannot be disassembled");
    return RamClosure();
  }
  Expected<RamClosure> Closure = findRamClosure(Elf, *Calls, Map, Roots);
  if (!Closure)
    return Closure.takeError();
  if (!Closure->Members.empty())
    note(Diag, Twine(Closure->bytes()) + " bytes of code in " +
                   Twine(Closure->Members.size()) +
                   " function(s) must run from RAM: what " +
                   Twine(Closure->rootCount()) +
                   " root(s) reach (interrupt and trap entries, code kept "
                   "for a busy flash, --keep-reachable)");
  for (const IndirectCall &Call : Closure->IndirectCalls)
    if (!Call.TargetsNamed)
      warning(Diag, readableName(Call.Function) +
                        " calls through a pointer at " +
                        Elf.describe(Call.Address) + " (0x" +
                        utohexstr(Call.Address, true) +
                        "), which code in RAM must run: name its targets "
                        "with --indirect '" +
                        Call.Function + "=TARGET', or they may stay in flash");
  return Closure;
}

void markMustRunFromRam(std::vector<PlacementUnit> &Units,
                        const RamClosure &Closure,
                        ArrayRef<std::string> Excludes,
                        DiagnosticHandler Diag) {
  for (size_t I = 0; I < Closure.Members.size(); ++I) {
    uint64_t Address = Closure.Members[I].Code.Address;
    for (PlacementUnit &Unit : Units)
      if (Unit.MustRunFromRam.empty() &&
          llvm::any_of(Unit.Code, [&](const AddressRange &Range) {
            return Range.contains(Address);
          }))
        Unit.MustRunFromRam = Closure.pathTo(I) + " (" +
                              Closure.Members[Closure.rootOf(I)].RootWhy + ")";
  }
  for (const std::string &Glob : Excludes) {
    // The matcher keeps pointers into the pattern it is given.
    Expected<UnitMatcher> Matcher =
        UnitMatcher::create(ArrayRef<std::string>(Glob));
    if (!Matcher) {
      consumeError(Matcher.takeError());
      continue;
    }
    for (const PlacementUnit &Unit : Units)
      if (!Unit.MustRunFromRam.empty() && Matcher->matches(Unit))
        warning(Diag, readableName(Unit.Name) + " must run from RAM, for " +
                          Unit.MustRunFromRam + ": --exclude '" + Glob +
                          "' is passed over");
  }
}

/// What the plan records of the code that must run from RAM.
void recordMustRunFromRam(Plan &P, const RamClosure &Closure,
                          const RamRootOptions &Roots,
                          ArrayRef<PlacementUnit> Units) {
  for (const ClosureMember &Member : Closure.Members)
    if (Member.CalledBy == ClosureMember::NotCalled)
      P.Roots.push_back({Member.Code.Name, Member.RootWhy});
  P.NotARoot = Roots.NotARoot;
  P.Indirect = Roots.Indirect;
  for (const PlacementUnit &Unit : Units)
    if (!Unit.MustRunFromRam.empty()) {
      P.MustRunFromRamBytes += Unit.Size;
      P.MustRunFromRamSamples += Unit.Samples;
    }
  for (const IndirectCall &Call : Closure.IndirectCalls)
    P.IndirectCalls.push_back({Call.Function, Call.Address, Call.TargetsNamed});
}

} // namespace ramfit
