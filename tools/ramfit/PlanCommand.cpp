//===- PlanCommand.cpp - ramfit plan --------------------------------------===//

#include "Commands.h"
#include "steps/Pipeline.h"
#include "plan/Plan.h"
#include "plan/Report.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit::cli {

namespace {

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
cl::opt<double>
    FlashRamRatio("flash-ram-ratio",
                  cl::desc("How many times slower flash is than RAM"),
                  cl::init(CostModel().FlashRamRatio), cl::sub(PlanCommand));
cl::opt<std::string> PlanOutput("o", cl::desc("Where to write the plan"),
                                cl::value_desc("FILE"), cl::init("plan.yaml"),
                                cl::sub(PlanCommand));
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
  StringRef Report = ReportSpec;
  if (Report != "text" && Report != "json" && !Report.startswith("html="))
    return reportError(createStringError(
        inconvertibleErrorCode(),
        "--report takes text, json or html=FILE, not '" + Report + "'"));
  PlanRequest Request;
  Request.Elf = ElfPath;
  Request.Samples = sampleSpecs();
  Expected<SampleFormat> Format = parseSampleFormat(samplesFormat());
  if (!Format)
    return reportError(Format.takeError());
  Request.Format = *Format;
  Request.AllowMismatch = AllowMismatch;
  Request.Map = MapPath;
  Request.Budget = {BudgetText, MemoryMapPath, RegionName, ReserveText};
  Request.Pins = Pins;
  Request.Excludes = Excludes;
  Request.MinSamples = MinSamples;
  Request.Model.FlashRamRatio = FlashRamRatio;
  Expected<PlanOutcome> Outcome = planFromSamples(Request);
  if (!Outcome)
    return reportError(Outcome.takeError());
  const Plan &Result = Outcome->Result;
  double Greedy = Outcome->Selected.GreedySamples;

  // The plan and the HTML report are written both or neither.
  std::vector<OutputFile> Outputs;
  if (!DryRun)
    Outputs.push_back(
        {PlanOutput, planToYaml(Result, planDirectory(PlanOutput))});
  if (Report.consume_front("html=")) {
    Expected<std::string> Page = planHtml(
        Result, Outcome->Units, Outcome->Options, Request.Model, Greedy);
    if (!Page)
      return reportError(Page.takeError());
    Outputs.push_back({Report.str(), std::move(*Page)});
  }
  if (Error Err = writeAllOrNothing(Outputs))
    return reportError(std::move(Err));
  if (Report == "json")
    outs() << formatv("{0:2}", planToJson(Result, Greedy, Request.Model))
           << "\n";
  else
    printPlanText(Result, Greedy, Request.Model, outs());
  return 0;
}

} // namespace ramfit::cli
