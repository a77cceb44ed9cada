#include "apply/Patch.h"
#include "plan/Plan.h"
#include "support/Diagnostics.h"
#include "support/Output.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include <fcntl.h>
#include <git2.h>
#include <sys/file.h>
#include <unistd.h>

using namespace llvm;

namespace ramfit {

namespace {
/// The libgit2 functions the diff needs, loaded on the first diff: the
/// library brings a dozen shared libraries of its own (TLS, SSH, Kerberos)
/// that every other command would otherwise load and relocate at start-up.
struct LibGit2 {
  decltype(&git_libgit2_init) Init;
  decltype(&git_libgit2_shutdown) Shutdown;
  decltype(&git_diff_options_init) DiffOptionsInit;
  decltype(&git_patch_from_buffers) PatchFromBuffers;
  decltype(&git_patch_to_buf) PatchToBuf;
  decltype(&git_patch_free) PatchFree;
  decltype(&git_buf_dispose) BufDispose;
  decltype(&git_error_last) ErrorLast;
};

/// Loads libgit2 and finds each function; the text says what failed.
std::string loadLibGit2(LibGit2 &Git) {
  std::string Message;
  sys::DynamicLibrary Library =
      sys::DynamicLibrary::getPermanentLibrary(RAMFIT_LIBGIT2_SONAME, &Message);
  if (!Library.isValid())
    return "cannot load it to make the diff: " + Message;
  std::string Missing;
  auto Find = [&](const char *Name, auto &Function) {
    Function = reinterpret_cast<std::remove_reference_t<decltype(Function)>>(
        Library.getAddressOfSymbol(Name));
    if (!Function)
      Missing += std::string(Missing.empty() ? "" : ", ") + Name;
  };
  Find("git_libgit2_init", Git.Init);
  Find("git_libgit2_shutdown", Git.Shutdown);
  Find("git_diff_options_init", Git.DiffOptionsInit);
  Find("git_patch_from_buffers", Git.PatchFromBuffers);
  Find("git_patch_to_buf", Git.PatchToBuf);
  Find("git_patch_free", Git.PatchFree);
  Find("git_buf_dispose", Git.BufDispose);
  Find("git_error_last", Git.ErrorLast);
  return Missing.empty() ? "" : "has no " + Missing;
}
} // namespace

Expected<PatchRoot> patchRootOf(StringRef SourceRoot) {
  SmallString<256> Root;
  if (std::error_code EC = sys::fs::real_path(SourceRoot, Root))
    return inputError(SourceRoot, EC.message());
  // As git does, the search does not go up into a folder that
  // GIT_CEILING_DIRECTORIES names.
  SmallVector<StringRef, 4> Ceilings;
  std::optional<std::string> CeilingList =
      sys::Process::GetEnv("GIT_CEILING_DIRECTORIES");
  if (CeilingList)
    StringRef(*CeilingList).split(Ceilings, ':', -1, /*KeepEmpty=*/false);
  for (StringRef Dir = Root; !Dir.empty(); Dir = sys::path::parent_path(Dir)) {
    SmallString<256> Git(Dir);
    sys::path::append(Git, ".git");
    if (sys::fs::exists(Git))
      return PatchRoot{Dir.str(), true};
    StringRef Parent = sys::path::parent_path(Dir);
    if (llvm::any_of(Ceilings, [&](StringRef Ceiling) {
          return Ceiling.rtrim('/') == Parent;
        }))
      break;
  }
  return PatchRoot{Root.str().str(), false};
}

Expected<std::string> unifiedDiff(ArrayRef<FileEdit> Edits,
                                  StringRef PatchRootPath) {
  SmallString<256> Root;
  if (std::error_code EC = sys::fs::real_path(PatchRootPath, Root))
    return inputError(PatchRootPath, EC.message());
  static const std::pair<LibGit2, std::string> Loaded = [] {
    std::pair<LibGit2, std::string> Result;
    Result.second = loadLibGit2(Result.first);
    return Result;
  }();
  if (!Loaded.second.empty())
    return inputError(RAMFIT_LIBGIT2_SONAME, Loaded.second);
  const LibGit2 &Git = Loaded.first;
  Git.Init();
  auto Shutdown = make_scope_exit([&] { Git.Shutdown(); });
  std::string Diff;
  for (const FileEdit &Edit : Edits) {
    StringRef Relative = StringRef(Edit.Path).drop_front(Root.size() + 1);
    git_patch *Patch = nullptr;
    git_diff_options DiffOptions;
    Git.DiffOptionsInit(&DiffOptions, GIT_DIFF_OPTIONS_VERSION);
    git_buf Text = GIT_BUF_INIT;
    std::string Name = Relative.str();
    if (Git.PatchFromBuffers(&Patch, Edit.Before.data(), Edit.Before.size(),
                             Name.c_str(), Edit.After.data(), Edit.After.size(),
                             Name.c_str(), &DiffOptions) != 0 ||
        Git.PatchToBuf(&Text, Patch) != 0) {
      Git.PatchFree(Patch);
      const git_error *Error = Git.ErrorLast();
      return inputError(Edit.Path, std::string("cannot make a diff: ") +
                                       (Error ? Error->message : "libgit2"));
    }
    Diff.append(Text.ptr, Text.size);
    Git.BufDispose(&Text);
    Git.PatchFree(Patch);
  }
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
