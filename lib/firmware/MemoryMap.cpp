#include "firmware/MemoryMap.h"
#include "firmware/LinkerScript.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include <map>

using namespace llvm;

namespace ramfit {

Expected<uint64_t> parseSize(StringRef Text) {
  StringRef Digits = Text.trim();
  uint64_t Scale = 1;
  static const struct {
    const char *Suffix;
    uint64_t Scale;
  } Suffixes[] = {
      {"KiB", 1024}, {"MiB", 1024 * 1024}, {"GiB", 1024ull * 1024 * 1024},
      {"K", 1024},   {"M", 1024 * 1024},   {"G", 1024ull * 1024 * 1024},
      {"k", 1024},   {"m", 1024 * 1024},   {"g", 1024ull * 1024 * 1024}};
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

class ScriptReader {
public:
  ScriptReader(const std::vector<std::string> &SearchDirs)
      : SearchDirs(SearchDirs) {}

  Error read(StringRef Path, unsigned Nesting) {
    if (Nesting > 16)
      return inputError(Path, "INCLUDE nests too deep (a cycle?)");
    Files.push_back(Path.str());
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
        ++I;
        Expected<std::string> Included =
            findInclude(Path, Tokens[I].Line, Tokens[I].Text, SearchDirs);
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
  /// The files read, the script first.
  std::vector<std::string> Files;

private:
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
    return evaluateExpression(Path, Tokens, I, Regions, Symbols);
  }

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

Expected<std::vector<std::string>>
memoryMapFiles(StringRef ScriptPath,
               const std::vector<std::string> &SearchDirs) {
  ScriptReader Reader(SearchDirs);
  if (Error Err = Reader.read(ScriptPath, 0))
    return Err;
  return std::move(Reader.Files);
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

} // namespace ramfit
