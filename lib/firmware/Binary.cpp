#include "firmware/Binary.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/SHA256.h"
#include <algorithm>

using namespace llvm;
using namespace llvm::object;

namespace ramfit {

Expected<std::unique_ptr<Binary>> Binary::open(StringRef Path,
                                               DiagnosticHandler Diag) {
  Expected<std::unique_ptr<MemoryBuffer>> Buffer = readInputFile(Path);
  if (!Buffer)
    return Buffer.takeError();
  return fromBuffer(std::move(*Buffer), Diag);
}

Expected<std::unique_ptr<Binary>>
Binary::fromBuffer(std::unique_ptr<MemoryBuffer> Buffer, DiagnosticHandler Diag,
                   DebugInfoUse Use) {
  StringRef Path = Buffer->getBufferIdentifier();
  Expected<std::unique_ptr<ObjectFile>> Object =
      ObjectFile::createObjectFile(Buffer->getMemBufferRef());
  if (!Object)
    return inputError(Path, "not a readable ELF file: " +
                                toString(Object.takeError()));
  if (!isa<ELFObjectFileBase>(**Object))
    return inputError(Path, "not an ELF file");
  // Linked code has its debug info resolved; an object's would need its
  // relocations, and its addresses are not where the code runs.
  if ((*Object)->isRelocatableObject())
    return inputError(Path, "a relocatable object file, not a linked ELF");

  std::unique_ptr<Binary> Result(new Binary());
  Result->Path = Path.str();
  Result->Buffer = std::move(Buffer);
  Result->Object = std::move(*Object);
  Result->AddressBits = Result->Object->getBytesInAddress() * 8;
  Triple::ArchType Arch = Result->Object->getArch();
  Result->IsArm = Arch == Triple::arm || Arch == Triple::thumb;
  if (Expected<uint64_t> Entry = Result->Object->getStartAddress())
    Result->Entry = *Entry & ~uint64_t(Result->IsArm); // no Thumb bit
  else
    consumeError(Entry.takeError());
  if (Error Err = Result->readCopiedSegments())
    return Err;
  if (Error Err = Result->readSymbols())
    return Err;
  if (Use == DebugInfoUse::Read)
    Result->readDebugInfo(Diag);
  return Result;
}

const std::string &Binary::sha256() const {
  if (Sha256.empty())
    Sha256 = toHex(SHA256::hash(arrayRefFromStringRef(Buffer->getBuffer())),
                   /*LowerCase=*/true);
  return Sha256;
}

/// GCC names clones and split parts "f.part.0", "f.isra.0",
/// "f.constprop.0", "f.cold"; the placement unit is the clone, the parent is
/// the function a person knows.
static std::string cloneParent(StringRef Name) {
  static const char *const Markers[] = {
      "part", "isra", "constprop", "cold", "lto_priv", "clone", "localalias"};
  auto [Base, Suffix] = Name.split('.');
  if (Base.empty() || Suffix.empty())
    return "";
  for (const char *Marker : Markers)
    if (Suffix.startswith(Marker))
      return Base.str();
  return "";
}

/// LLVM's Itanium demangler, as llvm-symbolizer and nm -C use it; a clone
/// is demangled through its base name, which is what debuggers show.
static void demangle(FunctionInfo &Function) {
  // The demangler keeps pointers into the name until it is done.
  const std::string &Mangled =
      Function.Parent.empty() ? Function.Name : Function.Parent;
  if (!StringRef(Mangled).startswith("_Z"))
    return;
  ItaniumPartialDemangler Demangler;
  if (Demangler.partialDemangle(Mangled.c_str()))
    return;
  if (char *Full = Demangler.finishDemangle(nullptr, nullptr)) {
    Function.Demangled = Full;
    std::free(Full);
  }
  if (Demangler.isFunction())
    if (char *Base = Demangler.getFunctionName(nullptr, nullptr)) {
      Function.DemangledBase = Base;
      std::free(Base);
    }
}

namespace {

/// The loadable segments whose load address is not their address: the
/// start-up code copies them from flash to where they run.
template <class ELFT>
Expected<std::vector<AddressRange>>
copiedSegments(const object::ELFFile<ELFT> &File) {
  auto Headers = File.program_headers();
  if (!Headers)
    return Headers.takeError();
  std::vector<AddressRange> Copied;
  for (const typename ELFT::Phdr &Header : *Headers)
    if (Header.p_type == ELF::PT_LOAD && Header.p_memsz &&
        Header.p_vaddr != Header.p_paddr)
      Copied.emplace_back(Header.p_vaddr, Header.p_vaddr + Header.p_memsz);
  return Copied;
}

} // namespace

Error Binary::readCopiedSegments() {
  Expected<std::vector<AddressRange>> Copied =
      [&]() -> Expected<std::vector<AddressRange>> {
    if (auto *File = dyn_cast<ELF32LEObjectFile>(Object.get()))
      return copiedSegments(File->getELFFile());
    if (auto *File = dyn_cast<ELF32BEObjectFile>(Object.get()))
      return copiedSegments(File->getELFFile());
    if (auto *File = dyn_cast<ELF64LEObjectFile>(Object.get()))
      return copiedSegments(File->getELFFile());
    return copiedSegments(cast<ELF64BEObjectFile>(Object.get())->getELFFile());
  }();
  if (!Copied)
    return inputError(Path, "unreadable program headers: " +
                                toString(Copied.takeError()));
  CopiedSegments = std::move(*Copied);
  return Error::success();
}

bool Binary::isCopiedAtStartup(uint64_t Address) const {
  return llvm::any_of(CopiedSegments, [&](const AddressRange &Segment) {
    return Segment.contains(Address);
  });
}

Error Binary::readSymbols() {
  if (Error Err = readSections())
    return Err;
  if (Error Err = readFunctionSymbols())
    return Err;
  mergeAliases();
  sizeUnsizedFunctions();
  indexFunctionNames();
  return Error::success();
}

/// The allocated sections, by address.
Error Binary::readSections() {
  for (const SectionRef &Section : Object->sections()) {
    if (!(ELFSectionRef(Section).getFlags() & ELF::SHF_ALLOC) ||
        !Section.getSize())
      continue;
    Expected<StringRef> Name = Section.getName();
    if (!Name)
      return inputError(Path, "unreadable section name: " +
                                  toString(Name.takeError()));
    Sections.push_back({Section.getAddress(), Section.getSize(), Name->str()});
  }
  llvm::sort(Sections, [](const SectionRange &A, const SectionRange &B) {
    return A.Address < B.Address;
  });
  return Error::success();
}

/// Every symbol's address by name, and the functions (STT_FUNC) with their
/// sizes, sections, compile units (for local ones) and demangled names.
Error Binary::readFunctionSymbols() {
  // Local symbols follow the STT_FILE symbol of the file they came from.
  std::string CurrentFile;
  bool SawSymbols = false;
  for (const SymbolRef &Symbol : Object->symbols()) {
    SawSymbols = true;
    ELFSymbolRef ElfSymbol(Symbol);
    Expected<StringRef> Name = Symbol.getName();
    if (!Name)
      return inputError(Path, "unreadable symbol name: " +
                                  toString(Name.takeError()));
    uint8_t Type = ElfSymbol.getELFType();
    if (Type == ELF::STT_FILE) {
      CurrentFile = Name->str();
      continue;
    }
    // A section symbol names its section, not code.
    if (Type == ELF::STT_SECTION)
      continue;
    Expected<section_iterator> Section = Symbol.getSection();
    if (!Section || *Section == Object->section_end() || Name->empty()) {
      consumeError(Section.takeError());
      continue;
    }
    Expected<uint64_t> Value = Symbol.getValue();
    if (!Value)
      return inputError(Path, "unreadable symbol value: " +
                                  toString(Value.takeError()));
    uint64_t Address = *Value;
    if (IsArm && Type == ELF::STT_FUNC)
      Address &= ~uint64_t(1);
    SymbolAddresses[*Name].push_back(Address);
    if (Type != ELF::STT_FUNC)
      continue;

    FunctionInfo Function;
    Function.Name = Name->str();
    Function.Address = Address;
    Function.Size = ElfSymbol.getSize();
    Function.IsLocal = ElfSymbol.getBinding() == ELF::STB_LOCAL;
    if (Function.IsLocal)
      Function.CompileUnit = CurrentFile;
    if (Expected<StringRef> SectionName = (*Section)->getName())
      Function.OutputSection = SectionName->str();
    else
      consumeError(SectionName.takeError());
    Function.Parent = cloneParent(Function.Name);
    demangle(Function);
    Functions.push_back(std::move(Function));
  }
  if (!SawSymbols)
    return inputError(Path, "the ELF has no symbol table (was it stripped?)");
  if (Functions.empty())
    return inputError(Path, "the ELF has no function symbols");
  return Error::success();
}

void Binary::mergeAliases() {
  // libgcc's alias for its own calls (__hidden___udivsi3, hidden as every
  // libgcc symbol is) is not the name people know.
  auto Key = [](const FunctionInfo &F) {
    return std::make_tuple(F.Address, -int64_t(F.Size), F.IsLocal,
                           StringRef(F.Name).startswith("__hidden_"),
                           StringRef(F.Name));
  };
  llvm::sort(Functions, [&](const FunctionInfo &A, const FunctionInfo &B) {
    return Key(A) < Key(B);
  });
  std::vector<FunctionInfo> Unique;
  for (FunctionInfo &Function : Functions) {
    if (!Unique.empty() && Unique.back().Address == Function.Address &&
        Unique.back().Size == Function.Size) {
      FunctionsByName[Function.Name].push_back(Unique.size() - 1);
      continue;
    }
    Unique.push_back(std::move(Function));
  }
  Functions = std::move(Unique);
}

void Binary::sizeUnsizedFunctions() {
  for (size_t I = 0; I < Functions.size(); ++I) {
    FunctionInfo &Function = Functions[I];
    if (Function.Size)
      continue;
    uint64_t End = Function.Address;
    for (const SectionRange &Range : Sections)
      if (Range.Address <= Function.Address &&
          Function.Address < Range.Address + Range.Size)
        End = Range.Address + Range.Size;
    if (I + 1 < Functions.size())
      End = std::min(End, Functions[I + 1].Address);
    Function.Size = End - Function.Address;
  }
}

void Binary::indexFunctionNames() {
  for (size_t I = 0; I < Functions.size(); ++I) {
    FunctionsByName[Functions[I].Name].push_back(I);
    const FunctionInfo &Function = Functions[I];
    for (const std::string *Other :
         {&Function.Parent, &Function.Demangled, &Function.DemangledBase})
      if (!Other->empty())
        FunctionsByOtherName[*Other].push_back(I);
  }
}

const FunctionInfo *Binary::functionAt(uint64_t Address) const {
  auto After = std::upper_bound(
      Functions.begin(), Functions.end(), Address,
      [](uint64_t A, const FunctionInfo &F) { return A < F.Address; });
  // Nested symbols: the innermost (last starting) one that holds Address.
  for (auto It = After; It != Functions.begin();) {
    --It;
    if (Address < It->end())
      return &*It;
    if (After - It > 8)
      break;
  }
  return nullptr;
}

std::vector<const FunctionInfo *> Binary::functionsNamed(StringRef Name) const {
  std::vector<const FunctionInfo *> Result;
  auto It = FunctionsByName.find(Name);
  if (It != FunctionsByName.end())
    for (size_t Index : It->second)
      Result.push_back(&Functions[Index]);
  return Result;
}

std::vector<const FunctionInfo *>
Binary::functionsKnownAs(StringRef Name) const {
  std::vector<const FunctionInfo *> Result = functionsNamed(Name);
  if (!Result.empty())
    return Result;
  auto It = FunctionsByOtherName.find(Name);
  if (It != FunctionsByOtherName.end())
    for (size_t Index : It->second)
      Result.push_back(&Functions[Index]);
  return Result;
}

ArrayRef<uint64_t> Binary::symbolAddresses(StringRef Name) const {
  auto It = SymbolAddresses.find(Name);
  if (It == SymbolAddresses.end())
    return {};
  return It->second;
}

bool Binary::hasSymbolAt(StringRef Name, uint64_t Address) const {
  auto It = SymbolAddresses.find(Name);
  return It != SymbolAddresses.end() && llvm::is_contained(It->second, Address);
}

StringRef Binary::sectionAt(uint64_t Address) const {
  for (const SectionRange &Range : Sections)
    if (Range.Address <= Address && Address < Range.Address + Range.Size)
      return Range.Name;
  return "";
}

uint64_t Binary::bytesWithin(uint64_t Origin, uint64_t Length) const {
  uint64_t Total = 0;
  for (const SectionRange &Range : Sections) {
    uint64_t Low = std::max(Range.Address, Origin);
    uint64_t High = std::min(Range.Address + Range.Size, Origin + Length);
    if (Low < High)
      Total += High - Low;
  }
  return Total;
}

std::string Binary::describe(uint64_t Address) const {
  const FunctionInfo *Function = functionAt(Address);
  if (!Function)
    return "no function";
  uint64_t Offset = Address - Function->Address;
  return Offset ? Function->Name + "+" + std::to_string(Offset)
                : Function->Name;
}

} // namespace ramfit
