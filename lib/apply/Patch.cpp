#include "apply/Patch.h"
#include "plan/Plan.h"
#include "support/Diagnostics.h"
#include "support/Output.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include <fcntl.h>
#include <git2.h>
#include <sys/file.h>
#include <unistd.h>

using namespace llvm;

namespace ramfit {

Expected<std::string> unifiedDiff(ArrayRef<FileEdit> Edits,
                                  StringRef SourceRoot) {
  git_libgit2_init();
  SmallString<256> Root;
  if (std::error_code EC = sys::fs::real_path(SourceRoot, Root))
    return inputError(SourceRoot, EC.message());
  std::string Diff;
  for (const FileEdit &Edit : Edits) {
    StringRef Relative = StringRef(Edit.Path).drop_front(Root.size() + 1);
    git_patch *Patch = nullptr;
    git_diff_options DiffOptions;
    git_diff_options_init(&DiffOptions, GIT_DIFF_OPTIONS_VERSION);
    git_buf Text = GIT_BUF_INIT;
    std::string Name = Relative.str();
    if (git_patch_from_buffers(&Patch, Edit.Before.data(), Edit.Before.size(),
                               Name.c_str(), Edit.After.data(),
                               Edit.After.size(), Name.c_str(),
                               &DiffOptions) != 0 ||
        git_patch_to_buf(&Text, Patch) != 0) {
      git_patch_free(Patch);
      const git_error *Error = git_error_last();
      return inputError(Edit.Path, std::string("cannot make a diff: ") +
                                       (Error ? Error->message : "libgit2"));
    }
    Diff.append(Text.ptr, Text.size);
    git_buf_dispose(&Text);
    git_patch_free(Patch);
  }
  git_libgit2_shutdown();
  return Diff;
}

/// Why Edit cannot be written, checked for every file before any is.
static Error checkWritable(const FileEdit &Edit) {
  ErrorOr<sys::fs::perms> Perms = sys::fs::getPermissions(Edit.Path);
  if (!Perms)
    return inputError(Edit.Path, Perms.getError().message());
  // Root may write anyway; a read-only file says its owner does not want it.
  if (!(*Perms & sys::fs::all_write))
    return inputError(Edit.Path, "the file is read-only");
  Expected<std::unique_ptr<MemoryBuffer>> Now = readInputFile(Edit.Path);
  if (!Now)
    return Now.takeError();
  if ((*Now)->getBuffer() != Edit.Before)
    return inputError(Edit.Path, "the file changed while ramfit read it");
  return Error::success();
}

static Error noSourceChanged(Error Err) {
  return createStringError(inconvertibleErrorCode(),
                           toString(std::move(Err)) +
                               "; no source file was changed");
}

Error applyInPlace(ArrayRef<FileEdit> Edits) {
  for (const FileEdit &Edit : Edits)
    if (Error Err = checkWritable(Edit))
      return noSourceChanged(std::move(Err));
  // Every new file is written in full before the first rename, so a failure
  // or an interruption leaves each file old or new, never half of either.
  std::vector<sys::fs::TempFile> Staged;
  auto DiscardFrom = [&](size_t First) {
    for (size_t I = First; I < Staged.size(); ++I)
      consumeError(Staged[I].discard());
  };
  for (const FileEdit &Edit : Edits) {
    Expected<sys::fs::TempFile> Temp = stageFile(Edit.Path, Edit.After);
    if (!Temp) {
      DiscardFrom(0);
      return noSourceChanged(Temp.takeError());
    }
    Staged.push_back(std::move(*Temp));
  }
  for (size_t I = 0; I < Staged.size(); ++I)
    if (Error Err = Staged[I].keep(Edits[I].Path)) {
      DiscardFrom(I + 1);
      return inputError(Edits[I].Path,
                        "cannot replace: " + toString(std::move(Err)));
    }
  return Error::success();
}

// flock on the directory, not LLVM's sys::fs::lockFile: that takes an
// fcntl write lock, which needs a file opened for writing, and the lock
// must not put a file of ramfit's own into the user's tree.
Expected<SourceTreeLock> SourceTreeLock::acquire(StringRef Root,
                                                 function_ref<void()> OnWait) {
  int FD = ::open(Root.str().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (FD < 0)
    return inputError(
        Root, "cannot open the source root: " +
                  std::error_code(errno, std::generic_category()).message());
  if (::flock(FD, LOCK_EX | LOCK_NB) != 0) {
    OnWait();
    while (::flock(FD, LOCK_EX) != 0 && errno == EINTR) {
    }
  }
  return SourceTreeLock(FD);
}

SourceTreeLock::SourceTreeLock(SourceTreeLock &&Other)
    : FD(std::exchange(Other.FD, -1)) {}

SourceTreeLock::~SourceTreeLock() {
  if (FD >= 0)
    ::close(FD); // releases the lock
}

} // namespace ramfit
