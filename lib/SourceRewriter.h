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

#include "Plan.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace ramfit {

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

struct AnnotateOptions {
  std::string BuildDir;
  std::string SourceRoot;
  AnnotationStyle Style;
  unsigned Threads = 0;
  /// Where Clang's own headers are (stddef.h, ...).
  std::string ResourceDir;
  bool Progress = false;
};

struct FileEdit {
  /// Absolute, inside the source root.
  std::string Path;
  std::string Before, After;
};

struct LeftForFragment {
  std::string Unit;
  std::string Reason;
};

struct AnnotateResult {
  std::vector<FileEdit> Edits;
  std::vector<std::string> Annotated;
  std::vector<std::string> AlreadyAnnotated;
  std::vector<LeftForFragment> Left;
  /// Things a reviewer should know: moved functions, separate prototypes.
  std::vector<std::string> Notes;
};

llvm::Expected<AnnotateResult> annotate(const Plan &P,
                                        const AnnotateOptions &Options);

/// A unified diff of the edits with paths relative to SourceRoot, as
/// 'git apply' and 'patch -p1' take it. Made by libgit2.
llvm::Expected<std::string> unifiedDiff(llvm::ArrayRef<FileEdit> Edits,
                                        llvm::StringRef SourceRoot);

/// Writes every edit in place, keeping each file's permissions, or none:
/// nothing is written when a file is read-only or has changed since it was
/// read, and each file is replaced by a rename, whole.
llvm::Error applyInPlace(llvm::ArrayRef<FileEdit> Edits);

/// Keeps two 'annotate -i' runs on one tree from reading a file the other
/// is about to replace: an exclusive lock on the root directory, held for
/// the life of this object (and never beyond the process).
class SourceTreeLock {
public:
  /// Waits for the lock, calling OnWait first when another run holds it.
  static llvm::Expected<SourceTreeLock>
  acquire(llvm::StringRef Root, llvm::function_ref<void()> OnWait);
  SourceTreeLock(SourceTreeLock &&Other);
  ~SourceTreeLock();

private:
  explicit SourceTreeLock(int FD) : FD(FD) {}
  int FD;
};

} // namespace ramfit

#endif
