//===- Veneers.h - Long-branch veneers, shared by the units in RAM -*- C++
//-*-===//
//
// GNU ld gives code in RAM one veneer per distinct far target, shared by
// every caller, and none for a target that is in RAM too. A unit's size
// alone counts a veneer for each of its targets, which over-counts a
// selection of units that call the same functions: the bytes a selection
// really takes are computed here, and the sizes to solve again with.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PLAN_VENEERS_H
#define RAMFIT_PLAN_VENEERS_H

#include "plan/Selector.h"

#include "llvm/ADT/ArrayRef.h"
#include <cstdint>
#include <vector>

namespace ramfit {

/// What Chosen (indices into Units) takes in RAM together: each unit
/// without its veneers, plus one veneer per distinct target outside them.
uint64_t bytesTogether(llvm::ArrayRef<PlacementUnit> Units,
                       llvm::ArrayRef<size_t> Chosen);

/// Each unit's size with Chosen in RAM: a veneer is charged to the first
/// unit of Chosen (in index order) that needs it, and no unit pays for a
/// target a chosen unit holds. Any other unit pays for the veneers the
/// chosen ones do not have: its cost of joining them. A selection made
/// with these sizes is checked with bytesTogether, as it may drop a unit
/// that paid for a veneer.
std::vector<uint64_t> chargedSizes(llvm::ArrayRef<PlacementUnit> Units,
                                   llvm::ArrayRef<size_t> Chosen);

} // namespace ramfit

#endif
