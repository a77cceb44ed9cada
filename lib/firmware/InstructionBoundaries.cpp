#include "firmware/InstructionBoundaries.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/Endian.h"
#include <algorithm>

using namespace llvm;
using namespace llvm::object;

namespace ramfit {

InstructionBoundaries::InstructionBoundaries(const Binary &Elf) : Elf(Elf) {
  const ObjectFile &Object = Elf.object();
  for (const SectionRef &Section : Object.sections()) {
    if (!Section.isText() || Section.isBSS() ||
        !(ELFSectionRef(Section).getFlags() & ELF::SHF_ALLOC))
      continue;
    Expected<StringRef> Contents = Section.getContents();
    if (!Contents) {
      consumeError(Contents.takeError());
      continue;
    }
    Code.push_back({Section.getAddress(), *Contents});
  }
  llvm::sort(Code, [](const CodeBytes &A, const CodeBytes &B) {
    return A.Address < B.Address;
  });

  bool Compressed = false;
  if (const auto *ElfObject = dyn_cast<ELFObjectFileBase>(&Object))
    Compressed = ElfObject->getPlatformFlags() & ELF::EF_RISCV_RVC;
  StartKind CodeKind = Elf.isArm()  ? StartKind::Thumb
                       : Compressed ? StartKind::RiscvCompressed
                                    : StartKind::Riscv;
  // Mapping symbols say what follows them: '$d' data, '$t' Thumb, '$a' A32,
  // '$x' (RISC-V, with or without an ISA string) instructions.
  std::vector<Start> Mapping, Objects;
  std::vector<uint64_t> Labels;
  for (const SymbolRef &Symbol : Object.symbols()) {
    Expected<StringRef> Name = Symbol.getName();
    Expected<uint64_t> Value = Symbol.getValue();
    if (!Name || !Value) {
      consumeError(Name.takeError());
      consumeError(Value.takeError());
      continue;
    }
    uint64_t Address = Elf.isArm() ? *Value & ~uint64_t(1) : *Value;
    if (!codeHolding(Address))
      continue;
    if (!Name->startswith("$")) {
      // An object in an executable section (read-only data a script put
      // in .text) is data whatever the mapping symbols say.
      Expected<SymbolRef::Type> Type = Symbol.getType();
      if (Type && *Type == SymbolRef::ST_Data)
        Objects.push_back({Address, StartKind::Data});
      else
        Labels.push_back(Address);
      consumeError(Type.takeError());
      continue;
    }
    StringRef Kind = Name->drop_front().take_front(1);
    if (Kind == "d")
      Mapping.push_back({Address, StartKind::Data});
    else if (Kind == "t")
      Mapping.push_back({Address, StartKind::Thumb});
    else if (Kind == "a")
      Mapping.push_back({Address, StartKind::A32});
    else if (Kind == "x")
      Mapping.push_back({Address, CodeKind});
  }
  for (const FunctionInfo &Function : Elf.functions())
    if (codeHolding(Function.Address))
      Labels.push_back(Function.Address);
  for (const CodeBytes &Section : Code)
    Labels.push_back(Section.Address);
  llvm::sort(Mapping, [](const Start &A, const Start &B) {
    return A.Address < B.Address;
  });
  // A label decodes as the mapping symbol before it says; at one address a
  // mapping symbol or an object wins over a label, as it says what is there.
  Starts = Mapping;
  llvm::append_range(Starts, Objects);
  for (uint64_t Label : Labels) {
    auto After =
        llvm::upper_bound(Mapping, Label, [](uint64_t A, const Start &S) {
          return A < S.Address;
        });
    Starts.push_back(
        {Label, After == Mapping.begin() ? CodeKind : std::prev(After)->Kind});
  }
  llvm::stable_sort(Starts, [](const Start &A, const Start &B) {
    return A.Address < B.Address;
  });
  Starts.erase(std::unique(Starts.begin(), Starts.end(),
                           [](const Start &A, const Start &B) {
                             return A.Address == B.Address;
                           }),
               Starts.end());
}

const InstructionBoundaries::CodeBytes *
InstructionBoundaries::codeHolding(uint64_t Address) const {
  auto After =
      llvm::upper_bound(Code, Address, [](uint64_t A, const CodeBytes &C) {
        return A < C.Address;
      });
  if (After == Code.begin())
    return nullptr;
  const CodeBytes &Section = *std::prev(After);
  return Address - Section.Address < Section.Bytes.size() ? &Section : nullptr;
}

const InstructionBoundaries::Start *
InstructionBoundaries::startBefore(uint64_t Address) const {
  auto After =
      llvm::upper_bound(Starts, Address, [](uint64_t A, const Start &S) {
        return A < S.Address;
      });
  return After == Starts.begin() ? nullptr : &*std::prev(After);
}

/// The length of the instruction whose first halfword is First.
static unsigned instructionLength(uint16_t First, bool Thumb) {
  if (Thumb)
    return (First >> 11) >= 0x1d ? 4 : 2;
  return (First & 3) == 3 ? 4 : 2;
}

uint64_t InstructionBoundaries::instructionHolding(const Start &From,
                                                   const CodeBytes &Section,
                                                   uint64_t Address) {
  if (From.Kind == StartKind::Riscv || From.Kind == StartKind::A32)
    return From.Address + alignDown(Address - From.Address, 4);
  std::vector<uint64_t> &Instructions = Decoded[From.Address];
  if (Instructions.empty()) {
    // Decoded once, to the next start or the section's end.
    const Start *Next = &From + 1;
    uint64_t End = Section.Address + Section.Bytes.size();
    if (Next != Starts.data() + Starts.size())
      End = std::min(End, Next->Address);
    bool Thumb = From.Kind == StartKind::Thumb;
    for (uint64_t At = From.Address; At < End;) {
      Instructions.push_back(At);
      uint64_t Offset = At - Section.Address;
      if (Offset + 2 > Section.Bytes.size())
        break;
      At += instructionLength(
          support::endian::read16le(Section.Bytes.data() + Offset), Thumb);
    }
  }
  auto After = llvm::upper_bound(Instructions, Address);
  return After == Instructions.begin() ? From.Address : *std::prev(After);
}

PcPlace InstructionBoundaries::placeOf(uint64_t Address) {
  const CodeBytes *Section = codeHolding(Address);
  const Start *From = startBefore(Address);
  if (!Section || !From)
    return PcPlace::NotCode;
  if (From->Kind == StartKind::Data)
    return PcPlace::Data;
  return instructionHolding(*From, *Section, Address) == Address
             ? PcPlace::Instruction
             : PcPlace::InsideInstruction;
}

std::string InstructionBoundaries::describe(uint64_t Address) {
  std::string At = "0x" + utohexstr(Address);
  switch (placeOf(Address)) {
  case PcPlace::Instruction:
    return At + " (an instruction of " + Elf.describe(Address) + ")";
  case PcPlace::InsideInstruction:
    return At + " (inside the instruction at " +
           Elf.describe(instructionHolding(*startBefore(Address),
                                           *codeHolding(Address), Address)) +
           ")";
  case PcPlace::Data:
    return At + " (data within code, at " + Elf.describe(Address) + ")";
  case PcPlace::NotCode:
    break;
  }
  return At + " (in no code of the ELF)";
}

} // namespace ramfit
