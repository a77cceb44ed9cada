//===- Binary.h - Functions of a firmware ELF, from symbols and DWARF -*- C++
//-*-===//
//
// What ramfit needs to know about the firmware: every out-of-line function
// (what can move to RAM), where it was defined, which section holds it, and
// which functions were inlined at a given address.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_BINARY_H
#define RAMFIT_BINARY_H

#include "support/Diagnostics.h"

#include "llvm/ADT/AddressRanges.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/DebugInfo/DWARF/DWARFContext.h"
#include "llvm/DebugInfo/DWARF/DWARFDebugLine.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ramfit {

struct FunctionInfo {
  std::string Name;
  uint64_t Address = 0;
  uint64_t Size = 0;
  bool IsLocal = false;
  /// The output section of the ELF that holds the code.
  std::string OutputSection;
  /// The source file of its translation unit (DWARF's compile unit, or the
  /// STT_FILE symbol); tells same-named static functions apart.
  std::string CompileUnit;
  /// Where it was defined (DW_AT_decl_file/line); empty without DWARF.
  std::string DeclFile;
  unsigned DeclLine = 0;
  /// For GCC clones and split parts ("f.part.0", "f.cold"): "f".
  std::string Parent;
  /// The name DWARF gives it, which is what gdb prints: a clone's is the
  /// name of the function it was cloned from. Empty without DWARF.
  std::string DebugName;
  /// A C++ function's names as people read them: "dsp::Filter::step(long)",
  /// and without the parameters, as gdb's frames name it:
  /// "dsp::Filter::step". Empty for a name that is not mangled.
  std::string Demangled;
  std::string DemangledBase;

  uint64_t end() const { return Address + Size; }
};

/// A function inlined at an address, innermost first.
struct InlinedFrame {
  std::string Name;
  std::string DeclFile;
  unsigned DeclLine = 0;
};

struct SectionRange {
  uint64_t Address = 0;
  uint64_t Size = 0;
  std::string Name;
};

class Binary {
public:
  /// DWARF problems that leave the symbols usable are warnings to Diag.
  static llvm::Expected<std::unique_ptr<Binary>> open(llvm::StringRef Path,
                                                      DiagnosticHandler Diag);
  /// Whether to read DWARF or take the symbol table alone. LLVM 16's DWARF
  /// reader crashes on some malformed units, which is why the ELF fuzzer,
  /// testing ramfit's own reading, leaves it out.
  enum class DebugInfoUse { Read, Ignore };

  /// The ELF in Buffer, named in errors by the buffer's identifier.
  static llvm::Expected<std::unique_ptr<Binary>>
  fromBuffer(std::unique_ptr<llvm::MemoryBuffer> Buffer, DiagnosticHandler Diag,
             DebugInfoUse Use = DebugInfoUse::Read);

  llvm::StringRef path() const { return Path; }
  /// The hex SHA-256 of the file, which names the build.
  /// The hex SHA-256 of the file, taken on the first call: only a plan and
  /// a sampler's header need it, and it costs more than reading the symbols.
  const std::string &sha256() const;
  const llvm::object::ObjectFile &object() const { return *Object; }
  unsigned addressBits() const { return AddressBits; }
  /// The ELF's entry point: where the firmware starts after reset.
  uint64_t entry() const { return Entry; }
  bool hasDebugInfo() const { return HasDebugInfo; }
  const std::vector<FunctionInfo> &functions() const { return Functions; }

  /// The innermost function whose code holds Address, or null.
  const FunctionInfo *functionAt(uint64_t Address) const;
  /// Functions inlined at Address, innermost first, not counting the
  /// out-of-line function that holds it. One inlined call is the same
  /// frame at every address of its code; frames live as long as the Binary.
  llvm::SmallVector<const InlinedFrame *, 4> inlinedAt(uint64_t Address) const;
  std::vector<const FunctionInfo *> functionsNamed(llvm::StringRef Name) const;
  /// The functions a debugger may call by Name: those of that symbol name,
  /// else the clones whose DWARF name or parent is Name ("f" for
  /// "f.part.0.constprop.0").
  std::vector<const FunctionInfo *>
  functionsKnownAs(llvm::StringRef Name) const;
  /// The values of the symbols called Name, of any type.
  llvm::ArrayRef<uint64_t> symbolAddresses(llvm::StringRef Name) const;
  /// Arm's linker reaches far code through veneers named "__NAME_veneer":
  /// the function a call to F really reaches (NAME), or F itself.
  const FunctionInfo *throughVeneer(const FunctionInfo *F) const;
  /// Whether any symbol of this name has the value Address.
  bool hasSymbolAt(llvm::StringRef Name, uint64_t Address) const;
  bool isArm() const { return IsArm; }
  /// The name of the allocated section holding Address, or "".
  llvm::StringRef sectionAt(uint64_t Address) const;
  /// Bytes of allocated sections (code, data, bss) inside [Origin,
  /// Origin+Length): what a memory region already holds.
  uint64_t bytesWithin(uint64_t Origin, uint64_t Length) const;
  /// Whether Address is in a segment whose load address differs from its
  /// address: the start-up code copies it to where it runs, as it does
  /// .data, so code there is already placed in RAM.
  bool isCopiedAtStartup(uint64_t Address) const;
  /// "sym+off" for the symbol nearest below Address, for messages.
  std::string describe(uint64_t Address) const;
  /// The code a jump or a vector to Address enters: the function holding
  /// it, or else, for assembly without a function type ('trap_entry:'), a
  /// function made up from the symbol there (or "code at 0x..."), reaching
  /// to the next symbol or the end of its section. None when Address is not
  /// in an executable section.
  std::optional<FunctionInfo> codeAt(uint64_t Address) const;
  /// The little-endian 32-bit word at Address in the file's contents of an
  /// allocated section; none outside them (.bss included).
  std::optional<uint32_t> wordAt(uint64_t Address) const;
  /// Whether Address is in an executable allocated section.
  bool isCode(uint64_t Address) const;
  /// How many aligned words outside every function (read-only data, a
  /// switch's jump table) hold an address in [Start, End): code reached by
  /// a jump through a table rather than by a call.
  size_t codePointersInto(uint64_t Start, uint64_t End) const;

