#include "plan/PlanOfSelection.h"
#include "profile/ProfileReport.h"

using namespace llvm;

namespace ramfit {

namespace {

PlannedUnit planned(const PlacementUnit &Unit, std::string Why) {
  PlannedUnit P;
  P.Name = Unit.Name;
  P.File = Unit.File;
  P.Line = Unit.Line;
  P.Size = Unit.Size;
  P.Self = Unit.Samples;
  P.Section = Unit.Section;
  P.Companions = Unit.Companions;
  P.Object = Unit.Object;
  P.Placed = Unit.Placed;
  P.Why = std::move(Why);
  return P;
}

/// Why a unit the ELF has in RAM is left out of the plan.
std::string whyFreed(const PlacementUnit &Unit) {
  if (Unit.Samples <= 0)
    return "freed: already in RAM, and it ran in none of the samples";
  return "freed: already in RAM, where it took " +
         formatCount(Unit.RamSamples) + " samples (" +
         formatCount(Unit.Samples) + " as in flash): its " +
         std::to_string(Unit.Size) +
         " bytes cover more in other units, or the options leave it out";
}

} // namespace

Plan planOfSelection(const Binary &Elf, const Profile &Profiled,
                     ArrayRef<SampleFile> Files, ArrayRef<PlacementUnit> Units,
                     const SelectResult &Selected, uint64_t Budget) {
  Plan P;
  P.ElfPath = Profiled.ElfPath;
  P.ElfSha256 = Elf.sha256();
  for (const SampleFile &File : Files)
    P.SampleFiles.push_back({File.Path, File.Sha256, File.Weight});
  P.Budget = Budget;
  P.Used = Selected.Bytes;
  // Samples taken in RAM count as they would have been in flash, so that
  // coverage and speedup compare against the firmware with all in flash.
  P.TotalSamples = Profiled.TotalSamples;
  for (const PlacementUnit &Unit : Units)
    if (Unit.Placed)
      P.TotalSamples += Unit.Samples - Unit.RamSamples;
  P.CoveredSamples = Selected.Samples;
  P.TakenTotal = Profiled.TotalSamples;
  P.ModelledCycles = Profiled.ModelledCycles;
  for (const Choice &C : Selected.Chosen) {
    const PlacementUnit &Unit = Units[C.Unit];
    P.TakenCovered += Unit.Placed ? Unit.RamSamples : Unit.Samples;
    P.Units.push_back(planned(Unit, C.Why));
  }
  for (size_t I : Selected.Next)
    P.Next.push_back(planned(Units[I], "did not fit"));
  for (size_t I : Selected.Freed)
    P.Free.push_back(planned(Units[I], whyFreed(Units[I])));
  return P;
}

} // namespace ramfit
