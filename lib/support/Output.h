//===- Output.h - Writing outputs whole, and the paths they name -*- C++
//-*-===//
//
// No command leaves a half-written file: every output is staged beside its
// path and renamed into place, and a command with several outputs writes
// all of them or none.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_SUPPORT_OUTPUT_H
#define RAMFIT_SUPPORT_OUTPUT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include <string>

namespace ramfit {

/// Path made absolute against the working directory, without "." or "..".
std::string absolutePath(llvm::StringRef Path);

/// Path with every symbolic link resolved; "" when it does not exist.
std::string realPath(llvm::StringRef Path);

/// Path taken relative to BaseDir unless it is absolute (or empty).
std::string resolvedIn(llvm::StringRef BaseDir, llvm::StringRef Path);

/// Content written to a temporary file beside Path, with Path's mode, not
/// yet in place: keep(Path) puts it there in one rename, discard() drops
/// it, and an interrupting signal removes it.
llvm::Expected<llvm::sys::fs::TempFile> stageFile(llvm::StringRef Path,
                                                  llvm::StringRef Content);

/// Replaces Path with Content through a temporary file and a rename, so a
/// reader never sees half a file.
llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Content);

/// writeFileAtomically, skipped when the file already holds Content, so
/// that its mtime tells a build nothing changed.
llvm::Error writeIfChanged(llvm::StringRef Path, llvm::StringRef Content);

struct OutputFile {
  std::string Path;
  std::string Content;
};

/// The outputs of one command, all written or none: each is staged beside
/// its path, and only when every one is staged are they renamed into place.
/// A file that already holds its content is left as it is.
llvm::Error writeAllOrNothing(llvm::ArrayRef<OutputFile> Outputs);

} // namespace ramfit

#endif
