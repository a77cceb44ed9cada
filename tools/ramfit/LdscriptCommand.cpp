//===- LdscriptCommand.cpp - ramfit ldscript ------------------------------===//

#include "Commands.h"
#include "apply/LinkerFragment.h"
#include "plan/Plan.h"

#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit::cli {

namespace {

cl::opt<std::string> FragmentOutput("o",
                                    cl::desc("Where to write the fragment"),
                                    cl::value_desc("FILE"), cl::Required,
                                    cl::sub(LdscriptCommand));
cl::opt<std::string>
    ObjectsDir("objects",
               cl::desc("Read section names from the object files under DIR "
                        "(instead of --map)"),
               cl::value_desc("DIR"), cl::sub(LdscriptCommand));
cl::opt<FragmentStyle> Style(
    "style", cl::desc("What the fragment holds"), cl::init(FragmentStyle::List),
    cl::values(clEnumValN(FragmentStyle::List, "list",
                          "input-section lines, to INCLUDE inside an output "
                          "section"),
               clEnumValN(FragmentStyle::Section, "section",
                          "a whole .ramtext output section")),
    cl::sub(LdscriptCommand));
cl::opt<std::string> RamRegion("region",
                               cl::desc("MEMORY region of .ramtext (section "
                                        "style)"),
                               cl::init("RAM"), cl::sub(LdscriptCommand));
cl::opt<std::string> LoadRegion("load-region",
                                cl::desc("MEMORY region it loads from (section "
                                         "style)"),
                                cl::init("FLASH"), cl::sub(LdscriptCommand));

} // namespace

int runLdscript() {
  if (!MapPath.empty() && !ObjectsDir.empty())
    return reportError(createStringError(inconvertibleErrorCode(),
                                         "give --map or --objects, not both"));
  Expected<Plan> P = readPlan(PlanPath);
  if (!P)
    return reportError(P.takeError());
  FragmentOptions Options{Style, RamRegion, LoadRegion,
                          sys::path::filename(PlanPath).str()};
  Expected<std::string> Fragment =
      fragmentForPlan(*P, MapPath, ObjectsDir, Options);
  if (!Fragment)
    return reportError(Fragment.takeError());
  if (Error Err = writeIfChanged(FragmentOutput, *Fragment))
    return reportError(std::move(Err));
  return 0;
}

} // namespace ramfit::cli
