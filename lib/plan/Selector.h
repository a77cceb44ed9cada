//===- Selector.h - What moves to RAM: units and an exact knapsack -*- C++
//-*-===//
//
// A placement unit is what the linker moves as one piece: a function's own
// input section under -ffunction-sections, or the whole .text of an object
// (libgcc's archive members). The selector picks the units that cover the
// most samples within the budget, exactly: 0/1 knapsack by dynamic
// programming over the capacity in alignment-sized steps.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_SELECTOR_H
#define RAMFIT_SELECTOR_H

#include "firmware/Calls.h"
#include "firmware/LinkerMap.h"
#include "plan/Knapsack.h"
#include "profile/Profile.h"

#include "llvm/ADT/AddressRanges.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/GlobPattern.h"
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
  /// Bytes it takes in RAM: the section rounded up to its alignment, plus the
  /// allowance for longer calls between RAM and flash.
  uint64_t Size = 0;
  /// The samples the knapsack weighs: as taken in flash. A placed unit's
  /// are RamSamples times the flash/RAM ratio, what they would have been.
  double Samples = 0;
  /// Already in RAM in this ELF (copied there at start-up, through
  /// '.itcm.*', '.ramtext' or a hand-written script line): the plan keeps it
  /// or frees it. Its Size is its size as linked.
  bool Placed = false;
  double RamSamples = 0;
  /// Where its code is now (its section and companions), and, on Arm, the
  /// far targets its veneers reach. Size counts a veneer for each; units
  /// chosen together share one per target (plan/Veneers.h).
  std::vector<llvm::AddressRange> Code;
  std::vector<uint64_t> VeneerTargets;
};

/// A --pin or --exclude glob, checked.
llvm::Expected<std::string> parseUnitPattern(llvm::StringRef Glob);

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
  /// Speedup of the profiled workload when Covered of Total samples run
  /// from RAM.
  double speedup(double Covered, double Total) const;
};

/// Units for every function that has self samples, and for all code the
/// ELF already runs from RAM, samples or not. With a map, sizes and
/// names are the linker's; without one, each function is a unit of its
/// symbol size. With Calls, the growth of calls out of a unit is counted
/// call site by call site; without, the model's flat allowance is added.
std::vector<PlacementUnit> buildUnits(const Profile &P, const Binary &Elf,
                                      const LinkerMap *Map,
                                      const CallScanner *Calls,
                                      const CostModel &Model);

/// --pin and --exclude globs against units.
class UnitMatcher {
public:
  static llvm::Expected<UnitMatcher> create(llvm::ArrayRef<std::string> Globs);
  /// A pattern names a unit by any function it carries or by its section.
  bool matches(const PlacementUnit &Unit) const;

private:
  std::vector<llvm::GlobPattern> Patterns;
};

struct SelectOptions {
  uint64_t Budget = 0;
  std::vector<std::string> Pins;
  std::vector<std::string> Excludes;
  double MinSamples = 0;
  size_t NextCount = 5;
  /// Keep every placed unit, as if pinned: for samples that cannot say
  /// what placed code would cost in flash (cycle profiles).
  bool KeepPlaced = false;
};

struct Choice {
  size_t Unit;
  std::string Why;
};

struct SelectResult {
  std::vector<Choice> Chosen;
  /// The best units left out, by density (none of them placed).
  std::vector<size_t> Next;
  /// Placed units the selection leaves out: their RAM is better used by
  /// others, or they are excluded.
  std::vector<size_t> Freed;
  uint64_t Bytes = 0;
  double Samples = 0;
  double GreedySamples = 0;
};

llvm::Expected<SelectResult> selectUnits(llvm::ArrayRef<PlacementUnit> Units,
                                         const SelectOptions &Options,
                                         const CostModel &Model);

/// Samples covered at one budget, by the exact optimum and by greedy
/// density, under the same pins and exclusions.
struct CoveragePoint {
  uint64_t Bytes = 0;
  double Optimal = 0;
  double Greedy = 0;
};

/// The coverage curve from no RAM to MaxBytes, at Points budgets.
llvm::Expected<std::vector<CoveragePoint>>
coverageCurve(llvm::ArrayRef<PlacementUnit> Units, const SelectOptions &Options,
              const CostModel &Model, uint64_t MaxBytes, size_t Points);

} // namespace ramfit

#endif
