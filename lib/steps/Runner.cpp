#include "steps/Runner.h"
#include "firmware/Binary.h"
#include "support/Diagnostics.h"
#include "apply/LinkerFragment.h"
#include "steps/Pipeline.h"
#include "apply/PlacementCheck.h"
#include "plan/Report.h"
#include "samples/Samples.h"
#include "apply/SourceRewriter.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"

using namespace llvm;

namespace ramfit {

std::vector<std::string> configuredSteps(const Config &C) {
  std::vector<std::string> Steps;
  if (!C.Samples.empty())
    Steps.push_back("plan");
  if (!C.Fragment.empty())
    Steps.push_back("ldscript");
  if (!C.Patch.empty())
    Steps.push_back("annotate");
  if (!C.Region.empty())
    Steps.push_back("check");
  return Steps;
}

namespace {

/// What a step read: its settings and the bytes of its input files. Equal
/// fingerprints mean the step would write the same outputs again.
class Fingerprint {
public:
  void add(StringRef Text) {
    Hash.update(Text);
    Hash.update(StringRef("\0", 1));
  }
  void addFile(StringRef Path) {
    add(Path);
    auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                        /*RequiresNullTerminator=*/false);
    add(Buffer ? (*Buffer)->getBuffer() : "<missing>");
  }
  void addObjects(StringRef Dir) {
    std::vector<std::string> Objects;
    std::error_code EC;
    for (sys::fs::recursive_directory_iterator It(Dir, EC), End;
         It != End && !EC; It.increment(EC))
      if (StringRef(It->path()).endswith(".o") ||
          StringRef(It->path()).endswith(".obj"))
        Objects.push_back(It->path());
    llvm::sort(Objects);
    for (const std::string &Object : Objects)
      addFile(Object);
  }
  std::string hex() { return toHex(Hash.final(), /*LowerCase=*/true); }

private:
  SHA256 Hash;
};

/// Remembers the fingerprint each step last ran with, beside the config.
class Stamps {
public:
  explicit Stamps(const Config &C)
      : Path((sys::path::parent_path(C.Path).empty()
                  ? std::string(".")
                  : sys::path::parent_path(C.Path).str()) +
             "/.ramfit-stamps") {
    auto Buffer = MemoryBuffer::getFile(Path);
    if (!Buffer)
      return;
    for (StringRef Line : split((*Buffer)->getBuffer(), '\n')) {
      auto [Step, Hash] = Line.split(' ');
      if (!Hash.empty())
        Known[Step.str()] = Hash.str();
    }
  }

  bool unchanged(StringRef Step, StringRef Hash,
                 std::initializer_list<StringRef> Outputs) const {
    auto It = Known.find(Step.str());
    return It != Known.end() && It->second == Hash &&
           llvm::all_of(Outputs, [](StringRef Output) {
             return Output.empty() || sys::fs::exists(Output);
           });
  }

