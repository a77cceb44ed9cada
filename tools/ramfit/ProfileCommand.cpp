//===- ProfileCommand.cpp - ramfit profile --------------------------------===//

#include "Commands.h"
#include "profile/ProfileReport.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit::cli {

namespace {

enum class OutputFormat { Text, Json };

cl::opt<OutputFormat> Format(
    "format", cl::desc("Output format"), cl::init(OutputFormat::Text),
    cl::values(clEnumValN(OutputFormat::Text, "text", "a flat profile table"),
               clEnumValN(OutputFormat::Json, "json", "JSON")),
    cl::sub(ProfileCommand));
cl::opt<unsigned> Top("top",
                      cl::desc("Show only the first N functions (0: all)"),
                      cl::init(0), cl::sub(ProfileCommand));

} // namespace

int runProfile() {
  Expected<ProfileStepOptions> Options = sampleInputOptions();
  if (!Options)
    return reportError(Options.takeError());
  Expected<Profile> Result = profileStep(*Options, printDiagnostic);
  if (!Result)
    return reportError(Result.takeError());
  if (Format == OutputFormat::Json) {
    writeProfileJson(*Result, outs());
    outs() << "\n";
  } else
    printProfileText(*Result, outs(), Top);
  return 0;
}

} // namespace ramfit::cli
