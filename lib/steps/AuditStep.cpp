#include "steps/AuditStep.h"
#include "apply/MustRunFromRamCheck.h"

using namespace llvm;

namespace ramfit {

namespace {

/// The code that must run from RAM as the tree stands, into Result.
Error auditMustRunFromRam(const Binary &Elf, const LinkerMap &Map,
                          const CallScanner &Calls, const RamRootOptions &Roots,
                          AuditResult &Result) {
  Expected<RamClosure> Closure = findRamClosure(Elf, Calls, &Map, Roots);
  if (!Closure)
    return Closure.takeError();
  Result.ClosureChecked = true;
  Result.ClosureBytes = Closure->bytes();
  Result.ClosureFunctions = Closure->Members.size();
  Result.ClosureRoots = Closure->rootCount();
  Result.IndirectCalls = Closure->IndirectCalls;
  for (size_t I = 0; I < Closure->Members.size(); ++I)
    if (!Result.Region.contains(Closure->Members[I].Code.Address))
      Result.OutsideRam.push_back(whereOutside(*Closure, I));
  for (const Diagnostic &Finding :
       checkStartupOutsideRam(Elf, Result.Region, Calls))
    Result.StartupInRam.push_back(Finding.Message);
  return Error::success();
}

} // namespace

Expected<AuditResult> auditStep(const AuditStepOptions &Options,
                                DiagnosticHandler Diag) {
  Expected<std::unique_ptr<Binary>> Elf = Binary::open(Options.Elf, Diag);
  if (!Elf)
    return Elf.takeError();
  Expected<LinkerMap> Map = readLinkerMap(Options.Map);
  if (!Map)
    return Map.takeError();
  if (Error Err = checkMapMatchesElf(*Map, **Elf))
    return Err;
  Expected<MemoryRegion> Region =
      resolveRegion(Options.Script, Options.Region, Options.SearchDirs);
  if (!Region)
    return Region.takeError();
  Expected<std::vector<OutputSection>> Sections =
      readOutputSections(Options.Script, Options.SearchDirs);
  if (!Sections)
    return Sections.takeError();
  if (none_of(*Sections, [&](const OutputSection &Out) {
        return Out.Region == Region->Name;
      }))
    return inputError(Options.Script, "no output section runs in region '" +
                                          Region->Name + "' ('> " +
                                          Region->Name + "')");
  Expected<std::unique_ptr<CallScanner>> Calls = CallScanner::create(**Elf);
  if (!Calls)
    note(Diag, "calls out of " + Region->Name +
                   " are not checked: " + toString(Calls.takeError()));
  AuditResult Result = auditPlacement(**Elf, *Map, *Sections, *Region,
                                      Calls ? Calls->get() : nullptr);
  if (Calls)
    if (Error Err =
            auditMustRunFromRam(**Elf, *Map, **Calls, Options.Roots, Result))
      return Err;
  return Result;
}

} // namespace ramfit
