#include "firmware/LinkerScript.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <algorithm>

using namespace llvm;

namespace ramfit {

void ScriptCursor::skipBlanks() {
  while (Pos < Text.size()) {
    if (Text[Pos] == '\n') {
      ++Line;
      ++Pos;
    } else if (isSpace(Text[Pos])) {
      ++Pos;
    } else if (Text.substr(Pos).startswith("/*")) {
      size_t End = Text.find("*/", Pos + 2);
      End = End == StringRef::npos ? Text.size() : End + 2;
      Line += Text.slice(Pos, End).count('\n');
      Pos = End;
    } else {
      break;
    }
  }
}

bool ScriptCursor::atEnd() {
  skipBlanks();
  return Pos >= Text.size();
}

char ScriptCursor::peek() {
  skipBlanks();
  return Pos < Text.size() ? Text[Pos] : '\0';
}

bool ScriptCursor::consume(char C) {
  if (peek() != C)
    return false;
  ++Pos;
  return true;
}

StringRef ScriptCursor::word(StringRef Stops) {
  skipBlanks();
  size_t Start = Pos;
  while (Pos < Text.size() && !isSpace(Text[Pos]) &&
         !Stops.contains(Text[Pos]) && !Text.substr(Pos).startswith("/*"))
    ++Pos;
  return Text.slice(Start, Pos);
}

StringRef ScriptCursor::skipBalanced(char Open, char Close) {
  size_t Start = Pos;
  for (int Depth = 1; Pos < Text.size() && Depth > 0; ++Pos) {
    if (Text[Pos] == '\n')
      ++Line;
    else if (Text[Pos] == Open)
      ++Depth;
    else if (Text[Pos] == Close)
      --Depth;
  }
  return Text.slice(Start, Pos ? Pos - 1 : 0);
}

void ScriptCursor::skipStatement() {
  for (; Pos < Text.size(); ++Pos) {
    if (Text[Pos] == '\n')
      ++Line;
    else if (Text[Pos] == ';') {
      ++Pos;
      return;
    } else if (Text[Pos] == '}') {
      return;
    } else if (Text[Pos] == '(') {
      ++Pos;
      skipBalanced('(', ')');
      --Pos;
    }
  }
}

Error ScriptCursor::error(const Twine &Message) const {
  return inputError(Path, Line, Message);
}

StringRef includeName(StringRef Written) {
  if (Written.size() >= 2 && Written.front() == '"' && Written.back() == '"')
    return Written.drop_front().drop_back();
  return Written;
}

Expected<std::string> findInclude(StringRef Includer, unsigned Line,
                                  StringRef Name,
                                  ArrayRef<std::string> SearchDirs) {
  Name = includeName(Name);
  if (sys::path::is_absolute(Name))
    return sys::fs::exists(Name)
               ? Expected<std::string>(Name.str())
               : inputError(Includer, Line,
                            "INCLUDE '" + Name + "' does not exist");
  SmallVector<std::string, 4> Dirs{"."};
  Dirs.append(SearchDirs.begin(), SearchDirs.end());
  Dirs.push_back(sys::path::parent_path(Includer).str());
  for (const std::string &Dir : Dirs) {
    SmallString<256> Candidate(Dir);
    sys::path::append(Candidate, Name);
    if (sys::fs::is_regular_file(Candidate))
      return std::string(Candidate);
  }
  return inputError(Includer, Line,
                    "INCLUDE '" + Name +
                        "' is found neither in the working directory, nor "
                        "in a -L directory, nor beside the script");
}

/// Splits a linker script into words, numbers and operators, dropping
/// comments. The word after INCLUDE is a file name, read whole
/// ("mcu/arm/cortex-m.ld"), as ld's lexer reads it there.
std::vector<Token> tokenize(StringRef Script) {
  std::vector<Token> Tokens;
  ScriptCursor C("", Script);
  while (!C.atEnd()) {
    StringRef Rest = Script.substr(C.Pos);
    unsigned Line = C.Line;
    if (Rest.front() == '"') {
      size_t End = Rest.find('"', 1);
      End = End == StringRef::npos ? Rest.size() : End;
      Tokens.push_back({Rest.slice(1, End).str(), Line});
      C.Pos += std::min(End + 1, Rest.size());
    } else if (!Tokens.empty() && Tokens.back().Text == "INCLUDE") {
      Tokens.push_back({C.word(";").str(), Line});
    } else if (Rest.startswith("<<") || Rest.startswith(">>")) {
      Tokens.push_back({Rest.take_front(2).str(), Line});
      C.Pos += 2;
    } else if (StringRef("{}():,=;+-*/%&|~<>!?").contains(Rest.front())) {
      Tokens.push_back({std::string(1, Rest.front()), Line});
      ++C.Pos;
    } else {
      Tokens.push_back({C.word("{}():,=;+-*/%&|~<>!?\"").str(), Line});
    }
  }
  return Tokens;
}

/// A number as ld writes one: decimal, 0x hex, a leading 0 for octal, and
/// K or M for KiB and MiB.
std::optional<uint64_t> parseLdNumber(StringRef Text) {
  uint64_t Scale = 1;
  if (Text.consume_back("K") || Text.consume_back("k"))
    Scale = 1024;
  else if (Text.consume_back("M") || Text.consume_back("m"))
    Scale = 1024 * 1024;
  uint64_t Value;
  unsigned Radix = 10;
  if (Text.startswith_insensitive("0x"))
    Text = Text.drop_front(2), Radix = 16;
  else if (Text.size() > 1 && Text.startswith("0"))
    Radix = 8;
  if (Text.empty() || Text.getAsInteger(Radix, Value) ||
      Value > UINT64_MAX / Scale)
    return std::nullopt;
  return Value * Scale;
}

bool isSymbolName(StringRef Text) {
  return !Text.empty() && (isAlpha(Text[0]) || Text[0] == '_') &&
         llvm::all_of(Text, [](char C) { return isAlnum(C) || C == '_'; });
}

namespace {

/// A recursive-descent parser over the tokens of one expression.
struct ExpressionParser {
  const std::vector<MemoryRegion> &Regions;
  const std::map<std::string, uint64_t> &Symbols;
  StringRef Path;
  const std::vector<Token> &Tokens;
  size_t I;
  /// Inside a conditional's branch that is not taken: names need not exist.
  unsigned Skipping = 0;

