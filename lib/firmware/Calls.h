//===- Calls.h - The calls a piece of machine code makes --------*- C++ -*-===//
//
// Found by disassembling the ELF's code with LLVM's MC layer. They matter
// twice: a call between code in RAM and code in flash grows (RISC-V loses
// its relaxed 'jal', Arm needs a veneer), and code that must run while the
// flash is busy must not call into flash at all.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_CALLS_H
#define RAMFIT_CALLS_H

#include "firmware/Binary.h"

#include "llvm/ADT/AddressRanges.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/MC/MCAsmInfo.h"
#include "llvm/MC/MCContext.h"
#include "llvm/MC/MCDisassembler/MCDisassembler.h"
#include "llvm/MC/MCInst.h"
#include "llvm/MC/MCInstrAnalysis.h"
#include "llvm/MC/MCInstrInfo.h"
#include "llvm/MC/MCRegisterInfo.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ramfit {

struct CallSite {
  uint64_t Address = 0;
  unsigned Length = 0;
  /// None for an indirect call (through a register).
  std::optional<uint64_t> Target;
  /// Whether it links (a call), or jumps ('jr a5', 'bx r3': a tail call,
  /// or a switch's jump table).
  bool Links = true;
};

/// A direct call out of code that moves to RAM, and the bytes it grows by
/// there: when its target stays where it is (Growth), and when the target
/// moves to RAM too (GrowthToRam: a 'c.jal' that no longer reaches, 2).
struct FarCall {
  uint64_t Target = 0;
  uint64_t Growth = 0;
  uint64_t GrowthToRam = 0;
};

/// RISC-V: an instruction that sets the trap vector ('csrw mtvec, t0'
/// after 'la t0, trap_entry'), and the code the vector then points to.
struct TrapVectorWrite {
  uint64_t At = 0;
  /// "mtvec" or "stvec".
  std::string Register;
  /// The vector's base, its mode bits cleared.
  uint64_t Vector = 0;
};

class CallScanner {
public:
  /// Fails when LLVM has no disassembler for the ELF's architecture.
  static llvm::Expected<std::unique_ptr<CallScanner>> create(const Binary &Elf);

  /// Every call in [Address, Address + Size): call instructions, RISC-V's
  /// 'auipc'+'jalr' pairs (one site of 8 bytes), jumps to code outside
  /// the range (tail calls), and calls and jumps through a register, with
  /// no target (a switch's jump table among them).
  std::vector<CallSite> callsIn(uint64_t Address, uint64_t Size) const;

  /// Arm: the distinct targets of the direct calls out of [Start, End) and
  /// out of MovingAlong, each of which needs a long-branch veneer once the
  /// code is far from them. Empty for RISC-V, whose longer calls are not
  /// shared.
  /// Destination, when known, is where the code will be: a target a 'bl'
  /// reaches from all of it needs no veneer.
  std::vector<uint64_t>
  veneerTargets(uint64_t Start, uint64_t End,
                llvm::ArrayRef<llvm::AddressRange> MovingAlong = {},
                std::optional<llvm::AddressRange> Destination = {}) const;
  /// Bytes of one of GNU ld's long-branch veneers here, as the ELF's own
  /// veneers measure, or else for its architecture: 8 with Thumb-2
  /// ('ldr.w pc' and the address), 10 for execute-only code (movw, movt,
  /// bx), 16 on v6-M and for position-independent output. 0 on RISC-V.
  uint64_t veneerBytes() const;

  /// The end of the first loop in [Address, Address + Size): just past its
  /// first backward branch; none when the code has no loop.
  std::optional<uint64_t> firstLoopEnd(uint64_t Address, uint64_t Size) const;

  /// Bytes the code in [Start, End) grows by when it moves to Destination:
  /// RISC-V rewrites a relaxed call as 'jal' (4 bytes) where the target is
  /// within its ±1 MiB of all of Destination, else as 'auipc' + 'jalr' (8
  /// bytes); Arm adds a veneer (veneerBytes) per target a 'bl' no longer
  /// reaches. With no Destination, every call is taken as far. Calls into
  /// MovingAlong (code that moves with it, as a cold part) stay near.
  uint64_t
  farCallGrowth(uint64_t Start, uint64_t End,
                llvm::ArrayRef<llvm::AddressRange> MovingAlong = {},
                std::optional<llvm::AddressRange> Destination = {}) const;

  /// The calls farCallGrowth counts, each with its growth. RISC-V only:
  /// Arm's growth is its veneers, shared by target (veneerTargets).
  std::vector<FarCall>
  farCalls(uint64_t Start, uint64_t End,
           llvm::ArrayRef<llvm::AddressRange> MovingAlong = {},
           std::optional<llvm::AddressRange> Destination = {}) const;

  /// The calls from [Start, End), code that stays in flash, into Moving,
  /// code that moves to Destination, each with what it grows by there
  /// (RISC-V, as farCalls) or, on Arm, with Growth 0 when a veneer in
  /// flash must reach it. Calls a 'bl' or 'jal' still makes are left out.
  std::vector<FarCall>
  callsInto(uint64_t Start, uint64_t End,
            llvm::ArrayRef<llvm::AddressRange> Moving,
            std::optional<llvm::AddressRange> Destination) const;

  /// RISC-V: every write of mtvec or stvec in the ELF's code whose value
  /// the instructions just before it compute from constants ('la', 'lui'
  /// with 'addi'). Empty on Arm.
  std::vector<TrapVectorWrite> trapVectorWrites() const;

  /// How far a direct call reaches either way: RISC-V 'jal' ±1 MiB, Thumb-2
  /// 'bl' ±16 MiB, and ±4 MiB for older Thumb.
  uint64_t callReach() const;

private:
  CallScanner() = default;
  llvm::ArrayRef<uint8_t> bytesAt(uint64_t Address, uint64_t Size) const;
  /// Visits each instruction of [Address, Address + Size) in order: null
  /// for bytes that decode to none; returning false stops.
  using InstructionVisitor = llvm::function_ref<bool(
      const llvm::MCInst *Inst, uint64_t Address, uint64_t Length)>;
  void forEachInstruction(uint64_t Address, uint64_t Size,
                          InstructionVisitor Visit) const;
  /// For a call or jump to an address in a register, not a return ('jalr
  /// a5', 'jr a5', 'blx r3', 'bx r3'): whether it links. None for any other
  /// instruction.
  std::optional<bool> indirectTransfer(const llvm::MCInst &Inst) const;
  std::optional<CallSite> farRiscvCall(const llvm::MCInst &Auipc,
                                       uint64_t AuipcAddress,
                                       const llvm::MCInst &Jalr) const;

  const Binary *Elf = nullptr;
  bool IsArm = false;
  std::unique_ptr<const llvm::MCRegisterInfo> RegisterInfo;
  std::unique_ptr<const llvm::MCAsmInfo> AsmInfo;
  std::unique_ptr<const llvm::MCSubtargetInfo> SubtargetInfo;
  std::unique_ptr<const llvm::MCInstrInfo> InstrInfo;
  std::unique_ptr<llvm::MCContext> Context;
  std::unique_ptr<const llvm::MCDisassembler> Disassembler;
  std::unique_ptr<const llvm::MCInstrAnalysis> Analysis;
};

} // namespace ramfit

#endif
