//===- ProfileCommand.cpp - ramfit profile --------------------------------===//

#include "Commands.h"
#include "profile/ProfileReport.h"
#include "support/Choices.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit::cli {

namespace {

enum class OutputFormat { Text, Json, Folded };

// A string parsed by parseChoice, so that a bad value lists the accepted
// ones (LLVM's enum options say only "Cannot find option named").
const NamedValue<OutputFormat> OutputFormats[] = {
    {"text", OutputFormat::Text},
    {"json", OutputFormat::Json},
    {"folded", OutputFormat::Folded}};

cl::opt<std::string> Format("format",
                            cl::desc("Output format: text (a flat profile "
                                     "table), json, or folded (stacks for "
                                     "flamegraph.pl and speedscope)"),
                            cl::init("text"), cl::sub(ProfileCommand));
cl::opt<unsigned> Top("top",
                      cl::desc("Show only the first N functions (0: all)"),
                      cl::init(0), cl::sub(ProfileCommand));

} // namespace

int runProfile() {
  Expected<OutputFormat> Chosen =
      parseOption<OutputFormat>(Format.ArgStr, Format, [](StringRef Text) {
        return parseChoice<OutputFormat>("format", Text, OutputFormats);
      });
  if (!Chosen)
    return reportError(Chosen.takeError());
  Expected<ProfileStepOptions> Options = sampleInputOptions();
  if (!Options)
    return reportError(Options.takeError());
  if (*Chosen == OutputFormat::Folded) {
    Expected<std::vector<FoldedStack>> Stacks =
        foldedStacksStep(*Options, printDiagnostic);
    if (!Stacks)
      return reportError(Stacks.takeError());
    writeFoldedStacks(*Stacks, outs());
    return 0;
  }
  Expected<Profile> Result = profileStep(*Options, printDiagnostic);
  if (!Result)
    return reportError(Result.takeError());
  if (*Chosen == OutputFormat::Json) {
    writeProfileJson(*Result, outs());
    outs() << "\n";
  } else
    printProfileText(*Result, outs(), Top);
  return 0;
}

} // namespace ramfit::cli
