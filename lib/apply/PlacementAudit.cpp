#include "apply/PlacementAudit.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <map>

using namespace llvm;

namespace ramfit {

StringRef verdictName(PatternVerdict Verdict) {
  switch (Verdict) {
  case PatternVerdict::Places:
    return "places";
  case PatternVerdict::LeavesInFlash:
    return "leaves-in-flash";
  case PatternVerdict::AlreadyPlaced:
    return "already-placed";
  case PatternVerdict::Stale:
    return "stale";
  case PatternVerdict::Data:
    return "data";
  }
  llvm_unreachable("every verdict is named");
}

unsigned AuditResult::count(PatternVerdict Verdict) const {
  return count_if(Patterns,
                  [&](const PatternAudit &P) { return P.Verdict == Verdict; });
}

unsigned AuditResult::problems() const {
  return count(PatternVerdict::LeavesInFlash) +
         count(PatternVerdict::AlreadyPlaced) + count(PatternVerdict::Stale) +
         OutsideRam.size() + StartupInRam.size();
}

namespace {

/// Code sections have names ld's default scripts and firmware use for
/// code; the audit judges the patterns that name them.
bool isCodeName(StringRef Name) {
  return Name.startswith(".text") || Name.startswith(".itcm") ||
         Name.startswith(".ramtext") || Name.startswith(".ramfunc") ||
         Name.startswith(".fast") || Name == "*";
}

/// "*(.text.NAME)": NAME, for a section pattern without wildcards.
std::optional<StringRef> namedFunction(StringRef SectionPattern) {
  if (!SectionPattern.consume_front(".text.") ||
      SectionPattern.find_first_of("*?[") != StringRef::npos)
    return std::nullopt;
  return SectionPattern;
}

class Auditor {
public:
  Auditor(const Binary &Elf, const LinkerMap &Map,
          const std::vector<OutputSection> &Sections,
          const MemoryRegion &Region)
      : Elf(Elf), Map(Map), Sections(Sections), Region(Region) {}

  void run(AuditResult &Result) {
    Result.Region = Region;
    for (const OutputSection &Out : Sections)
      if (Out.Region == Region.Name)
        for (const InputPattern &Pattern : Out.Patterns) {
          PatternAudit Audit;
          Audit.Pattern = Pattern;
          Audit.OutputSection = Out.Name;
          Result.Patterns.push_back(std::move(Audit));
        }
    // Each input section in the region goes to the first pattern, in
    // script order, that matches it: ld's rule.
    for (const InputSection &Section : Map.Sections) {
      if (!Region.contains(Section.Address) || !holdsCode(Section))
        continue;
      ++Result.CodeSections;
      Result.CodeBytes += Section.Size;
      for (PatternAudit &P : Result.Patterns)
        if (P.Pattern.matches(Section)) {
          ++P.Sections;
          P.Bytes += Section.Size;
          PlacedBy[&Section] = &P;
          break;
        }
    }
    for (PatternAudit &P : Result.Patterns)
      judge(P);
  }

private:
  /// Named as code, or holding a function (a section named otherwise,
  /// such as '.fastcode').
  bool holdsCode(const InputSection &Section) const {
    if (isCodeName(Section.Name))
      return true;
    const FunctionInfo *F = Elf.functionAt(Section.Address);
    return F && F->Address < Section.Address + Section.Size;
  }

  /// GCC's split-off parts of the functions P placed that stay outside the
  /// region: '*(.text.f)' moves f's entry, while its body, f.part.0, is in
  /// a section of its own.
  std::string partsLeftInFlash(const PatternAudit &P) const {
    std::string Parts;
    for (const auto &[Section, By] : PlacedBy) {
      const FunctionInfo *Placed = Elf.functionAt(Section->Address);
      if (By != &P || !Placed)
        continue;
      for (const FunctionInfo &F : Elf.functions())
        if (F.Parent == Placed->Name && !Region.contains(F.Address))
          Parts += (Parts.empty() ? "" : ", ") + F.Name + " (" +
                   std::to_string(F.Size) + " bytes)";
    }
    if (Parts.empty())
      return "";
    return "the part(s) GCC split off stay in flash: " + Parts +
           ", in sections of their own that this pattern does not match";
  }

