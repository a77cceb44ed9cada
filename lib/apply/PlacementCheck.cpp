#include "apply/PlacementCheck.h"

#include "support/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <set>

using namespace llvm;

namespace ramfit {

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

/// The planned function in the new ELF: by name, and by its file when
/// statics share the name.
std::vector<const FunctionInfo *> findPlanned(const Binary &Elf,
                                              const PlannedUnit &Unit) {
  std::vector<const FunctionInfo *> Found = Elf.functionsNamed(Unit.Name);
  if (Found.size() > 1 && !Unit.File.empty())
    llvm::erase_if(
        Found, [&](const FunctionInfo *F) { return F->DeclFile != Unit.File; });
  return Found;
}

/// Arm's linker reaches far code through veneers named "__NAME_veneer";
/// the call really goes to NAME.
const FunctionInfo *throughVeneer(const Binary &Elf, const FunctionInfo *F) {
  StringRef Name = F->Name;
  if (!Name.consume_front("__") || !Name.consume_back("_veneer"))
    return F;
  std::vector<const FunctionInfo *> Real = Elf.functionsNamed(Name);
  return Real.size() == 1 ? Real.front() : F;
}

void checkCalls(const Binary &Elf, const FunctionInfo &Caller,
                const MemoryRegion &Region, const CallScanner &Calls,
                bool AreErrors, CheckResult &Result) {
  std::set<std::string> Reported;
  for (const CallSite &Site : Calls.callsIn(Caller.Address, Caller.Size)) {
    if (!Site.Target)
      continue;
    const FunctionInfo *Callee = Elf.functionAt(*Site.Target);
    if (!Callee)
      continue;
    Callee = throughVeneer(Elf, Callee);
    if (Region.contains(Callee->Address) ||
        !Reported.insert(Callee->Name).second)
      continue;
    Result.Findings.push_back(
        {AreErrors ? Severity::Error : Severity::Warning,
         llvm::demangle(Caller.Name) + " (in " + Region.Name + ") calls " +
             llvm::demangle(Callee->Name) + " at " + hex(Callee->Address) +
             " in " + Callee->OutputSection + ", outside " + Region.Name});
  }
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
  CheckResult Result;
  Expected<std::unique_ptr<CallScanner>> Calls = CallScanner::create(Elf);
  if (!Calls)
    Result.Findings.push_back(
        {Severity::Warning, toString(Calls.takeError()) +
                                "; calls from RAM into flash are not "
                                "checked"});
  CheckResult Checked = checkPlacement(
      P, Elf, Region, Calls ? Calls->get() : nullptr, FlashCallsAreErrors);
  Result.InRam = Checked.InRam;
  llvm::append_range(Result.Findings, Checked.Findings);
  return Result;
}

CheckResult checkPlacement(const Plan &P, const Binary &Elf,
                           const MemoryRegion &Region, const CallScanner *Calls,
                           bool FlashCallsAreErrors) {
  CheckResult Result;
  for (const PlannedUnit &Unit : P.Units) {
    std::vector<const FunctionInfo *> Found = findPlanned(Elf, Unit);
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
        checkCalls(Elf, *F, Region, *Calls, FlashCallsAreErrors, Result);
    }
  }
  checkOverflow(Elf, Region, Result);
  return Result;
}

} // namespace ramfit
