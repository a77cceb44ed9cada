#include "apply/MustRunFromRamCheck.h"
#include "firmware/Startup.h"

#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace ramfit {

namespace {

std::string hex(uint64_t Value) { return "0x" + utohexstr(Value, true); }

std::string describeRegion(const MemoryRegion &Region) {
  return Region.Name + " (" + hex(Region.Origin) + "-" +
         hex(Region.Origin + Region.Length) + ")";
}

} // namespace

std::string whereOutside(const RamClosure &Closure, size_t Member) {
  const FunctionInfo &Code = Closure.Members[Member].Code;
  return Closure.pathTo(Member) + " (" + Code.OutputSection + ", " +
         hex(Code.Address) + "), reached from " +
         Closure.Members[Closure.rootOf(Member)].RootWhy;
}

RamRootOptions rootsOfPlan(const Plan &P) {
  // The roots by the names the plan gave them; the ELF's own vectors are
  // found again, as they may have changed with the build.
  RamRootOptions Roots;
  for (const PlannedRoot &Root : P.Roots)
    Roots.KeepReachable.push_back(exactPattern(Root.Name));
  Roots.NotARoot = P.NotARoot;
  Roots.Indirect = P.Indirect;
  Roots.PatternsMustMatch = false;
  return Roots;
}

std::vector<Diagnostic> closureOutside(const RamClosure &Closure,
                                       const MemoryRegion &Region) {
  std::vector<Diagnostic> Findings;
  for (size_t I = 0; I < Closure.Members.size(); ++I) {
    if (Region.contains(Closure.Members[I].Code.Address))
      continue;
    Findings.push_back(
        {Severity::Error, "code that must run from RAM is outside " +
                              describeRegion(Region) + ": " +
                              whereOutside(Closure, I)});
  }
  return Findings;
}

std::vector<Diagnostic>
checkMustRunFromRam(const Plan &P, const Binary &Elf,
                    const MemoryRegion &Region, const CallScanner &Calls,
                    std::vector<FunctionInfo> &UntypedInRegion) {
  Expected<RamClosure> Closure =
      findRamClosure(Elf, Calls, nullptr, rootsOfPlan(P));
  if (!Closure)
    return {{Severity::Error, toString(Closure.takeError())}};
  for (const ClosureMember &Member : Closure->Members)
    if (Region.contains(Member.Code.Address) &&
        !Elf.functionAt(Member.Code.Address))
      UntypedInRegion.push_back(Member.Code);
  return closureOutside(*Closure, Region);
}

std::vector<Diagnostic> checkStartupOutsideRam(const Binary &Elf,
                                               const MemoryRegion &Region,
                                               const CallScanner &Calls) {
  std::vector<Diagnostic> Findings;
  StartupCode Startup = functionsBeforeTheCopy(Elf, Calls);
  // A region the core starts in holds code that needs no copy (a firmware
  // loaded into RAM, or a region that spans flash): nothing there waits.
  if (!Startup.Entry || Region.contains(Startup.Entry->Address))
    return Findings;
  for (const StartupFunction &Early : Startup.Functions)
    if (Region.contains(Early.Function->Address))
      Findings.push_back(
          {Severity::Error,
           Early.Function->Name + " is in " + describeRegion(Region) + " at " +
               hex(Early.Function->Address) +
               ", but the reset path runs it before it has copied code "
               "there: " +
               Early.Path + " (the reset path starts at " +
               Startup.Entry->Source + ")"});
  return Findings;
}

} // namespace ramfit
