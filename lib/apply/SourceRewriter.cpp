#include "apply/SourceRewriter.h"
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

/// The annotation a style writes, as a person reads it.
static std::string styleName(const AnnotationStyle &Style) {
  switch (Style.Style) {
  case AnnotationStyle::Attribute:
    return "__attribute__((section(\"" + Style.Section + ".NAME\")))";
  case AnnotationStyle::Prefix:
    return Style.Text;
  case AnnotationStyle::Macro:
    return Style.Text + "(NAME)";
  }
  llvm_unreachable("every style is handled");
}

/// What a freed unit's linker-script placement needs.
static const char ScriptAdvice[] =
    "a fragment from this plan no longer lists it, a line of the script's "
    "own must go";

/// How D is placed when it is not by ramfit's annotation: through the
/// macro its name is passed to (MICROPY_WRAP_MP_MAP_LOOKUP), or otherwise.
static std::string placedHow(const Definition &D, StringRef Text) {
  StringRef Before = Text.take_front(D.NameOffset).rtrim();
  if (Before.consume_back("(")) {
    Before = Before.rtrim();
    size_t Start = Before.find_last_not_of(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
    StringRef Macro =
        Before.drop_front(Start == StringRef::npos ? 0 : Start + 1);
    if (!Macro.empty())
      return "through the macro " + Macro.str();
  }
  return "with an attribute or macro of its own";
}

/// The edit that takes off the annotation edit() wrote on D, if Text (D's
/// file) has it exactly; an annotation of any other form was not ramfit's.
static std::optional<tooling::Replacement>
unedit(const Definition &D, StringRef Text, const AnnotationStyle &Style) {
  if (Style.Style == AnnotationStyle::Macro) {
    std::string Open = Style.Text + "(";
    if (!Text.take_front(D.NameOffset).endswith(Open) ||
        !Text.drop_front(D.NameOffset + D.Spelled.size()).startswith(")"))
      return std::nullopt;
    return tooling::Replacement(D.File, D.NameOffset - Open.size(),
                                Open.size() + D.Spelled.size() + 1, D.Spelled);
  }
  std::string Written = edit(D, Style).getReplacementText().str();
  // Clang may start the declaration at the attribute or after it.
  if (Text.drop_front(D.BeginOffset).startswith(Written))
    return tooling::Replacement(D.File, D.BeginOffset, Written.size(), "");
  if (Text.take_front(D.BeginOffset).endswith(Written))
    return tooling::Replacement(D.File, D.BeginOffset - Written.size(),
                                Written.size(), "");
  return std::nullopt;
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
  // The units to annotate, and with --sync the freed ones to take the
  // annotation off.
  std::vector<const PlannedUnit *> Targets;
  std::set<const PlannedUnit *> Freeing;
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
    Targets.push_back(&Unit);
  }
  if (Options.Sync)
    for (const PlannedUnit &Unit : P.Free) {
      Targets.push_back(&Unit);
      Freeing.insert(&Unit);
    }
  SourceFiles Sources = locateSources(Targets, Options.PathMaps, Root, Result);
  std::map<std::string, Job> FoundJobs =
      planJobs(Targets, **Database, Root, Options.Scope, Sources, Result);
  auto *Jobs = &FoundJobs;

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
  std::set<std::pair<std::string, unsigned>> AnnotatedAt;
  // Each file to edit, read once.
  std::map<std::string, std::unique_ptr<MemoryBuffer>> Texts;
  auto TextOf = [&](const std::string &File) -> Expected<StringRef> {
    std::unique_ptr<MemoryBuffer> &Buffer = Texts[File];
    if (!Buffer) {
      Expected<std::unique_ptr<MemoryBuffer>> Read = readInputFile(File);
      if (!Read)
        return Read.takeError();
      Buffer = std::move(*Read);
    }
    return Buffer->getBuffer();
  };
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
      if (Freeing.count(Unit)) {
        if (!D->HasSection) {
          // In the compiler's own section, it is the linker script that
          // places it; otherwise an earlier run freed it already.
          if (StringRef(Unit->Section).startswith(".text"))
            Result.StillPlaced.push_back(
                {Unit->Name, "the linker script places its section " +
                                 Unit->Section + ": " + ScriptAdvice});
          continue;
        }
        Expected<StringRef> Text = TextOf(D->File);
        if (!Text)
          return Text.takeError();
        std::optional<tooling::Replacement> Removal =
            unedit(*D, *Text, Options.Style);
        if (!Removal) {
          Result.StillPlaced.push_back(
              {Unit->Name, D->File + ":" + std::to_string(D->Line) +
                               " places it " + placedHow(*D, *Text) +
                               ", not with " + styleName(Options.Style) +
                               " as ramfit writes it: take that off by "
                               "hand if it need not be in RAM, or plan with "
                               "--keep-reachable " +
                               Unit->Name +
                               " if it must (interrupt or flash code)"});
          continue;
        }
        if (Error Err = Edits[D->File].add(*Removal)) {
          consumeError(std::move(Err));
          continue;
        }
        Result.Freed.push_back(Unit->Name);
        continue;
      }
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
      if (!isInsideRoot(D->File, Root)) {
        Result.Left.push_back({Unit->Name, "its definition in '" + D->File +
                                               "' is outside the source root"});
        continue;
      }
      // The patched file would not compile; the fragment moves it as well
      // (tinyusb's files do not include CircuitPython's linker.h).
      if (Options.Style.Style == AnnotationStyle::Macro && !D->MacroVisible) {
        Result.Left.push_back(
            {Unit->Name, "the macro " + Options.Style.Text +
                             " is not defined where " + D->File + ":" +
                             std::to_string(D->Line) +
                             " defines it (include the header that defines "
                             "it to annotate it)"});
        continue;
      }
      // A function and its clone ("f", "f.constprop.0") share a definition:
      // one annotation marks both. (Two insertions at one offset would not
      // conflict: Replacements would join them.)
      if (!AnnotatedAt.insert({D->File, D->BeginOffset}).second) {
        Result.AlreadyAnnotated.push_back(Unit->Name);
        continue;
      }
      if (!D->Prototypes.empty() && WithPrototypes++ == 0)
        FirstPrototype = D->Name + " at " + D->Prototypes.front();
      if (Error Err = Edits[D->File].add(edit(*D, Options.Style)))
        return inputError(D->File, toString(std::move(Err)));
      Result.Annotated.push_back(Unit->Name);
    }
  }

  // A freed unit that could not be looked for stays in RAM; that is no
  // reason to fail, nor one to leave it to the fragment.
  // In the compiler's own section, it is the script that places it;
  // otherwise an annotation this run did not look at (outside the scope).
  llvm::erase_if(Result.Left, [&](const LeftForFragment &Left) {
    auto Freed = llvm::find_if(Freeing, [&](const PlannedUnit *Unit) {
      return Unit->Name == Left.Unit;
    });
    if (Freed == Freeing.end())
      return false;
    StringRef Section = (*Freed)->Section;
    Result.StillPlaced.push_back(
        {Left.Unit,
         Left.Reason + (Section.startswith(".text")
                            ? "; so it is the linker script that places it: " +
                                  std::string(ScriptAdvice)
                            : "; what puts it in " + Section.str() +
                                  " there is left as it is")});
    return true;
  });

  if (WithPrototypes)
    Result.Notes.push_back(
        std::to_string(WithPrototypes) +
        " annotated function(s) also have prototypes, which need no "
        "attribute and are left as they are (the first: " +
        FirstPrototype + ")");

  for (const auto &[File, Replacements] : Edits) {
    Expected<StringRef> Text = TextOf(File);
    if (!Text)
      return Text.takeError();
    Expected<std::string> After =
        tooling::applyAllReplacements(*Text, Replacements);
    if (!After)
      return inputError(File, toString(After.takeError()));
    Result.Edits.push_back({File, Text->str(), *After});
  }
  return Result;
}

} // namespace ramfit
