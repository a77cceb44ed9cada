#include "firmware/Calls.h"
#include "support/Diagnostics.h"

#include "llvm/MC/MCAsmInfo.h"
#include "llvm/MC/MCInst.h"
#include "llvm/MC/MCTargetOptions.h"
#include "llvm/MC/SubtargetFeature.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/TargetSelect.h"
#include <set>

using namespace llvm;

namespace ramfit {

namespace {
constexpr unsigned LongCallBytes = 8;
constexpr unsigned JalBytes = 4;
} // namespace

Expected<std::unique_ptr<CallScanner>> CallScanner::create(const Binary &Elf) {
  // Only the two architectures ramfit reads, so that a static build links
  // two disassemblers rather than every target's.
  LLVMInitializeRISCVTargetInfo();
  LLVMInitializeRISCVTargetMC();
  LLVMInitializeRISCVDisassembler();
  LLVMInitializeARMTargetInfo();
  LLVMInitializeARMTargetMC();
  LLVMInitializeARMDisassembler();

  const object::ObjectFile &Object = Elf.object();
  Triple TheTriple = Object.makeTriple();
  std::unique_ptr<CallScanner> Scanner(new CallScanner());
  Scanner->Elf = &Elf;
  Scanner->IsArm = TheTriple.isARM() || TheTriple.isThumb();
  // Cortex-M runs Thumb only; the ELF says "arm", with the architecture
  // its build attributes name ("armv6sm", "armv7em"), which decides
  // whether Thumb-2 is there.
  if (Scanner->IsArm) {
    StringRef Arch = TheTriple.getArchName();
    TheTriple.setArchName(Arch.consume_front("arm") && !Arch.empty()
                              ? ("thumb" + Arch).str()
                              : "thumbv7em");
  }
  std::string Message;
  const Target *TheTarget =
      TargetRegistry::lookupTarget(TheTriple.str(), Message);
  if (!TheTarget)
    return inputError(Elf.path(), "cannot disassemble: " + Message);
  Expected<SubtargetFeatures> Features = Object.getFeatures();
  if (!Features)
    return inputError(Elf.path(),
                      "cannot disassemble: " + toString(Features.takeError()));
  std::string TripleName = TheTriple.str();
  Scanner->RegisterInfo.reset(TheTarget->createMCRegInfo(TripleName));
  Scanner->AsmInfo.reset(TheTarget->createMCAsmInfo(
      *Scanner->RegisterInfo, TripleName, MCTargetOptions()));
  Scanner->SubtargetInfo.reset(
      TheTarget->createMCSubtargetInfo(TripleName, "", Features->getString()));
  Scanner->InstrInfo.reset(TheTarget->createMCInstrInfo());
  if (!Scanner->RegisterInfo || !Scanner->AsmInfo || !Scanner->SubtargetInfo ||
      !Scanner->InstrInfo)
    return inputError(Elf.path(), "cannot disassemble " + TripleName);
  Scanner->Context = std::make_unique<MCContext>(
      TheTriple, Scanner->AsmInfo.get(), Scanner->RegisterInfo.get(),
      Scanner->SubtargetInfo.get());
  Scanner->Disassembler.reset(TheTarget->createMCDisassembler(
      *Scanner->SubtargetInfo, *Scanner->Context));
  Scanner->Analysis.reset(
      TheTarget->createMCInstrAnalysis(Scanner->InstrInfo.get()));
  if (!Scanner->Disassembler || !Scanner->Analysis)
    return inputError(Elf.path(), "no disassembler for " + TripleName);
  return Scanner;
}

ArrayRef<uint8_t> CallScanner::bytesAt(uint64_t Address, uint64_t Size) const {
  for (const object::SectionRef &Section : Elf->object().sections()) {
    if (!Section.isText() || Address < Section.getAddress() ||
        Address + Size > Section.getAddress() + Section.getSize())
      continue;
    Expected<StringRef> Contents = Section.getContents();
    if (!Contents) {
      consumeError(Contents.takeError());
      return {};
    }
    return arrayRefFromStringRef(
        Contents->substr(Address - Section.getAddress(), Size));
  }
  return {};
}

/// RISC-V reaches beyond 'jal' with a pair: 'auipc rX, HI' then
/// 'jalr rd, LO(rX)' ('call' when rd is ra, 'tail' when rd is zero). LLVM
/// 16's analysis evaluates neither half alone, so the pair is read here.
std::optional<CallSite> CallScanner::farRiscvCall(const MCInst &Auipc,
                                                  uint64_t AuipcAddress,
                                                  const MCInst &Jalr) const {
  if (InstrInfo->getName(Auipc.getOpcode()) != "AUIPC" ||
      InstrInfo->getName(Jalr.getOpcode()) != "JALR" ||
      Auipc.getNumOperands() < 2 || Jalr.getNumOperands() < 3 ||
      !Auipc.getOperand(0).isReg() || !Jalr.getOperand(1).isReg() ||
      Auipc.getOperand(0).getReg() != Jalr.getOperand(1).getReg() ||
      !Auipc.getOperand(1).isImm() || !Jalr.getOperand(2).isImm())
    return std::nullopt;
  int64_t High = SignExtend64<32>(uint64_t(Auipc.getOperand(1).getImm()) << 12);
  int64_t Low = Jalr.getOperand(2).getImm();
  uint64_t Target = AuipcAddress + High + Low;
  if (Elf->addressBits() == 32)
    Target &= 0xffffffffu;
  return CallSite{AuipcAddress, 8, Target};
}

void CallScanner::forEachInstruction(uint64_t Address, uint64_t Size,
                                     InstructionVisitor Visit) const {
  ArrayRef<uint8_t> Code = bytesAt(Address, Size);
  // Both targets encode instructions in 2-byte steps; data in the code
  // (literal pools) decodes as junk or fails, and is stepped over.
  constexpr uint64_t Step = 2;
  for (uint64_t Offset = 0; Offset < Code.size();) {
    MCInst Inst;
    uint64_t Length = 0;
    uint64_t InstAddress = Address + Offset;
    bool Decoded = Disassembler->getInstruction(
                       Inst, Length, Code.slice(Offset), InstAddress,
                       nulls()) == MCDisassembler::Success &&
                   Length != 0;
    if (!Visit(Decoded ? &Inst : nullptr, InstAddress, Decoded ? Length : 0))
      return;
    Offset += Decoded ? Length : Step;
  }
}

std::optional<bool> CallScanner::indirectTransfer(const MCInst &Inst) const {
  StringRef Name = InstrInfo->getName(Inst.getOpcode());
  auto RegisterIs = [&](unsigned Operand, StringRef Wanted) {
    return Inst.getNumOperands() > Operand &&
           Inst.getOperand(Operand).isReg() &&
           StringRef(RegisterInfo->getName(
               Inst.getOperand(Operand).getReg())) == Wanted;
  };
  if (IsArm) {
    // 'blx r3' calls; 'bx r3' jumps ('bx lr' returns).
    if (Name == "tBLXr")
      return true;
    if (Name == "tBX" && !RegisterIs(0, "LR"))
      return false;
    return std::nullopt;
  }
  // A jump to ra, or to t0 (the link register of libgcc's millicode), that
  // does not link is a return, as the ISA's return-address hints read it.
  auto IsReturnRegister = [&](unsigned Operand) {
    return RegisterIs(Operand, "X1") || RegisterIs(Operand, "X5");
  };
  if (Name == "JALR" && !(RegisterIs(0, "X0") && IsReturnRegister(1)))
    return !RegisterIs(0, "X0");
  if (Name == "C_JR" && !IsReturnRegister(0))
    return false;
  if (Name == "C_JALR")
    return true;
  return std::nullopt;
}

std::vector<CallSite> CallScanner::callsIn(uint64_t Address,
                                           uint64_t Size) const {
  std::vector<CallSite> Calls;
  auto IsOutside = [&](uint64_t Target) {
    return Target < Address || Target >= Address + Size;
  };
  std::optional<MCInst> Previous;
  uint64_t PreviousAddress = 0;
  forEachInstruction(
      Address, Size,
      [&](const MCInst *Inst, uint64_t InstAddress, uint64_t Length) {
        if (!Inst) {
          Previous.reset();
          return true;
        }
        std::optional<CallSite> Pair;
        if (!IsArm && Previous)
          Pair = farRiscvCall(*Previous, PreviousAddress, *Inst);
        uint64_t Target;
        bool Evaluated =
            Analysis->evaluateBranch(*Inst, InstAddress, Length, Target);
        if (Pair) {
          // The 'auipc' half was not a call on its own.
          Calls.push_back(*Pair);
        } else if (std::optional<bool> Links = indirectTransfer(*Inst)) {
          Calls.push_back(
              {InstAddress, unsigned(Length), std::nullopt, *Links});
        } else if (Analysis->isCall(*Inst) && Evaluated) {
          Calls.push_back({InstAddress, unsigned(Length), Target});
        } else if (Analysis->isBranch(*Inst) && Evaluated &&
                   IsOutside(Target)) {
          // A jump out of the code is a tail call ('j', 'b.w', 'c.j').
          Calls.push_back({InstAddress, unsigned(Length), Target});
        }
        Previous = *Inst;
        PreviousAddress = InstAddress;
        return true;
      });
  return Calls;
}

std::optional<uint64_t> CallScanner::firstLoopEnd(uint64_t Address,
                                                  uint64_t Size) const {
  std::optional<uint64_t> End;
  forEachInstruction(
      Address, Size,
      [&](const MCInst *Inst, uint64_t InstAddress, uint64_t Length) {
        uint64_t Target;
        if (Inst && Analysis->isBranch(*Inst) && !Analysis->isCall(*Inst) &&
            Analysis->evaluateBranch(*Inst, InstAddress, Length, Target) &&
            Target >= Address && Target < InstAddress)
          End = InstAddress + Length;
        return !End;
      });
  return End;
}

namespace {

/// Whether a call to Target reaches it from every address of Destination.
bool reachesFromAll(uint64_t Target, const AddressRange &Destination,
                    uint64_t Reach) {
  auto Distance = [&](uint64_t From) {
    return From > Target ? From - Target : Target - From;
  };
  return Distance(Destination.start()) < Reach &&
         Distance(Destination.end()) < Reach;
}

/// Whether Target is code that moves to RAM with [Start, End).
bool movesAlong(uint64_t Target, uint64_t Start, uint64_t End,
                ArrayRef<AddressRange> MovingAlong) {
  return (Target >= Start && Target < End) ||
         llvm::any_of(MovingAlong, [&](const AddressRange &Range) {
           return Range.contains(Target);
         });
}

} // namespace

uint64_t CallScanner::veneerBytes() const {
  if (!IsArm)
    return 0;
  for (const FunctionInfo &F : Elf->functions())
    if (StringRef(F.Name).endswith("_veneer") && F.Size)
      return F.Size;
  const auto *Object = dyn_cast<object::ELFObjectFileBase>(&Elf->object());
  bool PositionIndependent = Object && Object->getEType() == ELF::ET_DYN;
  bool ExecuteOnly = llvm::any_of(
      Elf->object().sections(), [](const object::SectionRef &Section) {
        return object::ELFSectionRef(Section).getFlags() &
               ELF::SHF_ARM_PURECODE;
      });
  bool Thumb2 = SubtargetInfo->checkFeatures("+thumb2");
  if (PositionIndependent || !Thumb2)
    return 16;
  return ExecuteOnly ? 10 : 8;
}

uint64_t CallScanner::callReach() const {
  if (!IsArm)
    return 1 << 20;
  return SubtargetInfo->checkFeatures("+thumb2") ? 16 << 20 : 4 << 20;
}

std::vector<uint64_t>
CallScanner::veneerTargets(uint64_t Start, uint64_t End,
                           ArrayRef<AddressRange> MovingAlong,
                           std::optional<AddressRange> Destination) const {
  if (!IsArm)
    return {};
  std::set<uint64_t> Targets;
  for (const CallSite &Site : callsIn(Start, End - Start))
    if (Site.Target && !movesAlong(*Site.Target, Start, End, MovingAlong) &&
        !(Destination &&
          reachesFromAll(*Site.Target, *Destination, callReach())))
      Targets.insert(*Site.Target);
  return {Targets.begin(), Targets.end()};
}

std::vector<FarCall>
CallScanner::farCalls(uint64_t Start, uint64_t End,
                      ArrayRef<AddressRange> MovingAlong,
                      std::optional<AddressRange> Destination) const {
  std::vector<FarCall> Calls;
  if (IsArm)
    return Calls;
  for (const CallSite &Site : callsIn(Start, End - Start)) {
    if (!Site.Target || movesAlong(*Site.Target, Start, End, MovingAlong))
      continue;
    // A 'c.jal' reaches ±2 KiB only: moved, it becomes a 'jal' at best.
    uint64_t Becomes =
        Destination && reachesFromAll(*Site.Target, *Destination, callReach())
            ? JalBytes
            : LongCallBytes;
    FarCall Call{*Site.Target, 0, 0};
    if (Site.Length < Becomes)
      Call.Growth = Becomes - Site.Length;
    if (Site.Length < JalBytes)
      Call.GrowthToRam = JalBytes - Site.Length;
    Calls.push_back(Call);
  }
  return Calls;
}

std::vector<FarCall>
CallScanner::callsInto(uint64_t Start, uint64_t End,
                       ArrayRef<AddressRange> Moving,
                       std::optional<AddressRange> Destination) const {
  std::vector<FarCall> Calls;
  for (const CallSite &Site : callsIn(Start, End - Start)) {
    if (!Site.Target || !movesAlong(*Site.Target, 0, 0, Moving))
      continue;
    // The call stays where it is; its target is somewhere in Destination.
    bool Reaches =
        Destination && reachesFromAll(Site.Address, *Destination, callReach());
    if (IsArm) {
      if (!Reaches)
        Calls.push_back({*Site.Target, 0, 0});
      continue;
    }
    uint64_t Becomes = Reaches ? JalBytes : LongCallBytes;
    if (Site.Length < Becomes)
      Calls.push_back({*Site.Target, Becomes - Site.Length, 0});
  }
  return Calls;
}

uint64_t
CallScanner::farCallGrowth(uint64_t Start, uint64_t End,
                           ArrayRef<AddressRange> MovingAlong,
                           std::optional<AddressRange> Destination) const {
  if (IsArm)
    return veneerTargets(Start, End, MovingAlong, Destination).size() *
           veneerBytes();
  uint64_t Growth = 0;
  for (const FarCall &Call : farCalls(Start, End, MovingAlong, Destination))
    Growth += Call.Growth;
  return Growth;
}

} // namespace ramfit
