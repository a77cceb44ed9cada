#include "plan/Veneers.h"
#include "firmware/Calls.h"

#include "llvm/ADT/STLExtras.h"
#include <set>

using namespace llvm;

namespace ramfit {

namespace {

/// Whether a chosen unit's code holds Target: the call stays in RAM.
bool inRam(ArrayRef<PlacementUnit> Units, ArrayRef<size_t> Chosen,
           uint64_t Target) {
  return llvm::any_of(Chosen, [&](size_t I) {
    return llvm::any_of(Units[I].Code, [&](const AddressRange &Range) {
      return Range.contains(Target);
    });
  });
}

uint64_t ownVeneers(const PlacementUnit &Unit) {
  return Unit.VeneerTargets.size() * CallScanner::VeneerBytes;
}

} // namespace

uint64_t bytesTogether(ArrayRef<PlacementUnit> Units, ArrayRef<size_t> Chosen) {
  uint64_t Bytes = 0;
  std::set<uint64_t> Targets;
  for (size_t I : Chosen) {
    Bytes += Units[I].Size - ownVeneers(Units[I]);
    for (uint64_t Target : Units[I].VeneerTargets)
      if (!inRam(Units, Chosen, Target))
        Targets.insert(Target);
  }
  return Bytes + Targets.size() * CallScanner::VeneerBytes;
}

std::vector<uint64_t> chargedSizes(ArrayRef<PlacementUnit> Units,
                                   ArrayRef<size_t> Chosen) {
  // The veneers the chosen units pay for, each by the first that needs it.
  std::vector<uint64_t> Sizes(Units.size());
  std::set<uint64_t> Paid;
  std::vector<size_t> Ordered(Chosen.begin(), Chosen.end());
  llvm::sort(Ordered);
  for (size_t I : Ordered) {
    Sizes[I] = Units[I].Size - ownVeneers(Units[I]);
    for (uint64_t Target : Units[I].VeneerTargets)
      if (!inRam(Units, Chosen, Target) && Paid.insert(Target).second)
        Sizes[I] += CallScanner::VeneerBytes;
  }
  // Any other unit pays for the veneers the chosen ones do not have.
  for (size_t I = 0; I < Units.size(); ++I) {
    if (llvm::is_contained(Chosen, I))
      continue;
    Sizes[I] = Units[I].Size - ownVeneers(Units[I]);
    for (uint64_t Target : Units[I].VeneerTargets)
      if (!Paid.count(Target) && !inRam(Units, Chosen, Target))
        Sizes[I] += CallScanner::VeneerBytes;
  }
  return Sizes;
}

} // namespace ramfit
