//===- Diagnostics.h - Errors and warnings that name a file -----*- C++ -*-===//
//
// Every problem with user input reaches the user as
//   ramfit: error: 'FILE':LINE: what
// so the error carries the file and, where known, the line.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_DIAGNOSTICS_H
#define RAMFIT_DIAGNOSTICS_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include <memory>
#include <string>

namespace ramfit {

class InputError : public llvm::ErrorInfo<InputError> {
public:
  static char ID;

  /// Line 0 means the problem concerns the file as a whole; column 0, the
  /// line as a whole.
  InputError(std::string File, unsigned Line, unsigned Column,
             std::string Message);

  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override;

private:
  std::string File;
  unsigned Line;
  unsigned Column;
  std::string Message;
};

llvm::Error inputError(llvm::StringRef File, unsigned Line,
                       const llvm::Twine &Message);
llvm::Error inputError(llvm::StringRef File, const llvm::Twine &Message);
llvm::Error inputError(llvm::StringRef File, unsigned Line, unsigned Column,
                       const llvm::Twine &Message);

/// The same location prefix for warnings: "'FILE':LINE:COLUMN: ".
std::string location(llvm::StringRef File, unsigned Line = 0,
                     unsigned Column = 0);

/// The bytes of a file the user gave, or an error naming it and why not.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(llvm::StringRef Path);

enum class Severity { Error, Warning, Note };

/// What the library tells the user without stopping: the message carries
/// its own "'FILE':LINE: " location where there is one.
struct Diagnostic {
  Severity Level;
  std::string Message;
};

/// The library never prints: it hands each diagnostic to the caller's
/// handler (LLVM's pattern), which shows it (the command line) or keeps it
/// (tests).
using DiagnosticHandler = llvm::function_ref<void(const Diagnostic &)>;

void warning(DiagnosticHandler Handler, const llvm::Twine &Message);
void note(DiagnosticHandler Handler, const llvm::Twine &Message);

} // namespace ramfit

#endif
