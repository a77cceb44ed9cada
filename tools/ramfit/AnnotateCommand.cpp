//===- AnnotateCommand.cpp - ramfit annotate ------------------------------===//

#include "Commands.h"
#include "support/Output.h"

#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit::cli {

namespace {

cl::opt<std::string> BuildDir("p",
                              cl::desc("The build directory holding "
                                       "compile_commands.json"),
                              cl::value_desc("DIR"), cl::Required,
                              cl::sub(AnnotateCommand));
cl::opt<std::string>
    StyleSpec("style",
              cl::desc("attribute (the default), macro=NAME or prefix=TEXT"),
              cl::init("attribute"), cl::sub(AnnotateCommand));
cl::opt<std::string>
    SectionPrefix("section",
                  cl::desc("Section prefix of the attribute style; each "
                           "function goes to PREFIX.NAME"),
                  cl::init(".ramtext"), cl::sub(AnnotateCommand));
cl::opt<std::string> PatchPath("patch",
                               cl::desc("Write the patch here, not to stdout"),
                               cl::value_desc("FILE"),
                               cl::sub(AnnotateCommand));
// The main output, as -o and --output name it in the other subcommands.
cl::alias PatchPathShort("o", cl::desc("Alias for --patch"),
                         cl::aliasopt(PatchPath));
cl::alias PatchPathLong("output", cl::desc("Alias for --patch"),
                        cl::aliasopt(PatchPath));
cl::opt<bool>
    Sync("sync",
         cl::desc("Also take the annotation off the functions the plan frees, "
                  "where it is exactly what --style writes"),
         cl::sub(AnnotateCommand));
cl::opt<bool> InPlace("i", cl::desc("Rewrite the sources in place"),
                      cl::sub(AnnotateCommand));
cl::opt<std::string> SourceRoot(
    "source-root",
    cl::desc("Never write outside this directory; patch paths are relative "
             "to it (default: the current directory)"),
    cl::init("."), cl::sub(AnnotateCommand));
cl::list<std::string> PathMaps(
    "path-map",
    cl::desc("Read the plan's sources under OLD from NEW: the tree has moved "
             "since the ELF was built"),
    cl::value_desc("OLD=NEW"), cl::sub(AnnotateCommand));
cl::list<std::string>
    Scope("scope",
          cl::desc("Annotate only sources under DIR (relative to the source "
                   "root; repeatable); the rest is left to the fragment"),
          cl::value_desc("DIR"), cl::sub(AnnotateCommand));
cl::opt<std::string> RemainingPlan(
    "remaining-plan",
    cl::desc("Write the units left to the linker fragment as a plan of their "
             "own, for 'ramfit ldscript' (hybrid mode)"),
    cl::value_desc("FILE"), cl::sub(AnnotateCommand));
// -j4 as make and ninja take it, or -j 4.
cl::opt<unsigned> Jobs("j", cl::desc("Files parsed at once (0: one per core)"),
                       cl::init(0), cl::Prefix, cl::sub(AnnotateCommand));

} // namespace

int runAnnotate() {
  AnnotateStepOptions Options;
  Options.Plan = PlanPath;
  Options.Annotation.BuildDir = BuildDir;
  Options.Annotation.SourceRoot = SourceRoot;
  Expected<AnnotationStyle> Style = parseOption<AnnotationStyle>(
      StyleSpec.ArgStr, StyleSpec, [](StringRef Spec) {
        return AnnotationStyle::parse(Spec, SectionPrefix);
      });
  if (!Style)
    return reportError(Style.takeError());
  Options.Annotation.Style = std::move(*Style);
  for (const std::string &Spec : PathMaps) {
    Expected<PathMap> Map =
        parseOption<PathMap>(PathMaps.ArgStr, Spec, PathMap::parse);
    if (!Map)
      return reportError(Map.takeError());
    Options.Annotation.PathMaps.push_back(std::move(*Map));
  }
  Options.Annotation.Sync = Sync;
  Options.Annotation.Threads = Jobs;
  Options.InPlace = InPlace;
  Options.PatchOutput = PatchPath;
  Options.RemainingPlan = RemainingPlan;
  Options.Annotation.Scope = Scope;
  Options.OnWaitForLock = [] {
    errs() << "ramfit annotate: waiting for another 'ramfit annotate -i' on '"
           << SourceRoot << "'\n";
  };
  bool ShowProgress = sys::Process::StandardErrIsDisplayed();
  if (ShowProgress)
    Options.Annotation.Progress = [](size_t Done, size_t Total,
                                     StringRef File) {
      errs() << "\rramfit annotate: [" << Done << "/" << Total << "] "
             << sys::path::filename(File) << "\033[K";
      if (Done == Total)
        errs() << "\n";
    };

  Expected<AnnotateStepResult> Result = annotateStep(Options, printDiagnostic);
  if (!Result)
    return reportError(Result.takeError());
  const AnnotateResult &Annotation = Result->Annotation;
  errs() << "ramfit annotate: " << Annotation.Annotated.size() << " annotated, "
         << Annotation.AlreadyAnnotated.size() << " already annotated, "
         << Annotation.Left.size() << " left to the linker fragment";
  if (Sync)
    errs() << ", " << Annotation.Freed.size() << " freed, "
           << Annotation.StillPlaced.size() << " freed but still placed";
  errs() << "\n";
  if (!InPlace && PatchPath.empty())
    outs() << Result->Patch;
  // Its paths are relative to the repository's root, which is where it
  // applies: git skips what lies outside the folder it is run in.
  if (!InPlace && !PatchPath.empty() && !Result->Patch.empty())
    errs() << "ramfit annotate: apply it with: "
           << (Result->Root.IsRepository
                   ? "git -C " + Result->Root.Path + " apply "
                   : "patch -p1 -d " + Result->Root.Path + " < ")
           << absolutePath(PatchPath) << "\n";
  return 0;
}

} // namespace ramfit::cli
