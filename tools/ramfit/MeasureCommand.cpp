//===- MeasureCommand.cpp - ramfit measure --------------------------------===//

#include "Commands.h"
#include "measure/Measure.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit::cli {

namespace {

cl::opt<std::string>
    Timing("timing",
           cl::desc("The timing model: a YAML file, or a preset (fomu, "
                    "cortex-m4)"),
           cl::value_desc("FILE|PRESET"), cl::sub(MeasureCommand));
cl::list<std::string>
    Places("region",
           cl::desc("Move the model's region NAME to where this firmware "
                    "has it"),
           cl::value_desc("NAME=ORIGIN,LENGTH"), cl::sub(MeasureCommand));
cl::opt<std::string> ResultPath("output", cl::desc("Write the result as JSON"),
                                cl::value_desc("FILE"),
                                cl::sub(MeasureCommand));
cl::alias ResultPathShort("o", cl::desc("Alias for --output"),
                          cl::aliasopt(ResultPath));
cl::opt<std::string>
    CycleProfilePath("cycle-profile",
                     cl::desc("Write the exact cycle profile, which profile "
                              "and plan read as samples"),
                     cl::value_desc("FILE"), cl::sub(MeasureCommand));
cl::opt<std::string>
    Baseline("baseline",
             cl::desc("The JSON result of an earlier run, for the speedup"),
             cl::value_desc("FILE"), cl::sub(MeasureCommand));
cl::opt<std::string> MeasuredPlan(
    "plan",
    cl::desc("A plan made from a cycle profile: print its predicted "
             "speedup beside the measured one"),
    cl::value_desc("FILE"), cl::sub(MeasureCommand));
cl::opt<std::string>
    PcSamplesPath("pc-samples",
                  cl::desc("Write the PC every --sample-every modelled "
                           "cycles, a hex list"),
                  cl::value_desc("FILE"), cl::sub(MeasureCommand));
cl::opt<uint64_t> SampleEvery("sample-every",
                              cl::desc("Modelled cycles between PC samples"),
                              cl::init(0), cl::sub(MeasureCommand));
cl::opt<unsigned> Timeout("timeout",
                          cl::desc("Seconds the run may take (default 300)"),
                          cl::init(300), cl::sub(MeasureCommand));
cl::opt<bool> PluginPathOnly("plugin-path",
                             cl::desc("Print only the QEMU plugin's path"),
                             cl::sub(MeasureCommand));
cl::list<std::string> Command(cl::Positional,
                              cl::desc("-- <qemu-system-...> <arguments>..."),
                              cl::sub(MeasureCommand));

} // namespace

int runMeasure(const char *Argv0) {
  std::string Executable =
      sys::fs::getMainExecutable(Argv0, reinterpret_cast<void *>(&runMeasure));
  MeasureStepOptions Options;
  Options.Plugin = timingPluginPath(Executable);
  if (PluginPathOnly) {
    outs() << Options.Plugin << "\n";
    return 0;
  }
  if (Timing.empty())
    return reportError(createStringError(
        inconvertibleErrorCode(), "--timing: give a timing file or preset"));
  Options.Timing = Timing;
  Options.PresetDir = timingPresetDir(Executable);
  Options.Places = Places;
  Options.Command = Command;
  Options.TimeoutSeconds = Timeout;
  Options.Baseline = Baseline;
  Options.Plan = MeasuredPlan;
  Options.ResultOutput = ResultPath;
  Options.CycleProfileOutput = CycleProfilePath;
  Options.PcSamplesOutput = PcSamplesPath;
  Options.SampleEvery = SampleEvery;
  Expected<MeasureResult> Result = measureStep(Options, printDiagnostic);
  if (!Result)
    return reportError(Result.takeError());
  outs() << Result->Console;
  const CycleTotals &T = Result->Totals;
  outs() << "ramfit measure: " << T.Cycles << " cycles under '" << Result->Model
         << "': " << T.Instructions << " instructions, " << T.FetchStall
         << " fetch stall, " << T.DataStall << " data stall cycles\n";
  if (Result->BaselineCycles) {
    outs() << "ramfit measure: speedup " << format("%.3fx", Result->speedup())
           << " over the baseline's " << *Result->BaselineCycles << " cycles";
    if (Result->PredictedSpeedup)
      outs() << format(", %.3fx predicted by the plan",
                       *Result->PredictedSpeedup);
    outs() << "\n";
  }
  return 0;
}

} // namespace ramfit::cli
