//===- LinkerScript.h - The words and expressions of GNU ld scripts -*- C++
//-*-===//
//
// The front of every reader of ld's script language (MEMORY, SECTIONS): the
// one reader of its text (blanks, comments, lines, words), INCLUDE found as
// ld finds it, its tokens, its numbers, and its constant expressions,
// evaluated as ld evaluates them.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_FIRMWARE_LINKERSCRIPT_H
#define RAMFIT_FIRMWARE_LINKERSCRIPT_H

#include "firmware/MemoryMap.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ramfit {

/// A script's text read with a cursor: blanks and /* comments */ skipped,
/// lines counted, words, balanced parentheses and braces. tokenize() and the
/// SECTIONS reader both read through it.
class ScriptCursor {
public:
  ScriptCursor(llvm::StringRef Path, llvm::StringRef Text)
      : Path(Path.str()), Text(Text) {}

  void skipBlanks();
  bool atEnd();
  /// The next character after blanks, or '\0' at the end.
  char peek();
  bool consume(char C);
  /// Up to a blank, a comment or one of Stops.
  llvm::StringRef word(llvm::StringRef Stops = "(){};");
  /// Past the Close that closes the Open just consumed; the text inside.
  llvm::StringRef skipBalanced(char Open, char Close);
  /// Past the next ';' at this level (an assignment or a command).
  void skipStatement();
  llvm::Error error(const llvm::Twine &Message) const;

  std::string Path;
  llvm::StringRef Text;
  size_t Pos = 0;
  unsigned Line = 1;
};

/// The file name in 'INCLUDE Written': ld takes 'INCLUDE "mcu/virt.ld"' as
/// the name inside the quotes.
llvm::StringRef includeName(llvm::StringRef Written);

/// The file 'INCLUDE Name' at Line of Includer names, found as ld finds it:
/// an absolute path as it is; otherwise in the working directory, then the
/// -L SearchDirs, then (for scripts read away from their build directory)
/// beside Includer. Name is as written (includeName()).
llvm::Expected<std::string> findInclude(llvm::StringRef Includer, unsigned Line,
                                        llvm::StringRef Name,
                                        llvm::ArrayRef<std::string> SearchDirs);

struct Token {
  std::string Text;
  unsigned Line;
};

/// Words, numbers and operators, without comments. The word after INCLUDE
/// is a file name, read whole ("mcu/arm/cortex-m.ld").
std::vector<Token> tokenize(llvm::StringRef Script);

/// Decimal, 0x hex, a leading 0 for octal, K or M for KiB and MiB.
std::optional<uint64_t> parseLdNumber(llvm::StringRef Text);

/// A name a script may assign: letters, digits and '_', not first a digit.
bool isSymbolName(llvm::StringRef Text);

/// The expression starting at Tokens[I], I left past it: numbers, Symbols,
/// ORIGIN() and LENGTH() of Regions, DEFINED(), parentheses, unary - and ~,
/// * / % + - << >> & | by C's precedence, and COND ? A : B. Errors name Path
/// and the line.
llvm::Expected<uint64_t>
evaluateExpression(llvm::StringRef Path, const std::vector<Token> &Tokens,
                   size_t &I, const std::vector<MemoryRegion> &Regions,
                   const std::map<std::string, uint64_t> &Symbols);

} // namespace ramfit

#endif
