#include "measure/Measure.h"
#include "plan/Plan.h"
#include "support/Output.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace llvm;

namespace ramfit {

std::string timingPluginPath(StringRef Executable) {
  SmallString<256> Path(
      sys::path::parent_path(sys::path::parent_path(Executable)));
  sys::path::append(Path, "share", "ramfit", "qemu", "ramfit-timing.so");
  return std::string(Path);
}

std::string timingPresetDir(StringRef Executable) {
  SmallString<256> Path(
      sys::path::parent_path(sys::path::parent_path(Executable)));
  sys::path::append(Path, "share", "ramfit", "timing");
  return std::string(Path);
}

namespace {

Error measureError(const Twine &Message) {
  return createStringError(inconvertibleErrorCode(), Message);
}

/// A directory for the plugin's files, removed with what it holds.
class ScratchDir {
public:
  static Expected<ScratchDir> create() {
    SmallString<128> Path;
    if (std::error_code EC =
            sys::fs::createUniqueDirectory("ramfit-measure", Path))
      return measureError("cannot create a temporary directory: " +
                          EC.message());
    return ScratchDir(std::string(Path));
  }
  ScratchDir(ScratchDir &&Other) : Path(std::exchange(Other.Path, "")) {}
  ~ScratchDir() {
    if (!Path.empty())
      sys::fs::remove_directories(Path);
  }
  std::string file(StringRef Name) const {
    SmallString<128> File(Path);
    sys::path::append(File, Name);
    return std::string(File);
  }

private:
  explicit ScratchDir(std::string Path) : Path(std::move(Path)) {}
  std::string Path;
};

std::string readWhole(StringRef Path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buffer =
      MemoryBuffer::getFile(Path, /*IsText=*/true);
  return Buffer ? (*Buffer)->getBuffer().str() : "";
}

/// The end of what QEMU said, for an error message.
std::string tail(StringRef Text) {
  Text = Text.trim();
  if (Text.empty())
    return "";
  SmallVector<StringRef, 0> Lines;
  Text.split(Lines, '\n');
  size_t First = Lines.size() > 5 ? Lines.size() - 5 : 0;
  std::string Result = "; QEMU said:";
  for (StringRef Line : ArrayRef(Lines).drop_front(First))
    Result += "\n  " + Line.str();
  return Result;
}

/// QEMU parses -plugin's value as comma-separated options, where ",," is
/// a comma.
std::string pluginOption(StringRef Plugin, ArrayRef<std::string> Arguments) {
  auto Escape = [](StringRef Text) {
    std::string Escaped;
    for (char C : Text) {
      Escaped += C;
      if (C == ',')
        Escaped += C;
    }
    return Escaped;
  };
  std::string Option = Escape(Plugin);
  for (const std::string &Argument : Arguments)
    Option += "," + Escape(Argument);
  return Option;
}

Expected<uint64_t> readBaselineCycles(StringRef Path) {
  Expected<std::unique_ptr<MemoryBuffer>> Buffer = readInputFile(Path);
  if (!Buffer)
    return Buffer.takeError();
  Expected<json::Value> Value = json::parse((*Buffer)->getBuffer());
  if (!Value)
    return inputError(Path, "not JSON: " + toString(Value.takeError()));
  const json::Object *Object = Value->getAsObject();
  std::optional<int64_t> Cycles =
      Object ? Object->getInteger("cycles") : std::nullopt;
  if (!Cycles || *Cycles <= 0)
    return inputError(Path, "not a result of 'ramfit measure': no positive "
                            "'cycles'");
  return uint64_t(*Cycles);
}

std::string resultJson(const MeasureResult &Result) {
  json::Object Object{{"model", Result.Model},
                      {"instructions", int64_t(Result.Totals.Instructions)},
                      {"cycles", int64_t(Result.Totals.Cycles)},
                      {"fetch_stall", int64_t(Result.Totals.FetchStall)},
                      {"data_stall", int64_t(Result.Totals.DataStall)}};
  if (Result.BaselineCycles) {
    Object["baseline_cycles"] = int64_t(*Result.BaselineCycles);
    Object["speedup"] = Result.speedup();
  }
  if (Result.PredictedSpeedup)
    Object["predicted_speedup"] = *Result.PredictedSpeedup;
  std::string Text;
  raw_string_ostream OS(Text);
  OS << formatv("{0:2}", json::Value(std::move(Object))) << "\n";
  return Text;
}

/// Runs the command to its end; the error says why the run gave nothing.
Error runQemu(const MeasureStepOptions &Options,
              ArrayRef<std::string> Arguments, const ScratchDir &Scratch,
              std::string &Console) {
  std::string Program = Options.Command.front();
  if (!StringRef(Program).contains('/')) {
    ErrorOr<std::string> Found = sys::findProgramByName(Program);
    if (!Found)
      return measureError("'" + Program + "' is not on PATH");
    Program = *Found;
  }
  std::vector<StringRef> Argv(Options.Command.begin(), Options.Command.end());
  Argv.insert(Argv.end(), Arguments.begin(), Arguments.end());
  std::string Stdout = Scratch.file("stdout"), Stderr = Scratch.file("stderr");
  std::optional<StringRef> Redirects[] = {StringRef(""), StringRef(Stdout),
                                          StringRef(Stderr)};
  std::string Why;
  int Status = sys::ExecuteAndWait(Program, Argv, std::nullopt, Redirects,
                                   Options.TimeoutSeconds, 0, &Why);
  Console = readWhole(Stdout);
  std::string Said = readWhole(Stderr);
  if (Status == -2 && StringRef(Why).contains("timed out"))
    return measureError("the firmware did not end within " +
                        Twine(Options.TimeoutSeconds) +
                        " s: measure needs a run that ends by itself (an "
                        "exit device or semihosting; --timeout for longer)" +
                        tail(Said));
  if (Status < 0)
    return measureError("cannot run '" + Program + "': " + Why);
  if (StringRef(Said).contains("-plugin: invalid option") ||
      StringRef(Said).contains("plugin support"))
    return measureError("'" + Program +
                        "' cannot load TCG plugins (a QEMU built without "
                        "--enable-plugins)" +
                        tail(Said));
  if (Status != 0)
    return measureError("QEMU exited with status " + Twine(Status) +
                        ": the firmware failed, or QEMU refused the command "
                        "line or the plugin" +
                        tail(Said));
  return Error::success();
}

} // namespace

/// The baseline to compare with, and the prediction of the plan measured.
static Error readExpectations(const MeasureStepOptions &Options,
                              MeasureResult &Result, DiagnosticHandler Diag) {
  if (!Options.Baseline.empty()) {
    Expected<uint64_t> Baseline = readBaselineCycles(Options.Baseline);
    if (!Baseline)
      return Baseline.takeError();
    Result.BaselineCycles = *Baseline;
  }
  if (Options.Plan.empty())
    return Error::success();
  Expected<Plan> Planned = readPlan(Options.Plan);
  if (!Planned)
    return Planned.takeError();
  if (Planned->ModelledCycles <= 0)
    return inputError(Options.Plan,
                      "the plan was made from PC samples, not from a cycle "
                      "profile: it predicts no cycles to compare with");
  Result.PredictedSpeedup = predictedSpeedup(*Planned);
  uint64_t PlannedFrom = uint64_t(Planned->ModelledCycles);
  if (!Result.BaselineCycles)
    Result.BaselineCycles = PlannedFrom;
  else if (*Result.BaselineCycles != PlannedFrom)
    warning(Diag, location(Options.Plan) + "the plan was made from a run of " +
                      Twine(PlannedFrom) + " cycles, the baseline ran " +
                      Twine(*Result.BaselineCycles) +
                      ": its prediction is for another run");
  return Error::success();
}

/// Cycles counted with no fetch in a modelled memory measure nothing: an
/// error, not a result of zero stalls.
static Error checkSomethingWasMeasured(const CycleProfile &Profile,
                                       const TimingModel &Model) {
  if (Profile.Totals.Cycles == 0)
    return measureError("QEMU ran no instructions under the plugin");
  // Rows of loads alone (a UART a region's addresses happen to cover) are
  // no fetch.
  bool InARegion = any_of(Profile.Rows, [&](const CycleRow &Row) {
    return Row.Executions > 0 &&
           any_of(Model.Regions, [&](const TimingRegion &R) {
             return Row.Address >= R.Origin &&
                    Row.Address - R.Origin < R.Length;
           });
  });
  if (InARegion)
    return Error::success();
  return measureError(
      "no executed code lies in a region of the timing model '" + Model.Name +
      "': every fetch would cost nothing, so nothing was measured "
      "(--region NAME=ORIGIN,LENGTH moves a region to where the firmware "
      "has it); nothing was written");
}

Expected<MeasureResult> measureStep(const MeasureStepOptions &Options,
                                    DiagnosticHandler Diag) {
  // The model, with the regions moved where the firmware has them.
  Expected<TimingModel> Model =
      readTimingModel(Options.Timing, Options.PresetDir);
  if (!Model)
    return Model.takeError();
  for (const std::string &Place : Options.Places)
    if (Error Err = placeRegion(*Model, Place))
      return Err;
  if (Options.Command.empty())
    return measureError("no QEMU command line to run (give it after '--')");
  if (!sys::fs::exists(Options.Plugin))
    return measureError("the timing plugin is not installed at '" +
                        Options.Plugin + "'");
  if (Options.PcSamplesOutput.empty() != (Options.SampleEvery == 0))
    return measureError("PC samples need both a file and a period");
  MeasureResult Result;
  Result.Model = Model->Name;
  if (Error Err = readExpectations(Options, Result, Diag))
    return Err;

  // QEMU under the plugin, its outputs in a scratch folder.
  Expected<ScratchDir> Scratch = ScratchDir::create();
  if (!Scratch)
    return Scratch.takeError();
  std::string ProfilePath = Scratch->file("cycles.txt");
  std::string SamplesPath = Scratch->file("pcs.txt");
  std::vector<std::string> PluginArguments = pluginArguments(*Model);
  PluginArguments.push_back("out=" + ProfilePath);
  if (Options.SampleEvery) {
    PluginArguments.push_back("samples=" + SamplesPath);
    PluginArguments.push_back("sample-every=" + utostr(Options.SampleEvery));
  }
  std::string Console;
  if (Error Err = runQemu(
          Options, {"-plugin", pluginOption(Options.Plugin, PluginArguments)},
          *Scratch, Console))
    return Err;

  // What it counted, then every output or none.
  if (!sys::fs::exists(ProfilePath))
    return measureError("QEMU ended, but the timing plugin wrote no profile "
                        "(was it killed, or did the firmware reset QEMU?)");
  std::string ProfileText = readWhole(ProfilePath);
  Expected<CycleProfile> Profile = parseCycleProfile(ProfilePath, ProfileText);
  if (!Profile)
    return Profile.takeError();
  if (Error Err = checkSomethingWasMeasured(*Profile, *Model))
    return Err;
  Result.Totals = Profile->Totals;
  Result.Json = resultJson(Result);
  std::vector<OutputFile> Outputs;
  if (!Options.ResultOutput.empty())
    Outputs.push_back({Options.ResultOutput, Result.Json});
  if (!Options.CycleProfileOutput.empty())
    Outputs.push_back({Options.CycleProfileOutput, ProfileText});
  if (!Options.PcSamplesOutput.empty())
    Outputs.push_back({Options.PcSamplesOutput, readWhole(SamplesPath)});
  if (Error Err = writeAllOrNothing(Outputs))
    return Err;
  Result.Console = std::move(Console);
  return Result;
}

} // namespace ramfit
