#include "firmware/MemoryMap.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <map>
#include <optional>

using namespace llvm;

namespace ramfit {

Expected<uint64_t> parseSize(StringRef Text) {
  StringRef Digits = Text.trim();
  uint64_t Scale = 1;
  static const struct {
    const char *Suffix;
    uint64_t Scale;
  } Suffixes[] = {{"KiB", 1024},      {"MiB", 1024 * 1024}, {"K", 1024},
                  {"M", 1024 * 1024}, {"k", 1024},          {"m", 1024 * 1024}};
  for (const auto &S : Suffixes)
    if (Digits.consume_back(S.Suffix)) {
      Scale = S.Scale;
      break;
    }
  uint64_t Value;
  bool Bad = Digits.startswith_insensitive("0x")
                 ? Digits.drop_front(2).getAsInteger(16, Value)
                 : Digits.getAsInteger(10, Value);
  if (Bad || Digits.empty())
    return createStringError(inconvertibleErrorCode(),
                             "'" + Text +
                                 "' is not a size (expected 16384, "
                                 "0x4000, 16K or 16KiB)");
  if (Value > UINT64_MAX / Scale)
    return createStringError(inconvertibleErrorCode(),
                             "'" + Text + "' is too large");
  return Value * Scale;
}

namespace {

struct Token {
  std::string Text;
  unsigned Line;
};

/// Splits a linker script into words, numbers and operators, dropping
/// comments. The word after INCLUDE is a file name, read whole
/// ("mcu/arm/cortex-m.ld"), as ld's lexer reads it there.
std::vector<Token> tokenize(StringRef Script) {
  std::vector<Token> Tokens;
  unsigned Line = 1;
  auto Word = [&](size_t I, StringRef Stops) {
    size_t End = Script.find_first_of(Stops, I);
    return End == StringRef::npos ? Script.size() : End;
  };
  for (size_t I = 0; I < Script.size();) {
    char C = Script[I];
    StringRef Rest = Script.substr(I);
    bool FileName = !Tokens.empty() && Tokens.back().Text == "INCLUDE";
    if (C == '\n') {
      ++Line;
      ++I;
    } else if (isSpace(C)) {
      ++I;
    } else if (Rest.startswith("/*")) {
      size_t End = Script.find("*/", I + 2);
      End = End == StringRef::npos ? Script.size() : End + 2;
      Line += Script.substr(I, End - I).count('\n');
      I = End;
    } else if (C == '"') {
      size_t End = Script.find('"', I + 1);
      End = End == StringRef::npos ? Script.size() : End;
      Tokens.push_back({Script.slice(I + 1, End).str(), Line});
      I = End + 1;
    } else if (FileName) {
      size_t End = Word(I, " \t\r\n;");
      Tokens.push_back({Script.slice(I, End).str(), Line});
      I = End;
    } else if (Rest.startswith("<<") || Rest.startswith(">>")) {
      Tokens.push_back({Rest.take_front(2).str(), Line});
      I += 2;
    } else if (StringRef("{}():,=;+-*/%&|~<>!?").contains(C)) {
      Tokens.push_back({std::string(1, C), Line});
      ++I;
    } else {
      size_t End = Word(I, " \t\r\n{}():,=;+-*/%&|~<>!?\"");
      Tokens.push_back({Script.slice(I, End).str(), Line});
      I = End;
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

class ScriptReader {
public:
  ScriptReader(const std::vector<std::string> &SearchDirs)
      : SearchDirs(SearchDirs) {}

  Error read(StringRef Path, unsigned Nesting) {
    if (Nesting > 16)
      return inputError(Path, "INCLUDE nests too deep (a cycle?)");
    Expected<std::unique_ptr<MemoryBuffer>> Buffer = readInputFile(Path);
    if (!Buffer)
      return Buffer.takeError();
    return readText(Path, (*Buffer)->getBuffer(), Nesting);
  }

  Error readText(StringRef Path, StringRef Text, unsigned Nesting) {
    std::vector<Token> Tokens = tokenize(Text);
    // MEMORY stands at the top level; an INCLUDE inside SECTIONS brings
    // input-section lines (ramfit's own fragment among them), not regions.
    int Depth = 0;
    for (size_t I = 0; I < Tokens.size(); ++I) {
      if (Tokens[I].Text == "{")
        ++Depth;
      else if (Tokens[I].Text == "}")
        --Depth;
      else if (Tokens[I].Text == "INCLUDE" && Depth > 0)
        ++I;
      else if (Tokens[I].Text == "INCLUDE") {
        if (I + 1 == Tokens.size())
          return inputError(Path, Tokens[I].Line, "INCLUDE without a file");
        Expected<std::string> Included = find(Path, Tokens[++I]);
        if (!Included)
          return Included.takeError();
        if (Error Err = read(*Included, Nesting + 1))
          return Err;
      } else if (Tokens[I].Text == "MEMORY") {
        if (Error Err = readMemory(Path, Tokens, I))
          return Err;
      } else if (Depth == 0 && I + 1 < Tokens.size() &&
                 Tokens[I + 1].Text == "=" && isSymbolName(Tokens[I].Text)) {
        readAssignment(Path, Tokens, I);
      }
    }
    return Error::success();
  }

  std::vector<MemoryRegion> Regions;

private:
  /// Where ld looks: the working directory, then the -L directories. The
  /// including script's own directory comes last, for scripts read away
  /// from their build directory.
  Expected<std::string> find(StringRef Includer, const Token &Name) {
    if (sys::path::is_absolute(Name.Text))
      return sys::fs::exists(Name.Text)
                 ? Expected<std::string>(Name.Text)
                 : inputError(Includer, Name.Line,
                              "INCLUDE '" + Name.Text + "' does not exist");
    SmallVector<std::string, 4> Dirs{"."};
    Dirs.append(SearchDirs.begin(), SearchDirs.end());
    Dirs.push_back(sys::path::parent_path(Includer).str());
    for (const std::string &Dir : Dirs) {
      SmallString<256> Candidate(Dir);
      sys::path::append(Candidate, Name.Text);
      if (sys::fs::is_regular_file(Candidate))
        return Candidate.str().str();
    }
    return inputError(Includer, Name.Line,
                      "INCLUDE '" + Name.Text +
                          "' is found neither in the working directory, nor "
                          "in a -L directory, nor beside the script");
  }

  /// MEMORY { NAME (ATTR) : ORIGIN = EXPR, LENGTH = EXPR ... }
  Error readMemory(StringRef Path, const std::vector<Token> &Tokens,
                   size_t &I) {
    unsigned StartLine = Tokens[I].Line;
    if (++I == Tokens.size() || Tokens[I].Text != "{")
      return inputError(Path, StartLine, "expected '{' after MEMORY");
    for (++I; I < Tokens.size() && Tokens[I].Text != "}";) {
      MemoryRegion Region;
      Region.Name = Tokens[I].Text;
      unsigned Line = Tokens[I].Line;
      if (Region.Name == "{")
        return inputError(Path, Line, "unbalanced '{' in MEMORY");
      ++I;
      if (I < Tokens.size() && Tokens[I].Text == "(") {
        while (I < Tokens.size() && Tokens[I].Text != ")")
          ++I;
        ++I;
      }
      if (I >= Tokens.size() || Tokens[I].Text != ":")
        return inputError(Path, Line,
                          "expected ':' after memory region '" + Region.Name +
                              "'");
      ++I;
      for (int Field = 0; Field < 2; ++Field) {
        if (I + 1 >= Tokens.size() || Tokens[I + 1].Text != "=")
          return inputError(
              Path, Line,
              "expected ORIGIN = and LENGTH = in memory region '" +
                  Region.Name + "'");
        StringRef Key = Tokens[I].Text;
        I += 2;
        Expected<uint64_t> Value = expression(Path, Tokens, I);
        if (!Value)
          return Value.takeError();
        if (Key.startswith_insensitive("o"))
          Region.Origin = *Value;
        else
          Region.Length = *Value;
        if (I < Tokens.size() && Tokens[I].Text == ",")
          ++I;
      }
      Regions.push_back(std::move(Region));
    }
    if (I >= Tokens.size())
      return inputError(Path, StartLine, "MEMORY has no closing '}'");
    return Error::success();
  }

  /// An expression as ld takes it in MEMORY: numbers, symbols assigned
  /// before, ORIGIN() and LENGTH() of regions before, parentheses, unary
  /// - and ~, and * / % + - << >> & | by C's precedence.
  Expected<uint64_t> expression(StringRef Path,
                                const std::vector<Token> &Tokens, size_t &I) {
    ExpressionParser Parser{*this, Path, Tokens, I};
    Expected<uint64_t> Value = Parser.binary(0);
    I = Parser.I;
    return Value;
  }

  struct ExpressionParser {
    ScriptReader &Reader;
    StringRef Path;
    const std::vector<Token> &Tokens;
    size_t I;

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
        Expected<uint64_t> Inner = binary(0);
        if (!Inner)
          return Inner;
        if (peek() != ")")
          return fail("expected ')' in an expression");
        ++I;
        return Inner;
      }
      if (std::optional<uint64_t> Number = parseLdNumber(Text))
        return *Number;
      if ((Text == "ORIGIN" || Text == "LENGTH") && peek() == "(") {
        std::string Region = I + 1 < Tokens.size() ? Tokens[I + 1].Text : "";
        I += 2;
        if (peek() != ")")
          return fail("expected ')' after " + Text + "(" + Region);
        ++I;
        for (const MemoryRegion &R : Reader.Regions)
          if (R.Name == Region)
            return Text == "ORIGIN" ? R.Origin : R.Length;
        return fail(Text + "(" + Region + "): no memory region '" + Region +
                    "' is defined before it");
      }
      auto Symbol = Reader.Symbols.find(Text.str());
      if (Symbol != Reader.Symbols.end())
        return Symbol->second;
      return fail("'" + Text +
                  "' is neither a number nor a symbol assigned before it");
    }
  };

  /// "NAME = EXPR;" at the top level: symbols MEMORY may use. One that
  /// cannot be evaluated here (it uses '.', SIZEOF ...) is left out.
  void readAssignment(StringRef Path, const std::vector<Token> &Tokens,
                      size_t &I) {
    std::string Name = Tokens[I].Text;
    size_t Start = I + 2;
    size_t End = Start;
    while (End < Tokens.size() && Tokens[End].Text != ";")
      ++End;
    std::vector<Token> Expression(Tokens.begin() + Start, Tokens.begin() + End);
    size_t At = 0;
    Expected<uint64_t> Value = expression(Path, Expression, At);
    if (Value && At == Expression.size())
      Symbols[Name] = *Value;
    else
      consumeError(Value.takeError());
    I = End;
  }

  std::map<std::string, uint64_t> Symbols;
  const std::vector<std::string> &SearchDirs;
};

} // namespace

Expected<std::vector<MemoryRegion>>
readMemoryRegions(StringRef ScriptPath,
                  const std::vector<std::string> &SearchDirs) {
  Expected<std::unique_ptr<MemoryBuffer>> Buffer = readInputFile(ScriptPath);
  if (!Buffer)
    return Buffer.takeError();
  return parseMemoryRegions(ScriptPath, (*Buffer)->getBuffer(), SearchDirs);
}

Expected<std::vector<MemoryRegion>>
parseMemoryRegions(StringRef ScriptPath, StringRef Text,
                   const std::vector<std::string> &SearchDirs) {
  ScriptReader Reader(SearchDirs);
  if (Error Err = Reader.readText(ScriptPath, Text, 0))
    return Err;
  if (Reader.Regions.empty())
    return inputError(ScriptPath, "the script has no MEMORY regions");
  return std::move(Reader.Regions);
}

Expected<MemoryRegion> parseRegion(StringRef Text) {
  auto [Name, Range] = Text.split('=');
  auto [OriginText, LengthText] = Range.split(',');
  auto Fail = [&] {
    return createStringError(inconvertibleErrorCode(),
                             "'" + Text +
                                 "' is not a region (expected "
                                 "NAME=ORIGIN,LENGTH such as "
                                 "RAM=0x10000000,128K)");
  };
  if (Name.empty() || OriginText.empty() || LengthText.empty())
    return Fail();
  Expected<uint64_t> Origin = parseSize(OriginText);
  Expected<uint64_t> Length = parseSize(LengthText);
  if (!Origin || !Length || *Length == 0) {
    consumeError(Origin.takeError());
    consumeError(Length.takeError());
    return Fail();
  }
  return MemoryRegion{Name.str(), *Origin, *Length};
}

Expected<MemoryRegion> findRegion(const std::vector<MemoryRegion> &Regions,
                                  StringRef Script, StringRef Name) {
  for (const MemoryRegion &R : Regions)
    if (R.Name == Name)
      return R;
  return inputError(Script, "no memory region '" + Name + "' in MEMORY");
}

Expected<MemoryRegion>
resolveRegion(StringRef Script, StringRef Name,
              const std::vector<std::string> &SearchDirs) {
  if (Name.empty())
    return createStringError(inconvertibleErrorCode(),
                             "check needs --region NAME=ORIGIN,LENGTH, or "
                             "--memory-map SCRIPT --region NAME");
  if (Script.empty())
    return parseRegion(Name);
  Expected<std::vector<MemoryRegion>> Regions =
      readMemoryRegions(Script, SearchDirs);
  if (!Regions)
    return Regions.takeError();
  return findRegion(*Regions, Script, Name);
}

Expected<uint64_t> freeBytes(const std::vector<MemoryRegion> &Regions,
                             StringRef Script, StringRef Region,
                             const Binary &Elf, uint64_t Reserve) {
  Expected<MemoryRegion> Found = findRegion(Regions, Script, Region);
  if (!Found)
    return Found.takeError();
  uint64_t Used = Elf.bytesWithin(Found->Origin, Found->Length);
  if (Used + Reserve >= Found->Length)
    return inputError(
        Script, "region '" + Region + "' has no room: " + Twine(Found->Length) +
                    " bytes, " + Twine(Used) + " used by '" + Elf.path() +
                    "', " + Twine(Reserve) + " reserved");
  return Found->Length - Used - Reserve;
}

Expected<std::string> parseBudget(StringRef Text) {
  if (Text != "auto")
    if (Expected<uint64_t> Size = parseSize(Text); !Size)
      return Size.takeError();
  return Text.str();
}

void warnIfRegionHoldsTheEntry(const MemoryRegion &Region, const Binary &Elf,
                               DiagnosticHandler Diag) {
  if (Region.contains(Elf.entry()))
    warning(Diag, "region '" + Region.Name + "' (0x" +
                      utohexstr(Region.Origin) + "-0x" +
                      utohexstr(Region.Origin + Region.Length) +
                      ") holds the entry point of '" + Elf.path() + "' (0x" +
                      utohexstr(Elf.entry()) +
                      "): it is where the firmware runs from, not the RAM "
                      "that code moves to");
}

Expected<uint64_t> resolveBudget(const BudgetSpec &Spec, const Binary &Elf,
                                 DiagnosticHandler Diag) {
  if (Spec.Size != "auto")
    return parseSize(Spec.Size);
  if (Spec.Script.empty() || Spec.Region.empty())
    return createStringError(inconvertibleErrorCode(),
                             "--budget auto needs --memory-map and --region");
  Expected<uint64_t> Reserve = parseSize(Spec.Reserve);
  if (!Reserve)
    return Reserve.takeError();
  Expected<std::vector<MemoryRegion>> Regions =
      readMemoryRegions(Spec.Script, Spec.SearchDirs);
  if (!Regions)
    return Regions.takeError();
  if (Expected<MemoryRegion> Found =
          findRegion(*Regions, Spec.Script, Spec.Region))
    warnIfRegionHoldsTheEntry(*Found, Elf, Diag);
  else
    consumeError(Found.takeError());
  return freeBytes(*Regions, Spec.Script, Spec.Region, Elf, *Reserve);
}

} // namespace ramfit
