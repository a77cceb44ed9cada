//===- PlacementCheck.h - Did the planned functions land in RAM? -*- C++
//-*-===//
//
// Placement systems fail silently: a pattern that matches nothing, an
// earlier '*(.text*)' rule that takes the section first, a function the
// compiler inlined away. The check reads the rebuilt ELF and says which
// planned function is where.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PLACEMENTCHECK_H
#define RAMFIT_PLACEMENTCHECK_H

#include "apply/FlashCalls.h"
#include "firmware/Binary.h"
#include "firmware/Calls.h"
#include "firmware/MemoryMap.h"
#include "plan/Plan.h"
#include "plan/Selector.h"

#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace ramfit {

/// What a unit was predicted to take in RAM and what the link gave it: its
/// functions, its clones and cold parts, and the padding after each.
struct LinkedSize {
  std::string Unit;
  uint64_t Predicted = 0;
  uint64_t Linked = 0;
};

struct CheckResult {
  unsigned InRam = 0;
  /// Calls from RAM into flash that are no error (without
  /// FlashCallsAreErrors): once per caller and callee.
  std::vector<FlashCall> FlashCalls;
  /// Per unit found in the region, in the plan's order.
  std::vector<LinkedSize> Sizes;
  /// The linker's long-branch veneers in the region, shared by the units.
  uint64_t VeneerBytes = 0;
  /// Functions in the region that are no planned unit's: what the script or
  /// the sources place besides the plan (code the plan frees among them),
  /// largest first.
  std::vector<LinkedSize> OtherCode;
  uint64_t otherCodeBytes() const;
  /// The plan's 'used': what it predicted the units take together (shared
  /// veneers, calls between them, padding as laid out); 0 when it says not.
  uint64_t PlannedTogether = 0;
  /// PlannedTogether, or else the units' own predictions added up.
  uint64_t predictedTotal() const;
  uint64_t linkedTotal() const;
  /// Errors fail the check; warnings do not.
  std::vector<Diagnostic> Findings;

  bool failed() const;
};

/// Errors: a planned function missing or outside Region, Region
/// overflowing, or the planned code taking more than the plan's budget.
/// Warnings: a planned function inlined away, and calls from RAM into flash,
/// which become errors with FlashCallsAreErrors.
CheckResult checkPlacement(const Plan &P, const Binary &Elf,
                           const MemoryRegion &Region, const CallScanner *Calls,
                           bool FlashCallsAreErrors);

/// What Unit took in Relinked, an ELF linked with the unit placed once (in
/// another output section than in Original): its functions, their cold
/// parts and clones, and the padding after each. None when the unit is not
/// placed there, or not found in both.
std::optional<uint64_t> measuredSize(const PlacementUnit &Unit,
                                     const Binary &Original,
                                     const Binary &Relinked);

/// checkPlacement with the calls found by disassembling Elf, and the code
/// that must run from RAM and the reset path's code checked
/// (apply/MustRunFromRamCheck.h); where that cannot be done, a warning
/// finding says that calls are not checked.
CheckResult checkElf(const Plan &P, const Binary &Elf,
                     const MemoryRegion &Region, bool FlashCallsAreErrors);

} // namespace ramfit

#endif
