//===- PlacementAudit.h - What a hand-kept RAM list really places -*- C++
//-*-===//
//
// A firmware tree that already puts code in RAM does it with a list in its
// linker script ("*(.text.mp_execute_bytecode)"), with a macro that puts
// functions in a section of their own (".itcm.NAME"), or both. Nobody can
// check such a list by eye: a renamed function leaves a line that matches
// nothing, a libgcc helper lives in plain ".text" that no ".text.NAME"
// line reaches, and a function both listed and annotated is placed twice
// over. The audit replays ld's matching on the map and says, for each
// pattern of the RAM output sections, what it placed and why it placed
// nothing; and what the RAM code calls in flash.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_APPLY_PLACEMENTAUDIT_H
#define RAMFIT_APPLY_PLACEMENTAUDIT_H

#include "firmware/Binary.h"
#include "firmware/Calls.h"
#include "firmware/Closure.h"
#include "firmware/LinkerMap.h"
#include "firmware/MemoryMap.h"
#include "firmware/ScriptSections.h"
#include "support/Diagnostics.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include <string>
#include <vector>

namespace ramfit {

enum class PatternVerdict {
  /// It placed code in RAM.
  Places,
  /// It names functions whose sections it does not match: they stay in
  /// flash (libgcc's helpers are in plain .text of an archive member).
  LeavesInFlash,
  /// Its functions are in RAM through an earlier pattern: the line is
  /// redundant (a function both annotated and listed).
  AlreadyPlaced,
  /// It matches nothing the link has.
  Stale,
  /// A pattern for data, not code; not judged.
  Data,
};

llvm::StringRef verdictName(PatternVerdict Verdict);

struct PatternAudit {
  InputPattern Pattern;
  std::string OutputSection;
  PatternVerdict Verdict = PatternVerdict::Stale;
  /// The code input sections it placed, and their bytes.
  unsigned Sections = 0;
  uint64_t Bytes = 0;
  /// For the verdicts but Places: what the functions it names are; for
  /// Places, the parts GCC split off them that it leaves in flash, if any.
  std::string Why;
};

struct FlashCallee {
  std::string Name;
  unsigned Sites = 0;
};

struct AuditResult {
  MemoryRegion Region;
  std::vector<PatternAudit> Patterns;
  /// Code in the region: input sections and bytes.
  unsigned CodeSections = 0;
  uint64_t CodeBytes = 0;
  /// Calls from code in the region to code outside it, by callee, most
  /// first; none when the code could not be disassembled.
  std::vector<FlashCallee> FlashCalls;
  unsigned FlashCallSites = 0;
  bool CallsChecked = false;
  /// Code that must run from RAM (firmware/Closure.h) as the tree stands:
  /// its size, the paths to what of it is outside the region, its indirect
  /// calls, and the reset path's code before the copy that is inside the
  /// region (apply/MustRunFromRamCheck.h). Unchecked without a disassembler.
  bool ClosureChecked = false;
  uint64_t ClosureBytes = 0;
  size_t ClosureFunctions = 0;
  size_t ClosureRoots = 0;
  std::vector<std::string> OutsideRam;
  std::vector<IndirectCall> IndirectCalls;
  std::vector<std::string> StartupInRam;

  unsigned count(PatternVerdict Verdict) const;
  /// Stale lines, functions left in flash, lines placing twice, code that
  /// must run from RAM outside it, and reset-path code inside it.
  unsigned problems() const;
};

/// Audits the output sections that run in Region.
AuditResult auditPlacement(const Binary &Elf, const LinkerMap &Map,
                           const std::vector<OutputSection> &Sections,
                           const MemoryRegion &Region,
                           const CallScanner *Calls);

std::string auditToText(const AuditResult &Result);
llvm::json::Value auditToJson(const AuditResult &Result);

} // namespace ramfit

#endif
