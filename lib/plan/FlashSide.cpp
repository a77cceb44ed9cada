//===- FlashSide.cpp - What moving code to RAM costs in flash -------------===//

#include "plan/FlashSide.h"

#include "llvm/ADT/STLExtras.h"
#include <set>

using namespace llvm;

namespace ramfit {

std::string FlashGrowth::describe() const {
  int64_t Total = total();
  std::string Text = Total < 0 ? "flash shrinks by " + std::to_string(-Total)
                               : "flash grows by " + std::to_string(Total);
  Text += " bytes: the image of the RAM code takes " +
          std::to_string(ImageBytes) + " where the moved code took " +
          std::to_string(MovedBytes);
  if (LongerCalls)
    Text += ", " + std::to_string(LongerCalls) +
            " calls into it from flash grow by " + std::to_string(CallBytes);
  if (Veneers)
    Text += ", " + std::to_string(Veneers) + " veneers in flash reach it (" +
            std::to_string(VeneerBytes) + ")";
  if (Freed)
    Text += "; not counted: the " + std::to_string(Freed) +
            " unit(s) it frees, which come back to flash";
  return Text;
}

FlashGrowth flashGrowth(const Binary &Elf, const CallScanner &Calls,
                        ArrayRef<PlacementUnit> Units, ArrayRef<size_t> Chosen,
                        uint64_t ImageBytes,
                        std::optional<AddressRange> Destination) {
  FlashGrowth Growth;
  Growth.ImageBytes = ImageBytes;
  std::vector<AddressRange> Moving;
  for (size_t I = 0; I < Units.size(); ++I)
    Growth.Freed += Units[I].Placed && !llvm::is_contained(Chosen, I);
  for (size_t I : Chosen) {
    // Code already in RAM took no flash but its image, which stays.
    if (Units[I].Placed) {
      Growth.ImageBytes -= std::min(Growth.ImageBytes, Units[I].Size);
      continue;
    }
    for (const AddressRange &Range : Units[I].Code) {
      Moving.push_back(Range);
      Growth.MovedBytes += Range.size();
    }
  }
  std::set<uint64_t> VeneerTargets;
  auto IsMoving = [&](uint64_t Address) {
    return llvm::any_of(Moving, [&](const AddressRange &Range) {
      return Range.contains(Address);
    });
  };
  for (const FunctionInfo &F : Elf.functions()) {
    if (!F.Size || IsMoving(F.Address) || Elf.isCopiedAtStartup(F.Address))
      continue;
    for (const FarCall &Call :
         Calls.callsInto(F.Address, F.end(), Moving, Destination)) {
      if (Call.Growth) {
        ++Growth.LongerCalls;
        Growth.CallBytes += Call.Growth;
      } else {
        VeneerTargets.insert(Call.Target);
      }
    }
  }
  Growth.Veneers = VeneerTargets.size();
  Growth.VeneerBytes = Growth.Veneers * Calls.veneerBytes();
  return Growth;
}

} // namespace ramfit