  void judge(PatternAudit &P) {
    if (P.Sections) {
      P.Verdict = PatternVerdict::Places;
      P.Why = partsLeftInFlash(P);
      return;
    }
    if (none_of(P.Pattern.Sections,
                [](const NameGlob &Name) { return isCodeName(Name.text()); })) {
      P.Verdict = PatternVerdict::Data;
      return;
    }
    // Sections it matches went to an earlier rule: one of this output
    // section (a redundant line), or one elsewhere (the ordering trap).
    for (const InputSection &Section : Map.Sections) {
      if (!P.Pattern.matches(Section))
        continue;
      auto By = PlacedBy.find(&Section);
      if (By == PlacedBy.end() && Region.contains(Section.Address))
        continue;
      if (By != PlacedBy.end()) {
        P.Verdict = PatternVerdict::AlreadyPlaced;
        P.Why = "'" + Section.Name + "' of " + Section.Object +
                " is placed by the earlier " + By->second->Pattern.Text;
      } else {
        P.Verdict = PatternVerdict::LeavesInFlash;
        P.Why = "'" + Section.Name + "' of " + Section.Object +
                " matches, but an earlier rule took it to " +
                Elf.sectionAt(Section.Address).str() + " at 0x" +
                utohexstr(Section.Address) + ", outside " + Region.Name;
      }
      return;
    }
    P.Verdict = PatternVerdict::Stale;
    P.Why = "matches no input section of the link";
    for (const NameGlob &Name : P.Pattern.Sections) {
      std::optional<StringRef> Function = namedFunction(Name.text());
      if (!Function)
        continue;
      std::vector<const FunctionInfo *> Found = Elf.functionsNamed(*Function);
      if (Found.empty()) {
        P.Why = "no function " + Function->str() +
                " in the ELF: renamed, removed, inlined everywhere, or never "
                "called (--gc-sections)";
        continue;
      }
      const FunctionInfo &F = *Found.front();
      const InputSection *Section = Map.sectionAt(F.Address);
      std::string Where = Section
                              ? "'" + Section->Name + "' of " + Section->Object
                              : "'" + F.OutputSection + "'";
      if (Region.contains(F.Address)) {
        auto By = Section ? PlacedBy.find(Section) : PlacedBy.end();
        P.Verdict = PatternVerdict::AlreadyPlaced;
        P.Why =
            Function->str() + " is in RAM already, in " + Where +
            (By != PlacedBy.end() ? ", placed by " + By->second->Pattern.Text
                                  : std::string());
      } else {
        P.Verdict = PatternVerdict::LeavesInFlash;
        P.Why = Function->str() + " stays in flash: its input section is " +
                Where + ", which this pattern does not match";
      }
      return;
    }
  }

