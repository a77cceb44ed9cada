//===- AnnotateCommand.cpp - ramfit annotate ------------------------------===//

#include "Commands.h"
#include "support/Diagnostics.h"
#include "plan/Plan.h"
#include "apply/SourceRewriter.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <optional>

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
cl::opt<bool> InPlace("i", cl::desc("Rewrite the sources in place"),
                      cl::sub(AnnotateCommand));
cl::opt<std::string> SourceRoot(
    "source-root",
    cl::desc("Never write outside this directory; patch paths are relative "
             "to it (default: the current directory)"),
    cl::init("."), cl::sub(AnnotateCommand));
cl::opt<std::string> RemainingPlan(
    "remaining-plan",
    cl::desc("Write the units left to the linker fragment as a plan of their "
             "own, for 'ramfit ldscript' (hybrid mode)"),
    cl::value_desc("FILE"), cl::sub(AnnotateCommand));
// -j4 as make and ninja take it, or -j 4.
cl::opt<unsigned> Jobs("j", cl::desc("Files parsed at once (0: one per core)"),
                       cl::init(0), cl::Prefix, cl::sub(AnnotateCommand));

void report(const AnnotateResult &Result) {
  for (const std::string &Note : Result.Notes)
    WithColor::note(errs(), "ramfit") << Note << "\n";
  for (const LeftForFragment &Left : Result.Left)
    warn(Left.Unit + " is left to the linker fragment: " + Left.Reason);
  errs() << "ramfit annotate: " << Result.Annotated.size() << " annotated, "
         << Result.AlreadyAnnotated.size() << " already annotated, "
         << Result.Left.size() << " left to the linker fragment\n";
}

} // namespace

int runAnnotate() {
  if (InPlace && !PatchPath.empty())
    return reportError(createStringError(inconvertibleErrorCode(),
                                         "give --patch or -i, not both"));
  Expected<AnnotationStyle> Style =
      AnnotationStyle::parse(StyleSpec, SectionPrefix);
  if (!Style)
    return reportError(Style.takeError());
  Expected<Plan> P = readPlan(PlanPath);
  if (!P)
    return reportError(P.takeError());
  std::optional<SourceTreeLock> Lock;
  if (InPlace) {
    Expected<SourceTreeLock> Acquired = SourceTreeLock::acquire(SourceRoot, [] {
      errs() << "ramfit annotate: waiting for another 'ramfit annotate "
                "-i' on '"
             << SourceRoot << "'\n";
    });
    if (!Acquired)
      return reportError(Acquired.takeError());
    Lock.emplace(std::move(*Acquired));
  }
  AnnotateOptions Options{BuildDir,
                          SourceRoot,
                          *Style,
                          Jobs,
                          RAMFIT_CLANG_RESOURCE_DIR,
                          sys::Process::StandardErrIsDisplayed()};
  Expected<AnnotateResult> Result = annotate(*P, Options);
  if (!Result)
    return reportError(Result.takeError());
  report(*Result);
  if (InPlace)
    if (Error Err = applyInPlace(Result->Edits))
      return reportError(std::move(Err));
  if (!RemainingPlan.empty()) {
    Plan Remaining = *P;
    llvm::erase_if(Remaining.Units, [&](const PlannedUnit &Unit) {
      return llvm::none_of(Result->Left, [&](const LeftForFragment &Left) {
        return Left.Unit == Unit.Name;
      });
    });
    if (Error Err = writeIfChanged(
            RemainingPlan, planToYaml(Remaining, planDirectory(RemainingPlan))))
      return reportError(std::move(Err));
  }
  if (InPlace)
    return 0;
  Expected<std::string> Diff = unifiedDiff(Result->Edits, SourceRoot);
  if (!Diff)
    return reportError(Diff.takeError());
  if (PatchPath.empty()) {
    outs() << *Diff;
    return 0;
  }
  if (Error Err = writeIfChanged(PatchPath, *Diff))
    return reportError(std::move(Err));
  return 0;
}

} // namespace ramfit::cli
