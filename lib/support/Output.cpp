#include "support/Output.h"
#include "support/Diagnostics.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit {

std::string absolutePath(StringRef Path) {
  SmallString<256> Absolute(Path);
  sys::fs::make_absolute(Absolute);
  sys::path::remove_dots(Absolute, /*remove_dot_dot=*/true);
  return Absolute.str().str();
}

std::string realPath(StringRef Path) {
  SmallString<256> Real;
  if (sys::fs::real_path(Path, Real))
    return "";
  return Real.str().str();
}

std::string resolvedIn(StringRef BaseDir, StringRef Path) {
  if (Path.empty() || sys::path::is_absolute(Path))
    return Path.str();
  SmallString<256> Joined(BaseDir);
  sys::path::append(Joined, Path);
  sys::path::remove_dots(Joined, /*remove_dot_dot=*/true);
  return Joined.str().str();
}

Error writeIfChanged(StringRef Path, StringRef Content) {
  auto Existing = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                        /*RequiresNullTerminator=*/false);
  if (Existing && (*Existing)->getBuffer() == Content)
    return Error::success();
  return writeFileAtomically(Path, Content);
}

Expected<sys::fs::TempFile> stageFile(StringRef Path, StringRef Content) {
  Expected<sys::fs::TempFile> Temp =
      sys::fs::TempFile::create(Path + ".ramfit-%%%%%%");
  if (!Temp)
    return inputError(Path,
                      "cannot write beside it: " + toString(Temp.takeError()));
  raw_fd_ostream OS(Temp->FD, /*shouldClose=*/false);
  OS << Content;
  OS.flush();
  if (OS.has_error()) {
    std::string Message = OS.error().message();
    OS.clear_error();
    consumeError(Temp->discard());
    return inputError(Path, "cannot write: " + Message);
  }
  // A rewritten source keeps its mode (an executable script stays one).
  if (ErrorOr<sys::fs::perms> Perms = sys::fs::getPermissions(Path))
    sys::fs::setPermissions(Temp->FD, *Perms);
  return std::move(*Temp);
}

Error writeFileAtomically(StringRef Path, StringRef Content) {
  Expected<sys::fs::TempFile> Temp = stageFile(Path, Content);
  if (!Temp)
    return Temp.takeError();
  if (Error Err = Temp->keep(Path))
    return inputError(Path, "cannot replace: " + toString(std::move(Err)));
  return Error::success();
}

Error writeAllOrNothing(ArrayRef<OutputFile> Outputs) {
  std::vector<std::pair<const OutputFile *, sys::fs::TempFile>> Staged;
  auto DiscardAll = [&] {
    for (auto &Entry : Staged)
      consumeError(Entry.second.discard());
  };
  for (const OutputFile &Output : Outputs) {
    auto Existing = MemoryBuffer::getFile(Output.Path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
    if (Existing && (*Existing)->getBuffer() == Output.Content)
      continue;
    Expected<sys::fs::TempFile> Temp = stageFile(Output.Path, Output.Content);
    if (!Temp) {
      DiscardAll();
      return Temp.takeError();
    }
    Staged.emplace_back(&Output, std::move(*Temp));
  }
  for (auto &[Output, Temp] : Staged)
    if (Error Err = Temp.keep(Output->Path)) {
      DiscardAll();
      return inputError(Output->Path,
                        "cannot replace: " + toString(std::move(Err)));
    }
  return Error::success();
}

} // namespace ramfit