  const Binary &Elf;
  const LinkerMap &Map;
  const std::vector<OutputSection> &Sections;
  const MemoryRegion &Region;
  std::map<const InputSection *, PatternAudit *> PlacedBy;
};

} // namespace

AuditResult auditPlacement(const Binary &Elf, const LinkerMap &Map,
                           const std::vector<OutputSection> &Sections,
                           const MemoryRegion &Region,
                           const CallScanner *Calls) {
  AuditResult Result;
  Auditor(Elf, Map, Sections, Region).run(Result);
  if (!Calls)
    return Result;
  Result.CallsChecked = true;
  std::map<std::string, unsigned> ByCallee;
  for (const FunctionInfo &F : Elf.functions()) {
    if (!F.Size || !Region.contains(F.Address))
      continue;
    for (const CallSite &Call : Calls->callsIn(F.Address, F.Size)) {
      if (!Call.Target || Region.contains(*Call.Target))
        continue;
      const FunctionInfo *Callee = Elf.functionAt(*Call.Target);
      if (!Callee)
        continue;
      ++ByCallee[Callee->Name];
      ++Result.FlashCallSites;
    }
  }
  for (const auto &[Name, Sites] : ByCallee)
    Result.FlashCalls.push_back({Name, Sites});
  llvm::stable_sort(Result.FlashCalls,
                    [](const FlashCallee &A, const FlashCallee &B) {
                      return A.Sites > B.Sites;
                    });
  return Result;
}

std::string auditToText(const AuditResult &Result) {
  std::string Text;
  raw_string_ostream OS(Text);
  std::string LastSection;
  for (const PatternAudit &P : Result.Patterns) {
    if (P.Verdict == PatternVerdict::Data)
      continue;
    if (P.OutputSection != LastSection) {
      LastSection = P.OutputSection;
      OS << "Output section " << P.OutputSection << " (> " << Result.Region.Name
         << "), its code patterns:\n";
    }
    OS << "  " << P.Pattern.Script.substr(P.Pattern.Script.rfind('/') + 1)
       << ":" << P.Pattern.Line << ": " << P.Pattern.Text << ": ";
    if (P.Verdict == PatternVerdict::Places)
      OS << P.Sections << " section(s), " << P.Bytes << " bytes"
         << (P.Why.empty() ? "" : "; " + P.Why) << "\n";
    else
      OS << verdictName(P.Verdict) << ": " << P.Why << "\n";
  }
  OS << "\nCode in " << Result.Region.Name << ": " << Result.CodeBytes
     << " bytes in " << Result.CodeSections << " input sections.\n";
  if (Result.CallsChecked) {
    OS << "It calls code outside " << Result.Region.Name << " from "
       << Result.FlashCallSites << " call sites";
    for (size_t I = 0; I < Result.FlashCalls.size() && I < 10; ++I)
      OS << (I ? ", " : ": ") << Result.FlashCalls[I].Name << " "
         << Result.FlashCalls[I].Sites;
    OS << (Result.FlashCalls.size() > 10 ? ", ..." : "") << ".\n";
  }
  // Firmware without interrupt or trap vectors, and no roots named, has
  // nothing to report here.
  if (Result.ClosureChecked && Result.ClosureRoots) {
    OS << "Code that must run from RAM: " << Result.ClosureBytes << " bytes in "
       << Result.ClosureFunctions << " functions that " << Result.ClosureRoots
       << " roots reach; " << Result.OutsideRam.size() << " of them outside "
       << Result.Region.Name << ".\n";
    for (const std::string &Path : Result.OutsideRam)
      OS << "  outside " << Result.Region.Name << ": " << Path << "\n";
    for (const IndirectCall &Call : Result.IndirectCalls)
      OS << "  indirect call in " << Call.Function << " at 0x"
         << utohexstr(Call.Address, true)
         << (Call.TargetsNamed ? "" : ": targets not named (--indirect)")
         << "\n";
    for (const std::string &Path : Result.StartupInRam)
      OS << "  before the copy, in " << Result.Region.Name << ": " << Path
         << "\n";
  }
  OS << "Patterns: " << Result.count(PatternVerdict::Places) << " place code, "
     << Result.count(PatternVerdict::Stale) << " stale, "
     << Result.count(PatternVerdict::LeavesInFlash) << " leave in flash, "
     << Result.count(PatternVerdict::AlreadyPlaced) << " already placed.\n";
  return Text;
}

json::Value auditToJson(const AuditResult &Result) {
  json::Array Patterns;
  for (const PatternAudit &P : Result.Patterns) {
    json::Object Entry{{"pattern", P.Pattern.Text},
                       {"script", P.Pattern.Script},
                       {"line", P.Pattern.Line},
                       {"output_section", P.OutputSection},
                       {"verdict", verdictName(P.Verdict)},
                       {"sections", P.Sections},
                       {"bytes", int64_t(P.Bytes)}};
    if (!P.Why.empty())
      Entry["why"] = P.Why;
    Patterns.push_back(std::move(Entry));
  }
  json::Array Calls;
  for (const FlashCallee &C : Result.FlashCalls)
    Calls.push_back(json::Object{{"callee", C.Name}, {"sites", C.Sites}});
  json::Object Out{{"region", Result.Region.Name},
                   {"code_bytes", int64_t(Result.CodeBytes)},
                   {"code_sections", Result.CodeSections},
                   {"patterns", std::move(Patterns)},
                   {"problems", Result.problems()}};
  if (Result.ClosureChecked) {
    json::Array Indirect;
    for (const IndirectCall &Call : Result.IndirectCalls)
      Indirect.push_back(json::Object{{"function", Call.Function},
                                      {"address", int64_t(Call.Address)},
                                      {"targets_named", Call.TargetsNamed}});
    Out["must_run_from_ram"] = json::Object{
        {"bytes", int64_t(Result.ClosureBytes)},
        {"functions", int64_t(Result.ClosureFunctions)},
        {"roots", int64_t(Result.ClosureRoots)},
        {"outside_region", json::Array(Result.OutsideRam)},
        {"indirect_calls", std::move(Indirect)},
        {"reset_path_in_region", json::Array(Result.StartupInRam)}};
  }
  if (Result.CallsChecked) {
    Out["flash_call_sites"] = Result.FlashCallSites;
    Out["flash_calls"] = std::move(Calls);
  }
  return Out;
}

} // namespace ramfit
