//===- LinkerScript.h - The words and expressions of GNU ld scripts -*- C++
//-*-===//
//
// What the MEMORY reader needs of ld's script language: its tokens, its
// numbers, and its constant expressions, evaluated as ld evaluates them.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_FIRMWARE_LINKERSCRIPT_H
#define RAMFIT_FIRMWARE_LINKERSCRIPT_H

#include "firmware/MemoryMap.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ramfit {

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
