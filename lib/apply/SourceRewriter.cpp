#include "apply/SourceRewriter.h"
#include "apply/AnnotationDecision.h"
#include "apply/DefinitionFinder.h"
#include "apply/SourceJobs.h"
#include "apply/SplitParts.h"
#include "support/Diagnostics.h"
#include "support/Output.h"

#include "clang/Tooling/Core/Replacement.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ThreadPool.h"
#include <map>
#include <mutex>
#include <optional>
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

namespace {

/// The units annotate looks for: those the plan puts in RAM that an
/// annotation can place, and with --sync the freed ones.
struct Targets {
  std::vector<const PlannedUnit *> Units;
  std::set<const PlannedUnit *> Freeing;
};

Targets collectTargets(const Plan &P, const AnnotateOptions &Options,
                       AnnotateResult &Result) {
  Targets T;
  for (const PlannedUnit &Unit : P.Units) {
    if (std::optional<std::string> Why = splitOffAlone(Unit, P)) {
      Result.Left.push_back({Unit.Name, *Why});
      continue;
    }
    if (std::optional<std::string> Why =
            foldsBackParts(Unit, P, Options.SplitParts)) {
      Result.Left.push_back({Unit.Name, *Why});
      continue;
    }
    T.Units.push_back(&Unit);
  }
  if (Options.Sync)
    for (const PlannedUnit &Unit : P.Free) {
      T.Units.push_back(&Unit);
      T.Freeing.insert(&Unit);
    }
  return T;
}

/// Each job's file parsed by Clang, on every core.
std::map<std::string, ParsedFile>
parseJobs(const std::map<std::string, Job> &Jobs,
          const AnnotateOptions &Options) {
  CrossCommands Adapter(Options.ResourceDir);
  std::mutex Lock;
  std::map<std::string, ParsedFile> Parsed;
  ThreadPool Pool(hardware_concurrency(Options.Threads));
  size_t Done = 0;
  std::string Macro =
      Options.Style.Style == AnnotationStyle::Macro ? Options.Style.Text : "";
  for (const auto &[File, J] : Jobs) {
    Pool.async([&, File = File, Job = &J] {
      std::vector<std::string> Names;
      for (const PlannedUnit *Unit : Job->Units)
        Names.push_back(sourceName(Unit->Name).str());
      ParsedFile Outcome = parseFile(Job->Command, Names, Macro, Adapter);
      std::lock_guard<std::mutex> Guard(Lock);
      Parsed[File] = std::move(Outcome);
      if (Options.Progress)
        Options.Progress(++Done, Jobs.size(), File);
    });
  }
  Pool.wait();
  return Parsed;
}

/// The edits decided so far, by file, and the files they read (each once).
class SourceEdits {
public:
  SourceEdits(const AnnotationStyle &Style, StringRef Root)
      : Style(Style), Root(Root) {}

  /// Annotates Unit at D, or says why not in Result.
  Error annotate(const PlannedUnit &Unit, const Definition &D,
                 AnnotateResult &Result) {
    AnnotationDecision Decision = decideAnnotation(D, Style, Root);
    if (Decision.What == AnnotationDecision::LeaveToFragment) {
      Result.Left.push_back({Unit.Name, Decision.Why});
      return Error::success();
    }
    // A function and its clone ("f", "f.constprop.0") share a definition:
    // one annotation marks both. (Two insertions at one offset would not
    // conflict: Replacements would join them.)
    if (Decision.What == AnnotationDecision::AlreadyAnnotated ||
        !AnnotatedAt.insert({D.File, D.BeginOffset}).second) {
      Result.AlreadyAnnotated.push_back(Unit.Name);
      return Error::success();
    }
    // GCC takes the attribute on the definition alone: prototypes stay as
    // they are, which is said once.
    if (!D.Prototypes.empty() && WithPrototypes++ == 0)
      FirstPrototype = D.Name + " at " + D.Prototypes.front();
    if (Error Err = Edits[D.File].add(annotationEdit(D, Style)))
      return inputError(D.File, toString(std::move(Err)));
    Result.Annotated.push_back(Unit.Name);
    return Error::success();
  }

