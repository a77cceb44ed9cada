#include "firmware/ScriptSections.h"
#include "firmware/LinkerScript.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace ramfit {

bool InputPattern::matches(const InputSection &Section) const {
  return any_of(Sections,
                [&](const NameGlob &Name) {
                  return Name.matches(Section.Name);
                }) &&
         File.matches(Section.Object);
}

namespace {

/// Commands that may stand among input-section descriptions and hold no
/// pattern.
bool isCommand(StringRef Word) {
  return StringSwitch<bool>(Word)
      .Cases("PROVIDE", "PROVIDE_HIDDEN", "HIDDEN", "ASSERT", "BYTE", "SHORT",
             true)
      .Cases("LONG", "QUAD", "SQUAD", "FILL", "CREATE_OBJECT_SYMBOLS", true)
      .Cases("CONSTRUCTORS", "ENTRY", "OUTPUT_ARCH", "OUTPUT_FORMAT", true)
      .Cases("SEARCH_DIR", "STARTUP", "TARGET", "NOCROSSREFS", true)
      .Default(false);
}

class SectionsReader {
public:
  SectionsReader(const std::vector<std::string> &SearchDirs,
                 const std::map<std::string, std::string> &Replaced)
      : SearchDirs(SearchDirs), Replaced(Replaced) {}

  /// A whole script: SECTIONS blocks, and INCLUDEs that may hold them.
  Error script(StringRef Path, unsigned Nesting) {
    Expected<std::unique_ptr<MemoryBuffer>> Buffer = open(Path, Nesting);
    if (!Buffer)
      return Buffer.takeError();
    ScriptCursor C(Path, (*Buffer)->getBuffer());
    while (!C.atEnd()) {
      StringRef Word = C.word();
      if (Word == "SECTIONS") {
        if (!C.consume('{'))
          return C.error("SECTIONS without '{'");
        if (Error Err = sections(C, Nesting))
          return Err;
      } else if (Word == "INCLUDE") {
        if (Error Err = include(C, Nesting, &SectionsReader::script))
          return Err;
      } else if (Word.empty()) {
        // '{', '(' or ';' of a command this reader does not need.
        char Open = C.Text[C.Pos++];
        if (Open == '{')
          C.skipBalanced('{', '}');
        else if (Open == '(')
          C.skipBalanced('(', ')');
      }
    }
    return Error::success();
  }

  std::vector<OutputSection> Sections;

private:
  Expected<std::unique_ptr<MemoryBuffer>> open(StringRef Path,
                                               unsigned Nesting) {
    if (Nesting > 16)
      return inputError(Path, "INCLUDE nests too deep (a cycle?)");
    return readInputFile(Path);
  }

  /// INCLUDE FILE where it stands, read by Read (a script, the inside of
  /// SECTIONS, or an output section's contents).
  template <typename ReadFn>
  Error include(ScriptCursor &C, unsigned Nesting, ReadFn Read,
                OutputSection *Into = nullptr) {
    StringRef Name = C.word(";");
    unsigned Line = C.Line;
    C.consume(';');
    Expected<std::string> Found = find(C.Path, Line, Name);
    if (!Found)
      return Found.takeError();
    if constexpr (std::is_same_v<ReadFn, Error (SectionsReader::*)(StringRef,
                                                                   unsigned)>)
      return (this->*Read)(*Found, Nesting + 1);
    else
      return (this->*Read)(*Found, Nesting + 1, *Into);
  }

  /// 'INCLUDE NAME' reads Replaced[NAME] instead, by its name as written
  /// or by its file name ("build/ramtext.ld").
  Expected<std::string> find(StringRef Includer, unsigned Line,
                             StringRef Name) {
    Name = includeName(Name);
    for (const auto &[Included, Instead] : Replaced)
      if (Name == Included || sys::path::filename(Name) == Included)
        return Instead;
    return findInclude(Includer, Line, Name, SearchDirs);
  }

  Error sectionsFile(StringRef Path, unsigned Nesting) {
    Expected<std::unique_ptr<MemoryBuffer>> Buffer = open(Path, Nesting);
    if (!Buffer)
      return Buffer.takeError();
    ScriptCursor C(Path, (*Buffer)->getBuffer());
    return sections(C, Nesting, /*WholeFile=*/true);
  }

