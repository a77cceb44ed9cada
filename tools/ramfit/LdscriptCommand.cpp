//===- LdscriptCommand.cpp - ramfit ldscript ------------------------------===//

#include "Commands.h"

#include "llvm/Support/Path.h"

using namespace llvm;

namespace ramfit::cli {

namespace {

cl::opt<std::string> FragmentOutput("o",
                                    cl::desc("Where to write the fragment"),
                                    cl::value_desc("FILE"), cl::Required,
                                    cl::sub(LdscriptCommand));
cl::alias FragmentOutputLong("output", cl::desc("Alias for -o"),
                             cl::aliasopt(FragmentOutput));
cl::opt<std::string>
    ObjectsDir("objects",
               cl::desc("Read section names from the object files under DIR "
                        "(instead of --map)"),
               cl::value_desc("DIR"), cl::sub(LdscriptCommand));
cl::opt<std::string>
    LinkScript("script",
               cl::desc("The linker script the link uses: fail if a rule in it "
                        "would take a section of the fragment first"),
               cl::value_desc("SCRIPT"), cl::sub(LdscriptCommand));
cl::opt<std::string>
    Style("style",
          cl::desc("What the fragment holds: list (input-section lines, to "
                   "INCLUDE inside an output section) or section (a whole "
                   ".ramtext output section)"),
          cl::init("list"), cl::sub(LdscriptCommand));
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
  LdscriptStepOptions Options;
  Options.Plan = PlanPath;
  Options.Map = MapPath;
  Options.ObjectsDir = ObjectsDir;
  Expected<FragmentStyle> Kind =
      parseOption<FragmentStyle>(Style.ArgStr, Style, parseFragmentStyle);
  if (!Kind)
    return reportError(Kind.takeError());
  Expected<std::string> Region =
      parseOption<std::string>(RamRegion.ArgStr, RamRegion, parseRegionName);
  if (!Region)
    return reportError(Region.takeError());
  Expected<std::string> Load =
      parseOption<std::string>(LoadRegion.ArgStr, LoadRegion, parseRegionName);
  if (!Load)
    return reportError(Load.takeError());
  Options.Fragment.Style = *Kind;
  Options.Fragment.Region = *Region;
  Options.Fragment.LoadRegion = *Load;
  Options.Fragment.PlanName = sys::path::filename(PlanPath).str();
  Options.Output = FragmentOutput;
  Options.Script = LinkScript;
  Options.SearchDirs = SearchDirs;
  if (Expected<std::string> Fragment = ldscriptStep(Options, printDiagnostic);
      !Fragment)
    return reportError(Fragment.takeError());
  return 0;
}

} // namespace ramfit::cli
