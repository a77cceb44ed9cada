#include "apply/SplitParts.h"
#include "firmware/Binary.h"
#include "support/Output.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace llvm;

namespace ramfit {

StringRef sourceName(StringRef UnitName) { return UnitName.split('.').first; }

static bool isSplitOff(StringRef Name) {
  return Name.contains(".part.") || Name.endswith(".cold");
}

static bool isPlanned(StringRef Name, const Plan &P) {
  return llvm::any_of(P.Units,
                      [&](const PlannedUnit &U) { return U.Name == Name; });
}

Expected<SplitOffParts> readSplitOffParts(StringRef ElfPath,
                                          DiagnosticHandler Diag) {
  Expected<std::unique_ptr<MemoryBuffer>> Buffer = readInputFile(ElfPath);
  if (!Buffer)
    return Buffer.takeError();
  // The symbol table names the parts; DWARF adds nothing here.
  Expected<std::unique_ptr<Binary>> Elf = Binary::fromBuffer(
      std::move(*Buffer), Diag, Binary::DebugInfoUse::Ignore);
  if (!Elf)
    return Elf.takeError();
  SplitOffParts Parts;
  for (const FunctionInfo &F : (*Elf)->functions())
    if (!F.Parent.empty() && isSplitOff(F.Name))
      Parts[F.Parent].push_back({F.Name, F.Size});
  return Parts;
}

std::optional<std::string> splitOffAlone(const PlannedUnit &Unit,
                                         const Plan &P) {
  StringRef Name = Unit.Name;
  if (!isSplitOff(Name))
    return std::nullopt;
  StringRef Parent = sourceName(Name);
  if (isPlanned(Parent, P))
    return std::nullopt;
  return "GCC split it off " + Parent.str() +
         ", which an annotation would move whole (GCC splits no function "
         "that has a section of its own), more than the plan counted";
}

std::optional<std::string> foldsBackParts(const PlannedUnit &Unit,
                                          const Plan &P,
                                          const SplitOffParts &Parts) {
  if (isSplitOff(Unit.Name))
    return std::nullopt;
  auto Found = Parts.find(sourceName(Unit.Name).str());
  if (Found == Parts.end())
    return std::nullopt;
  std::string Names;
  uint64_t Grows = 0;
  for (const SplitOffPart &Part : Found->second) {
    if (isPlanned(Part.Name, P))
      continue;
    Names += (Names.empty() ? "" : ", ") + Part.Name + " (" +
             std::to_string(Part.Size) + " bytes)";
    Grows += Part.Size;
  }
  if (!Grows)
    return std::nullopt;
  return "an annotation would fold GCC's split-off " + Names +
         " back into it (GCC splits no function that has a section of its "
         "own): about " +
         std::to_string(Unit.Size + Grows) + " bytes where the plan counted " +
         std::to_string(Unit.Size) + "; the fragment moves it alone";
}

} // namespace ramfit