  /// The inside of SECTIONS { ... }: output sections, assignments,
  /// commands, INCLUDEs.
  Error sections(ScriptCursor &C, unsigned Nesting, bool WholeFile = false) {
    while (true) {
      if (C.atEnd()) {
        if (WholeFile)
          return Error::success();
        return C.error("SECTIONS has no closing '}'");
      }
      if (C.consume('}'))
        return Error::success();
      unsigned Line = (C.skipBlanks(), C.Line);
      size_t Start = C.Pos;
      StringRef Word = C.word("(){};:=");
      if (Word == "INCLUDE") {
        if (Error Err = include(C, Nesting, &SectionsReader::sectionsFile))
          return Err;
        continue;
      }
      // An output section is "NAME [ADDRESS] [(TYPE)] : [AT(LMA)] ... {":
      // a ':' before the first '{' or ';'.
      size_t Brace = C.Text.find('{', Start), Semi = C.Text.find(';', Start);
      size_t Colon = C.Text.find(':', Start);
      if (Word.empty() || Brace == StringRef::npos ||
          (Semi != StringRef::npos && Semi < Brace) || Colon > Brace) {
        C.Pos = Start;
        C.skipStatement();
        continue;
      }
      OutputSection Out;
      Out.Name = Word.str();
      Out.Script = C.Path;
      Out.Line = Line;
      Line += C.Text.slice(C.Pos, Brace).count('\n');
      C.Pos = Brace + 1;
      C.Line = Line;
      if (Error Err = contents(C, Nesting, Out))
        return Err;
      trailer(C, Out);
      Sections.push_back(std::move(Out));
    }
  }

  /// "> REGION AT > LOAD :PHDR = FILL" after an output section's '}'.
  void trailer(ScriptCursor &C, OutputSection &Out) {
    while (true) {
      if (C.consume('>')) {
        Out.Region = C.word("(){};:=,>").str();
      } else if (C.peek() == 'A' && C.Text.substr(C.Pos).startswith("AT") &&
                 C.Text.substr(C.Pos + 2).ltrim().startswith(">")) {
        C.Pos += 2;
        C.consume('>');
        Out.LoadRegion = C.word("(){};:=,>").str();
      } else if (C.consume(':') || C.consume('=')) {
        C.word("(){};:=,>");
      } else {
        C.consume(',');
        return;
      }
    }
  }

  Error contentsFile(StringRef Path, unsigned Nesting, OutputSection &Out) {
    Expected<std::unique_ptr<MemoryBuffer>> Buffer = open(Path, Nesting);
    if (!Buffer)
      return Buffer.takeError();
    ScriptCursor C(Path, (*Buffer)->getBuffer());
    return contents(C, Nesting, Out, /*WholeFile=*/true);
  }

  /// An output section's contents, up to its '}'.
  Error contents(ScriptCursor &C, unsigned Nesting, OutputSection &Out,
                 bool WholeFile = false) {
    while (true) {
      if (C.atEnd()) {
        if (WholeFile)
          return Error::success();
        return C.error("output section '" + Out.Name + "' has no closing '}'");
      }
      if (C.consume('}'))
        return Error::success();
      size_t Start = C.Pos;
      unsigned Line = C.Line;
      StringRef Word = C.word("(){};=");
      if (Word == "INCLUDE") {
        if (Error Err =
                include(C, Nesting, &SectionsReader::contentsFile, &Out))
          return Err;
        continue;
      }
      if (Word.empty() || isCommand(Word) || C.peek() == '=' ||
          Word.contains('=') || Word == "." || Word.startswith(".=")) {
        C.Pos = Start;
        C.skipStatement();
        continue;
      }
      bool Keep = Word == "KEEP";
      if (Keep) {
        if (!C.consume('('))
          return C.error("KEEP without '('");
        Word = C.word("(){};=");
      }
      InputPattern Pattern;
      Pattern.Script = C.Path;
      Pattern.Line = Line;
      // SORT(...) and EXCLUDE_FILE(...) around the file pattern.
      while ((Word.startswith("SORT") || Word == "EXCLUDE_FILE") &&
             C.consume('(')) {
        C.skipBalanced('(', ')');
        Word = C.word("(){};=");
      }
      Pattern.File = FilePattern(Word.empty() ? "*" : Word.str());
      if (!C.consume('('))
        return C.error("expected '(' after the file pattern '" + Word +
                       "' of output section '" + Out.Name + "'");
      StringRef Inside = C.skipBalanced('(', ')');
      SmallVector<StringRef, 4> Names;
      SplitString(Inside, Names, " \t\r\n");
      for (StringRef Name : Names) {
        Name = Name.trim();
        // SORT(.text.*) and EXCLUDE_FILE(...) inside: the names they wrap.
        if (Name.contains('(')) {
          Name = Name.substr(Name.find('(') + 1);
          if (Name.empty())
            continue;
        }
        Name = Name.rtrim(')');
        if (!Name.empty())
          Pattern.Sections.push_back(Name.str());
      }
      if (Keep)
        C.consume(')');
      Pattern.Text = (Keep ? "KEEP(" : "") + Pattern.File.text() + "(" +
                     join(Names, " ") + ")" + (Keep ? ")" : "");
      Out.Patterns.push_back(std::move(Pattern));
    }
  }

  const std::vector<std::string> &SearchDirs;
  const std::map<std::string, std::string> &Replaced;
};

} // namespace

Expected<std::vector<OutputSection>>
readOutputSections(StringRef Path, const std::vector<std::string> &SearchDirs,
                   const std::map<std::string, std::string> &Replaced) {
  SectionsReader Reader(SearchDirs, Replaced);
  if (Error Err = Reader.script(Path, 0))
    return Err;
  return std::move(Reader.Sections);
}

} // namespace ramfit
