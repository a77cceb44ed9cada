//===- Patch.h - Source edits as a patch, or applied in place ---*- C++ -*-===//
//
// What 'annotate' does with its edits: a unified diff for review, or the
// files rewritten in place, all or none, under a lock on the source tree.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PATCH_H
#define RAMFIT_PATCH_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>

namespace ramfit {

struct FileEdit {
  /// Absolute, inside the source root.
  std::string Path;
  std::string Before, After;
};

/// Where a patch of files under SourceRoot applies: the root of the git
/// repository holding it (the nearest folder with a '.git', a submodule's
/// own included), for 'git apply' skips what lies outside the folder it is
/// run in; SourceRoot itself outside any repository. A real path.
struct PatchRoot {
  std::string Path;
  bool IsRepository = false;
};
llvm::Expected<PatchRoot> patchRootOf(llvm::StringRef SourceRoot);

/// A unified diff of the edits with paths relative to Root, as 'git apply'
/// and 'patch -p1' take it. Made by libgit2.
llvm::Expected<std::string> unifiedDiff(llvm::ArrayRef<FileEdit> Edits,
                                        llvm::StringRef Root);

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
