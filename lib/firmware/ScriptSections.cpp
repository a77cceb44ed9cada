#include "firmware/ScriptSections.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace ramfit {

static bool globMatches(StringRef Pattern, StringRef Text) {
  Expected<GlobPattern> Glob = GlobPattern::create(Pattern);
  if (!Glob) {
    consumeError(Glob.takeError());
    return Pattern == Text;
  }
  return Glob->match(Text);
}

bool InputPattern::matches(const InputSection &Section) const {
  if (none_of(Sections, [&](const std::string &P) {
        return globMatches(P, Section.Name);
      }))
    return false;
  // "libgcc.a(_udivsi3.o)" is member _udivsi3.o of archive libgcc.a.
  StringRef Object = Section.Object;
  StringRef Archive, Member;
  if (Object.endswith(")") && Object.contains("(")) {
    std::tie(Archive, Member) = Object.drop_back().split('(');
  }
  auto [FilePart, MemberPart] = StringRef(File).split(':');
  if (StringRef(File).contains(':'))
    return !Archive.empty() && globMatches(FilePart, Archive) &&
           globMatches(MemberPart, Member);
  return globMatches(File, Object) ||
         (!Archive.empty() && globMatches(File, Member));
}

namespace {

/// A script's text read with a cursor: words, balanced parentheses and
/// braces, comments skipped, lines counted.
class Cursor {
public:
  Cursor(StringRef Path, StringRef Text) : Path(Path.str()), Text(Text) {}

  void skipBlanks() {
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
  bool atEnd() {
    skipBlanks();
    return Pos >= Text.size();
  }
  char peek() {
    skipBlanks();
    return Pos < Text.size() ? Text[Pos] : '\0';
  }
  bool consume(char C) {
    if (peek() != C)
      return false;
    ++Pos;
    return true;
  }
  /// Up to a blank or one of Stops.
  StringRef word(StringRef Stops = "(){};") {
    skipBlanks();
    size_t Start = Pos;
    while (Pos < Text.size() && !isSpace(Text[Pos]) &&
           !Stops.contains(Text[Pos]) && !Text.substr(Pos).startswith("/*"))
      ++Pos;
    return Text.slice(Start, Pos);
  }
  /// Past the ')' or '}' that closes the one just consumed; the text inside.
  StringRef skipBalanced(char Open, char Close) {
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
  /// Past the next ';' at this level (an assignment or a command).
  void skipStatement() {
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
  Error error(const Twine &Message) const {
    return inputError(Path, Line, Message);
  }

  std::string Path;
  StringRef Text;
  size_t Pos = 0;
  unsigned Line = 1;
};

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
    Cursor C(Path, (*Buffer)->getBuffer());
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
  Error include(Cursor &C, unsigned Nesting, ReadFn Read,
                OutputSection *Into = nullptr) {
    StringRef Name = C.word(";");
    // ld takes 'INCLUDE "mcu/riscv/virt.ld"' as the file inside the quotes,
    // as the MEMORY reader does (LinkerScript.h).
    if (Name.size() >= 2 && Name.front() == '"' && Name.back() == '"')
      Name = Name.drop_front().drop_back();
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

  Expected<std::string> find(StringRef Includer, unsigned Line,
                             StringRef Name) {
    // By its name as written, or by its file name ("build/ramtext.ld").
    for (const auto &[Included, Instead] : Replaced)
      if (Name == Included || sys::path::filename(Name) == Included)
        return Instead;
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

  Error sectionsFile(StringRef Path, unsigned Nesting) {
    Expected<std::unique_ptr<MemoryBuffer>> Buffer = open(Path, Nesting);
    if (!Buffer)
      return Buffer.takeError();
    Cursor C(Path, (*Buffer)->getBuffer());
    return sections(C, Nesting, /*WholeFile=*/true);
  }

  /// The inside of SECTIONS { ... }: output sections, assignments,
  /// commands, INCLUDEs.
  Error sections(Cursor &C, unsigned Nesting, bool WholeFile = false) {
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
  void trailer(Cursor &C, OutputSection &Out) {
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
    Cursor C(Path, (*Buffer)->getBuffer());
    return contents(C, Nesting, Out, /*WholeFile=*/true);
  }

  /// An output section's contents, up to its '}'.
  Error contents(Cursor &C, unsigned Nesting, OutputSection &Out,
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
      Pattern.File = Word.empty() ? "*" : Word.str();
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
      Pattern.Text = (Keep ? "KEEP(" : "") + Pattern.File + "(" +
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
