//===- ramfit.cpp - Decide which firmware functions belong in RAM ---------===//
//
// The command line only: each subcommand parses its options and calls the
// library.
//
//===----------------------------------------------------------------------===//

#include "Binary.h"
#include "Diagnostics.h"
#include "LinkerMap.h"
#include "MemoryMap.h"
#include "Plan.h"
#include "Profile.h"
#include "Report.h"
#include "Samples.h"
#include "Selector.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <optional>

using namespace llvm;
using namespace ramfit;

namespace {

enum class OutputFormat { Text, Json };

cl::SubCommand
    ProfileCommand("profile",
                   "Attribute PC samples to the functions of an ELF");
cl::SubCommand
    PlanCommand("plan", "Choose the functions to place in RAM under a budget");

cl::opt<std::string> ElfPath("elf",
                             cl::desc("The firmware ELF that was sampled"),
                             cl::value_desc("FILE"), cl::Required,
                             cl::sub(ProfileCommand), cl::sub(PlanCommand));
cl::list<std::string>
    SampleSpecs(cl::Positional, cl::OneOrMore,
                cl::desc("<samples[@weight]>... (gdb log, hex list, gmon.out, "
                         "folded stacks)"),
                cl::sub(ProfileCommand), cl::sub(PlanCommand));
cl::opt<std::string>
    SamplesFormat("samples-format",
                  cl::desc("Read every sample file as this format: auto, gdb, "
                           "hex, gmon or folded"),
                  cl::init("auto"), cl::sub(ProfileCommand),
                  cl::sub(PlanCommand));
cl::opt<bool> AllowMismatch(
    "allow-mismatch",
    cl::desc("Go on when the samples name symbols the ELF does not have there"),
    cl::sub(ProfileCommand), cl::sub(PlanCommand));

cl::opt<OutputFormat> Format(
    "format", cl::desc("Output format"), cl::init(OutputFormat::Text),
    cl::values(clEnumValN(OutputFormat::Text, "text", "a flat profile table"),
               clEnumValN(OutputFormat::Json, "json", "JSON")),
    cl::sub(ProfileCommand));
cl::opt<unsigned> Top("top",
                      cl::desc("Show only the first N functions (0: all)"),
                      cl::init(0), cl::sub(ProfileCommand));

cl::opt<std::string> MapPath("map", cl::desc("The GNU ld map file of the ELF"),
                             cl::value_desc("FILE"), cl::sub(PlanCommand));
cl::opt<std::string>
    BudgetText("budget", cl::desc("RAM for code: 16KiB, 0x4000, 16384 or auto"),
               cl::Required, cl::sub(PlanCommand));
cl::opt<std::string>
    MemoryMapPath("memory-map",
                  cl::desc("Linker script whose MEMORY gives --budget auto"),
                  cl::value_desc("SCRIPT"), cl::sub(PlanCommand));
cl::opt<std::string> RegionName("region",
                                cl::desc("The MEMORY region for --budget auto"),
                                cl::sub(PlanCommand));
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
cl::opt<OutputFormat>
    ReportFormat("report", cl::desc("Budget report format"),
                 cl::init(OutputFormat::Text),
                 cl::values(clEnumValN(OutputFormat::Text, "text", "a table"),
                            clEnumValN(OutputFormat::Json, "json", "JSON")),
                 cl::sub(PlanCommand));

int reportError(Error Err) {
  WithColor::error(errs(), "ramfit") << toString(std::move(Err)) << "\n";
  return 1;
}

Expected<std::vector<SampleFile>> readSamples() {
  Expected<SampleFormat> Forced = parseSampleFormat(SamplesFormat);
  if (!Forced)
    return Forced.takeError();
  std::vector<SampleFile> Files;
  for (const std::string &Spec : SampleSpecs) {
    Expected<SampleFile> File = readSampleFile(Spec, *Forced);
    if (!File)
      return File.takeError();
    Files.push_back(std::move(*File));
  }
  return Files;
}

int runProfile() {
  Expected<std::unique_ptr<Binary>> Elf = Binary::open(ElfPath);
  if (!Elf)
    return reportError(Elf.takeError());
  Expected<std::vector<SampleFile>> Files = readSamples();
  if (!Files)
    return reportError(Files.takeError());
  Expected<Profile> Result = buildProfile(**Elf, *Files, {AllowMismatch});
  if (!Result)
    return reportError(Result.takeError());
  if (Format == OutputFormat::Json)
    outs() << formatv("{0:2}", profileToJson(*Result)) << "\n";
  else
    printProfileText(*Result, outs(), Top);
  return 0;
}

Expected<uint64_t> resolveBudget(const Binary &Elf) {
  if (BudgetText != "auto")
    return parseSize(BudgetText);
  if (MemoryMapPath.empty() || RegionName.empty())
    return createStringError(inconvertibleErrorCode(),
                             "--budget auto needs --memory-map and --region");
  Expected<uint64_t> Reserve = parseSize(ReserveText);
  if (!Reserve)
    return Reserve.takeError();
  Expected<std::vector<MemoryRegion>> Regions =
      readMemoryRegions(MemoryMapPath);
  if (!Regions)
    return Regions.takeError();
  return freeBytes(*Regions, MemoryMapPath, RegionName, Elf, *Reserve);
}

Expected<std::optional<LinkerMap>> readMap() {
  if (MapPath.empty()) {
    warn("no --map given: unit sizes come from symbol sizes, and library "
         "helpers are sized as functions, not as the sections that move");
    return std::nullopt;
  }
  Expected<LinkerMap> Map = readLinkerMap(MapPath);
  if (!Map)
    return Map.takeError();
  return std::move(*Map);
}

int runPlan() {
  Expected<std::unique_ptr<Binary>> Elf = Binary::open(ElfPath);
  if (!Elf)
    return reportError(Elf.takeError());
  Expected<uint64_t> Budget = resolveBudget(**Elf);
  if (!Budget)
    return reportError(Budget.takeError());
  Expected<std::vector<SampleFile>> Files = readSamples();
  if (!Files)
    return reportError(Files.takeError());
  Expected<Profile> Profiled = buildProfile(**Elf, *Files, {AllowMismatch});
  if (!Profiled)
    return reportError(Profiled.takeError());
  Expected<std::optional<LinkerMap>> Map = readMap();
  if (!Map)
    return reportError(Map.takeError());

  CostModel Model;
  Model.FlashRamRatio = FlashRamRatio;
  std::vector<PlacementUnit> Units =
      buildUnits(*Profiled, *Map ? &**Map : nullptr, Model);
  Expected<SelectResult> Selected =
      selectUnits(Units, {*Budget, Pins, Excludes, MinSamples}, Model);
  if (!Selected)
    return reportError(Selected.takeError());
  Expected<Plan> Result =
      makePlan(*Profiled, *Files, Units, *Selected, *Budget);
  if (!Result)
    return reportError(Result.takeError());
  if (!DryRun)
    if (Error Err = writeFileAtomically(PlanOutput, planToYaml(*Result)))
      return reportError(std::move(Err));
  if (ReportFormat == OutputFormat::Json)
    outs() << formatv("{0:2}",
                      planToJson(*Result, Selected->GreedySamples, Model))
           << "\n";
  else
    printPlanText(*Result, Selected->GreedySamples, Model, outs());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "ramfit: decide which firmware functions belong in RAM, from "
          "measurements\n"))
    return 1;
  if (ProfileCommand)
    return runProfile();
  if (PlanCommand)
    return runPlan();
  WithColor::error(errs(), "ramfit")
      << "no subcommand given; see 'ramfit --help'\n";
  return 1;
}
