//===- PlanCommand.cpp - ramfit plan --------------------------------------===//

#include "Binary.h"
#include "Calls.h"
#include "Commands.h"
#include "Diagnostics.h"
#include "LinkerMap.h"
#include "MemoryMap.h"
#include "Plan.h"
#include "Profile.h"
#include "Report.h"
#include "Selector.h"

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
  Expected<std::unique_ptr<Binary>> Elf = Binary::open(ElfPath);
  if (!Elf)
    return reportError(Elf.takeError());
  Expected<uint64_t> Budget = resolveBudget(
      {BudgetText, MemoryMapPath, RegionName, ReserveText}, **Elf);
  if (!Budget)
    return reportError(Budget.takeError());
  Expected<std::vector<SampleFile>> Files = readSamples();
  if (!Files)
    return reportError(Files.takeError());
  Expected<Profile> Profiled = buildProfile(**Elf, *Files, {AllowMismatch});
  if (!Profiled)
    return reportError(Profiled.takeError());
  Expected<std::optional<LinkerMap>> Map = readOptionalLinkerMap(MapPath);
  if (!Map)
    return reportError(Map.takeError());

  CostModel Model;
  Model.FlashRamRatio = FlashRamRatio;
  Expected<std::unique_ptr<CallScanner>> Calls = CallScanner::create(**Elf);
  if (!Calls)
    warn(toString(Calls.takeError()) + "; allowing " +
         Twine(Model.CallAllowance) + " bytes per unit for longer calls");
  std::vector<PlacementUnit> Units =
      buildUnits(*Profiled, *Map ? &**Map : nullptr,
                 Calls ? Calls->get() : nullptr, Model);
  SelectOptions Options{*Budget, Pins, Excludes, MinSamples};
  Expected<SelectResult> Selected = selectUnits(Units, Options, Model);
  if (!Selected)
    return reportError(Selected.takeError());
  Expected<Plan> Result =
      makePlan(*Profiled, *Files, Units, *Selected, *Budget);
  if (!Result)
    return reportError(Result.takeError());

  if (!DryRun)
    if (Error Err = writeOutput(PlanOutput,
                                planToYaml(*Result, planDirectory(PlanOutput))))
      return reportError(std::move(Err));
  if (Report.consume_front("html="))
    if (Error Err = writePlanHtml(Report, *Result, Units, Options, Model,
                                  Selected->GreedySamples))
      return reportError(std::move(Err));
  if (Report == "json")
    outs() << formatv("{0:2}",
                      planToJson(*Result, Selected->GreedySamples, Model))
           << "\n";
  else
    printPlanText(*Result, Selected->GreedySamples, Model, outs());
  return 0;
}

} // namespace ramfit::cli
