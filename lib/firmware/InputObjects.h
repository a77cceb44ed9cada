//===- InputObjects.h - What the linked objects say the ELF does not -*- C++
//-*-===//
//
// The object files the link map names know two things the linked ELF no
// longer tells: each input section's alignment, which decides the padding
// ld puts between placed sections, and the jumps no linker stretches.
//
// Most references between functions stretch when one of them moves to RAM:
// a RISC-V 'call' is relaxed at link time and stays an 'auipc'+'jalr' pair
// when the target is far, an Arm 'bl' gets a veneer. Some do not: a
// hand-written 'jal x0, f' (R_RISCV_JAL), a conditional branch into another
// section, Thumb's short 'b' and 'cbz'. Moving one end to RAM and not the
// other ends the link with "relocation truncated to fit". The linked ELF
// no longer tells a relaxed call from such a jump, so the relocations are
// read from the object files the link map names.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_FIRMWARE_INPUTOBJECTS_H
#define RAMFIT_FIRMWARE_INPUTOBJECTS_H

#include "firmware/Binary.h"
#include "firmware/LinkerMap.h"
#include "support/Diagnostics.h"

#include <string>
#include <vector>

namespace ramfit {

struct ShortReference {
  /// Input sections of the map: the one whose code holds the reference,
  /// and the one it reaches.
  const InputSection *From = nullptr;
  const InputSection *To = nullptr;
  /// The symbol as the relocation names it, and its type ("R_RISCV_JAL").
  std::string Symbol;
  std::string Type;
  /// How far that type reaches, for the user: "±1 MiB".
  std::string Reach;
};

/// Reads the object files the map names (from the working directory, where
/// the link ran, else beside the map): sets each of their input sections'
/// Alignment in Map, and returns the references between different input
/// sections of a type no linker can stretch. Archive members (compiled
/// code, whose calls the linker relaxes) are not read and keep an unknown
/// alignment; a warning counts the objects that cannot be read.
std::vector<ShortReference> readInputObjects(LinkerMap &Map, const Binary &Elf,
                                             DiagnosticHandler Diag);

} // namespace ramfit

#endif
