#include "firmware/LinkerMap.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include <algorithm>

using namespace llvm;

namespace ramfit {

const InputSection *LinkerMap::sectionAt(uint64_t Address) const {
  auto After = llvm::upper_bound(
      Sections, Address,
      [](uint64_t A, const InputSection &S) { return A < S.Address; });
  if (After == Sections.begin())
    return nullptr;
  const InputSection &Candidate = *std::prev(After);
  return Address < Candidate.Address + Candidate.Size ? &Candidate : nullptr;
}

static bool parseNumber(StringRef Text, uint64_t &Value) {
  return Text.consume_front("0x") && !Text.getAsInteger(16, Value);
}

/// Debug info and attributes are listed at offsets from 0, which are code
/// addresses where flash starts at 0 (Cortex-M): they are no placement.
static bool isUnallocated(StringRef Name) {
  return Name.startswith(".debug") || Name.startswith(".comment") ||
         Name.startswith(".ARM.attributes") ||
         Name.startswith(".riscv.attributes") || Name.startswith(".stab") ||
         Name.startswith(".gnu.attributes");
}

/// "ADDRESS SIZE OBJECT", the placement part of an input-section line.
static bool parsePlacement(StringRef Text, InputSection &Section) {
  auto [Address, AfterAddress] = Text.trim().split(' ');
  auto [Size, Object] = AfterAddress.ltrim().split(' ');
  Section.Object = Object.trim().str();
  return !Section.Object.empty() && parseNumber(Address, Section.Address) &&
         parseNumber(Size, Section.Size);
}

Expected<LinkerMap> parseLinkerMap(StringRef Path, StringRef Content) {
  LinkerMap Map;
  Map.Path = Path.str();
  SmallVector<StringRef, 0> Lines;
  Content.split(Lines, '\n');
  if (!Lines.empty() && Lines.back().empty())
    Lines.pop_back(); // what follows the last newline is no line
  // Sections listed before this line were discarded or are memory regions.
  size_t I = 0;
  while (I < Lines.size() &&
         !Lines[I].startswith("Linker script and memory map"))
    ++I;
  if (I == Lines.size())
    return inputError(Path, "not a GNU ld map file (no 'Linker script and "
                            "memory map' line)");
  for (++I; I < Lines.size(); ++I) {
    StringRef Line = Lines[I].rtrim();
    // Input sections stand one column in; " *(.text*)" and " *fill*" are
    // patterns and padding.
    if (Line.size() < 2 || Line[0] != ' ' || Line[1] == ' ' || Line[1] == '*')
      continue;
    StringRef Rest = Line.drop_front(1);
    InputSection Section;
    auto [Name, Placement] = Rest.split(' ');
    Section.Name = Name.str();
    if (Placement.trim().empty()) {
      // A long name puts its placement on the next line.
      if (++I == Lines.size() || !parsePlacement(Lines[I], Section))
        return inputError(
            Path, I == Lines.size() ? 0 : I + 1,
            "expected 'ADDRESS SIZE OBJECT' after input section '" + Name +
                "'");
    } else if (!parsePlacement(Placement, Section)) {
      continue; // an assignment or a directive such as " .  = ALIGN (0x4)"
    }
    if (Section.Size && !isUnallocated(Section.Name))
      Map.Sections.push_back(std::move(Section));
  }
  llvm::stable_sort(Map.Sections,
                    [](const InputSection &A, const InputSection &B) {
                      return A.Address < B.Address;
                    });
  return Map;
}

Expected<LinkerMap> readLinkerMap(StringRef Path) {
  Expected<std::unique_ptr<MemoryBuffer>> Buffer = readInputFile(Path);
  if (!Buffer)
    return Buffer.takeError();
  return parseLinkerMap(Path, (*Buffer)->getBuffer());
}

static Error addObjectSections(StringRef Path, LinkerMap &Map) {
  Expected<std::unique_ptr<MemoryBuffer>> Buffer = readInputFile(Path);
  if (!Buffer)
    return Buffer.takeError();
  Expected<std::unique_ptr<object::ObjectFile>> Object =
      object::ObjectFile::createObjectFile((*Buffer)->getMemBufferRef());
  if (!Object)
    return inputError(Path, "not a readable object file: " +
                                toString(Object.takeError()));
  for (const object::SectionRef &Section : (*Object)->sections()) {
    Expected<StringRef> Name = Section.getName();
    if (!Name)
      return inputError(Path, toString(Name.takeError()));
    // Code may sit in a section assembly declared without flags (the
    // Fomu's crt0 puts trap_entry in a plain '.section .ramtext', neither
    // allocated nor executable), which a script still places by name: every
    // section with contents is listed, but what no script places as code.
    bool HasContents = isa<object::ELFObjectFileBase>(**Object) &&
                       object::ELFSectionRef(Section).getType() ==
                           ELF::SHT_PROGBITS &&
                       !Name->startswith(".debug") &&
                       !Name->startswith(".comment") &&
                       !Name->startswith(".note");
    if ((Section.isText() || HasContents) && Section.getSize())
      Map.Sections.push_back({Name->str(), Path.str(), 0, Section.getSize()});
  }
  return Error::success();
}

/// GNU make trees name objects .o; CMake names them .obj for bare-metal
/// targets.
static bool isObjectFile(StringRef Path) {
  return Path.endswith(".o") || Path.endswith(".obj");
}

Expected<LinkerMap> readObjectSections(StringRef Dir) {
  LinkerMap Map;
  Map.Path = Dir.str();
  Map.HasOnlyObjects = true;
  if (!sys::fs::is_directory(Dir))
    return inputError(Dir, "not a directory");
  std::error_code EC;
  for (sys::fs::recursive_directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    if (isObjectFile(It->path()))
      if (Error Err = addObjectSections(It->path(), Map))
        return Err;
  if (EC)
    return inputError(Dir, EC.message());
  if (Map.Sections.empty())
    return inputError(Dir, "no object file with code in it");
  llvm::sort(Map.Sections, [](const InputSection &A, const InputSection &B) {
    return std::tie(A.Object, A.Name) < std::tie(B.Object, B.Name);
  });
  return Map;
}

Expected<std::optional<LinkerMap>>
readOptionalLinkerMap(StringRef Path, DiagnosticHandler Diag) {
  if (Path.empty()) {
    warning(Diag,
            "no --map given: unit sizes come from symbol sizes, and library "
            "helpers are sized as functions, not as the sections that "
            "move");
    return std::nullopt;
  }
  Expected<LinkerMap> Map = readLinkerMap(Path);
  if (!Map)
    return Map.takeError();
  return std::move(*Map);
}

namespace {

/// "f" for ".text.f", ".text.unlikely.f", ".text.startup.f"; "" for a
/// section that names no function.
StringRef functionOfSection(StringRef Name) {
  if (!Name.consume_front(".text."))
    return "";
  for (StringRef Prefix : {"unlikely.", "startup.", "hot.", "exit."})
    if (Name.consume_front(Prefix))
      break;
  return Name;
}

} // namespace

Error checkMapMatchesElf(const LinkerMap &Map, const Binary &Elf) {
  if (Map.HasOnlyObjects)
    return Error::success();
  size_t Agreeing = 0, Named = 0;
  for (const InputSection &Section : Map.Sections) {
    StringRef Name = functionOfSection(Section.Name);
    std::vector<const FunctionInfo *> Found =
        Name.empty() ? std::vector<const FunctionInfo *>()
                     : Elf.functionsNamed(Name);
    // Statics of one name in several files cannot be told apart here.
    if (Found.size() != 1 || !Found.front()->Size)
      continue;
    ++Named;
    const FunctionInfo &F = *Found.front();
    // '.text.unlikely.f' may hold f's cold part ("f.cold") instead of f.
    const FunctionInfo *First = Elf.functionAt(Section.Address);
    if ((F.Address >= Section.Address &&
         F.end() <= Section.Address + Section.Size) ||
        (First && First->Parent == Name &&
         First->end() <= Section.Address + Section.Size)) {
      ++Agreeing;
      continue;
    }
    return inputError(
        Map.Path, "not the map of '" + Elf.path() + "': it places " +
                      Section.Name + " of " + Section.Object + " at 0x" +
                      utohexstr(Section.Address, true) + " (" +
                      Twine(Section.Size) + " bytes), but " + F.Name +
                      " is at 0x" + utohexstr(F.Address, true) + " (" +
                      Twine(F.Size) +
                      " bytes) in the ELF; give the map the link of this ELF "
                      "wrote");
  }
  if (Named && !Agreeing)
    return inputError(Map.Path, "not the map of '" + Elf.path() +
                                    "': none of its function sections holds "
                                    "the ELF's function of that name");
  return Error::success();
}

} // namespace ramfit
