//===- FragmentShadowing.h - Does the script let the fragment work? -*- C++
//-*-===//
//
// GNU ld gives an input section to the first description in the whole
// script that matches it. A fragment INCLUDEd after a rule that already
// takes every '.text*' (the pico-sdk's memmap_default.ld keeps
// '*(EXCLUDE_FILE(...) .text*)' in .text, before .data) links without a
// word and moves nothing; only a check after the relink would notice.
// Replaying the first-match rule with the new fragment in place finds it
// before the link.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_APPLY_FRAGMENTSHADOWING_H
#define RAMFIT_APPLY_FRAGMENTSHADOWING_H

#include "firmware/LinkerMap.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace ramfit {

struct FragmentInScript {
  /// The linker script the link uses, and ld's -L directories.
  std::string Script;
  std::vector<std::string> SearchDirs;
  /// The name the script INCLUDEs the fragment by ("ramtext.ld"), and the
  /// fragment as it will be written.
  std::string IncludedAs;
  std::string Text;
  /// A script with no output sections at all (a file with MEMORY alone, as
  /// ramfit.yaml's memory_map may name) is no link script to check: it
  /// passes when this is set.
  bool MemoryOnlyPasses = false;
};

/// An error when the script does not INCLUDE the fragment, or when an
/// earlier rule takes an input section of Sections that a line of the
/// fragment names: each such section with the rule (file:line) and what
/// fixes it.
llvm::Error checkFragmentTakesItsSections(const FragmentInScript &Fragment,
                                          const LinkerMap &Sections);

} // namespace ramfit

#endif
