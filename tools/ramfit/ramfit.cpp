//===- ramfit.cpp - Decide which firmware functions belong in RAM ---------===//
//
// The command line only: each subcommand parses its options and calls the
// library.
//
//===----------------------------------------------------------------------===//

#include "Binary.h"
#include "Profile.h"
#include "Report.h"
#include "Samples.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace ramfit;

namespace {

enum class OutputFormat { Text, Json };

cl::SubCommand
    ProfileCommand("profile",
                   "Attribute PC samples to the functions of an ELF");

cl::opt<std::string> ElfPath("elf",
                             cl::desc("The firmware ELF that was sampled"),
                             cl::value_desc("FILE"), cl::Required,
                             cl::sub(ProfileCommand));
cl::list<std::string>
    SampleSpecs(cl::Positional, cl::OneOrMore,
                cl::desc("<samples[@weight]>... (gdb log, hex list, gmon.out, "
                         "folded stacks)"),
                cl::sub(ProfileCommand));
cl::opt<std::string>
    SamplesFormat("samples-format",
                  cl::desc("Read every sample file as this format: auto, gdb, "
                           "hex, gmon or folded"),
                  cl::init("auto"), cl::sub(ProfileCommand));
cl::opt<OutputFormat> Format(
    "format", cl::desc("Output format"), cl::init(OutputFormat::Text),
    cl::values(clEnumValN(OutputFormat::Text, "text", "a flat profile table"),
               clEnumValN(OutputFormat::Json, "json", "JSON")),
    cl::sub(ProfileCommand));
cl::opt<unsigned> Top("top",
                      cl::desc("Show only the first N functions (0: all)"),
                      cl::init(0), cl::sub(ProfileCommand));
cl::opt<bool> AllowMismatch(
    "allow-mismatch",
    cl::desc("Go on when the samples name symbols the ELF does not have there"),
    cl::sub(ProfileCommand));

int reportError(Error Err) {
  WithColor::error(errs(), "ramfit") << toString(std::move(Err)) << "\n";
  return 1;
}

int runProfile() {
  Expected<SampleFormat> Forced = parseSampleFormat(SamplesFormat);
  if (!Forced)
    return reportError(Forced.takeError());
  Expected<std::unique_ptr<Binary>> Elf = Binary::open(ElfPath);
  if (!Elf)
    return reportError(Elf.takeError());
  std::vector<SampleFile> Files;
  for (const std::string &Spec : SampleSpecs) {
    Expected<SampleFile> File = readSampleFile(Spec, *Forced);
    if (!File)
      return reportError(File.takeError());
    Files.push_back(std::move(*File));
  }
  Expected<Profile> Result = buildProfile(**Elf, Files, {AllowMismatch});
  if (!Result)
    return reportError(Result.takeError());
  if (Format == OutputFormat::Json)
    outs() << formatv("{0:2}", profileToJson(*Result)) << "\n";
  else
    printProfileText(*Result, outs(), Top);
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
  WithColor::error(errs(), "ramfit")
      << "no subcommand given; see 'ramfit --help'\n";
  return 1;
}
