#include "steps/AuditStep.h"

using namespace llvm;

namespace ramfit {

Expected<AuditResult> auditStep(const AuditStepOptions &Options,
                                DiagnosticHandler Diag) {
  Expected<std::unique_ptr<Binary>> Elf = Binary::open(Options.Elf, Diag);
  if (!Elf)
    return Elf.takeError();
  Expected<LinkerMap> Map = readLinkerMap(Options.Map);
  if (!Map)
    return Map.takeError();
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
  return auditPlacement(**Elf, *Map, *Sections, *Region,
                        Calls ? Calls->get() : nullptr);
}

} // namespace ramfit
