//===- Together.h - What units take in RAM together -------------*- C++ -*-===//
//
// A unit's Size is what it takes alone, and a safe bound: every call out of
// it grows, every veneer is its own, every section is padded to the
// model's alignment. Chosen together, units take less: GNU ld gives code in
// RAM one veneer per distinct far target, shared by every caller, and none
// for a target in RAM too; a RISC-V call to a unit in RAM too stays short;
// and sections are padded only as far as their own alignment asks, in the
// order the fragment lists them. The bytes a selection really takes are
// computed here, and the sizes to solve again with.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PLAN_TOGETHER_H
#define RAMFIT_PLAN_TOGETHER_H

#include "plan/Units.h"

#include "llvm/ADT/ArrayRef.h"
#include <cstdint>
#include <vector>

namespace ramfit {

/// Bytes of one veneer: every unit that needs one has the same.
uint64_t veneerBytes(llvm::ArrayRef<PlacementUnit> Units);

/// What Chosen (indices into Units, in the order the fragment lists them)
/// takes in RAM together: the units laid out one after the other, each
/// section at its alignment, each call grown as far as its target (in RAM
/// or not) makes it, plus one veneer per distinct target outside them.
uint64_t bytesTogether(llvm::ArrayRef<PlacementUnit> Units,
                       llvm::ArrayRef<size_t> Chosen);

/// Each unit's size with Chosen in RAM: a veneer is charged to the first
/// unit of Chosen (in index order) that needs it, no unit pays for a
/// target a chosen unit holds, and calls to chosen units grow as calls
/// within RAM. Any other unit pays for the veneers the chosen ones do not
/// have: its cost of joining them. A selection made with these sizes is
/// checked with bytesTogether, as it may drop a unit that paid for a
/// veneer.
std::vector<uint64_t> chargedSizes(llvm::ArrayRef<PlacementUnit> Units,
                                   llvm::ArrayRef<size_t> Chosen);

} // namespace ramfit

#endif
