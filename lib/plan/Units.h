//===- Units.h - What the linker moves as one piece, and its cost -*- C++
//-*-===//
//
// A placement unit is what the linker moves as one piece: a function's own
// input section under -ffunction-sections (with its cold part), or the
// whole .text of an object (libgcc's archive members). Each has a value
// (the samples it covers) and a cost in RAM: its sections, their alignment,
// and the calls out of it that grow once it runs far from their targets.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PLAN_UNITS_H
#define RAMFIT_PLAN_UNITS_H

#include "firmware/Calls.h"
#include "firmware/LinkerMap.h"
#include "profile/Profile.h"

#include "llvm/ADT/AddressRanges.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace ramfit {

struct PlacementUnit {
  /// The hottest function it carries, which names the unit.
  std::string Name;
  std::vector<std::string> Functions;
  /// The input section ("" when sizes come from symbols alone).
  std::string Section;
  /// Sections of the same object that must move with it: GCC's
  /// ".text.unlikely.f" holds f.cold, reached from ".text.f" by plain jumps
  /// that no linker can stretch across memories.
  std::vector<std::string> Companions;
  std::string Object;
  std::string File;
  unsigned Line = 0;
  uint64_t Address = 0;
  /// Bytes it takes in RAM, alone: its sections, the padding each may need
  /// (its alignment less the code's granule), and every call out of it and
  /// veneer grown as if its targets stayed in flash. Without a map, its
  /// symbol's size rounded to the model's alignment plus that growth.
  uint64_t Size = 0;
  /// The samples the knapsack weighs: as taken in flash. A placed unit's
  /// are RamSamples times the flash/RAM ratio, what they would have been.
  double Samples = 0;
  /// Already in RAM in this ELF (copied there at start-up, through
  /// '.itcm.*', '.ramtext' or a hand-written script line): the plan keeps it
  /// or frees it. Its Size is its size as linked.
  bool Placed = false;
  double RamSamples = 0;
  /// Why it must run from RAM whatever its samples (firmware/Closure.h):
  /// "isr -> usb_irq_handler, from the trap vector (mtvec, ...)"; empty
  /// for a unit that may stay in flash.
  std::string MustRunFromRam;
  /// Where its code is now (its section and companions), and, on Arm, the
  /// far targets its veneers reach. Size counts a veneer for each; units
  /// chosen together share one per target (plan/Together.h).
  std::vector<llvm::AddressRange> Code;
  std::vector<uint64_t> VeneerTargets;
  /// Bytes of one veneer (CallScanner::veneerBytes).
  uint64_t VeneerBytes = 0;
  /// Its input sections as the linker lays them out: its own, then its
  /// companions, each with its size and alignment (sh_addralign, or the
  /// model's when the object is not at hand). Empty for a unit of a
  /// symbol's size.
  struct Piece {
    uint64_t Bytes = 0;
    uint64_t Alignment = 0;
  };
  std::vector<Piece> Pieces;
  /// RISC-V: each call out of it and its growth, which Size counts as if
  /// every target stayed where it is; a call to a unit in RAM too grows
  /// less (plan/Together.h).
  std::vector<FarCall> FarCalls;
};

/// How many times slower flash is than RAM: a number of at least 1.
llvm::Expected<double> parseFlashRamRatio(llvm::StringRef Text);

struct CostModel {
  /// How much slower code runs from flash than from RAM.
  double FlashRamRatio = 8;
  uint64_t Alignment = 4;
  /// Bytes added per unit for calls that can no longer be relaxed
  /// (RISC-V) or need veneers (Arm) once caller and callee are far apart,
  /// when the code cannot be disassembled to count its call sites.
  uint64_t CallAllowance = 8;
  /// Where the planned code goes (the RAM region), when known: calls that
  /// still reach their targets from there do not grow as much.
  std::optional<llvm::AddressRange> Destination;

  double benefit(double Samples) const {
    return Samples * (1 - 1 / FlashRamRatio);
  }
};

/// Units for every function that has self samples, for all code the ELF
/// already runs from RAM, and for the Required code, samples or not. With a
/// map, sizes and names are the linker's; without one, each function is a unit
/// of its symbol size. With Calls, the growth of calls out of a unit is counted
/// call site by call site; without, the model's flat allowance is added.
std::vector<PlacementUnit>
buildUnits(const Profile &P, const Binary &Elf, const LinkerMap *Map,
           const CallScanner *Calls, const CostModel &Model,
           llvm::ArrayRef<FunctionInfo> Required = {});

} // namespace ramfit

#endif
