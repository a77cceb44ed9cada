//===- ramfit.cpp - Decide which firmware functions belong in RAM ---------===//
//
// The command line only: each subcommand parses its options and calls the
// library.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"
#include "support/Choices.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>

using namespace llvm;

namespace ramfit::cli {

cl::SubCommand
    ProfileCommand("profile",
                   "Attribute PC samples to the functions of an ELF");
cl::SubCommand
    PlanCommand("plan", "Choose the functions to place in RAM under a budget");
cl::SubCommand
    LdscriptCommand("ldscript",
                    "Write the GNU ld input-section patterns for a plan");
cl::SubCommand
    CheckCommand("check",
                 "Check that a rebuilt ELF has the planned functions in RAM");
cl::SubCommand
    AnnotateCommand("annotate",
                    "Mark the planned functions in the C sources (a patch)");
cl::SubCommand
    GdbScriptCommand("gdb-script",
                     "Print how to take samples with ramfit's gdb sampler");
cl::SubCommand
    MeasureCommand("measure",
                   "Run firmware in QEMU under a flash timing model and "
                   "count its cycles");
cl::SubCommand
    AuditCommand("audit",
                 "Audit the RAM placement a linker script already makes");
cl::SubCommand DiffCommand("diff", "Compare two plans: units added, freed "
                                   "and kept, bytes and samples");
cl::SubCommand RunCommand("run",
                          "Run the steps ramfit.yaml sets up, as a build step "
                          "(exit 0 ok, 1 error, 2 check failed)");

cl::opt<std::string> ElfPath("elf", cl::desc("The firmware ELF"),
                             cl::value_desc("FILE"), cl::Required,
                             cl::sub(ProfileCommand), cl::sub(PlanCommand),
                             cl::sub(CheckCommand), cl::sub(AuditCommand));
static cl::list<std::string>
    SampleSpecs(cl::Positional, cl::OneOrMore,
                cl::desc("<samples[@weight]>... (gdb log, hex list, gmon.out, "
                         "folded stacks, cycle profile)"),
                cl::sub(ProfileCommand), cl::sub(PlanCommand));
static cl::opt<std::string>
    SamplesFormat("samples-format",
                  cl::desc("Read every sample file as this format: auto, gdb, "
                           "hex, gmon, folded or cycles"),
                  cl::init("auto"), cl::sub(ProfileCommand),
                  cl::sub(PlanCommand));
cl::opt<bool> AllowMismatch(
    "allow-mismatch",
    cl::desc("Go on when the samples name symbols the ELF does not have there"),
    cl::sub(ProfileCommand), cl::sub(PlanCommand));
cl::opt<std::string> MapPath("map", cl::desc("The GNU ld map file of the ELF"),
                             cl::value_desc("FILE"), cl::sub(PlanCommand),
                             cl::sub(LdscriptCommand));
cl::opt<std::string> PlanPath("plan", cl::desc("The plan file"),
                              cl::value_desc("FILE"), cl::Required,
                              cl::sub(LdscriptCommand), cl::sub(CheckCommand),
                              cl::sub(AnnotateCommand));
cl::opt<std::string> MemoryMapPath(
    "memory-map",
    cl::desc("Linker script whose MEMORY command gives the region"),
    cl::value_desc("SCRIPT"), cl::sub(PlanCommand), cl::sub(CheckCommand));
cl::opt<std::string>
    RegionName("region",
               cl::desc("The RAM region: a MEMORY region name, or "
                        "NAME=ORIGIN,LENGTH for check"),
               cl::sub(PlanCommand), cl::sub(CheckCommand));

// -Ldir as ld takes it, or -L dir.
cl::list<std::string>
    SearchDirs("L",
               cl::desc("Look for the memory map's INCLUDEs here too, after "
                        "the working directory (ld's -L)"),
               cl::value_desc("DIR"), cl::Prefix, cl::sub(PlanCommand),
               cl::sub(CheckCommand), cl::sub(LdscriptCommand));

int reportError(Error Err) {
  WithColor::error(errs(), "ramfit") << toString(std::move(Err)) << "\n";
  return 1;
}

void printDiagnostic(const Diagnostic &D) {
  switch (D.Level) {
  case Severity::Error:
    WithColor::error(errs(), "ramfit") << D.Message << "\n";
    return;
  case Severity::Warning:
    WithColor::warning(errs(), "ramfit") << D.Message << "\n";
    return;
  case Severity::Note:
    WithColor::note(errs(), "ramfit") << D.Message << "\n";
    return;
  }
}

Expected<ProfileStepOptions> sampleInputOptions() {
  ProfileStepOptions Options;
  Options.Elf = ElfPath;
  Options.Samples = SampleSpecs;
  Expected<SampleFormat> Format = parseOption<SampleFormat>(
      SamplesFormat.ArgStr, SamplesFormat, parseSampleFormat);
  if (!Format)
    return Format.takeError();
  Options.Format = *Format;
  Options.AllowMismatch = AllowMismatch;
  return Options;
}

} // namespace ramfit::cli

/// LLVM registers its own options (code generation, debug info) with every
/// tool that links it, at the top level; ramfit's are all in its
/// subcommands, so none is in this category and LLVM's own call hides every
/// top-level option but --help and --version.
static cl::OptionCategory NoTopLevelOptions("ramfit");

/// A first word that is no subcommand would be "Unknown command line
/// argument": say so, and name the subcommand meant, as git does.
static bool isKnownSubcommand(StringRef Given) {
  std::vector<StringRef> Names;
  for (cl::SubCommand *Sub : cl::getRegisteredSubcommands()) {
    StringRef Name = Sub->getName();
    if (Name == Given)
      return true;
    if (!Name.empty())
      Names.push_back(Name);
  }
  WithColor::error(errs(), "ramfit")
      << "'" << Given << "' is not a ramfit command"
      << ramfit::didYouMean(Given, Names) << " (see 'ramfit --help')\n";
  return false;
}

int main(int argc, char **argv) {
  using namespace ramfit::cli;
  InitLLVM X(argc, argv);
  // https://no-color.org: any value but the empty one turns colour off.
  if (const char *NoColor = getenv("NO_COLOR"); NoColor && *NoColor)
    WithColor::setAutoDetectFunction([](const raw_ostream &) { return false; });
  cl::HideUnrelatedOptions(NoTopLevelOptions);
  if (argc > 1 && argv[1][0] != '-' && !isKnownSubcommand(argv[1]))
    return 1;
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "ramfit " RAMFIT_VERSION "\n  built with LLVM " LLVM_VERSION_STRING
          "\n";
  });
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "ramfit: decide which firmware functions belong in RAM, from "
          "measurements\n"))
    return 1;
  if (ProfileCommand)
    return runProfile();
  if (PlanCommand)
    return runPlan();
  if (LdscriptCommand)
    return runLdscript();
  if (CheckCommand)
    return runCheck();
  if (AnnotateCommand)
    return runAnnotate();
  if (GdbScriptCommand)
    return runGdbScript(argv[0]);
  if (RunCommand)
    return runRun();
  if (MeasureCommand)
    return runMeasure(argv[0]);
  if (AuditCommand)
    return runAudit();
  if (DiffCommand)
    return runDiff();
  WithColor::error(errs(), "ramfit")
      << "no subcommand given; see 'ramfit --help'\n";
  return 1;
}
