//===- AnnotationDecision.h - What annotate does with one definition -*- C++
//-*-===//
//
// Once Clang has found the definition a planned unit means, what happens to
// it is decided here, apart from parsing and from writing files: annotate
// it, leave it (already annotated, or to the fragment, and why), or, for a
// unit the plan frees, take ramfit's annotation off or say what still keeps
// it in RAM. The edits are Clang replacements on the definition's file.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_APPLY_ANNOTATIONDECISION_H
#define RAMFIT_APPLY_ANNOTATIONDECISION_H

#include "apply/DefinitionFinder.h"
#include "apply/SourceRewriter.h"
#include "plan/Plan.h"

#include "clang/Tooling/Core/Replacement.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace ramfit {

/// For a unit the plan puts in RAM.
struct AnnotationDecision {
  enum Kind { Annotate, AlreadyAnnotated, LeaveToFragment };
  Kind What = Annotate;
  /// Why it is left to the fragment.
  std::string Why;
};

/// D as Clang found it, annotated with Style; Root is the real source root,
/// outside which nothing is edited.
AnnotationDecision decideAnnotation(const Definition &D,
                                    const AnnotationStyle &Style,
                                    llvm::StringRef Root);

/// For a unit the plan frees (annotate --sync).
struct RemovalDecision {
  enum Kind { Remove, NothingToRemove, StillPlaced };
  Kind What = NothingToRemove;
  /// What Remove takes off.
  std::optional<clang::tooling::Replacement> Removal;
  /// What keeps it in RAM.
  std::string Why;
};

/// Unit's definition D in its file's Text: ramfit's own annotation (exactly
/// as Style writes it) comes off; another way of placing it is said, not
/// touched.
RemovalDecision decideRemoval(const Definition &D, const PlannedUnit &Unit,
                              llvm::StringRef Text,
                              const AnnotationStyle &Style);

/// Why a freed unit in Section stays where it is, when it could not even be
/// looked for (Reason).
std::string whyFreedStaysPlaced(llvm::StringRef Reason,
                                llvm::StringRef Section);

/// The edit that annotates D with Style.
clang::tooling::Replacement annotationEdit(const Definition &D,
                                           const AnnotationStyle &Style);

} // namespace ramfit

#endif
