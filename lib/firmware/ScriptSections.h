//===- ScriptSections.h - The output sections of a GNU ld script -*- C++
//-*-===//
//
// What a linker script's SECTIONS says goes where: each output section, the
// region it runs in and loads from, and its input-section descriptions in
// order ("*(.itcm.*)", "KEEP(*(.init))", "*libgcc.a:*(.text)"). ld gives an
// input section to the first description, in the whole script, that
// matches it; the audit of a hand-kept RAM list replays that.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_FIRMWARE_SCRIPTSECTIONS_H
#define RAMFIT_FIRMWARE_SCRIPTSECTIONS_H

#include "firmware/LinkerMap.h"
#include "firmware/SectionMatcher.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <map>
#include <string>
#include <vector>

namespace ramfit {

/// One input-section description.
struct InputPattern {
  /// As written, without comments: "*(.text.dcd_*)".
  std::string Text;
  /// The file pattern: "*", "*/vm.o", "*libgcc.a:_udivsi3.o".
  FilePattern File;
  /// Section name patterns: ".text.cmp_lfn", ".ramtext*".
  std::vector<NameGlob> Sections;
  /// Where it is written; an INCLUDEd file's own name and line.
  std::string Script;
  unsigned Line = 0;

  /// Whether ld would match Section with this description: a section
  /// pattern and the file pattern (SectionMatcher.h).
  bool matches(const InputSection &Section) const;
};

struct OutputSection {
  std::string Name;
  /// "> REGION": where it runs; "" when the script names none.
  std::string Region;
  /// "AT > REGION": where it loads from, when elsewhere.
  std::string LoadRegion;
  std::vector<InputPattern> Patterns;
  std::string Script;
  unsigned Line = 0;
};

/// The output sections of the script at Path, in order, its INCLUDEs read
/// where they stand (found as ld finds them: the working directory, the -L
/// SearchDirs, then beside the including script). 'INCLUDE NAME' reads
/// Replaced[NAME] instead, when there is one: the script as it will link
/// with a fragment not yet written.
llvm::Expected<std::vector<OutputSection>>
readOutputSections(llvm::StringRef Path,
                   const std::vector<std::string> &SearchDirs = {},
                   const std::map<std::string, std::string> &Replaced = {});

} // namespace ramfit

#endif
