//===- Knapsack.h - The 0/1 knapsack, exact and greedy -----------*- C++
//-*-===//
//
// The selection at the heart of a plan: items with a size and a value, a
// capacity, the most value that fits. Solved exactly by dynamic programming
// over the capacity in steps of the common alignment, after bounds have
// settled the items that are certainly in or out.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PLAN_KNAPSACK_H
#define RAMFIT_PLAN_KNAPSACK_H

#include "llvm/ADT/ArrayRef.h"
#include <cstdint>
#include <vector>

namespace ramfit {

struct Selection {
  std::vector<size_t> Chosen;
  uint64_t Bytes = 0;
  double Value = 0;
};

/// The exact optimum of the 0/1 knapsack. Sizes are multiples of Step.
/// BestByStep, when given, receives the optimum at every capacity 0, Step,
/// 2*Step ... up to Capacity or to what all items take together, whichever
/// is less (beyond it the optimum stays its last value), which the same
/// table holds anyway.
Selection solveKnapsack(llvm::ArrayRef<uint64_t> Sizes,
                        llvm::ArrayRef<double> Values, uint64_t Capacity,
                        uint64_t Step,
                        std::vector<double> *BestByStep = nullptr);

/// The largest step every size is a multiple of (their gcd; 1 for none):
/// the finest grid solveKnapsack needs.
uint64_t commonStep(llvm::ArrayRef<uint64_t> Sizes);

/// Best density first, skipping what does not fit: what a person would do.
Selection greedyByDensity(llvm::ArrayRef<uint64_t> Sizes,
                          llvm::ArrayRef<double> Values, uint64_t Capacity);

/// Item indices by value per byte, densest first; ties keep their order.
std::vector<size_t> byDensity(llvm::ArrayRef<uint64_t> Sizes,
                              llvm::ArrayRef<double> Values);

} // namespace ramfit

#endif
