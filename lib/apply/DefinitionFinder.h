//===- DefinitionFinder.h - Where Clang sees the planned functions -*- C++
//-*-===//
//
// One translation unit parsed by Clang with its own compile command (made
// Clang's by CrossCommands), and the definitions of the planned names in
// it: where each is spelled, and why one cannot be rewritten.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_APPLY_DEFINITIONFINDER_H
#define RAMFIT_APPLY_DEFINITIONFINDER_H

#include "apply/CrossCommands.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace ramfit {

/// Whether a planned name is a C++ symbol, found by mangling definitions.
bool isMangled(llvm::StringRef Name);

/// A definition of a planned name, as Clang saw it.
struct Definition {
  /// The planned name it matched: the symbol, mangled for C++.
  std::string Name;
  /// The name as written at its definition, which a wrapping macro takes.
  std::string Spelled;
  /// A C++ member or a function in a namespace: a wrapping macro around
  /// its name would not compile.
  bool IsQualified = false;
  std::string File;
  unsigned Line = 0;
  /// Where the declaration starts, for a prefix; where the name is spelled,
  /// for a wrapping macro.
  unsigned BeginOffset = 0, NameOffset = 0;
  bool HasSection = false;
  /// Whether the macro parseFile was asked about is defined where the
  /// definition starts (true when it was asked about none).
  bool MacroVisible = true;
  /// Why it cannot be rewritten; empty when it can.
  std::string Obstacle;
  std::vector<std::string> Prototypes;
};

/// The definitions found, or why the file could not be parsed.
struct ParsedFile {
  std::vector<Definition> Definitions;
  std::string Failure;
};

/// Parses the file of Command and finds the definitions of Names (plain C
/// names, or mangled C++ symbols), and whether Macro ("" for none) is
/// defined at each. Safe to call from several threads.
ParsedFile parseFile(const clang::tooling::CompileCommand &Command,
                     const std::vector<std::string> &Names,
                     llvm::StringRef Macro, CrossCommands &Adapter);

} // namespace ramfit

#endif
