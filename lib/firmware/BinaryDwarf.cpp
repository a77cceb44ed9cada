// Binary's DWARF: each function's subprogram, declaration and source file,
// and the inlined calls at an address. Kept apart from the symbol table,
// which is all a Binary needs when the ELF has no debug info.
#include "firmware/Binary.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/DebugInfo/DWARF/DWARFCompileUnit.h"
#include "llvm/DebugInfo/DWARF/DWARFDataExtractor.h"
#include "llvm/DebugInfo/DWARF/DWARFDebugAranges.h"
#include "llvm/DebugInfo/DWARF/DWARFDebugLine.h"
#include "llvm/DebugInfo/DWARF/DWARFObject.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace ramfit {

/// The header of a unit's line table, with its file names: the rows, which
/// nothing here needs, were most of the time to load the DWARF.
const DWARFDebugLine::Prologue *Binary::lineTableHeader(DWARFUnit &Unit) const {
  auto [Known, New] = LineTableHeaders.try_emplace(&Unit);
  if (!New)
    return Known->second.get();
  std::optional<uint64_t> Offset =
      dwarf::toSectionOffset(Unit.getUnitDIE().find(dwarf::DW_AT_stmt_list));
  if (!Offset)
    return nullptr;
  const DWARFObject &Object = Dwarf->getDWARFObj();
  DWARFDataExtractor Data(Object, Object.getLineSection(),
                          Dwarf->isLittleEndian(), Unit.getAddressByteSize());
  auto Keep = [this](Error Err) {
    DwarfProblems.push_back(toString(std::move(Err)));
  };
  auto Header = std::make_unique<DWARFDebugLine::Prologue>();
  if (Error Err = Header->parse(Data, &*Offset, Keep, *Dwarf, &Unit)) {
    Keep(std::move(Err));
    return nullptr;
  }
  Known->second = std::move(Header);
  return Known->second.get();
}

/// DW_AT_decl_file/line of a subprogram, following abstract origins. LLVM
/// 16's DWARFDie::getDeclFile() gives "" when GCC 12's DWARF 5 encodes the
/// file as DW_FORM_implicit_const, so the index is resolved here.
std::pair<std::string, unsigned>
Binary::declLocation(DWARFUnit &Unit, const DWARFDie &Die) const {
  std::pair<std::string, unsigned> Result;
  if (auto Line = Die.findRecursively(dwarf::DW_AT_decl_line))
    Result.second = Line->getAsUnsignedConstant().value_or(0);
  auto File = Die.findRecursively(dwarf::DW_AT_decl_file);
  if (!File)
    return Result;
  std::optional<uint64_t> Index = File->getAsUnsignedConstant();
  const DWARFDebugLine::Prologue *Table = lineTableHeader(Unit);
  if (Index && Table)
    Table->getFileNameByIndex(
        *Index, Unit.getCompilationDir(),
        DILineInfoSpecifier::FileLineInfoKind::AbsoluteFilePath, Result.first);
  SmallString<256> Normalized(Result.first);
  sys::path::remove_dots(Normalized, /*remove_dot_dot=*/true);
  Result.first = Normalized.str().str();
  return Result;
}

/// LLVM 16's address lookups dereference the DIE of every unit they meet,
/// so a unit without one (a bad abbreviation offset) would crash them;
/// such DWARF is not used at all.
bool Binary::debugInfoIsWhole(DiagnosticHandler Diag) const {
  for (const auto &Unit : Dwarf->compile_units()) {
    if (Unit->getUnitDIE(/*ExtractUnitDIEOnly=*/false))
      continue;
    warning(Diag, location(Path) + "the DWARF unit at offset 0x" +
                      utohexstr(Unit->getOffset()) +
                      " is malformed; source files and inlining are not shown");
    return false;
  }
  return true;
}

/// LLVM 16's getCompileUnitForAddress() falls back to a search of every
/// unit's variables, which crashes on malformed location lists; code
/// addresses need only the address ranges.
DWARFCompileUnit *Binary::codeUnitAt(uint64_t Address) const {
  uint64_t Offset = Dwarf->getDebugAranges()->findAddress(Address);
  if (Offset == -1ULL)
    return nullptr;
  return Dwarf->getCompileUnitForOffset(Offset);
}

const FunctionInfo *Binary::functionStartingAt(uint64_t Address) const {
  auto It = llvm::partition_point(
      Functions, [&](const FunctionInfo &F) { return F.Address < Address; });
  return It != Functions.end() && It->Address == Address ? &*It : nullptr;
}

