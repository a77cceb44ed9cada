//===- RootOptions.cpp - What must run from RAM, for plan and audit -------===//

#include "Commands.h"

#include <tuple>

using namespace llvm;

namespace ramfit::cli {

static cl::list<std::string> KeepSections(
    "keep-section",
    cl::desc("Code in input sections matching GLOB runs while the flash is "
             "busy: it, and all it calls, stays in RAM"),
    cl::value_desc("GLOB"), cl::sub(PlanCommand), cl::sub(AuditCommand));
static cl::list<std::string> KeepReachable(
    "keep-reachable",
    cl::desc("Functions matching GLOB, and all they call, run from RAM"),
    cl::value_desc("GLOB"), cl::sub(PlanCommand), cl::sub(AuditCommand));
static cl::list<std::string>
    NotARoot("not-a-root",
             cl::desc("An interrupt or trap entry matching GLOB need not run "
                      "from RAM (a vector that is never enabled; '*' for all)"),
             cl::value_desc("GLOB"), cl::sub(PlanCommand),
             cl::sub(AuditCommand));
static cl::list<std::string> Indirect(
    "indirect",
    cl::desc("The functions an indirect call in CALLER may reach, for code "
             "that must run from RAM"),
    cl::value_desc("CALLER=TARGET[,TARGET...]"), cl::sub(PlanCommand),
    cl::sub(AuditCommand));
Expected<RamRootOptions> rootOptions() {
  RamRootOptions Roots;
  for (auto [Flag, Globs, Field] :
       {std::tuple(KeepSections.ArgStr, &KeepSections, &Roots.KeepSections),
        std::tuple(KeepReachable.ArgStr, &KeepReachable, &Roots.KeepReachable),
        std::tuple(NotARoot.ArgStr, &NotARoot, &Roots.NotARoot)})
    for (const std::string &Glob : *Globs) {
      Expected<std::string> Checked =
          parseOption<std::string>(Flag, Glob, parseUnitPattern);
      if (!Checked)
        return Checked.takeError();
      Field->push_back(std::move(*Checked));
    }
  for (const std::string &Spec : Indirect) {
    Expected<std::string> Checked =
        parseOption<std::string>(Indirect.ArgStr, Spec, parseIndirectTargets);
    if (!Checked)
      return Checked.takeError();
    Roots.Indirect.push_back(std::move(*Checked));
  }
  return Roots;
}

} // namespace ramfit::cli
