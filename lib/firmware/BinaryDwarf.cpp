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
#include "llvm/Support/FileSystem.h"
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

/// GCC keeps a system header's declaration as DW_AT_decl_file even on the
/// definition (sqrtf: libc's math.h, where the firmware's own lib/libm
/// defines it). The line table's row at the function's entry says where its
/// code is: when that is its unit's own source, that is the definition.
std::optional<std::pair<std::string, unsigned>>
Binary::definitionInUnitSource(DWARFUnit &Unit, uint64_t Address,
                               StringRef DeclFile) const {
  SmallString<256> UnitSource(
      dwarf::toString(Unit.getUnitDIE().find(dwarf::DW_AT_name), ""));
  if (UnitSource.empty())
    return std::nullopt;
  sys::fs::make_absolute(Unit.getCompilationDir(), UnitSource);
  sys::path::remove_dots(UnitSource, /*remove_dot_dot=*/true);
  // Artificial code (a lambda's static invoker) declares nothing.
  if (DeclFile.empty() || UnitSource == DeclFile)
    return std::nullopt;
  // Rows are read only for such units: loading them all was most of the
  // time to read the DWARF.
  const DWARFDebugLine::LineTable *Table = Dwarf->getLineTableForUnit(&Unit);
  if (!Table)
    return std::nullopt;
  uint32_t Row =
      Table->lookupAddress({Address, object::SectionedAddress::UndefSection});
  if (Row == Table->UnknownRowIndex)
    return std::nullopt;
  std::string RowFile;
  if (!Table->getFileNameByIndex(
          Table->Rows[Row].File, Unit.getCompilationDir(),
          DILineInfoSpecifier::FileLineInfoKind::AbsoluteFilePath, RowFile))
    return std::nullopt;
  SmallString<256> Normalized(RowFile);
  sys::path::remove_dots(Normalized, /*remove_dot_dot=*/true);
  if (Normalized != UnitSource)
    return std::nullopt;
  return std::make_pair(UnitSource.str().str(), Table->Rows[Row].Line);
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
      for (const DWARFAddressRange &Range : *Ranges) {
        const FunctionInfo *Function = functionStartingAt(Range.LowPC);
        if (Function) {
          DWARFDie &Matched = Subprograms[Function - Functions.data()];
          if (!Matched.isValid())
            Matched = Die;
        } else if (Range.LowPC == 0 && Range.HighPC > 0) {
          // Code the link dropped: gdb still finds it at the addresses
          // from 0 on, and names it there.
          if (const char *Name = Die.getShortName()) {
            uint64_t &End = DroppedCodeEnd[Name];
            End = std::max(End, Range.HighPC);
          }
        }
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
    if (auto Definition =
            definitionInUnitSource(*Unit, Function.Address, Function.DeclFile))
      std::tie(Function.DeclFile, Function.DeclLine) = *Definition;
    if (const char *Name = Subprogram.getShortName())
      Function.DebugName = Name;
    if (!Function.DebugName.empty() && Function.DebugName != Function.Name &&
        Function.DebugName != Function.Parent)
      FunctionsByOtherName[Function.DebugName].push_back(I);
  }
}

/// Every inlined call in a function's code, with its address ranges and how
/// deep it is nested: built once per function, so that each sampled address
/// is a scan of a short list, not a walk of the DWARF.
const std::vector<Binary::InlinedCode> &
Binary::inlinedCodeOf(size_t FunctionIndex) const {
  auto [Known, New] = InlinedCodeOfFunction.try_emplace(FunctionIndex);
  if (!New)
    return Known->second;
  std::vector<InlinedCode> &Code = Known->second;
  const DWARFDie &Subprogram = Subprograms[FunctionIndex];
  DWARFUnit &Unit = *Subprogram.getDwarfUnit();
  // Depth first; lexical blocks pass through, nested subprograms (a C++
  // local class's methods) are functions of their own.
  SmallVector<std::pair<DWARFDie, unsigned>, 16> Pending;
  for (DWARFDie Child : Subprogram.children())
    Pending.push_back({Child, 0});
  while (!Pending.empty()) {
    auto [Die, Depth] = Pending.pop_back_val();
    dwarf::Tag Tag = Die.getTag();
    if (Tag == dwarf::DW_TAG_subprogram)
      continue;
    unsigned ChildDepth = Depth;
    if (Tag == dwarf::DW_TAG_inlined_subroutine) {
      Expected<DWARFAddressRangesVector> Ranges = Die.getAddressRanges();
      if (!Ranges) {
        consumeError(Ranges.takeError());
        continue;
      }
      auto [Frame, First] = InlinedFrameOfDie.try_emplace(Die.getOffset());
      if (First) {
        InlinedFrames.emplace_back();
        InlinedFrame &Made = InlinedFrames.back();
        if (const char *Name = Die.getShortName())
          Made.Name = Name;
        std::tie(Made.DeclFile, Made.DeclLine) = declLocation(Unit, Die);
        Frame->second = &Made;
      }
      for (const DWARFAddressRange &Range : *Ranges)
        Code.push_back({Range.LowPC, Range.HighPC, Depth, Frame->second});
      ChildDepth = Depth + 1;
    }
    for (DWARFDie Child : Die.children())
      Pending.push_back({Child, ChildDepth});
  }
  return Code;
}

SmallVector<const InlinedFrame *, 4> Binary::inlinedAt(uint64_t Address) const {
  SmallVector<const InlinedFrame *, 4> Frames;
  const FunctionInfo *Function = HasDebugInfo ? functionAt(Address) : nullptr;
  if (!Function || !Subprograms[Function - Functions.data()].isValid())
    return Frames;
  SmallVector<std::pair<unsigned, const InlinedFrame *>, 4> Found;
  for (const InlinedCode &Code : inlinedCodeOf(Function - Functions.data()))
    if (Code.Low <= Address && Address < Code.High)
      Found.push_back({Code.Depth, Code.Frame});
  // Innermost first; one call per depth, as gdb unwinds them.
  llvm::stable_sort(
      Found, [](const auto &A, const auto &B) { return A.first > B.first; });
  unsigned LastDepth = ~0u;
  for (const auto &[Depth, Frame] : Found)
    if (std::exchange(LastDepth, Depth) != Depth)
      Frames.push_back(Frame);
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

bool Binary::isDroppedCodeAt(StringRef Name, uint64_t Address) const {
  auto It = DroppedCodeEnd.find(Name);
  return It != DroppedCodeEnd.end() && Address < It->second;
}

} // namespace ramfit
