//===- Selector.h - What moves to RAM: an exact knapsack over units -*- C++
//-*-===//
//
// The selector picks the placement units (plan/Units.h) that cover the
// most samples within the budget, exactly: 0/1 knapsack by dynamic
// programming over the capacity in alignment-sized steps, under --pin,
// --exclude and --min-samples.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_SELECTOR_H
#define RAMFIT_SELECTOR_H

#include "plan/Knapsack.h"
#include "plan/Units.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/GlobPattern.h"
#include <string>
#include <vector>

namespace ramfit {

/// A --pin or --exclude glob, checked.
llvm::Expected<std::string> parseUnitPattern(llvm::StringRef Glob);

/// --pin and --exclude globs against units.
class UnitMatcher {
public:
  static llvm::Expected<UnitMatcher> create(llvm::ArrayRef<std::string> Globs);
  /// A pattern names a unit by any function it carries or by its section.
  bool matches(const PlacementUnit &Unit) const;

private:
  std::vector<llvm::GlobPattern> Patterns;
};

/// A --pin or --exclude that matches no unit, no function of Elf and no
/// section (of Map, or else of Elf) is a mistake: an error naming it.
llvm::Error checkPatternsMatch(llvm::ArrayRef<PlacementUnit> Units,
                               const Binary &Elf, const LinkerMap *Map,
                               llvm::ArrayRef<std::string> Pins,
                               llvm::ArrayRef<std::string> Excludes);

/// The functions of Elf whose names Pins match, so that a pinned function
/// without samples still has a unit to place.
std::vector<FunctionInfo>
functionsPinnedByName(const Binary &Elf, llvm::ArrayRef<std::string> Pins);

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

  /// The chosen units' indices, in the plan's order.
  std::vector<size_t> chosenUnits() const;
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
              uint64_t MaxBytes, size_t Points);

} // namespace ramfit

#endif