  /// Takes ramfit's annotation off the freed Unit at D, or says what still
  /// places it.
  Error free(const PlannedUnit &Unit, const Definition &D,
             AnnotateResult &Result) {
    // Only an annotation in the file can come off: read it for that.
    StringRef Text;
    if (D.HasSection) {
      Expected<StringRef> Read = textOf(D.File);
      if (!Read)
        return Read.takeError();
      Text = *Read;
    }
    RemovalDecision Decision = decideRemoval(D, Unit, Text, Style);
    if (Decision.What == RemovalDecision::StillPlaced)
      Result.StillPlaced.push_back({Unit.Name, Decision.Why});
    if (Decision.What != RemovalDecision::Remove)
      return Error::success();
    if (Error Err = Edits[D.File].add(*Decision.Removal)) {
      consumeError(std::move(Err));
      return Error::success();
    }
    Result.Freed.push_back(Unit.Name);
    return Error::success();
  }

  /// Each edited file before and after, and the note on prototypes.
  Error finish(AnnotateResult &Result) {
    if (WithPrototypes)
      Result.Notes.push_back(
          std::to_string(WithPrototypes) +
          " annotated function(s) also have prototypes, which need no "
          "attribute and are left as they are (the first: " +
          FirstPrototype + ")");
    for (const auto &[File, Replacements] : Edits) {
      Expected<StringRef> Text = textOf(File);
      if (!Text)
        return Text.takeError();
      Expected<std::string> After =
          tooling::applyAllReplacements(*Text, Replacements);
      if (!After)
        return inputError(File, toString(After.takeError()));
      Result.Edits.push_back({File, Text->str(), *After});
    }
    return Error::success();
  }

private:
  Expected<StringRef> textOf(const std::string &File) {
    std::unique_ptr<MemoryBuffer> &Buffer = Texts[File];
    if (!Buffer) {
      Expected<std::unique_ptr<MemoryBuffer>> Read = readInputFile(File);
      if (!Read)
        return Read.takeError();
      Buffer = std::move(*Read);
    }
    return Buffer->getBuffer();
  }

  const AnnotationStyle &Style;
  StringRef Root;
  std::map<std::string, tooling::Replacements> Edits;
  std::map<std::string, std::unique_ptr<MemoryBuffer>> Texts;
  std::set<std::pair<std::string, unsigned>> AnnotatedAt;
  size_t WithPrototypes = 0;
  std::string FirstPrototype;
};

/// A freed unit that could not be looked for stays in RAM; that is no
/// reason to fail, nor one to leave it to the fragment.
void keepFreedUnitsNotLookedFor(const std::set<const PlannedUnit *> &Freeing,
                                AnnotateResult &Result) {
  llvm::erase_if(Result.Left, [&](const LeftForFragment &Left) {
    auto Freed = llvm::find_if(Freeing, [&](const PlannedUnit *Unit) {
      return Unit->Name == Left.Unit;
    });
    if (Freed == Freeing.end())
      return false;
    Result.StillPlaced.push_back(
        {Left.Unit, whyFreedStaysPlaced(Left.Reason, (*Freed)->Section)});
    return true;
  });
}

} // namespace

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

  // The units to look for, where their sources are now, and the
  // translation units to parse for them.
  Targets T = collectTargets(P, Options, Result);
  SourceFiles Sources = locateSources(T.Units, Options.PathMaps, Root, Result);
  std::map<std::string, Job> Jobs =
      planJobs(T.Units, **Database, Root, Options.Scope, Sources, Result);
  std::map<std::string, ParsedFile> Parsed = parseJobs(Jobs, Options);

  // Per unit: the definition the plan means, then what to do with it.
  SourceEdits Edits(Options.Style, Root);
  for (const auto &[File, J] : Jobs) {
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
      if (Error Err = T.Freeing.count(Unit) ? Edits.free(*Unit, *D, Result)
                                            : Edits.annotate(*Unit, *D, Result))
        return Err;
    }
  }
  keepFreedUnitsNotLookedFor(T.Freeing, Result);
  if (Error Err = Edits.finish(Result))
    return Err;
  return Result;
}

} // namespace ramfit
