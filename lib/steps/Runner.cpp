#include "steps/Runner.h"
#include "steps/Steps.h"
#include "support/Output.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"

using namespace llvm;

namespace ramfit {

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

/// The folder of the fragment, a build folder, or else the config's: a
/// tree's own folders stay free of ramfit's bookkeeping when it builds.
static std::string stampsFolder(const Config &C) {
  StringRef Beside = C.Fragment.empty() ? StringRef(C.Path) : C.Fragment;
  StringRef Folder = sys::path::parent_path(Beside);
  return Folder.empty() ? "." : Folder.str();
}

/// Remembers the fingerprint each step last ran with.
class Stamps {
public:
  explicit Stamps(const Config &C)
      : Path(stampsFolder(C) + "/.ramfit-stamps") {
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

/// Everything that decides a step's outputs besides its input files.
std::string settings(const Config &C) {
  return join(
      std::vector<std::string>{
          C.Budget, C.Region, C.Reserve, join(C.Pins, ","),
          join(C.Excludes, ","), join(C.Roots.KeepSections, ","),
          join(C.Roots.KeepReachable, ","), join(C.Roots.NotARoot, ","),
          join(C.Roots.Indirect, ";"), std::to_string(C.MinSamples),
          std::to_string(C.FlashRamRatio), C.Style.Section,
          std::to_string(C.Style.Style), C.Style.Text,
          std::to_string(int(C.FragmentKind)), C.LoadRegion, C.SourceRoot},
      "|");
}

/// One step of 'ramfit run': when the config asks for it, what it reads
/// and writes (for skipping it when nothing changed), and the library call
/// that does it.
struct RunStep {
  const char *Name;
  bool (*IsConfigured)(const Config &C);
  /// Whether an unchanged fingerprint may skip it: a check always runs,
  /// and annotate's output depends on sources no fingerprint covers.
  bool MaySkip;
  void (*AddInputs)(const Config &C, Fingerprint &Inputs);
  /// The file it writes, which a skipped step must have left; "" for none.
  StringRef (*Output)(const Config &C);
  /// False when the step ran but failed its check.
  Expected<bool> (*Run)(const Config &C, DiagnosticHandler Diag);
};

const RunStep Steps[] = {
    // samples + ELF -> plan (and the text report)
    {"plan", [](const Config &C) { return !C.Samples.empty(); }, true,
     [](const Config &C, Fingerprint &Inputs) {
       for (const std::string &Sample : C.Samples) {
         Inputs.add(Sample);
         Inputs.addFile(splitSampleSpec(Sample).first);
       }
       Inputs.addFile(C.Elf);
       Inputs.addFile(C.MemoryMap);
       Inputs.addFile(C.Map);
     },
     [](const Config &C) { return StringRef(C.Plan); },
     [](const Config &C, DiagnosticHandler Diag) -> Expected<bool> {
       if (Expected<PlanStepResult> R = planStep(planStepOptions(C), Diag); !R)
         return R.takeError();
       return true;
     }},
    // plan -> linker-script fragment
    {"ldscript", [](const Config &C) { return !C.Fragment.empty(); }, true,
     [](const Config &C, Fingerprint &Inputs) {
       Inputs.addFile(C.Plan);
       Inputs.addFile(C.Map);
       // The fragment is checked against the link's script.
       Inputs.addFile(C.MemoryMap);
       if (!C.Objects.empty())
         Inputs.addObjects(C.Objects);
     },
     [](const Config &C) { return StringRef(C.Fragment); },
     [](const Config &C, DiagnosticHandler Diag) -> Expected<bool> {
       if (Expected<std::string> R = ldscriptStep(ldscriptStepOptions(C), Diag);
           !R)
         return R.takeError();
       return true;
     }},
    // plan + sources -> patch
    {"annotate", [](const Config &C) { return !C.Patch.empty(); }, false,
     [](const Config &C, Fingerprint &Inputs) { Inputs.addFile(C.Plan); },
     [](const Config &C) { return StringRef(C.Patch); },
     [](const Config &C, DiagnosticHandler Diag) -> Expected<bool> {
       if (Expected<AnnotateStepResult> R =
               annotateStep(annotateStepOptions(C), Diag);
           !R)
         return R.takeError();
       return true;
     }},
    // plan + rebuilt ELF -> pass or fail
    {"check", [](const Config &C) { return !C.Region.empty(); }, false,
     [](const Config &C, Fingerprint &Inputs) {
       Inputs.addFile(C.Plan);
       Inputs.addFile(C.Elf);
     },
     [](const Config &) { return StringRef(); },
     [](const Config &C, DiagnosticHandler Diag) -> Expected<bool> {
       Expected<CheckStepResult> R = checkStep(checkStepOptions(C), Diag);
       if (!R)
         return R.takeError();
       return !R->Check.failed();
     }},
};

} // namespace

std::vector<std::string> configuredSteps(const Config &C) {
  std::vector<std::string> Names;
  for (const RunStep &Step : Steps)
    if (Step.IsConfigured(C))
      Names.push_back(Step.Name);
  return Names;
}

Expected<RunStatus> runSteps(const Config &C, ArrayRef<std::string> Chosen,
                             raw_ostream &Log, DiagnosticHandler Diag) {
  for (const std::string &Name : Chosen)
    if (llvm::none_of(Steps, [&](const RunStep &S) { return Name == S.Name; }))
      return createStringError(inconvertibleErrorCode(),
                               "unknown step '" + Name +
                                   "' (accepted: plan, ldscript, annotate, "
                                   "check)");
  Stamps Stamp(C);
  for (const RunStep &Step : Steps) {
    if (!llvm::is_contained(Chosen, Step.Name))
      continue;
    Fingerprint Inputs;
    Inputs.add(Step.Name);
    Inputs.add(settings(C));
    Step.AddInputs(C, Inputs);
    std::string Hash = Inputs.hex();
    if (Step.MaySkip && Stamp.unchanged(Step.Name, Hash, {Step.Output(C)})) {
      Log << "ramfit run: " << Step.Name << ": up to date\n";
      continue;
    }
    Expected<bool> Passed = Step.Run(C, Diag);
    if (!Passed)
      return Passed.takeError();
    if (!*Passed) {
      Log << "ramfit run: " << Step.Name << ": FAILED\n";
      return RunCheckFailed;
    }
    if (Step.MaySkip)
      if (Error Err = Stamp.record(Step.Name, Hash))
        return Err;
    Log << "ramfit run: " << Step.Name << ": "
        << (StringRef(Step.Name) == "check" ? "ok" : "done") << "\n";
  }
  return RunOk;
}

} // namespace ramfit
