#include "firmware/Closure.h"
#include "firmware/Roots.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/GlobPattern.h"
#include <set>

using namespace llvm;

namespace ramfit {

namespace {

Error patternError(const Twine &Message) {
  return createStringError(inconvertibleErrorCode(), Message);
}

/// A GlobPattern points into the text it was made from, which must
/// outlive it.
Expected<GlobPattern> compile(StringRef Glob) {
  Expected<GlobPattern> Pattern = GlobPattern::create(Glob);
  if (!Pattern)
    return patternError("bad pattern '" + Glob +
                        "': " + toString(Pattern.takeError()));
  return Pattern;
}

Expected<std::vector<GlobPattern>> compile(ArrayRef<std::string> Globs) {
  std::vector<GlobPattern> Patterns;
  for (StringRef Glob : Globs) {
    Expected<GlobPattern> Pattern = compile(Glob);
    if (!Pattern)
      return Pattern.takeError();
    Patterns.push_back(std::move(*Pattern));
  }
  return Patterns;
}

/// "CALLER=TARGET[,TARGET...]" as its parts, each trimmed.
std::pair<StringRef, SmallVector<StringRef, 4>> indirectParts(StringRef Spec) {
  auto [Caller, Targets] = Spec.split('=');
  SmallVector<StringRef, 4> Parts;
  Targets.split(Parts, ',');
  for (StringRef &Part : Parts)
    Part = Part.trim();
  return {Caller.trim(), Parts};
}

/// A function matches by its symbol name or, in C++, by its name as
/// people write it ("usb::Device::poll").
bool matchesFunction(const GlobPattern &Pattern, const FunctionInfo &F) {
  return Pattern.match(F.Name) ||
         (!F.DemangledBase.empty() && Pattern.match(F.DemangledBase));
}

class ClosureBuilder {
public:
  ClosureBuilder(const Binary &Elf, const CallScanner &Calls)
      : Elf(Elf), Calls(Calls) {}

  void addRoot(const FunctionInfo &Code, std::string Why) {
    add(Code, ClosureMember::NotCalled, std::move(Why));
  }

  /// Follows every call out of the members not yet followed, the indirect
  /// ones to the targets IndirectTargets names for their caller.
  void close(ArrayRef<std::pair<GlobPattern, std::vector<GlobPattern>>>
                 IndirectTargets,
             std::vector<bool> &IndirectUsed) {
    for (; Closed < Result.Members.size(); ++Closed) {
      size_t I = Closed;
      FunctionInfo Code = Result.Members[I].Code;
      for (const CallSite &Site : Calls.callsIn(Code.Address, Code.Size)) {
        if (Site.Target) {
          // The linker's veneer is not code of the firmware's: what it
          // jumps to is.
          if (const FunctionInfo *Listed = Elf.functionAt(*Site.Target))
            add(*Elf.throughVeneer(Listed), I, "");
          else if (std::optional<FunctionInfo> Untyped =
                       Elf.codeAt(*Site.Target))
            add(*Untyped, I, "");
          continue;
        }
        // A jump through a switch's table stays in the function: its
        // targets are the table's entries into it.
        if (!Site.Links && Elf.codePointersInto(Code.Address, Code.end()) >= 2)
          continue;
        IndirectCall Indirect{Code.Name, Site.Address, false};
        for (size_t Spec = 0; Spec < IndirectTargets.size(); ++Spec) {
          if (!matchesFunction(IndirectTargets[Spec].first, Code))
            continue;
          Indirect.TargetsNamed = IndirectUsed[Spec] = true;
          for (const FunctionInfo &F : Elf.functions())
            for (const GlobPattern &Target : IndirectTargets[Spec].second)
              if (matchesFunction(Target, F))
                add(F, I, "");
        }
        Result.IndirectCalls.push_back(std::move(Indirect));
      }
    }
  }

  RamClosure take() { return std::move(Result); }

private:
  void add(const FunctionInfo &Code, size_t CalledBy, std::string Why) {
    if (!Seen.insert(Code.Address).second)
      return;
    Result.Members.push_back({Code, CalledBy, std::move(Why)});
  }

