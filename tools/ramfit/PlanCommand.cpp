//===- PlanCommand.cpp - ramfit plan --------------------------------------===//

#include "Commands.h"
#include "plan/Report.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"
#include <tuple>

using namespace llvm;

namespace ramfit::cli {

namespace {

std::string defaultFlashRamRatio() {
  std::string Text;
  raw_string_ostream(Text) << format("%g", CostModel().FlashRamRatio);
  return Text;
}

cl::opt<std::string>
    BudgetText("budget", cl::desc("RAM for code: 16KiB, 0x4000, 16384 or auto"),
               cl::Required, cl::sub(PlanCommand));
cl::opt<std::string>
    ReserveText("reserve",
                cl::desc("Bytes of the region to keep free (stack, heap)"),
                cl::init("0"), cl::sub(PlanCommand));
cl::list<std::string> Pins("pin", cl::desc("Always place units matching GLOB"),
                           cl::value_desc("GLOB"), cl::sub(PlanCommand));
cl::list<std::string> Excludes("exclude",
                               cl::desc("Never place units matching GLOB"),
                               cl::value_desc("GLOB"), cl::sub(PlanCommand));
cl::opt<double> MinSamples("min-samples",
                           cl::desc("Leave out units with fewer samples"),
                           cl::init(0), cl::sub(PlanCommand));
cl::opt<std::string>
    FlashRamRatio("flash-ram-ratio",
                  cl::desc("How many times slower flash is than RAM"),
                  cl::init(defaultFlashRamRatio()), cl::sub(PlanCommand));
cl::opt<std::string> PlanOutput("o", cl::desc("Where to write the plan"),
                                cl::value_desc("FILE"), cl::init("plan.yaml"),
                                cl::sub(PlanCommand));
// One spelling of the main output across subcommands: -o and --output.
cl::alias PlanOutputLong("output", cl::desc("Alias for -o"),
                         cl::aliasopt(PlanOutput));
cl::opt<std::string> SizesFrom(
    "sizes-from",
    cl::desc("Size the units placed in this relinked ELF as linked there"),
    cl::value_desc("ELF"), cl::sub(PlanCommand));
cl::opt<bool> DryRun("dry-run",
                     cl::desc("Print the budget report; write no plan file"),
                     cl::sub(PlanCommand));
cl::opt<std::string>
    ReportSpec("report",
               cl::desc("Budget report: text, json, or html=FILE (a page with "
                        "a plot, besides the text on stdout)"),
               cl::init("text"), cl::sub(PlanCommand));

} // namespace

int runPlan() {
  PlanStepOptions Options;
  StringRef Report = ReportSpec;
  bool Html = Report.consume_front("html=");
  if (!Html && Report != "text" && Report != "json")
    return reportError(createStringError(
        inconvertibleErrorCode(),
        "--report takes text, json or html=FILE, not '" + Report + "'"));
  Expected<ProfileStepOptions> Input = sampleInputOptions();
  if (!Input)
    return reportError(Input.takeError());
  Options.Input = std::move(*Input);
  Options.Map = MapPath;
  Expected<std::string> Budget =
      parseOption<std::string>(BudgetText.ArgStr, BudgetText, parseBudget);
  if (!Budget)
    return reportError(Budget.takeError());
  Options.Budget.Size = *Budget;
  Options.Budget.Script = MemoryMapPath;
  Options.Budget.Region = RegionName;
  Options.Budget.Reserve = ReserveText;
  Options.Budget.SearchDirs = SearchDirs;
  for (auto [Flag, Globs, Field] :
       {std::tuple(Pins.ArgStr, &Pins, &Options.Pins),
        std::tuple(Excludes.ArgStr, &Excludes, &Options.Excludes)})
    for (const std::string &Glob : *Globs) {
      Expected<std::string> Checked =
          parseOption<std::string>(Flag, Glob, parseUnitPattern);
      if (!Checked)
        return reportError(Checked.takeError());
      Field->push_back(std::move(*Checked));
    }
  Expected<RamRootOptions> Roots = rootOptions();
  if (!Roots)
    return reportError(Roots.takeError());
  Options.Roots = std::move(*Roots);
  Options.MinSamples = MinSamples;
  Expected<double> Ratio = parseOption<double>(
      FlashRamRatio.ArgStr, FlashRamRatio, parseFlashRamRatio);
  if (!Ratio)
    return reportError(Ratio.takeError());
  Options.Model.FlashRamRatio = *Ratio;
  Options.SizesFrom = SizesFrom;
  if (!DryRun)
    Options.PlanOutput = PlanOutput;
  if (Html)
    Options.HtmlReport = Report.str();

  Expected<PlanStepResult> Planned = planStep(Options, printDiagnostic);
  if (!Planned)
    return reportError(Planned.takeError());
  double Greedy = Planned->Selected.GreedySamples;
  if (!Html && Report == "json")
    outs() << formatv("{0:2}",
                      planToJson(Planned->Result, Greedy, Options.Model))
           << "\n";
  else
    printPlanText(Planned->Result, Greedy, Options.Model, outs());
  return 0;
}

} // namespace ramfit::cli
