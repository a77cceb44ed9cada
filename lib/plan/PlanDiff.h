//===- PlanDiff.h - What changed from one plan to the next --------*- C++
//-*-===//
//
// Two plans compared unit by unit, as a reviewer reads a change to the plan
// committed in a tree: the units a new plan puts in RAM that the old one
// did not (added), those it takes back out (freed), those both hold (kept),
// and the bytes and samples that moved. A unit is its name and its file.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PLAN_PLANDIFF_H
#define RAMFIT_PLAN_PLANDIFF_H

#include "plan/Plan.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include <cstdint>
#include <string>
#include <vector>

namespace ramfit {

/// One unit in either plan or both; a size or count is 0 in a plan that
/// does not hold it.
struct UnitChange {
  std::string Name;
  std::string File;
  uint64_t OldSize = 0, NewSize = 0;
  double OldSamples = 0, NewSamples = 0;
};

/// One side of the comparison.
struct PlanSummary {
  std::string Path;
  uint64_t Budget = 0, Used = 0;
  double Covered = 0, Total = 0;
  std::string ElfSha256;
};

struct PlanDiff {
  PlanSummary Old, New;
  /// Each by samples, most first, then by name.
  std::vector<UnitChange> Added, Freed, Kept;
};

PlanDiff diffPlans(const Plan &Old, llvm::StringRef OldPath, const Plan &New,
                   llvm::StringRef NewPath);

/// The plans' totals, then the added and freed units, one a line, and the
/// kept ones in one line.
std::string planDiffToText(const PlanDiff &Diff);
/// The same, for scripts (docs/plan.md).
llvm::json::Value planDiffToJson(const PlanDiff &Diff);

} // namespace ramfit

#endif