  /// Allocated sections (code, data, bss), by address.
  const std::vector<SectionRange> &sections() const { return Sections; }
  /// Whether DWARF knows Name only as inlined code, with no copy of its own.
  bool isInlinedOnly(llvm::StringRef Name) const;
  /// Whether DWARF keeps a function Name that the link dropped
  /// (--gc-sections) at addresses from 0 on, over Address: gdb then names
  /// it for code the ELF has there, its own mistake.
  bool isDroppedCodeAt(llvm::StringRef Name, uint64_t Address) const;

private:
  Binary() = default;
  llvm::Error readCopiedSegments();
  /// The symbol table, in passes: sections, function symbols, aliases
  /// merged, sizes for assembly functions without .size, names indexed.
  llvm::Error readSymbols();
  llvm::Error readSections();
  llvm::Error readFunctionSymbols();
  /// Aliases (libgcc's __aeabi_fadd and __addsf3) are one function under
  /// its global name; the other names still find it.
  void mergeAliases();
  /// Assembly functions without .size reach to the next function, or to
  /// the end of their section.
  void sizeUnsizedFunctions();
  void indexFunctionNames();
  void readDebugInfo(DiagnosticHandler Diag);
  bool debugInfoIsWhole(DiagnosticHandler Diag) const;
  llvm::DWARFCompileUnit *codeUnitAt(uint64_t Address) const;
  const llvm::DWARFDebugLine::Prologue *
  lineTableHeader(llvm::DWARFUnit &Unit) const;
  std::pair<std::string, unsigned>
  declLocation(llvm::DWARFUnit &Unit, const llvm::DWARFDie &Die) const;
  std::optional<std::pair<std::string, unsigned>>
  definitionInUnitSource(llvm::DWARFUnit &Unit, uint64_t Address,
                         llvm::StringRef DeclFile) const;
  void matchSubprograms();
  const FunctionInfo *functionStartingAt(uint64_t Address) const;

  std::string Path;
  mutable std::string Sha256;
  std::unique_ptr<llvm::MemoryBuffer> Buffer;
  std::unique_ptr<llvm::object::ObjectFile> Object;
  uint64_t Entry = 0;
  std::unique_ptr<llvm::DWARFContext> Dwarf;
  /// What the DWARF parser recovered from since it was last reported.
  mutable std::vector<std::string> DwarfProblems;
  mutable llvm::DenseMap<const llvm::DWARFUnit *,
                         std::unique_ptr<llvm::DWARFDebugLine::Prologue>>
      LineTableHeaders;
  unsigned AddressBits = 32;
  bool HasDebugInfo = false;
  bool IsArm = false;
  /// Sorted by address, then by size descending so that nested symbols
  /// (libgcc's assembly entry points) come after their container.
  std::vector<FunctionInfo> Functions;
  /// The DWARF subprogram of each function (parallel to Functions): the one
  /// whose code starts at the function's symbol. Code that --gc-sections
  /// dropped keeps DWARF ranges at address 0, which no symbol starts.
  std::vector<llvm::DWARFDie> Subprograms;
  /// By name, where the DWARF of dropped code ends (it starts at 0).
  llvm::StringMap<uint64_t> DroppedCodeEnd;
  /// An inlined call's code: one address range of it, at a nesting depth.
  struct InlinedCode {
    uint64_t Low = 0, High = 0;
    unsigned Depth = 0;
    const InlinedFrame *Frame = nullptr;
  };
  const std::vector<InlinedCode> &inlinedCodeOf(size_t FunctionIndex) const;
  /// By function index, built on first use.
  mutable llvm::DenseMap<size_t, std::vector<InlinedCode>>
      InlinedCodeOfFunction;
  /// Each inlined call's frame, by the offset of its DIE; a deque, so that
  /// frames never move.
  mutable std::deque<InlinedFrame> InlinedFrames;
  mutable llvm::DenseMap<uint64_t, const InlinedFrame *> InlinedFrameOfDie;
  llvm::StringMap<std::vector<size_t>> FunctionsByName;
  /// By DWARF name and clone parent, where those differ from the symbol.
  llvm::StringMap<std::vector<size_t>> FunctionsByOtherName;
  llvm::StringMap<std::vector<uint64_t>> SymbolAddresses;
  std::vector<SectionRange> Sections;
  std::vector<llvm::AddressRange> CopiedSegments;
  /// Word values codePointersInto counts, sorted; built on first use.
  mutable std::optional<std::vector<uint64_t>> CodePointers;
};

} // namespace ramfit

#endif
