//===- Units.cpp - What the linker moves as one piece, and its cost -------===//

#include "plan/Units.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include <cmath>
#include <numeric>

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
std::vector<FunctionProfile> unitFunctions(const Profile &P, const Binary &Elf,
                                           ArrayRef<FunctionInfo> Required) {
  std::vector<FunctionProfile> Rows;
  llvm::DenseSet<uint64_t> Sampled;
  for (const FunctionProfile &F : P.Functions)
    if (F.Self > 0) {
      Rows.push_back(F);
      Sampled.insert(F.Address);
    }
  auto WithoutSamples = [&](const FunctionInfo &F) {
    if (F.Size == 0 || !Sampled.insert(F.Address).second)
      return;
    Rows.push_back(profileRowOf(F));
  };
  for (const FunctionInfo &F : Elf.functions())
    if (Elf.isCopiedAtStartup(F.Address))
      WithoutSamples(F);
  for (const FunctionInfo &F : Required)
    WithoutSamples(F);
  return Rows;
}

/// What code in RAM is always a multiple of: every piece's size and
/// alignment and every call's growth are (2 with Thumb or RVC), so sections
/// laid out one after another start at multiples of it too.
uint64_t codeGranule(ArrayRef<PlacementUnit> Units) {
  uint64_t Granule = 0;
  for (const PlacementUnit &Unit : Units) {
    for (const PlacementUnit::Piece &Piece : Unit.Pieces)
      Granule = std::gcd(std::gcd(Granule, Piece.Bytes), Piece.Alignment);
    for (const FarCall &Call : Unit.FarCalls)
      Granule = std::gcd(std::gcd(Granule, Call.Growth), Call.GrowthToRam);
  }
  return Granule ? Granule : 1;
}

/// A unit with sections takes their bytes, the padding ld may put before
/// each (its alignment less the granule, at most), and the growth of its
/// calls with every target where it is. That bounds what it adds to any
/// layout, and is exact for code of one alignment (RISC-V's).
void sizeFromSections(std::vector<PlacementUnit> &Units, const CostModel &Model,
                      bool CallsScanned) {
  uint64_t Granule = codeGranule(Units);
  for (PlacementUnit &Unit : Units) {
    if (Unit.Pieces.empty())
      continue;
    Unit.Size = 0;
    for (const PlacementUnit::Piece &Piece : Unit.Pieces) {
      Unit.Size += Piece.Bytes;
      if (Piece.Alignment > Granule)
        Unit.Size += Piece.Alignment - Granule;
      if (!CallsScanned && !Unit.Placed)
        Unit.Size += Model.CallAllowance;
    }
    for (const FarCall &Call : Unit.FarCalls)
      Unit.Size += Call.Growth;
    Unit.Size += Unit.VeneerTargets.size() * Unit.VeneerBytes;
  }
}

} // namespace

std::vector<PlacementUnit> buildUnits(const Profile &P, const Binary &Elf,
                                      const LinkerMap *Map,
                                      const CallScanner *Calls,
                                      const CostModel &Model,
                                      ArrayRef<FunctionInfo> Required) {
  std::vector<PlacementUnit> Units;
  DenseMap<const InputSection *, size_t> UnitOfSection;
  // Without a map a unit is a symbol's size, rounded to the model's
  // alignment, plus the calls out of it as they grow.
  auto SymbolSize = [&](uint64_t Address, uint64_t Size) {
    if (Elf.isCopiedAtStartup(Address))
      return alignTo(Size, Model.Alignment);
    uint64_t Growth = Calls ? Calls->farCallGrowth(Address, Address + Size, {},
                                                   Model.Destination)
                            : Model.CallAllowance;
    return alignTo(Size, Model.Alignment) + alignTo(Growth, Model.Alignment);
  };
  // One veneer's size, the same for every unit (it reads the whole ELF).
  uint64_t VeneerBytes = Calls ? Calls->veneerBytes() : 0;
  auto PieceOf = [&](const InputSection &S) {
    return PlacementUnit::Piece{S.Size,
                                S.Alignment ? S.Alignment : Model.Alignment};
  };
  // Rows come sorted by self samples, so a unit is named after its hottest
  // function.
  for (const FunctionProfile &F : unitFunctions(P, Elf, Required)) {
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
    if (!Section)
      Unit.Size = SymbolSize(Unit.Address, MainSize);
    Unit.Code.emplace_back(Unit.Address, Unit.Address + MainSize);
    if (Section)
      Unit.Pieces.push_back(PieceOf(*Section));
    if (Companion) {
      Unit.Companions.push_back(Companion->Name);
      Unit.Code.push_back(CompanionRange.front());
      Unit.Pieces.push_back(PieceOf(*Companion));
    }
    if (Calls && !Placed) {
      Unit.VeneerBytes = VeneerBytes;
      Unit.VeneerTargets =
          Calls->veneerTargets(Unit.Address, Unit.Address + MainSize,
                               CompanionRange, Model.Destination);
      Unit.FarCalls = Calls->farCalls(Unit.Address, Unit.Address + MainSize,
                                      CompanionRange, Model.Destination);
      if (Companion) {
        llvm::append_range(Unit.FarCalls,
                           Calls->farCalls(Companion->Address,
                                           Companion->Address + Companion->Size,
                                           {Unit.Code.front()},
                                           Model.Destination));
        std::vector<uint64_t> Targets = Calls->veneerTargets(
            Companion->Address, Companion->Address + Companion->Size,
            {Unit.Code.front()}, Model.Destination);
        Targets.insert(Targets.end(), Unit.VeneerTargets.begin(),
                       Unit.VeneerTargets.end());
        llvm::sort(Targets);
        Targets.erase(std::unique(Targets.begin(), Targets.end()),
                      Targets.end());
        Unit.VeneerTargets = std::move(Targets);
      }
    }
    Units.push_back(std::move(Unit));
  }
  sizeFromSections(Units, Model, Calls != nullptr);
  return Units;
}

} // namespace ramfit