  const Binary &Elf;
  const CallScanner &Calls;
  std::set<uint64_t> Seen;
  /// Members before this one have had their calls followed.
  size_t Closed = 0;
  RamClosure Result;
};

/// The code in [Start, Start + Size): its functions, and the assembly at
/// its start when no function starts there ('trap_entry:').
std::vector<FunctionInfo> codeWithin(const Binary &Elf, uint64_t Start,
                                     uint64_t Size) {
  std::vector<FunctionInfo> Code;
  bool StartHasFunction = false;
  for (const FunctionInfo &F : Elf.functions())
    if (F.Address >= Start && F.Address < Start + Size) {
      Code.push_back(F);
      StartHasFunction |= F.Address == Start;
    }
  if (!StartHasFunction)
    if (std::optional<FunctionInfo> Untyped = Elf.codeAt(Start))
      Code.insert(Code.begin(), *Untyped);
  return Code;
}

} // namespace

Expected<std::string> parseIndirectTargets(StringRef Text) {
  auto [Caller, Targets] = indirectParts(Text);
  if (Caller.empty() || Targets.empty() || llvm::is_contained(Targets, ""))
    return patternError("'" + Text +
                        "' is not CALLER=TARGET[,TARGET...]: name the "
                        "function that calls through a pointer, then the "
                        "functions the pointer may hold");
  Targets.push_back(Caller);
  for (StringRef Part : Targets)
    if (Expected<GlobPattern> Pattern = compile(Part); !Pattern)
      return Pattern.takeError();
  return Text.str();
}

std::string exactPattern(StringRef Name) {
  std::string Pattern;
  for (char C : Name) {
    if (StringRef("*?[]\\").contains(C))
      Pattern += '\\';
    Pattern += C;
  }
  return Pattern;
}

std::string RamClosure::pathTo(size_t Member) const {
  std::vector<StringRef> Names;
  for (size_t I = Member; I != ClosureMember::NotCalled;
       I = Members[I].CalledBy)
    Names.push_back(Members[I].Code.Name);
  std::string Path;
  for (auto It = Names.rbegin(); It != Names.rend(); ++It)
    Path += (Path.empty() ? "" : " -> ") + It->str();
  return Path;
}

size_t RamClosure::rootOf(size_t Member) const {
  while (Members[Member].CalledBy != ClosureMember::NotCalled)
    Member = Members[Member].CalledBy;
  return Member;
}

size_t RamClosure::memberAt(uint64_t Address) const {
  for (size_t I = 0; I < Members.size(); ++I)
    if (Members[I].Code.Address <= Address && Address < Members[I].Code.end())
      return I;
  return ClosureMember::NotCalled;
}

uint64_t RamClosure::bytes() const {
  uint64_t Bytes = 0;
  for (const ClosureMember &Member : Members)
    Bytes += Member.Code.Size;
  return Bytes;
}

size_t RamClosure::rootCount() const {
  return llvm::count_if(Members, [](const ClosureMember &Member) {
    return Member.CalledBy == ClosureMember::NotCalled;
  });
}

Expected<RamClosure> findRamClosure(const Binary &Elf, const CallScanner &Calls,
                                    const LinkerMap *Map,
                                    const RamRootOptions &Options) {
  Expected<std::vector<GlobPattern>> KeepSections =
      compile(Options.KeepSections);
  Expected<std::vector<GlobPattern>> KeepReachable =
      compile(Options.KeepReachable);
  Expected<std::vector<GlobPattern>> NotARoot = compile(Options.NotARoot);
  for (Expected<std::vector<GlobPattern>> *Compiled :
       {&KeepSections, &KeepReachable, &NotARoot})
    if (!*Compiled)
      return Compiled->takeError();
  std::vector<std::pair<GlobPattern, std::vector<GlobPattern>>> Indirect;
  // The patterns point into Options.Indirect, which outlives them.
  for (StringRef Spec : Options.Indirect) {
    if (Expected<std::string> Checked = parseIndirectTargets(Spec); !Checked)
      return Checked.takeError();
    auto [Caller, Targets] = indirectParts(Spec);
    std::vector<GlobPattern> TargetPatterns;
    for (StringRef Target : Targets)
      TargetPatterns.push_back(cantFail(compile(Target)));
    Indirect.emplace_back(cantFail(compile(Caller)), std::move(TargetPatterns));
  }
  std::vector<std::string> Unmatched;
  ClosureBuilder Builder(Elf, Calls);

  // Interrupt and trap entries, less the slots the user says are never
  // enabled.
  std::vector<bool> NotARootUsed(NotARoot->size());
  for (const InterruptEntry &Entry : findInterruptEntries(Elf, Calls)) {
    std::optional<FunctionInfo> Code = Elf.codeAt(Entry.Address);
    if (!Code)
      continue;
    bool Excluded = false;
    for (size_t I = 0; I < NotARoot->size(); ++I)
      if (matchesFunction((*NotARoot)[I], *Code))
        Excluded = NotARootUsed[I] = true;
    if (!Excluded)
      Builder.addRoot(*Code, Entry.Source);
  }
  // What the vectors reach is named by its path from them, even where the
  // user's roots hold it too.
  std::vector<bool> IndirectUsed(Indirect.size());
  Builder.close(Indirect, IndirectUsed);
  for (size_t I = 0; I < NotARoot->size(); ++I)
    if (!NotARootUsed[I])
      Unmatched.push_back("--not-a-root '" + Options.NotARoot[I] +
                          "' matches no interrupt or trap entry");

  // Code the firmware keeps in RAM for while the flash is busy.
  for (size_t I = 0; I < KeepSections->size(); ++I) {
    const GlobPattern &Pattern = (*KeepSections)[I];
    bool Used = false;
    auto AddSection = [&](StringRef Name, uint64_t Address, uint64_t Size) {
      if (!Pattern.match(Name))
        return;
      for (const FunctionInfo &Code : codeWithin(Elf, Address, Size)) {
        Used = true;
        Builder.addRoot(Code, "code for a busy flash, in " + Name.str());
      }
    };
    if (Map)
      for (const InputSection &Section : Map->Sections)
        AddSection(Section.Name, Section.Address, Section.Size);
    else
      for (const SectionRange &Section : Elf.sections())
        AddSection(Section.Name, Section.Address, Section.Size);
    if (!Used)
      Unmatched.push_back(
          "--keep-section '" + Options.KeepSections[I] +
          "' matches no code in " +
          (Map ? "the map's input sections" : "the ELF's sections"));
  }
  for (size_t I = 0; I < KeepReachable->size(); ++I) {
    bool Used = false;
    for (const FunctionInfo &F : Elf.functions())
      if (matchesFunction((*KeepReachable)[I], F)) {
        Used = true;
        Builder.addRoot(F, "--keep-reachable " + Options.KeepReachable[I]);
      }
    // Assembly entry points without a function type are named too.
    for (uint64_t Address : Elf.symbolAddresses(Options.KeepReachable[I]))
      if (std::optional<FunctionInfo> Code = Elf.codeAt(Address)) {
        Used = true;
        Builder.addRoot(*Code, "--keep-reachable " + Options.KeepReachable[I]);
      }
    if (!Used)
      Unmatched.push_back("--keep-reachable '" + Options.KeepReachable[I] +
                          "' matches no function");
  }

  Builder.close(Indirect, IndirectUsed);
  for (size_t I = 0; I < Indirect.size(); ++I)
    if (!IndirectUsed[I])
      Unmatched.push_back("--indirect '" + Options.Indirect[I] +
                          "' names no function with an indirect call that "
                          "code in RAM must make");
  if (Options.PatternsMustMatch && !Unmatched.empty())
    return patternError(join(Unmatched, "; "));
  return Builder.take();
}

} // namespace ramfit
