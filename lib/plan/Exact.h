//===- Exact.h - The best selection as the units are laid out ----*- C++
//-*-===//
//
// What a unit takes in RAM depends on what else is chosen: a RISC-V call
// to a unit in RAM too stays short, an Arm veneer is shared by every
// caller of its target. The knapsack's sizes are then not additive, and a
// selection solved with each unit's size alone can leave room another set
// fills. Branch and bound finds the best set under the sizes bytesTogether
// gives: each node solves the knapsack with every unit as small as the
// node's decisions allow (a bound on what any set under it covers), and a
// set that does not fit as laid out names a decision to branch on: a
// callee to take or leave, a veneer to pay for.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PLAN_EXACT_H
#define RAMFIT_PLAN_EXACT_H

#include "plan/Units.h"

#include "llvm/ADT/ArrayRef.h"
#include <cstdint>
#include <vector>

namespace ramfit {

struct TogetherProblem {
  llvm::ArrayRef<PlacementUnit> Units;
  /// Units in RAM whatever is chosen (--pin), first in the layout.
  llvm::ArrayRef<size_t> Pinned;
  /// Units that may be chosen, each with the value of choosing it.
  llvm::ArrayRef<size_t> Candidates;
  llvm::ArrayRef<double> Benefits;
  /// Positions in Candidates in the order the fragment lists them.
  llvm::ArrayRef<size_t> LayoutOrder;
  uint64_t Budget = 0;
};

/// Searches for a set of candidates (positions in Candidates) that covers
/// more than BestValue and fits as laid out, and replaces Best and
/// BestValue with the best one. Exact with three limits: a section more
/// aligned than the code around it counts the padding it may need in full
/// (Units.h), the search stops
/// after a bounded number of knapsack solutions (keeping the best found),
/// and with a budget of 2 KiB or more it bounds every call between units
/// in RAM as a 'jal', so a set of less than 2 KiB of code whose 'c.jal's
/// still reach may be missed.
void searchTogether(const TogetherProblem &Problem, std::vector<size_t> &Best,
                    double &BestValue);

} // namespace ramfit

#endif
