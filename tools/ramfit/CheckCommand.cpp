//===- CheckCommand.cpp - ramfit check ------------------------------------===//

#include "Commands.h"

#include "profile/ProfileReport.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit::cli {

namespace {

cl::opt<bool> NoFlashCalls(
    "no-flash-calls",
    cl::desc("Fail when code in RAM calls code in flash (for code that runs "
             "while the flash is busy)"),
    cl::sub(CheckCommand));
cl::opt<bool> ListFlashCalls(
    "list-flash-calls",
    cl::desc("Name each call from RAM into flash, not only the summary"),
    cl::sub(CheckCommand));
cl::opt<bool> AllUnits(
    "all-units",
    cl::desc("A row for every planned unit; by default, past 20 units, the "
             "10 largest and a line for the rest"),
    cl::sub(CheckCommand));

/// A real port's plan has a hundred units or more: its table would not fit
/// the screen a reviewer reads.
constexpr size_t UnitRowsShown = 10, UnitsShownWhole = 20;

} // namespace

int runCheck() {
  CheckStepOptions Options;
  Options.Plan = PlanPath;
  Options.Elf = ElfPath;
  Options.MemoryMap = MemoryMapPath;
  Options.Region = RegionName;
  Options.SearchDirs = SearchDirs;
  Options.NoFlashCalls = NoFlashCalls;
  Options.ListFlashCalls = ListFlashCalls;
  Expected<CheckStepResult> Result = checkStep(Options, printDiagnostic);
  if (!Result)
    return reportError(Result.takeError());
  const CheckResult &Check = Result->Check;
  // Predicted against linked bytes, per unit and in total.
  if (!Check.Sizes.empty()) {
    const char *Row = "{0,-40} {1,9} {2,9}\n";
    outs() << formatv(Row, "unit", "predicted", "linked");
    std::vector<LinkedSize> Rows = Check.Sizes;
    bool Whole = AllUnits || Rows.size() <= UnitsShownWhole;
    if (!Whole) {
      llvm::stable_sort(Rows, [](const LinkedSize &A, const LinkedSize &B) {
        return A.Linked > B.Linked;
      });
      Rows.resize(UnitRowsShown);
    }
    for (const LinkedSize &Size : Rows)
      outs() << formatv(Row, StringRef(readableName(Size.Unit)).take_front(40),
                        std::to_string(Size.Predicted),
                        std::to_string(Size.Linked));
    if (!Whole)
      outs() << formatv(Row,
                        "... " +
                            std::to_string(Check.Sizes.size() - UnitRowsShown) +
                            " more (--all-units)",
                        "", "");
    if (Check.VeneerBytes)
      outs() << formatv(Row, "veneers", "", std::to_string(Check.VeneerBytes));
    outs() << formatv(Row, "total", std::to_string(Check.predictedTotal()),
                      std::to_string(Check.linkedTotal()));
  }
  // The region holds more than the plan: what else is there, by size.
  if (!Check.OtherCode.empty()) {
    std::vector<std::string> Largest;
    for (const LinkedSize &Other : Check.OtherCode) {
      if (Largest.size() == 5)
        break;
      Largest.push_back(readableName(Other.Unit) + " " +
                        std::to_string(Other.Linked));
    }
    outs() << "not in the plan: " << Check.otherCodeBytes() << " bytes in "
           << Check.OtherCode.size() << " function(s) the script or the "
           << "sources place in " << Result->Region.Name << " ("
           << join(Largest, ", ")
           << (Check.OtherCode.size() > Largest.size() ? ", ..." : "")
           << "); code in " << Result->Region.Name << ": "
           << Check.linkedTotal() + Check.otherCodeBytes() << " bytes\n";
  }
  bool Failed = Check.failed();
  outs() << "ramfit check: " << Result->Check.InRam << " of "
         << Result->PlannedUnits << " planned functions in "
         << Result->Region.Name << ": " << (Failed ? "FAILED" : "ok") << "\n";
  return Failed ? CheckFailedExitCode : 0;
}

} // namespace ramfit::cli
