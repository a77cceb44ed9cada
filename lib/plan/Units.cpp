//===- Units.cpp - What the linker moves as one piece, and its cost -------===//

#include "plan/Units.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include <cmath>

using namespace llvm;

namespace ramfit {

Expected<double> parseFlashRamRatio(StringRef Text) {
  double Ratio;
  if (Text.trim().getAsDouble(Ratio) || !(Ratio >= 1) || std::isinf(Ratio))
    return createStringError(inconvertibleErrorCode(),
                             "flash/RAM ratio '" + Text +
                                 "' is not a number of at least 1");
  return Ratio;
}

double CostModel::speedup(double Covered, double Total) const {
  if (Total <= 0)
    return 1;
  double Fraction = Covered / Total;
  return 1 / ((1 - Fraction) + Fraction / FlashRamRatio);
}

namespace {

/// ".text.f" and ".text.unlikely.f" of one object are halves of f.
std::string companionName(StringRef Section) {
  if (Section.consume_front(".text.unlikely."))
    return ".text." + Section.str();
  if (Section.consume_front(".text."))
    return ".text.unlikely." + Section.str();
  return "";
}

const InputSection *findSection(const LinkerMap &Map, StringRef Name,
                                StringRef Object) {
  for (const InputSection &S : Map.Sections)
    if (S.Name == Name && S.Object == Object)
      return &S;
  return nullptr;
}

} // namespace

namespace {

/// The profile's functions with samples, then the code already in RAM that
/// has none: a placed unit must be weighed even when nothing ran it.
std::vector<FunctionProfile> unitFunctions(const Profile &P,
                                           const Binary &Elf) {
  std::vector<FunctionProfile> Rows;
  llvm::DenseSet<uint64_t> Sampled;
  for (const FunctionProfile &F : P.Functions)
    if (F.Self > 0) {
      Rows.push_back(F);
      Sampled.insert(F.Address);
    }
  for (const FunctionInfo &F : Elf.functions()) {
    if (F.Size == 0 || !Elf.isCopiedAtStartup(F.Address) ||
        !Sampled.insert(F.Address).second)
      continue;
    FunctionProfile Row;
    Row.Name = F.Name;
    Row.File = F.DeclFile;
    Row.Line = F.DeclLine;
    Row.CompileUnit = F.CompileUnit;
    Row.Address = F.Address;
    Row.Size = F.Size;
    Rows.push_back(std::move(Row));
  }
  return Rows;
}

} // namespace

std::vector<PlacementUnit> buildUnits(const Profile &P, const Binary &Elf,
                                      const LinkerMap *Map,
                                      const CallScanner *Calls,
                                      const CostModel &Model) {
  std::vector<PlacementUnit> Units;
  DenseMap<const InputSection *, size_t> UnitOfSection;
  auto CodeSize = [&](uint64_t Address, uint64_t Size,
                      ArrayRef<AddressRange> MovingAlong) {
    // Code in RAM already has the longer calls it needs.
    if (Elf.isCopiedAtStartup(Address))
      return alignTo(Size, Model.Alignment);
    uint64_t Growth = Calls
                          ? Calls->farCallGrowth(Address, Address + Size,
                                                 MovingAlong, Model.Destination)
                          : Model.CallAllowance;
    return alignTo(Size, Model.Alignment) + alignTo(Growth, Model.Alignment);
  };
  auto PieceOf = [&](const InputSection &S) {
    return PlacementUnit::Piece{S.Size,
                                S.Alignment ? S.Alignment : Model.Alignment};
  };
  // Rows come sorted by self samples, so a unit is named after its hottest
  // function.
  for (const FunctionProfile &F : unitFunctions(P, Elf)) {
    bool Placed = Elf.isCopiedAtStartup(F.Address);
    // The samples of code in RAM, as they would have been in flash.
    double Samples = Placed ? F.Self * Model.FlashRamRatio : F.Self;
    const InputSection *Section = Map ? Map->sectionAt(F.Address) : nullptr;
    const InputSection *Companion = nullptr;
    if (Section) {
      Companion =
          findSection(*Map, companionName(Section->Name), Section->Object);
      auto Found = UnitOfSection.find(Section);
      if (Found == UnitOfSection.end() && Companion)
        Found = UnitOfSection.find(Companion);
      if (Found != UnitOfSection.end()) {
        PlacementUnit &Unit = Units[Found->second];
        Unit.Functions.push_back(F.Name);
        Unit.Samples += Samples;
        Unit.RamSamples += Placed ? F.Self : 0;
        continue;
      }
      UnitOfSection[Section] = Units.size();
      if (Companion)
        UnitOfSection[Companion] = Units.size();
    }
    PlacementUnit Unit;
    Unit.Name = F.Name;
    Unit.Functions = {F.Name};
    Unit.File = F.File;
    Unit.Line = F.Line;
    Unit.Samples = Samples;
    Unit.Placed = Placed;
    Unit.RamSamples = Placed ? F.Self : 0;
    Unit.Section = Section ? Section->Name : "";
    Unit.Object = Section ? Section->Object : F.CompileUnit;
    Unit.Address = Section ? Section->Address : F.Address;
    uint64_t MainSize = Section ? Section->Size : F.Size;
    std::vector<AddressRange> CompanionRange;
    if (Companion)
      CompanionRange.emplace_back(Companion->Address,
                                  Companion->Address + Companion->Size);
    Unit.Size = CodeSize(Unit.Address, MainSize, CompanionRange);
    Unit.Code.emplace_back(Unit.Address, Unit.Address + MainSize);
    if (Section)
      Unit.Pieces.push_back(PieceOf(*Section));
    if (Companion) {
      Unit.Companions.push_back(Companion->Name);
      Unit.Size += CodeSize(Companion->Address, Companion->Size, Unit.Code);
      Unit.Code.push_back(CompanionRange.front());
      Unit.Pieces.push_back(PieceOf(*Companion));
    }
    if (Calls && !Placed) {
      Unit.VeneerTargets =
          Calls->veneerTargets(Unit.Address, Unit.Address + MainSize,
                               CompanionRange, Model.Destination);
      Unit.FarCalls = Calls->farCalls(Unit.Address, Unit.Address + MainSize,
                                      CompanionRange, Model.Destination);
      if (Companion)
        llvm::append_range(Unit.FarCalls,
                           Calls->farCalls(Companion->Address,
                                           Companion->Address + Companion->Size,
                                           {Unit.Code.front()},
                                           Model.Destination));
    }
    Units.push_back(std::move(Unit));
  }
  return Units;
}

} // namespace ramfit
