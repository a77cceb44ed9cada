//===- RunCommand.cpp - ramfit run ----------------------------------------===//

#include "Commands.h"
#include "steps/Runner.h"

#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit::cli {

namespace {

cl::list<std::string>
    Steps(cl::Positional, cl::ZeroOrMore,
          cl::desc("[plan|ldscript|annotate|check]... "
                   "(default: every step the config sets up)"),
          cl::sub(RunCommand));
cl::opt<std::string> ConfigPath("config", cl::desc("The config file"),
                                cl::value_desc("FILE"), cl::init("ramfit.yaml"),
                                cl::sub(RunCommand));
// Command-line values win over the config's.
cl::opt<std::string> RunElf("elf", cl::desc("Override the config's elf"),
                            cl::value_desc("FILE"), cl::sub(RunCommand));
cl::opt<std::string> RunMap("map", cl::desc("Override the config's map"),
                            cl::value_desc("FILE"), cl::sub(RunCommand));
cl::opt<std::string> RunBudget("budget",
                               cl::desc("Override the config's budget"),
                               cl::sub(RunCommand));
cl::opt<std::string> RunPlan("plan",
                             cl::desc("Override the config's outputs.plan"),
                             cl::value_desc("FILE"), cl::sub(RunCommand));

void override(cl::opt<std::string> &Option, std::string &Field) {
  if (Option.getNumOccurrences())
    Field = Option;
}

} // namespace

int runRun() {
  Expected<Config> C = readConfig(ConfigPath);
  if (!C)
    return reportError(C.takeError());
  override(RunElf, C->Elf);
  override(RunMap, C->Map);
  override(RunBudget, C->Budget);
  override(RunPlan, C->Plan);
  std::vector<std::string> Chosen(Steps.begin(), Steps.end());
  if (Chosen.empty())
    Chosen = configuredSteps(*C);
  Expected<RunStatus> Status = runSteps(*C, Chosen, errs(), printDiagnostic);
  if (!Status)
    return reportError(Status.takeError());
  return *Status;
}

} // namespace ramfit::cli
