#include "apply/FlashCalls.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Demangle/Demangle.h"
#include <map>
#include <set>
#include <vector>

using namespace llvm;

namespace ramfit {

std::vector<FlashCall> flashCallsFrom(const Binary &Elf,
                                      const FunctionInfo &Caller,
                                      const MemoryRegion &Region,
                                      const CallScanner &Calls) {
  std::vector<FlashCall> Found;
  std::set<std::string> Reported;
  for (const CallSite &Site : Calls.callsIn(Caller.Address, Caller.Size)) {
    if (!Site.Target)
      continue;
    const FunctionInfo *Callee = Elf.functionAt(*Site.Target);
    if (!Callee)
      continue;
    Callee = Elf.throughVeneer(Callee);
    if (Region.contains(Callee->Address) ||
        !Reported.insert(Callee->Name).second)
      continue;
    Found.push_back({llvm::demangle(Caller.Name), llvm::demangle(Callee->Name),
                     Callee->Address, Callee->OutputSection});
  }
  return Found;
}

std::string describeFlashCall(const FlashCall &Call, StringRef RegionName) {
  return Call.Caller + " (in " + RegionName.str() + ") calls " + Call.Callee +
         " at " + "0x" + utohexstr(Call.CalleeAddress, /*LowerCase=*/true) +
         " in " + Call.CalleeSection + ", outside " + RegionName.str();
}

std::string summarizeFlashCalls(ArrayRef<FlashCall> Calls,
                                StringRef RegionName) {
  std::map<std::string, unsigned> CallersOf;
  for (const FlashCall &Call : Calls)
    ++CallersOf[Call.Callee];
  std::vector<std::pair<std::string, unsigned>> Targets(CallersOf.begin(),
                                                        CallersOf.end());
  llvm::stable_sort(Targets, [](const auto &A, const auto &B) {
    return A.second > B.second;
  });
  std::vector<std::string> Shown;
  for (const auto &[Callee, Callers] : Targets) {
    if (Shown.size() == 10)
      break;
    Shown.push_back(Callee + " (" + std::to_string(Callers) + ")");
  }
  return std::to_string(Calls.size()) + " call(s) from code in " +
         RegionName.str() + " to " + std::to_string(Targets.size()) +
         " function(s) outside it, each slower while it runs from flash; "
         "the most called, by callers in " +
         RegionName.str() + ": " + join(Shown, ", ") +
         (Targets.size() > Shown.size() ? ", ..." : "") +
         " (--list-flash-calls names each; --no-flash-calls makes them "
         "errors)";
}

} // namespace ramfit