  Error record(StringRef Step, StringRef Hash) {
    Known[Step.str()] = Hash.str();
    std::string Text;
    for (const auto &[Name, Value] : Known)
      Text += Name + " " + Value + "\n";
    return writeIfChanged(Path, Text);
  }

private:
  std::string Path;
  std::map<std::string, std::string> Known;
};

std::string configFields(const Config &C) {
  return join(std::vector<std::string>{C.Budget, C.Region, C.Reserve,
                                       join(C.Pins, ","), join(C.Excludes, ","),
                                       std::to_string(C.MinSamples),
                                       std::to_string(C.FlashRamRatio),
                                       C.Section, C.Style, C.FragmentStyle,
                                       C.LoadRegion, C.SourceRoot},
              "|");
}

Error stepPlan(const Config &C) {
  PlanRequest Request;
  Request.Elf = C.Elf;
  Request.Samples = C.Samples;
  Request.Map = C.Map;
  Request.Budget = {C.Budget, C.MemoryMap, C.Region, C.Reserve};
  Request.Pins = C.Pins;
  Request.Excludes = C.Excludes;
  Request.MinSamples = C.MinSamples;
  Request.Model.FlashRamRatio = C.FlashRamRatio;
  Expected<PlanOutcome> Outcome = planFromSamples(Request);
  if (!Outcome)
    return Outcome.takeError();
  if (Error Err = writeIfChanged(
          C.Plan, planToYaml(Outcome->Result, planDirectory(C.Plan))))
    return Err;
  if (C.Report.empty())
    return Error::success();
  std::string Report;
  raw_string_ostream OS(Report);
  printPlanText(Outcome->Result, Outcome->Selected.GreedySamples, Request.Model,
                OS);
  return writeIfChanged(C.Report, OS.str());
}

Error stepLdscript(const Config &C) {
  Expected<Plan> P = readPlan(C.Plan);
  if (!P)
    return P.takeError();
  FragmentOptions Options;
  Options.Style = C.FragmentStyle == "section" ? FragmentStyle::Section
                                               : FragmentStyle::List;
  Options.Region = C.Region.empty() ? "RAM" : C.Region;
  Options.LoadRegion = C.LoadRegion;
  Options.PlanName = sys::path::filename(C.Plan).str();
  // With both, the objects win: they exist before the link that writes
  // the map.
  Expected<std::string> Fragment =
      fragmentForPlan(*P, C.Objects.empty() ? StringRef(C.Map) : StringRef(),
                      C.Objects, Options);
  if (!Fragment)
    return Fragment.takeError();
  return writeIfChanged(C.Fragment, *Fragment);
}

Error stepAnnotate(const Config &C) {
  Expected<Plan> P = readPlan(C.Plan);
  if (!P)
    return P.takeError();
  Expected<AnnotationStyle> Style = AnnotationStyle::parse(C.Style, C.Section);
  if (!Style)
    return Style.takeError();
  Expected<AnnotateResult> Result =
      annotate(*P, {C.CompileCommands, C.SourceRoot, *Style, 0,
                    RAMFIT_CLANG_RESOURCE_DIR, false});
  if (!Result)
    return Result.takeError();
  for (const LeftForFragment &Left : Result->Left)
    warn(Left.Unit + " is left to the linker fragment: " + Left.Reason);
  Expected<std::string> Diff = unifiedDiff(Result->Edits, C.SourceRoot);
  if (!Diff)
    return Diff.takeError();
  return writeIfChanged(C.Patch, *Diff);
}

Expected<bool> stepCheck(const Config &C) {
  Expected<Plan> P = readPlan(C.Plan);
  if (!P)
    return P.takeError();
  Expected<std::unique_ptr<Binary>> Elf = Binary::open(C.Elf);
  if (!Elf)
    return Elf.takeError();
  Expected<MemoryRegion> Region = resolveRegion(C.MemoryMap, C.Region);
  if (!Region)
    return Region.takeError();
  CheckResult Result = checkElf(*P, **Elf, *Region, false);
  printFindings(Result, errs());
  return !Result.failed();
}

} // namespace

Expected<RunStatus> runSteps(const Config &C, ArrayRef<std::string> Steps,
                             raw_ostream &Log) {
  static const char *const Order[] = {"plan", "ldscript", "annotate", "check"};
  for (const std::string &Step : Steps)
    if (!llvm::is_contained(Order, Step))
      return createStringError(inconvertibleErrorCode(),
                               "unknown step '" + Step +
                                   "' (expected plan, ldscript, annotate or "
                                   "check)");
  Stamps Stamp(C);
  for (StringRef Step : Order) {
    if (!llvm::is_contained(Steps, Step))
      continue;
    Fingerprint Inputs;
    Inputs.add(Step);
    Inputs.add(configFields(C));
    if (Step == "plan") {
      for (const std::string &Sample : C.Samples) {
        Inputs.add(Sample);
        Inputs.addFile(splitSampleSpec(Sample).first);
      }
      Inputs.addFile(C.Elf);
      Inputs.addFile(C.MemoryMap);
    } else {
      Inputs.addFile(C.Plan);
    }
    Inputs.addFile(C.Map);
    if (!C.Objects.empty())
      Inputs.addObjects(C.Objects);
    std::string Hash = Inputs.hex();
    StringRef Output = Step == "plan"       ? StringRef(C.Plan)
                       : Step == "ldscript" ? StringRef(C.Fragment)
                       : Step == "annotate" ? StringRef(C.Patch)
                                            : StringRef();
    if (Step != "check" && Step != "annotate" &&
        Stamp.unchanged(Step, Hash, {Output})) {
      Log << "ramfit run: " << Step << ": up to date\n";
      continue;
    }
    if (Step == "check") {
      Expected<bool> Passed = stepCheck(C);
      if (!Passed)
        return Passed.takeError();
      Log << "ramfit run: check: " << (*Passed ? "ok" : "FAILED") << "\n";
      if (!*Passed)
        return RunCheckFailed;
      continue;
    }
    Error Err = Step == "plan"       ? stepPlan(C)
                : Step == "ldscript" ? stepLdscript(C)
                                     : stepAnnotate(C);
    if (Err)
      return Err;
    if (Error Err = Stamp.record(Step, Hash))
      return Err;
    Log << "ramfit run: " << Step << ": done\n";
  }
  return RunOk;
}

} // namespace ramfit