  StringRef peek() const {
    return I < Tokens.size() ? StringRef(Tokens[I].Text) : StringRef();
  }
  /// An error on the line of the token just read.
  Error fail(const Twine &Message) const {
    size_t At = std::min(I == 0 ? 0 : I - 1, Tokens.size() - 1);
    return inputError(Path, Tokens.empty() ? 0 : Tokens[At].Line, Message);
  }

  static int precedence(StringRef Op) {
    return StringSwitch<int>(Op)
        .Case("|", 1)
        .Case("&", 2)
        .Cases("<<", ">>", 3)
        .Cases("+", "-", 4)
        .Cases("*", "/", "%", 5)
        .Default(0);
  }

  /// COND ? A : B, below every binary operator, as picolibc's own script
  /// writes its regions: "DEFINED(__flash) ? __flash : 0x10000000".
  Expected<uint64_t> conditional() {
    Expected<uint64_t> Condition = binary(0);
    if (!Condition || peek() != "?")
      return Condition;
    ++I;
    // Only the branch taken is evaluated, as ld does: the other may name a
    // symbol that is not defined, which is the point of the test.
    Expected<uint64_t> IfTrue = branch(*Condition != 0);
    if (!IfTrue)
      return IfTrue;
    if (peek() != ":")
      return fail("expected ':' in a conditional expression");
    ++I;
    Expected<uint64_t> IfFalse = branch(*Condition == 0);
    if (!IfFalse)
      return IfFalse;
    return *Condition ? *IfTrue : *IfFalse;
  }

  Expected<uint64_t> branch(bool Taken) {
    Skipping += !Taken;
    Expected<uint64_t> Value = conditional();
    Skipping -= !Taken;
    return Value;
  }

  Expected<uint64_t> binary(int MinPrecedence) {
    Expected<uint64_t> Left = unary();
    if (!Left)
      return Left;
    while (precedence(peek()) > MinPrecedence) {
      std::string Op = peek().str();
      ++I;
      Expected<uint64_t> Right = binary(precedence(Op));
      if (!Right)
        return Right;
      uint64_t A = *Left, B = *Right;
      if ((Op == "/" || Op == "%") && B == 0)
        return fail("division by zero in an expression");
      *Left = Op == "|"    ? A | B
              : Op == "&"  ? A & B
              : Op == "<<" ? (B < 64 ? A << B : 0)
              : Op == ">>" ? (B < 64 ? A >> B : 0)
              : Op == "+"  ? A + B
              : Op == "-"  ? A - B
              : Op == "*"  ? A * B
              : Op == "/"  ? A / B
                           : A % B;
    }
    return Left;
  }

  Expected<uint64_t> unary() {
    StringRef Text = peek();
    if (Text.empty())
      return fail("the script ends inside an expression");
    ++I;
    if (Text == "-" || Text == "~") {
      Expected<uint64_t> Operand = unary();
      if (!Operand)
        return Operand;
      return Text == "-" ? 0 - *Operand : ~*Operand;
    }
    if (Text == "(") {
      Expected<uint64_t> Inner = conditional();
      if (!Inner)
        return Inner;
      if (peek() != ")")
        return fail("expected ')' in an expression");
      ++I;
      return Inner;
    }
    if (std::optional<uint64_t> Number = parseLdNumber(Text))
      return *Number;
    // DEFINED(SYMBOL): 1 when the script assigned it before; a symbol
    // given only with --defsym is not seen here.
    if (Text == "DEFINED" && peek() == "(") {
      std::string Symbol = I + 1 < Tokens.size() ? Tokens[I + 1].Text : "";
      I += 2;
      if (peek() != ")")
        return fail("expected ')' after DEFINED(" + Symbol);
      ++I;
      return Symbols.count(Symbol) ? 1 : 0;
    }
    if ((Text == "ORIGIN" || Text == "LENGTH") && peek() == "(") {
      std::string Region = I + 1 < Tokens.size() ? Tokens[I + 1].Text : "";
      I += 2;
      if (peek() != ")")
        return fail("expected ')' after " + Text + "(" + Region);
      ++I;
      for (const MemoryRegion &R : Regions)
        if (R.Name == Region)
          return Text == "ORIGIN" ? R.Origin : R.Length;
      return fail(Text + "(" + Region + "): no memory region '" + Region +
                  "' is defined before it");
    }
    auto Symbol = Symbols.find(Text.str());
    if (Symbol != Symbols.end())
      return Symbol->second;
    if (Skipping && isSymbolName(Text))
      return 0;
    return fail("'" + Text +
                "' is neither a number nor a symbol assigned before it");
  }
};

} // namespace

Expected<uint64_t>
evaluateExpression(StringRef Path, const std::vector<Token> &Tokens, size_t &I,
                   const std::vector<MemoryRegion> &Regions,
                   const std::map<std::string, uint64_t> &Symbols) {
  ExpressionParser Parser{Regions, Symbols, Path, Tokens, I};
  Expected<uint64_t> Value = Parser.conditional();
  I = Parser.I;
  return Value;
}

} // namespace ramfit
