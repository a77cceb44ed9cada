//===- DiffCommand.cpp - ramfit diff --------------------------------------===//

#include "Commands.h"
#include "plan/PlanDiff.h"
#include "support/Choices.h"
#include "support/Output.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit::cli {

namespace {

enum class DiffFormat { Text, Json };
const NamedValue<DiffFormat> DiffFormats[] = {{"text", DiffFormat::Text},
                                              {"json", DiffFormat::Json}};

cl::list<std::string> Plans(cl::Positional, cl::desc("OLD-PLAN NEW-PLAN"),
                            cl::sub(DiffCommand));
cl::opt<std::string> Format("format", cl::desc("Output format: text or json"),
                            cl::init("text"), cl::sub(DiffCommand));
cl::opt<std::string> Output("o", cl::desc("Write the diff here, not to stdout"),
                            cl::value_desc("FILE"), cl::sub(DiffCommand));
cl::alias OutputLong("output", cl::desc("Alias for -o"), cl::aliasopt(Output));

} // namespace

int runDiff() {
  if (Plans.size() != 2)
    return reportError(createStringError(
        inconvertibleErrorCode(), "diff takes two plans: OLD-PLAN NEW-PLAN"));
  Expected<DiffFormat> Chosen =
      parseOption<DiffFormat>(Format.ArgStr, Format, [](StringRef Text) {
        return parseChoice<DiffFormat>("format", Text, DiffFormats);
      });
  if (!Chosen)
    return reportError(Chosen.takeError());
  Expected<Plan> Old = readPlan(Plans[0]);
  if (!Old)
    return reportError(Old.takeError());
  Expected<Plan> New = readPlan(Plans[1]);
  if (!New)
    return reportError(New.takeError());
  PlanDiff Diff = diffPlans(*Old, Plans[0], *New, Plans[1]);
  std::string Text = *Chosen == DiffFormat::Json
                         ? formatv("{0:2}\n", planDiffToJson(Diff)).str()
                         : planDiffToText(Diff);
  if (Output.empty()) {
    outs() << Text;
    return 0;
  }
  if (Error Err = writeAllOrNothing({{Output, Text}}))
    return reportError(std::move(Err));
  return 0;
}

} // namespace ramfit::cli
