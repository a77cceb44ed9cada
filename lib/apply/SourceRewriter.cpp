#include "apply/SourceRewriter.h"
#include "apply/DefinitionFinder.h"
#include "support/Diagnostics.h"
#include "support/Output.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Core/Replacement.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ThreadPool.h"
#include <map>
#include <mutex>
#include <set>

using namespace llvm;
using namespace clang;

namespace ramfit {

Expected<std::string> parseSectionPrefix(StringRef Section) {
  // The prefix becomes part of a section name in an attribute's string.
  if (Section.empty() || Section.find_first_of(" \t\"\\") != StringRef::npos)
    return createStringError(inconvertibleErrorCode(),
                             "'" + Section +
                                 "' is not a section name: it must be "
                                 "non-empty, without blanks or quotes");
  return Section.str();
}

Expected<AnnotationStyle> AnnotationStyle::parse(StringRef Spec,
                                                 StringRef Section) {
  AnnotationStyle Style;
  Expected<std::string> SectionName = parseSectionPrefix(Section);
  if (!SectionName)
    return SectionName.takeError();
  Style.Section = std::move(*SectionName);
  auto [Kind, Text] = Spec.split('=');
  if (Kind == "attribute" && Text.empty())
    return Style;
  if ((Kind == "macro" || Kind == "prefix") && !Text.empty()) {
    Style.Style = Kind == "macro" ? Macro : Prefix;
    Style.Text = Text.str();
    return Style;
  }
  return createStringError(inconvertibleErrorCode(),
                           "unknown annotation style '" + Spec +
                               "' (accepted: attribute, macro=NAME, "
                               "prefix=TEXT)");
}

Expected<PathMap> PathMap::parse(StringRef Spec) {
  auto [From, To] = Spec.split('=');
  if (From.empty() || To.empty())
    return createStringError(inconvertibleErrorCode(),
                             "'" + Spec + "' is not OLD=NEW");
  return PathMap{From.rtrim('/').str(), To.rtrim('/').str()};
}

namespace {

bool isInside(StringRef Path, StringRef Root) {
  return Path.startswith(Root) &&
         (Path.size() == Root.size() || Path[Root.size()] == '/');
}

/// The name a planned unit has in the source: GCC's clones and parts
/// ("f.constprop.0", "f.cold") are f. A C++ function keeps its mangled name,
/// which tells overloads apart.
StringRef sourceName(StringRef UnitName) { return UnitName.split('.').first; }

/// The planned units to look for in one translation unit.
struct Job {
  tooling::CompileCommand Command;
  std::vector<const PlannedUnit *> Units;
};

} // namespace

/// Where each planned unit's source is now, "" where it is nowhere.
using SourceFiles = std::map<const PlannedUnit *, std::string>;

/// The plan holds the absolute paths DWARF gave at build time. A tree that
/// moved since is found through the path maps, or else by the longest tail
/// of the path that exists under the source root; a note says where.
static SourceFiles locateSources(const Plan &P, ArrayRef<PathMap> Maps,
                                 StringRef Root, AnnotateResult &Result) {
  SourceFiles Sources;
  std::set<std::pair<std::string, std::string>> Moves;
  for (const PlannedUnit &Unit : P.Units) {
    std::string &File = Sources[&Unit];
    if (Unit.File.empty())
      continue;
    StringRef Planned = Unit.File;
    for (const PathMap &Map : Maps)
      if (isInside(Planned, Map.From)) {
        File = realPath(Map.To + Planned.drop_front(Map.From.size()).str());
        break;
      }
    if (File.empty())
      File = realPath(Planned);
    if (!File.empty() || !sys::path::is_absolute(Planned))
      continue;
    // "/old/tree/py/vm.c": try ROOT/tree/py/vm.c, then ROOT/py/vm.c, then
    // ROOT/vm.c.
    for (size_t Slash = Planned.find('/', 1); Slash != StringRef::npos;
         Slash = Planned.find('/', Slash + 1)) {
      std::string Candidate =
          realPath(Root.str() + Planned.substr(Slash).str());
      if (Candidate.empty() || !sys::fs::is_regular_file(Candidate))
        continue;
      File = Candidate;
      Moves.insert(
          {Planned.drop_back(Planned.size() - Slash).str(), Root.str()});
      break;
    }
  }
  for (const auto &[From, To] : Moves)
    Result.Notes.push_back("the plan's sources under '" + From +
                           "' are read under '" + To +
                           "': the tree has moved since the ELF was built "
                           "(--path-map OLD=NEW says so explicitly)");
  return Sources;
}

static Expected<std::map<std::string, Job>>
planJobs(const Plan &P, const tooling::CompilationDatabase &Database,
         StringRef Root, const SourceFiles &Sources, AnnotateResult &Result) {
  std::vector<tooling::CompileCommand> Commands =
      Database.getAllCompileCommands();
  std::map<std::string, Job> Jobs;
  for (const PlannedUnit &Unit : P.Units) {
    if (Unit.File.empty()) {
      Result.Left.push_back({Unit.Name, "the plan has no source file for it"});
      continue;
    }
    std::string File = Sources.at(&Unit);
    // Library code comes out of an archive whose sources were never here.
    if (File.empty() && StringRef(Unit.Object).contains(".a(")) {
      Result.Left.push_back({Unit.Name, "its source file '" + Unit.File +
                                            "' does not exist: it is library "
                                            "code, from " +
                                            Unit.Object});
      continue;
    }
    if (File.empty()) {
      Result.Left.push_back({Unit.Name,
                             "its source file '" + Unit.File +
                                 "' does not exist, nor does any tail of its "
                                 "path under the source root (--path-map "
                                 "OLD=NEW says where the tree went)",
                             /*Failed=*/true});
      continue;
    }
    if (!isInside(File, Root)) {
      Result.Left.push_back({Unit.Name, "its source file '" + Unit.File +
                                            "' is outside the source root"});
      continue;
    }
    // The object the map named picks the translation unit; a function in a
    // header is found through it too.
    const tooling::CompileCommand *Chosen = nullptr;
    for (const tooling::CompileCommand &Command : Commands) {
      SmallString<256> Output(Command.Output);
      sys::fs::make_absolute(Command.Directory, Output);
      SmallString<256> Source(Command.Filename);
      sys::fs::make_absolute(Command.Directory, Source);
      if ((!Unit.Object.empty() && realPath(Output) == realPath(Unit.Object)) ||
          (!Chosen && realPath(Source) == File))
        Chosen = &Command;
    }
    if (!Chosen) {
      Result.Left.push_back(
          {Unit.Name,
           "no compile command in compile_commands.json builds " + File,
           /*Failed=*/true});
      continue;
    }
    Job &J = Jobs[Chosen->Filename];
    J.Command = *Chosen;
    J.Units.push_back(&Unit);
  }
  return Jobs;
}

/// Picks the definition the plan meant: same name and file, at the planned
/// line, or the only one when the file has moved on since the build.
static const Definition *choose(const PlannedUnit &Unit, StringRef File,
                                const std::vector<Definition> &Found,
                                AnnotateResult &Result) {
  std::vector<const Definition *> InFile;
  for (const Definition &D : Found)
    if (D.Name == sourceName(Unit.Name) && D.File == File)
      InFile.push_back(&D);
  for (const Definition *D : InFile)
    if (D->Line == Unit.Line)
      return D;
  if (InFile.size() == 1) {
    // A plan written by hand may give no line; then nothing has moved.
    if (Unit.Line)
      Result.Notes.push_back(Unit.Name + " was planned at " + Unit.File + ":" +
                             std::to_string(Unit.Line) +
                             " and is now at line " +
                             std::to_string(InFile.front()->Line));
    return InFile.front();
  }
  Result.Left.push_back({Unit.Name,
                         InFile.empty()
                             ? "no definition of it in " + File.str()
                             : "several definitions of it in " + File.str() +
                                   " and none at the planned line",
                         /*Failed=*/true});
  return nullptr;
}

static tooling::Replacement edit(const Definition &D,
                                 const AnnotationStyle &Style) {
  switch (Style.Style) {
  case AnnotationStyle::Attribute:
    return tooling::Replacement(D.File, D.BeginOffset, 0,
                                "__attribute__((section(\"" + Style.Section +
                                    "." + D.Name + "\"))) ");
  case AnnotationStyle::Prefix:
    return tooling::Replacement(D.File, D.BeginOffset, 0, Style.Text + " ");
  case AnnotationStyle::Macro:
    return tooling::Replacement(D.File, D.NameOffset, D.Spelled.size(),
                                Style.Text + "(" + D.Spelled + ")");
  }
  llvm_unreachable("every style is handled");
}

/// BuildDir's compile_commands.json; Clang's own search would fall back to
/// other databases and hide what is wrong with this one.
static Expected<std::unique_ptr<tooling::CompilationDatabase>>
loadCompileCommands(StringRef BuildDir) {
  SmallString<256> Path(BuildDir);
  sys::path::append(Path, "compile_commands.json");
  if (!sys::fs::exists(Path))
    return inputError(BuildDir,
                      "no compile_commands.json here (CMake writes one with "
                      "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON, bear for make)");
  std::string Message;
  std::unique_ptr<tooling::CompilationDatabase> Database =
      tooling::JSONCompilationDatabase::loadFromFile(
          Path, Message, tooling::JSONCommandLineSyntax::AutoDetect);
  if (!Database)
    return inputError(Path, "not a valid compilation database: " +
                                StringRef(Message).rtrim('.').lower());
  return Database;
}

Expected<AnnotateResult> annotate(const Plan &P,
                                  const AnnotateOptions &Options) {
  AnnotateResult Result;
  std::string Root = realPath(Options.SourceRoot);
  if (Root.empty() || !sys::fs::is_directory(Root))
    return inputError(Options.SourceRoot, "the source root is not a directory");
  Expected<std::unique_ptr<tooling::CompilationDatabase>> Database =
      loadCompileCommands(Options.BuildDir);
  if (!Database)
    return Database.takeError();
  SourceFiles Sources = locateSources(P, Options.PathMaps, Root, Result);
  Expected<std::map<std::string, Job>> Jobs =
      planJobs(P, **Database, Root, Sources, Result);
  if (!Jobs)
    return Jobs.takeError();

  CrossCommands Adapter(Options.ResourceDir);
  std::mutex Lock;
  std::map<std::string, ParsedFile> Parsed;
  ThreadPool Pool(hardware_concurrency(Options.Threads));
  size_t Done = 0;
  for (const auto &[File, J] : *Jobs) {
    Pool.async([&, File = File, Job = &J] {
      std::vector<std::string> Names;
      for (const PlannedUnit *Unit : Job->Units)
        Names.push_back(sourceName(Unit->Name).str());
      ParsedFile Outcome = parseFile(
          Job->Command, Names,
          Options.Style.Style == AnnotationStyle::Macro ? Options.Style.Text
                                                        : "",
          Adapter);
      std::lock_guard<std::mutex> Guard(Lock);
      Parsed[File] = std::move(Outcome);
      if (Options.Progress)
        Options.Progress(++Done, Jobs->size(), File);
    });
  }
  Pool.wait();

  std::map<std::string, tooling::Replacements> Edits;
  // GCC takes the attribute on the definition alone: prototypes stay as
  // they are, which is said once.
  size_t WithPrototypes = 0;
  std::string FirstPrototype;
  for (const auto &[File, J] : *Jobs) {
    const ParsedFile &Outcome = Parsed[File];
    for (const PlannedUnit *Unit : J.Units) {
      if (!Outcome.Failure.empty()) {
        Result.Left.push_back(
            {Unit->Name, File + ": " + Outcome.Failure, /*Failed=*/true});
        continue;
      }
      const Definition *D =
          choose(*Unit, Sources.at(Unit), Outcome.Definitions, Result);
      if (!D)
        continue;
      if (D->HasSection) {
        Result.AlreadyAnnotated.push_back(Unit->Name);
        continue;
      }
      if (!D->Obstacle.empty()) {
        Result.Left.push_back({Unit->Name, D->Obstacle});
        continue;
      }
      if (D->IsQualified && Options.Style.Style == AnnotationStyle::Macro) {
        Result.Left.push_back(
            {Unit->Name, "a macro cannot wrap a C++ member's or namespaced "
                         "function's name (--style attribute or prefix can)"});
        continue;
      }
      if (!isInside(D->File, Root)) {
        Result.Left.push_back({Unit->Name, "its definition in '" + D->File +
                                               "' is outside the source root"});
        continue;
      }
      if (Options.Style.Style == AnnotationStyle::Macro && !D->MacroVisible) {
        Result.Left.push_back(
            {Unit->Name,
             "the macro " + Options.Style.Text + " is not defined where " +
                 D->File + ":" + std::to_string(D->Line) +
                 " defines it: include the header that defines it",
             /*Failed=*/true});
        continue;
      }
      if (!D->Prototypes.empty() && WithPrototypes++ == 0)
        FirstPrototype = D->Name + " at " + D->Prototypes.front();
      if (Error Err = Edits[D->File].add(edit(*D, Options.Style))) {
        consumeError(std::move(Err)); // the same definition planned twice
        continue;
      }
      Result.Annotated.push_back(Unit->Name);
    }
  }

  if (WithPrototypes)
    Result.Notes.push_back(
        std::to_string(WithPrototypes) +
        " annotated function(s) also have prototypes, which need no "
        "attribute and are left as they are (the first: " +
        FirstPrototype + ")");

  for (const auto &[File, Replacements] : Edits) {
    Expected<std::unique_ptr<MemoryBuffer>> Buffer = readInputFile(File);
    if (!Buffer)
      return Buffer.takeError();
    Expected<std::string> After =
        tooling::applyAllReplacements((*Buffer)->getBuffer(), Replacements);
    if (!After)
      return inputError(File, toString(After.takeError()));
    Result.Edits.push_back({File, (*Buffer)->getBuffer().str(), *After});
  }
  return Result;
}

} // namespace ramfit
