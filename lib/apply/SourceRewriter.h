//===- SourceRewriter.h - Mark planned functions in C sources ---*- C++ -*-===//
//
// The other way to apply a plan: put the section attribute (or a project's
// own macro) on each planned function's definition, with Clang LibTooling,
// as a patch for review or in place. What cannot be rewritten (library
// code, functions written inside a macro body, files that do not parse) is
// listed with the reason, for the linker fragment.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_SOURCEREWRITER_H
#define RAMFIT_SOURCEREWRITER_H

#include "apply/Patch.h"
#include "apply/SplitParts.h"
#include "plan/Plan.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include <functional>
#include <string>
#include <vector>

namespace ramfit {

/// The attribute style's section prefix: no blanks or quotes.
llvm::Expected<std::string> parseSectionPrefix(llvm::StringRef Section);

struct AnnotationStyle {
  enum Kind { Attribute, Macro, Prefix };
  Kind Style = Attribute;
  /// The macro's name, or the prefix's text.
  std::string Text;
  /// Attribute style: functions go to SECTION.NAME.
  std::string Section = ".ramtext";

  /// "attribute", "macro=PLACE_IN_ITCM" or "prefix=TEXT".
  static llvm::Expected<AnnotationStyle> parse(llvm::StringRef Spec,
                                               llvm::StringRef Section);
};

/// "OLD=NEW": sources the plan names under OLD are read under NEW.
struct PathMap {
  std::string From;
  std::string To;
  static llvm::Expected<PathMap> parse(llvm::StringRef Spec);
};

struct AnnotateOptions {
  std::string BuildDir;
  std::string SourceRoot = ".";
  /// Where the tree was when the ELF was built, if it has moved since. A
  /// source the plan names that is not there is also looked for under the
  /// source root by the longest tail of its path that exists.
  std::vector<PathMap> PathMaps;
  /// Folders (relative to the source root, or absolute) whose sources alone
  /// get the annotation: a macro shared by several ports stays out of the
  /// others' code. Empty for the whole root.
  std::vector<std::string> Scope;
  AnnotationStyle Style;
  /// The parts GCC split off the ELF's functions: a planned function whose
  /// parts the plan does not hold is left to the fragment (SplitParts.h).
  SplitOffParts SplitParts;
  /// Also take the annotation off the plan's freed units, where it is
  /// exactly what Style writes: a new plan then gives one patch both ways.
  bool Sync = false;
  unsigned Threads = 0;
  /// Where Clang's own headers are (stddef.h, ...).
  std::string ResourceDir;
  /// Called as each file is parsed, from the thread that parsed it, one at
  /// a time; none for no progress.
  std::function<void(size_t Done, size_t Total, llvm::StringRef File)> Progress;
};

struct LeftForFragment {
  LeftForFragment(std::string Unit, std::string Reason, bool Failed = false,
                  std::string Group = "")
      : Unit(std::move(Unit)), Reason(std::move(Reason)), Failed(Failed),
        Group(std::move(Group)) {}

  std::string Unit;
  std::string Reason;
  /// Left because something is wrong (a file Clang cannot parse, a source
  /// that is not there, no compile command, no definition), not because the
  /// code cannot carry this annotation (library code, a definition inside a
  /// macro, a file that does not see the macro): annotate then fails.
  bool Failed = false;
  /// For a reason many units share on a real port ("outside the scope",
  /// "library code"): the units are said together under it when many.
  std::string Group;
};

/// A freed unit that stays in RAM, and why.
struct StillInRam {
  std::string Unit;
  std::string Reason;
};

struct AnnotateResult {
  std::vector<FileEdit> Edits;
  std::vector<std::string> Annotated;
  std::vector<std::string> AlreadyAnnotated;
  std::vector<LeftForFragment> Left;
  /// With Sync: freed units whose annotation comes off, and those that stay
  /// in RAM because something else than Style places them.
  std::vector<std::string> Freed;
  std::vector<StillInRam> StillPlaced;
  /// Things a reviewer should know: moved functions, separate prototypes.
  std::vector<std::string> Notes;
};

llvm::Expected<AnnotateResult> annotate(const Plan &P,
                                        const AnnotateOptions &Options);

} // namespace ramfit

#endif
