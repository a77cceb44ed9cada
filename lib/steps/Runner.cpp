#include "steps/Runner.h"
#include "firmware/MemoryMap.h"
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
  /// A linker script and what its INCLUDEs bring in; a script that cannot
  /// be read is the step's to report.
  void addScript(StringRef Path, const std::vector<std::string> &SearchDirs) {
    Expected<std::vector<std::string>> Files = memoryMapFiles(Path, SearchDirs);
    if (!Files) {
      consumeError(Files.takeError());
      addFile(Path);
      return;
    }
    for (const std::string &File : *Files)
      addFile(File);
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
  explicit Stamps(const Config &C) : Path(stampsFolder(C) + "/.ramfit-stamps") {
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
                 const std::vector<std::string> &Outputs) const {
    auto It = Known.find(Step.str());
    return It != Known.end() && It->second == Hash &&
           llvm::all_of(Outputs, [](const std::string &Output) {
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
  // Every setting is in the config as written, but for what the command
  // line overrides: no list of fields to keep in step with the config.
  return join(std::vector<std::string>{C.Text, C.Elf, C.Map, C.Budget, C.Plan},
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
  /// The files it writes, which a skipped step must have left.
  std::vector<std::string> (*Outputs)(const Config &C);
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
       Inputs.addScript(C.MemoryMap, C.SearchDirs);
       Inputs.addFile(C.Map);
     },
     [](const Config &C) {
       return std::vector<std::string>{C.Plan, C.Report};
     },
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
       Inputs.addScript(C.MemoryMap, C.SearchDirs);
       if (!C.Objects.empty())
         Inputs.addObjects(C.Objects);
     },
     [](const Config &C) { return std::vector<std::string>{C.Fragment}; },
     [](const Config &C, DiagnosticHandler Diag) -> Expected<bool> {
       if (Expected<std::string> R = ldscriptStep(ldscriptStepOptions(C), Diag);
           !R)
         return R.takeError();
       return true;
     }},
    // plan + sources -> patch
    {"annotate", [](const Config &C) { return !C.Patch.empty(); }, false,
     [](const Config &C, Fingerprint &Inputs) { Inputs.addFile(C.Plan); },
     [](const Config &C) { return std::vector<std::string>{C.Patch}; },
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
     [](const Config &) { return std::vector<std::string>(); },
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
    if (Step.MaySkip && Stamp.unchanged(Step.Name, Hash, Step.Outputs(C))) {
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
