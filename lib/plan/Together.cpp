//===- Together.cpp - What units take in RAM together ---------------------===//

#include "plan/Together.h"
#include "firmware/Calls.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"
#include <set>

using namespace llvm;

namespace ramfit {

namespace {

/// A 'c.jal' reaches ±2 KiB: between units in RAM it stays one while all
/// of their code is that small.
constexpr uint64_t CompressedCallReach = 2048;
constexpr uint64_t VeneerAlignment = 8;

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
  return Unit.VeneerTargets.size() * Unit.VeneerBytes;
}

uint64_t codeBytes(ArrayRef<PlacementUnit> Units, ArrayRef<size_t> Chosen) {
  uint64_t Bytes = 0;
  for (size_t I : Chosen)
    for (const PlacementUnit::Piece &Piece : Units[I].Pieces)
      Bytes += Piece.Bytes;
  return Bytes;
}

/// What the calls out of Unit grow by with Chosen in RAM, and what Size
/// counted for them (each target far).
std::pair<uint64_t, uint64_t> callGrowth(const PlacementUnit &Unit,
                                         ArrayRef<PlacementUnit> Units,
                                         ArrayRef<size_t> Chosen,
                                         bool CompressedCallsReach) {
  uint64_t Together = 0, Alone = 0;
  for (const FarCall &Call : Unit.FarCalls) {
    Alone += Call.Growth;
    if (!inRam(Units, Chosen, Call.Target))
      Together += Call.Growth;
    else if (!CompressedCallsReach)
      Together += Call.GrowthToRam;
  }
  return {Together, Alone};
}

} // namespace

uint64_t veneerBytes(ArrayRef<PlacementUnit> Units) {
  uint64_t Bytes = 0;
  for (const PlacementUnit &Unit : Units)
    Bytes = std::max(Bytes, Unit.VeneerBytes);
  return Bytes;
}

uint64_t bytesTogether(ArrayRef<PlacementUnit> Units, ArrayRef<size_t> Chosen) {
  bool CompressedCallsReach = codeBytes(Units, Chosen) < CompressedCallReach;
  uint64_t Cursor = 0;
  std::set<uint64_t> Targets;
  for (size_t I : Chosen) {
    const PlacementUnit &Unit = Units[I];
    if (Unit.Pieces.empty()) {
      // A unit of a symbol's size: its Size, as the model sized it.
      Cursor += Unit.Size - ownVeneers(Unit);
    } else {
      uint64_t Growth =
          callGrowth(Unit, Units, Chosen, CompressedCallsReach).first;
      for (const PlacementUnit::Piece &Piece : Unit.Pieces) {
        Cursor = alignTo(Cursor, Piece.Alignment) + Piece.Bytes + Growth;
        Growth = 0; // counted once, with its own section
      }
    }
    for (uint64_t Target : Unit.VeneerTargets)
      if (!inRam(Units, Chosen, Target))
        Targets.insert(Target);
  }
  if (Targets.empty())
    return Cursor;
  // GNU ld puts the veneers in a stub section of their own, 8-aligned,
  // after the code that needs them.
  return alignTo(Cursor, VeneerAlignment) + Targets.size() * veneerBytes(Units);
}

std::vector<uint64_t> chargedSizes(ArrayRef<PlacementUnit> Units,
                                   ArrayRef<size_t> Chosen) {
  bool CompressedCallsReach = codeBytes(Units, Chosen) < CompressedCallReach;
  // Size counts every call as far; a call to a chosen unit grows less. A
  // unit of a symbol's size has its growth rounded as its Size was.
  auto WithoutOwnGrowth = [&](const PlacementUnit &Unit) {
    auto [Together, Alone] =
        callGrowth(Unit, Units, Chosen, CompressedCallsReach);
    if (Unit.Pieces.empty())
      return Unit.Size - ownVeneers(Unit) - alignTo(Alone, 4) +
             alignTo(Together, 4);
    return Unit.Size - ownVeneers(Unit) - Alone + Together;
  };
  // The veneers the chosen units pay for, each by the first that needs it.
  std::vector<uint64_t> Sizes(Units.size());
  std::set<uint64_t> Paid;
  std::vector<size_t> Ordered(Chosen.begin(), Chosen.end());
  llvm::sort(Ordered);
  for (size_t I : Ordered) {
    Sizes[I] = WithoutOwnGrowth(Units[I]);
    for (uint64_t Target : Units[I].VeneerTargets)
      if (!inRam(Units, Chosen, Target) && Paid.insert(Target).second)
        Sizes[I] += Units[I].VeneerBytes;
  }
  // Any other unit pays for the veneers the chosen ones do not have.
  for (size_t I = 0; I < Units.size(); ++I) {
    if (llvm::is_contained(Chosen, I))
      continue;
    Sizes[I] = WithoutOwnGrowth(Units[I]);
    for (uint64_t Target : Units[I].VeneerTargets)
      if (!Paid.count(Target) && !inRam(Units, Chosen, Target))
        Sizes[I] += Units[I].VeneerBytes;
  }
  return Sizes;
}

} // namespace ramfit
