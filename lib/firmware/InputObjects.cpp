//===- InputObjects.cpp - What the linked objects say the ELF does not ----===//

#include "firmware/InputObjects.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <map>
#include <optional>
#include <set>

using namespace llvm;

namespace ramfit {

namespace {

/// How far a relocation type reaches, for the types no linker stretches
/// across memories; none for the others.
std::optional<StringRef> shortReach(uint16_t Machine, uint64_t Type) {
  if (Machine == ELF::EM_RISCV)
    switch (Type) {
    case ELF::R_RISCV_JAL:
      return StringRef("±1 MiB");
    case ELF::R_RISCV_BRANCH:
      return StringRef("±4 KiB");
    case ELF::R_RISCV_RVC_JUMP:
      return StringRef("±2 KiB");
    case ELF::R_RISCV_RVC_BRANCH:
      return StringRef("±256 bytes");
    }
  if (Machine == ELF::EM_ARM)
    switch (Type) {
    case ELF::R_ARM_THM_JUMP19:
      return StringRef("±1 MiB");
    case ELF::R_ARM_THM_JUMP11:
      return StringRef("±2 KiB");
    case ELF::R_ARM_THM_JUMP8:
      return StringRef("±256 bytes");
    }
  return std::nullopt;
}

/// The object file as the map names it: from the working directory (where
/// the link ran), else beside the map.
std::string findObject(StringRef Object, StringRef MapPath) {
  if (sys::fs::exists(Object))
    return Object.str();
  SmallString<256> Beside = sys::path::parent_path(MapPath);
  sys::path::append(Beside, Object);
  return sys::fs::exists(Beside) ? Beside.str().str() : "";
}

class ObjectReader {
public:
  ObjectReader(LinkerMap &Map, const Binary &Elf) : Map(Map), Elf(Elf) {
    for (InputSection &S : Map.Sections)
      ByObjectAndName[S.Object][S.Name] = &S;
  }

  /// Adds the object's short references to Found; false when it cannot be
  /// read.
  bool read(StringRef Object, std::vector<ShortReference> &Found) {
    std::string Path = findObject(Object, Map.Path);
    if (Path.empty())
      return false;
    Expected<object::OwningBinary<object::ObjectFile>> File =
        object::ObjectFile::createObjectFile(Path);
    if (!File) {
      consumeError(File.takeError());
      return false;
    }
    const auto *Elf = dyn_cast<object::ELFObjectFileBase>(File->getBinary());
    if (!Elf)
      return false;
    for (const object::SectionRef &Section : Elf->sections()) {
      Expected<StringRef> Name = Section.getName();
      if (!Name) {
        consumeError(Name.takeError());
        return false;
      }
      if (InputSection *Linked = section(Object, *Name))
        Linked->Alignment = Section.getAlignment().value();
    }
    for (const object::SectionRef &Relocations : Elf->sections()) {
      Expected<object::section_iterator> Relocated =
          Relocations.getRelocatedSection();
      if (!Relocated) {
        consumeError(Relocated.takeError());
        return false;
      }
      if (*Relocated == Elf->section_end())
        continue;
      Expected<StringRef> FromName = (*Relocated)->getName();
      if (!FromName) {
        consumeError(FromName.takeError());
        return false;
      }
      const InputSection *From = section(Object, *FromName);
      if (!From)
        continue; // not linked (--gc-sections) or not code
      for (const object::RelocationRef &Relocation :
           Relocations.relocations()) {
        std::optional<StringRef> Reach =
            shortReach(Elf->getEMachine(), Relocation.getType());
        if (!Reach)
          continue;
        const InputSection *To = target(Object, Relocation, **Relocated);
        if (!To || To == From)
          continue;
        SmallString<32> Type;
        Relocation.getTypeName(Type);
        Expected<StringRef> Symbol = Relocation.getSymbol()->getName();
        Found.push_back({From, To, Symbol ? Symbol->str() : "",
                         Type.str().str(), Reach->str()});
        if (!Symbol)
          consumeError(Symbol.takeError());
      }
    }
    return true;
  }

private:
  InputSection *section(StringRef Object, StringRef Name) const {
    auto Sections = ByObjectAndName.find(Object);
    if (Sections == ByObjectAndName.end())
      return nullptr;
    auto Found = Sections->second.find(Name);
    return Found == Sections->second.end() ? nullptr : Found->second;
  }

  /// The input section the relocation's symbol is in: one of the same
  /// object, or, for a symbol defined elsewhere, where the ELF has it.
  /// Null for a branch within its own section and for what cannot be told.
  const InputSection *target(StringRef Object,
                             const object::RelocationRef &Relocation,
                             const object::SectionRef &RelocatedSection) {
    object::symbol_iterator Symbol = Relocation.getSymbol();
    if (Symbol == Relocation.getObject()->symbol_end())
      return nullptr;
    Expected<object::section_iterator> Home = Symbol->getSection();
    if (!Home) {
      consumeError(Home.takeError());
      return nullptr;
    }
    if (*Home != Relocation.getObject()->section_end()) {
      if (**Home == RelocatedSection)
        return nullptr;
      Expected<StringRef> Name = (*Home)->getName();
      if (!Name) {
        consumeError(Name.takeError());
        return nullptr;
      }
      return section(Object, *Name);
    }
    Expected<StringRef> Name = Symbol->getName();
    if (!Name) {
      consumeError(Name.takeError());
      return nullptr;
    }
    std::vector<const FunctionInfo *> Defined = Elf.functionsNamed(*Name);
    return Defined.size() == 1 ? Map.sectionAt(Defined.front()->Address)
                               : nullptr;
  }

  LinkerMap &Map;
  const Binary &Elf;
  std::map<std::string, StringMap<InputSection *>, std::less<>> ByObjectAndName;
};

} // namespace

std::vector<ShortReference> readInputObjects(LinkerMap &Map, const Binary &Elf,
                                             DiagnosticHandler Diag) {
  std::vector<ShortReference> Found;
  if (Map.HasOnlyObjects)
    return Found;
  ObjectReader Reader(Map, Elf);
  std::vector<std::string> Unread;
  std::set<std::string> Seen;
  for (const InputSection &S : Map.Sections) {
    // libgcc.a(_udivdi3.o): compiled code, its calls relaxed at link time.
    if (StringRef(S.Object).endswith(")") || !Seen.insert(S.Object).second)
      continue;
    if (!Reader.read(S.Object, Found))
      Unread.push_back(S.Object);
  }
  if (!Unread.empty())
    warning(Diag, Twine(Unread.size()) + " object file(s) that '" + Map.Path +
                      "' names could not be read (the first: '" +
                      Unread.front() +
                      "'): short jumps between their functions, which "
                      "cannot reach from flash to RAM, are not checked; "
                      "run ramfit where the link ran");
  return Found;
}

} // namespace ramfit
