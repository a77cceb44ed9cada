//===- SourceJobs.cpp - Which file and command hold each planned function -===//

#include "apply/SourceJobs.h"
#include "support/Diagnostics.h"
#include "support/Output.h"

#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <set>

using namespace llvm;
using namespace clang;

namespace ramfit {

bool isInsideRoot(StringRef Path, StringRef Root) {
  return Path.startswith(Root) &&
         (Path.size() == Root.size() || Path[Root.size()] == '/');
}

/// The plan holds the absolute paths DWARF gave at build time. A tree that
/// moved since, or a plan made in another checkout, is found through the
/// path maps, or else by the longest tail of the path that exists under the
/// source root; a note says where.
SourceFiles locateSources(ArrayRef<const PlannedUnit *> Units,
                          ArrayRef<PathMap> Maps, StringRef Root,
                          AnnotateResult &Result) {
  SourceFiles Sources;
  std::set<std::pair<std::string, std::string>> Moves;
  for (const PlannedUnit *Target : Units) {
    const PlannedUnit &Unit = *Target;
    std::string &File = Sources[&Unit];
    if (Unit.File.empty())
      continue;
    StringRef Planned = Unit.File;
    for (const PathMap &Map : Maps)
      if (isInsideRoot(Planned, Map.From)) {
        File = realPath(Map.To + Planned.drop_front(Map.From.size()).str());
        break;
      }
    if (File.empty())
      File = realPath(Planned);
    // A file that is there, under the root, is the one. One that is not,
    // or is in another checkout than the root, is looked for under the
    // root: "/old/tree/py/vm.c" as ROOT/tree/py/vm.c, then ROOT/py/vm.c,
    // then ROOT/vm.c.
    if ((!File.empty() && isInsideRoot(File, Root)) ||
        !sys::path::is_absolute(Planned))
      continue;
    // A file of the other checkout is matched by a folder and a name at
    // least: "/usr/include/string.h" is not the tree's own "string.h".
    size_t LastSlash = File.empty() ? StringRef::npos : Planned.rfind('/');
    for (size_t Slash = Planned.find('/', 1);
         Slash != StringRef::npos && Slash != LastSlash;
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
                           "': the tree has moved since the ELF was built, or "
                           "the plan was made in another checkout (--path-map "
                           "OLD=NEW says so explicitly)");
  return Sources;
}

/// The scope's folders as real paths, relative ones under Root.
static std::vector<std::string> scopeDirs(ArrayRef<std::string> Scope,
                                          StringRef Root) {
  std::vector<std::string> Dirs;
  for (const std::string &Dir : Scope) {
    SmallString<256> Path(Root);
    if (sys::path::is_absolute(Dir))
      Path = Dir;
    else
      sys::path::append(Path, Dir);
    std::string Real = realPath(Path);
    Dirs.push_back(Real.empty() ? std::string(Path) : Real);
  }
  return Dirs;
}

std::map<std::string, Job>
planJobs(ArrayRef<const PlannedUnit *> Units,
         const tooling::CompilationDatabase &Database, StringRef Root,
         ArrayRef<std::string> Scope, const SourceFiles &Sources,
         AnnotateResult &Result) {
  std::vector<tooling::CompileCommand> Commands =
      Database.getAllCompileCommands();
  std::vector<std::string> ScopeDirs = scopeDirs(Scope, Root);
  std::map<std::string, Job> Jobs;
  for (const PlannedUnit *Target : Units) {
    const PlannedUnit &Unit = *Target;
    if (Unit.File.empty()) {
      Result.Left.push_back({Unit.Name, "the plan has no source file for it",
                             false, "the plan has no source file for them"});
      continue;
    }
    std::string File = Sources.at(&Unit);
    // Library code comes out of an archive whose sources were never here.
    if (File.empty() && StringRef(Unit.Object).contains(".a(")) {
      Result.Left.push_back(
          {Unit.Name,
           "its source file '" + Unit.File +
               "' does not exist: it is library code, from " + Unit.Object,
           false, "library code, whose sources are not here"});
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
    if (!isInsideRoot(File, Root)) {
      Result.Left.push_back(
          {Unit.Name,
           "its source file '" + Unit.File + "' is outside the source root",
           false, "their sources are outside the source root"});
      continue;
    }
    if (!ScopeDirs.empty() &&
        llvm::none_of(ScopeDirs, [&](const std::string &Dir) {
          return isInsideRoot(File, Dir);
        })) {
      Result.Left.push_back(
          {Unit.Name, "its source file '" + File + "' is outside the scope",
           false, "their sources are outside the scope"});
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

/// BuildDir's compile_commands.json; Clang's own search would fall back to
/// other databases and hide what is wrong with this one.
Expected<std::unique_ptr<tooling::CompilationDatabase>>
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

} // namespace ramfit
