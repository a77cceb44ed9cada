#include "samples/GdbLines.h"
#include "samples/LineParser.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace ramfit {

size_t leadingDigits(StringRef Text) {
  size_t Digits = 0;
  while (Digits < Text.size() && isDigit(Text[Digits]))
    ++Digits;
  return Digits;
}

/// Commands read from a pipe or a script leave gdb's prompt in front of the
/// first line of their output, and in front of nothing for a command that
/// printed nothing: "(gdb) (gdb) $3 = ...".
StringRef stripPrompts(StringRef Line) {
  // Most lines have none: one byte says so, before any comparison.
  if (Line.empty() || Line.front() != '(')
    return Line;
  while (Line.consume_front("(gdb) "))
    ;
  return Line == "(gdb)" ? StringRef() : Line;
}

bool isInterruption(StringRef Line) {
  return Line.startswith("Program received signal") ||
         Line.startswith("Program stopped");
}

/// Lines gdb writes around the samples, none of which is one.
bool isNoise(StringRef Line) {
  // gdb echoes the source line after a stop: "294\t    code", or
  // "74\t../x.S: No such file or directory." No other noise starts with a
  // digit.
  if (!Line.empty() && isDigit(Line.front())) {
    size_t Digits = leadingDigits(Line);
    return Digits < Line.size() && Line[Digits] == '\t';
  }
  static const char *const Prefixes[] = {"Continuing.",
                                         "Quit",
                                         "Interrupted",
                                         "Warning: ",
                                         "warning: ",
                                         "Use 'set logging",
                                         "Copying output to",
                                         "Redirecting output to",
                                         "Done logging to",
                                         "Remote debugging using",
                                         "Remote connection closed",
                                         "Reading symbols from",
                                         "[Inferior",
                                         "[Switching to",
                                         "Breakpoint ",
                                         "Temporary breakpoint",
                                         "Run till exit",
                                         "Loading section",
                                         "Start address",
                                         "Transfer rate",
                                         "Thread ",
                                         "Backtrace stopped:",
                                         "(More stack frames follow",
                                         "No stack.",
                                         "The program is not being run."};
  // Stop lines, one in five lines of a log, start with a function's name:
  // the first byte rules out most prefixes before any is compared.
  if (Line.empty() ||
      none_of(Prefixes, [&](const char *P) { return *P == Line.front(); }))
    return false;
  return any_of(Prefixes,
                [&](const char *Prefix) { return Line.startswith(Prefix); });
}

ValueLine parseValueLine(StringRef Line) {
  size_t Equals = Line.find(" = ");
  if (Equals == StringRef::npos)
    return {ValueLine::NotUnderstood, {}};
  StringRef Value = Line.drop_front(Equals + 3);
  if (Value.startswith("(")) {
    // The type of a code pointer: "(void (*)()) ".
    size_t TypeEnd = Value.find(") 0x");
    if (TypeEnd == StringRef::npos ||
        !Value.take_front(TypeEnd).contains("(*)"))
      return {ValueLine::NotAPc, {}};
    Value = Value.drop_front(TypeEnd + 2);
  } else if (!Value.startswith("0x") || Value.contains(' ')) {
    return {ValueLine::NotAPc, {}};
  }
  auto [AddressText, SymbolPart] = Value.split(' ');
  return {ValueLine::CodeAddress, {AddressText, SymbolPart}};
}

PcText parseInstructionLine(StringRef Line) {
  auto [AddressText, After] = Line.drop_front(3).split(' ');
  // A C++ name may hold '>' of its own: the symbol ends at ">:".
  StringRef SymbolPart;
  size_t End = After.find(">:");
  if (After.startswith("<") && End != StringRef::npos)
    SymbolPart = After.take_front(End + 1);
  return {AddressText.rtrim(':'), SymbolPart};
}

std::optional<PcText> parseRegisterLine(StringRef Line) {
  SmallVector<StringRef, 4> Fields;
  Line.split(Fields, ' ', -1, /*KeepEmpty=*/false);
  SmallVector<StringRef, 4> Words;
  for (StringRef Field : Fields)
    Field.split(Words, '\t', -1, /*KeepEmpty=*/false);
  if (Words.size() < 3 || Words.size() > 4)
    return std::nullopt;
  return PcText{Words[2], Words.size() == 4 ? Words[3] : StringRef()};
}

std::optional<SymbolText> parseSymbolText(StringRef Text) {
  if (!Text.consume_front("<") || !Text.consume_back(">") || Text.empty())
    return std::nullopt;
  // C++ names hold '+' of their own: "<operator++()>", "<operator+(A)+4>".
  size_t Plus = Text.rfind('+');
  StringRef Offset =
      Plus == StringRef::npos ? StringRef() : Text.drop_front(Plus + 1);
  SymbolText Result{Text, 0};
  if (Offset.empty() || !llvm::all_of(Offset, isDigit))
    return Result;
  Result.Symbol = Text.take_front(Plus);
  if (Result.Symbol.empty() || Offset.getAsInteger(10, Result.Offset))
    return std::nullopt;
  return Result;
}

/// The argument list starts at the first " (" outside template brackets:
/// C++ names hold spaces ("f<void ()>", "Filter::operator() (this=...)").
static size_t findArgumentList(StringRef Text) {
  int Depth = 0;
  for (size_t I = 0; I + 1 < Text.size(); ++I) {
    if (Text[I] == '<')
      ++Depth;
    else if (Text[I] == '>' && Depth > 0)
      --Depth;
    else if (Text[I] == ' ' && Text[I + 1] == '(' && Depth == 0)
      return I;
  }
  return StringRef::npos;
}

std::optional<Location> parseLocation(StringRef Text) {
  Location Result;
  if (Text.startswith("0x")) {
    // The digits, then " in ": read in place, one pass, as this runs for
    // every stop line and frame.
    size_t Digits = 2;
    while (Digits < Text.size() && isHexDigit(Text[Digits]))
      ++Digits;
    Result.Address = parseHex(Text.take_front(Digits));
    if (!Result.Address || !Text.drop_front(Digits).startswith(" in "))
      return std::nullopt;
    Text = Text.drop_front(Digits + 4);
    if (Text.empty())
      return std::nullopt;
  }
  size_t ArgsStart = findArgumentList(Text);
  if (ArgsStart == StringRef::npos || ArgsStart == 0)
    return std::nullopt;
  Result.Function = Text.take_front(ArgsStart);
  if (Result.Function == "??")
    Result.Function = "";
  StringRef Rest = Text.drop_front(ArgsStart + 1);
  // The last ") at ", by hand: StringRef::rfind compares at every position.
  size_t At = StringRef::npos;
  for (size_t I = Rest.size(); I-- > 0;)
    if (Rest[I] == ')' && Rest.substr(I).startswith(") at ")) {
      At = I;
      break;
    }
  if (At != StringRef::npos) {
    auto [File, Line] = Rest.drop_front(At + 5).rsplit(':');
    unsigned LineNumber;
    if (File.empty() || Line.getAsInteger(10, LineNumber))
      return std::nullopt;
    Result.File = File;
    return Result;
  }
  if (Rest.endswith(")") || Rest.contains(") from "))
    return Result;
  return std::nullopt;
}

bool isGdbLogMarker(StringRef RawLine) {
  StringRef Line = stripPrompts(RawLine);
  if (Line.startswith("$") && Line.contains(" = "))
    return true;
  if (Line.size() > 1 && Line[0] == '#' && isDigit(Line[1]))
    return true;
  return isInterruption(Line) || Line.startswith("Continuing.") ||
         Line.startswith("=> 0x");
}

} // namespace ramfit