/// A function's subprogram is the one with code starting where the
/// function's symbol does; a .cold part's second range starts at the .cold
/// symbol, so the part shares its parent's subprogram.
void Binary::matchSubprograms() {
  Subprograms.assign(Functions.size(), DWARFDie());
  for (const auto &Unit : Dwarf->compile_units())
    for (const DWARFDebugInfoEntry &Entry : Unit->dies()) {
      DWARFDie Die(Unit.get(), &Entry);
      if (Die.getTag() != dwarf::DW_TAG_subprogram)
        continue;
      Expected<DWARFAddressRangesVector> Ranges = Die.getAddressRanges();
      if (!Ranges) {
        consumeError(Ranges.takeError());
        continue;
      }
      for (const DWARFAddressRange &Range : *Ranges)
        if (const FunctionInfo *Function = functionStartingAt(Range.LowPC)) {
          DWARFDie &Matched = Subprograms[Function - Functions.data()];
          if (!Matched.isValid())
            Matched = Die;
        }
    }
}

void Binary::readDebugInfo(DiagnosticHandler Diag) {
  // The context parses lazily and outlives Diag, so its complaints are
  // kept and those of the parsing done here are passed on.
  auto Keep = [this](Error Err) {
    DwarfProblems.push_back(toString(std::move(Err)));
  };
  Dwarf = DWARFContext::create(
      *Object, DWARFContext::ProcessDebugRelocations::Ignore, nullptr, "", Keep,
      [](Error Err) { consumeError(std::move(Err)); });
  HasDebugInfo = Dwarf->getNumCompileUnits() > 0 && debugInfoIsWhole(Diag);
  auto ReportProblems = make_scope_exit([&] {
    // One is enough to say the DWARF is damaged; the rest repeat it.
    if (!DwarfProblems.empty())
      warning(Diag, location(Path) + "malformed DWARF (" +
                        Twine(DwarfProblems.size()) +
                        " problem(s)), the first: " + DwarfProblems.front());
    DwarfProblems.clear();
  });
  if (!HasDebugInfo)
    return;
  matchSubprograms();
  for (size_t I = 0; I < Functions.size(); ++I) {
    FunctionInfo &Function = Functions[I];
    const DWARFDie &Subprogram = Subprograms[I];
    // Assembly has line tables but no subprograms: its unit still names
    // the file.
    DWARFUnit *Unit = Subprogram.isValid() ? Subprogram.getDwarfUnit()
                                           : codeUnitAt(Function.Address);
    if (!Unit)
      continue;
    Function.CompileUnit =
        dwarf::toString(Unit->getUnitDIE().find(dwarf::DW_AT_name), "");
    if (!Subprogram.isValid())
      continue;
    std::tie(Function.DeclFile, Function.DeclLine) =
        declLocation(*Unit, Subprogram);
    if (const char *Name = Subprogram.getShortName())
      Function.DebugName = Name;
    if (!Function.DebugName.empty() && Function.DebugName != Function.Name &&
        Function.DebugName != Function.Parent)
      FunctionsByOtherName[Function.DebugName].push_back(I);
  }
}

std::vector<InlinedFrame> Binary::inlinedAt(uint64_t Address) const {
  std::vector<InlinedFrame> Frames;
  const FunctionInfo *Function = HasDebugInfo ? functionAt(Address) : nullptr;
  if (!Function)
    return Frames;
  const DWARFDie &Subprogram = Subprograms[Function - Functions.data()];
  if (!Subprogram.isValid())
    return Frames;
  DWARFUnit *Unit = Subprogram.getDwarfUnit();
  SmallVector<DWARFDie, 4> Chain;
  Unit->getInlinedChainForAddress(Address, Chain);
  // The last DIE of the chain is the out-of-line subprogram itself; a
  // chain that ends elsewhere is dead code's DWARF over live code.
  if (Chain.empty() || !(Chain.back() == Subprogram))
    return Frames;
  for (size_t I = 0; I + 1 < Chain.size(); ++I) {
    InlinedFrame Frame;
    if (const char *Name = Chain[I].getShortName())
      Frame.Name = Name;
    // One inlined call is met at every address of its code.
    auto [Known, New] = InlinedDeclLocations.try_emplace(Chain[I].getOffset());
    if (New)
      Known->second = declLocation(*Unit, Chain[I]);
    std::tie(Frame.DeclFile, Frame.DeclLine) = Known->second;
    Frames.push_back(std::move(Frame));
  }
  return Frames;
}

bool Binary::isInlinedOnly(StringRef Name) const {
  if (!HasDebugInfo || !functionsNamed(Name).empty())
    return false;
  for (const auto &Unit : Dwarf->compile_units())
    for (const DWARFDebugInfoEntry &Entry : Unit->dies()) {
      DWARFDie Die(Unit.get(), &Entry);
      if (Die.getTag() == dwarf::DW_TAG_subprogram &&
          Die.find(dwarf::DW_AT_inline) && Name == Die.getShortName())
        return true;
    }
  return false;
}

} // namespace ramfit
