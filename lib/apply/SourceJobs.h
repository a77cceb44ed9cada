//===- SourceJobs.h - Which file and command hold each planned function ---===//
//
// Before annotate parses anything: where each planned function's source is
// now (the plan holds the paths DWARF gave at build time), and which
// compile command of compile_commands.json builds it. Functions that cannot
// be looked for are listed in the result with the reason.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_APPLY_SOURCEJOBS_H
#define RAMFIT_APPLY_SOURCEJOBS_H

#include "apply/SourceRewriter.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ramfit {

/// Whether Path is Root or lies under it.
bool isInsideRoot(llvm::StringRef Path, llvm::StringRef Root);

/// Where each planned unit's source is now, "" where it is nowhere.
using SourceFiles = std::map<const PlannedUnit *, std::string>;

/// Found through the path maps, or else by the longest tail of the path
/// that exists under Root; a note in Result says where the tree went.
SourceFiles locateSources(llvm::ArrayRef<const PlannedUnit *> Units,
                          llvm::ArrayRef<PathMap> Maps, llvm::StringRef Root,
                          AnnotateResult &Result);

/// The planned units to look for in one translation unit.
struct Job {
  clang::tooling::CompileCommand Command;
  std::vector<const PlannedUnit *> Units;
};

/// The jobs by source file; units that cannot be looked for, or whose file
/// is outside the Scope folders (relative to Root; none for all), go to
/// Result.Left.
std::map<std::string, Job>
planJobs(llvm::ArrayRef<const PlannedUnit *> Units,
         const clang::tooling::CompilationDatabase &Database,
         llvm::StringRef Root, llvm::ArrayRef<std::string> Scope,
         const SourceFiles &Sources, AnnotateResult &Result);

/// BuildDir's compile_commands.json.
llvm::Expected<std::unique_ptr<clang::tooling::CompilationDatabase>>
loadCompileCommands(llvm::StringRef BuildDir);

} // namespace ramfit

#endif
