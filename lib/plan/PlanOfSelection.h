//===- PlanOfSelection.h - The plan file's content for a selection -*- C++
//-*-===//
//
// What 'plan' writes: the chosen units, the best that did not fit and the
// code in RAM it frees, each with why, and the hashes that tie the plan to
// the ELF and the samples it was made from.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PLAN_PLANOFSELECTION_H
#define RAMFIT_PLAN_PLANOFSELECTION_H

#include "firmware/Binary.h"
#include "plan/Plan.h"
#include "plan/Selector.h"
#include "plan/Units.h"
#include "profile/Profile.h"
#include "samples/Samples.h"

#include "llvm/ADT/ArrayRef.h"

namespace ramfit {

/// Samples taken in code already in RAM count as they would have in flash
/// in the plan's totals, and once in its 'taken' ones.
Plan planOfSelection(const Binary &Elf, const Profile &Profiled,
                     llvm::ArrayRef<SampleFile> Files,
                     llvm::ArrayRef<PlacementUnit> Units,
                     const SelectResult &Selected, uint64_t Budget);

} // namespace ramfit

#endif
