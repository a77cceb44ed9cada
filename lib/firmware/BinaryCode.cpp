//===- BinaryCode.cpp - The ELF's code and words at an address ------------===//
//
// What the vector tables and jumps of the firmware point at: words read as
// the core reads them, and code that no function symbol covers.
//
//===----------------------------------------------------------------------===//

#include "firmware/Binary.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/Endian.h"
#include <tuple>

using namespace llvm;
using namespace llvm::object;

namespace ramfit {

const FunctionInfo *Binary::throughVeneer(const FunctionInfo *F) const {
  StringRef Name = F->Name;
  if (!Name.consume_front("__") || !Name.consume_back("_veneer"))
    return F;
  std::vector<const FunctionInfo *> Real = functionsNamed(Name);
  return Real.size() == 1 ? Real.front() : F;
}

bool Binary::isCode(uint64_t Address) const {
  for (const SectionRef &Section : Object->sections())
    if (Section.isText() &&
        (ELFSectionRef(Section).getFlags() & ELF::SHF_ALLOC) &&
        Section.getAddress() <= Address &&
        Address < Section.getAddress() + Section.getSize())
      return true;
  return false;
}

std::optional<FunctionInfo> Binary::codeAt(uint64_t Address) const {
  if (const FunctionInfo *Function = functionAt(Address))
    return *Function;
  if (!isCode(Address))
    return std::nullopt;
  FunctionInfo Code;
  Code.Address = Address;
  uint64_t End = Address;
  for (const SectionRange &Range : Sections)
    if (Range.Address <= Address && Address < Range.Address + Range.Size) {
      End = Range.Address + Range.Size;
      Code.OutputSection = Range.Name;
    }
  // Mapping symbols ('$x', '$t', '$d') and local labels name no code; of
  // the names at Address, one without the reserved '__' reads best
  // ('trap_entry', not the '__ramtext_start' a script put there too).
  auto Rank = [](StringRef Name) {
    return std::make_tuple(Name.startswith("__"), Name.size(), Name);
  };
  for (const auto &Entry : SymbolAddresses) {
    StringRef Name = Entry.getKey();
    if (Name.startswith("$") || Name.startswith(".L"))
      continue;
    for (uint64_t SymbolAddress : Entry.getValue()) {
      if (SymbolAddress > Address)
        End = std::min(End, SymbolAddress);
      else if (SymbolAddress == Address &&
               (Code.Name.empty() || Rank(Name) < Rank(Code.Name)))
        Code.Name = Name.str();
    }
  }
  auto Next = std::upper_bound(
      Functions.begin(), Functions.end(), Address,
      [](uint64_t A, const FunctionInfo &F) { return A < F.Address; });
  if (Next != Functions.end())
    End = std::min(End, Next->Address);
  if (Code.Name.empty())
    Code.Name = "code at 0x" + utohexstr(Address, /*LowerCase=*/true);
  Code.Size = End - Address;
  return Code;
}

std::optional<uint32_t> Binary::wordAt(uint64_t Address) const {
  for (const SectionRef &Section : Object->sections()) {
    if (!(ELFSectionRef(Section).getFlags() & ELF::SHF_ALLOC) ||
        Section.isBSS() || Address < Section.getAddress() ||
        Address + 4 > Section.getAddress() + Section.getSize())
      continue;
    Expected<StringRef> Contents = Section.getContents();
    if (!Contents) {
      consumeError(Contents.takeError());
      return std::nullopt;
    }
    uint64_t Offset = Address - Section.getAddress();
    if (Offset + 4 > Contents->size())
      return std::nullopt;
    return support::endian::read32le(Contents->data() + Offset);
  }
  return std::nullopt;
}

size_t Binary::codePointersInto(uint64_t Start, uint64_t End) const {
  if (!CodePointers) {
    CodePointers.emplace();
    for (const SectionRef &Section : Object->sections()) {
      if (!(ELFSectionRef(Section).getFlags() & ELF::SHF_ALLOC) ||
          Section.isBSS())
        continue;
      Expected<StringRef> Contents = Section.getContents();
      if (!Contents) {
        consumeError(Contents.takeError());
        continue;
      }
      uint64_t Base = Section.getAddress();
      for (uint64_t Offset = (4 - Base % 4) % 4; Offset + 4 <= Contents->size();
           Offset += 4) {
        uint64_t Value =
            support::endian::read32le(Contents->data() + Offset) & ~1u;
        // Instructions are inside functions; data is not.
        if (isCode(Value) && !functionAt(Base + Offset))
          CodePointers->push_back(Value);
      }
    }
    llvm::sort(*CodePointers);
  }
  return std::lower_bound(CodePointers->begin(), CodePointers->end(), End) -
         std::lower_bound(CodePointers->begin(), CodePointers->end(), Start);
}

} // namespace ramfit
