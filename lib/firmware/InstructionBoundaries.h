//===- InstructionBoundaries.h - Where the ELF's instructions start -*- C++
//-*-===//
//
// A sampled PC is where an instruction of the sampled build starts. When a
// PC falls inside an instruction of the ELF, in a literal pool, or outside
// its code, the samples were taken from another build: the instructions
// are found by decoding their lengths (RISC-V with or without compressed
// instructions, Thumb's 16- and 32-bit encodings, A32) from each function,
// symbol and mapping symbol on.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_FIRMWARE_INSTRUCTIONBOUNDARIES_H
#define RAMFIT_FIRMWARE_INSTRUCTIONBOUNDARIES_H

#include "firmware/Binary.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>
#include <vector>

namespace ramfit {

enum class PcPlace {
  /// Where an instruction starts.
  Instruction,
  /// Inside an instruction that starts before it.
  InsideInstruction,
  /// In data within code: an Arm literal pool ('$d').
  Data,
  /// In no executable section of the ELF.
  NotCode,
};

class InstructionBoundaries {
public:
  explicit InstructionBoundaries(const Binary &Elf);

  PcPlace placeOf(uint64_t Address);
  /// "inside the instruction at fir_filter+0x30", for messages.
  std::string describe(uint64_t Address);

private:
  /// Where decoding can start: code of a known kind begins there.
  enum class StartKind { Riscv, RiscvCompressed, Thumb, A32, Data };
  struct Start {
    uint64_t Address;
    StartKind Kind;
  };
  /// An executable section's bytes.
  struct CodeBytes {
    uint64_t Address;
    llvm::StringRef Bytes;
  };
  const CodeBytes *codeHolding(uint64_t Address) const;
  const Start *startBefore(uint64_t Address) const;
  /// The start of the instruction holding Address, decoding from From.
  uint64_t instructionHolding(const Start &From, const CodeBytes &Code,
                              uint64_t Address);

  const Binary &Elf;
  std::vector<CodeBytes> Code;
  /// Sorted by address.
  std::vector<Start> Starts;
  /// Per start decoded so far: the instruction starts from it, in order.
  llvm::DenseMap<uint64_t, std::vector<uint64_t>> Decoded;
};

} // namespace ramfit

#endif
