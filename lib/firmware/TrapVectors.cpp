//===- TrapVectors.cpp - Where RISC-V code sets its trap vector -----------===//
//
// Part of CallScanner (firmware/Calls.h): the trap vector is a register the
// start-up code writes, so it is found in the instructions that compute the
// value, not in any table.
//
//===----------------------------------------------------------------------===//

#include "firmware/Calls.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/MC/MCInst.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/MathExtras.h"

using namespace llvm;

namespace ramfit {

std::vector<TrapVectorWrite> CallScanner::trapVectorWrites() const {
  std::vector<TrapVectorWrite> Writes;
  if (IsArm)
    return Writes;
  constexpr int64_t MtvecNumber = 0x305, StvecNumber = 0x105;
  std::optional<uint64_t> GlobalPointer;
  for (const object::SymbolRef &Symbol : Elf->object().symbols()) {
    Expected<StringRef> Name = Symbol.getName();
    Expected<uint64_t> Value = Symbol.getValue();
    if (Name && Value && *Name == "__global_pointer$")
      GlobalPointer = *Value;
    if (!Name)
      consumeError(Name.takeError());
    if (!Value)
      consumeError(Value.takeError());
  }
  for (const object::SectionRef &Section : Elf->object().sections()) {
    if (!Section.isText() || !Section.getSize())
      continue;
    // What each register holds, where straight-line code computed it from
    // constants; any other write forgets it.
    DenseMap<unsigned, uint64_t> Known;
    forEachInstruction(
        Section.getAddress(), Section.getSize(),
        [&](const MCInst *Inst, uint64_t Address, uint64_t) {
          if (!Inst) {
            Known.clear();
            return true;
          }
          StringRef Name = InstrInfo->getName(Inst->getOpcode());
          auto Reg = [&](unsigned I) { return Inst->getOperand(I).getReg(); };
          auto Imm = [&](unsigned I) { return Inst->getOperand(I).getImm(); };
          auto IsRegImm = [&](unsigned R, unsigned I) {
            return Inst->getNumOperands() > std::max(R, I) &&
                   Inst->getOperand(R).isReg() && Inst->getOperand(I).isImm();
          };
          std::optional<uint64_t> Value;
          if ((Name == "AUIPC" || Name == "LUI" || Name == "C_LUI") &&
              IsRegImm(0, 1)) {
            int64_t High = SignExtend64<32>(uint64_t(Imm(1)) << 12);
            Value = (Name == "AUIPC" ? Address : 0) + High;
          } else if (Name == "ADDI" && IsRegImm(1, 2) && Known.count(Reg(1))) {
            Value = Known[Reg(1)] + Imm(2);
          } else if (Name == "ADDI" && IsRegImm(1, 2) && GlobalPointer &&
                     StringRef(RegisterInfo->getName(Reg(1))) == "X3") {
            // The linker relaxes 'la' near gp to 'addi rd, gp, offset'.
            Value = *GlobalPointer + Imm(2);
          } else if (Name == "C_ADDI" && IsRegImm(0, 2) &&
                     Known.count(Reg(0))) {
            Value = Known[Reg(0)] + Imm(2);
          } else if (Name == "CSRRW" && Inst->getNumOperands() == 3 &&
                     Inst->getOperand(1).isImm() &&
                     Inst->getOperand(2).isReg()) {
            int64_t Csr = Imm(1);
            auto Found = Known.find(Reg(2));
            if ((Csr == MtvecNumber || Csr == StvecNumber) &&
                Found != Known.end()) {
              uint64_t Vector = Found->second & ~uint64_t(3);
              if (Elf->addressBits() == 32)
                Vector &= 0xffffffffu;
              Writes.push_back(
                  {Address, Csr == MtvecNumber ? "mtvec" : "stvec", Vector});
            }
          }
          const MCInstrDesc &Desc = InstrInfo->get(Inst->getOpcode());
          if (Desc.getNumDefs() && Inst->getOperand(0).isReg()) {
            if (Value)
              Known[Reg(0)] = *Value;
            else
              Known.erase(Reg(0));
          }
          return true;
        });
  }
  return Writes;
}

} // namespace ramfit
