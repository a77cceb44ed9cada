#include "steps/Pipeline.h"
#include "firmware/Binary.h"
#include "firmware/Calls.h"
#include "support/Diagnostics.h"
#include "firmware/LinkerMap.h"
#include "profile/Profile.h"

using namespace llvm;

namespace ramfit {

Expected<PlanOutcome> planFromSamples(const PlanRequest &Request) {
  Expected<std::unique_ptr<Binary>> Elf = Binary::open(Request.Elf);
  if (!Elf)
    return Elf.takeError();
  Expected<uint64_t> Budget = resolveBudget(Request.Budget, **Elf);
  if (!Budget)
    return Budget.takeError();
  std::vector<SampleFile> Files;
  for (const std::string &Spec : Request.Samples) {
    Expected<SampleFile> File = readSampleFile(Spec, Request.Format);
    if (!File)
      return File.takeError();
    Files.push_back(std::move(*File));
  }
  Expected<Profile> Profiled =
      buildProfile(**Elf, Files, {Request.AllowMismatch});
  if (!Profiled)
    return Profiled.takeError();
  Expected<std::optional<LinkerMap>> Map = readOptionalLinkerMap(Request.Map);
  if (!Map)
    return Map.takeError();
  Expected<std::unique_ptr<CallScanner>> Calls = CallScanner::create(**Elf);
  if (!Calls)
    warn(toString(Calls.takeError()) + "; allowing " +
         Twine(Request.Model.CallAllowance) +
         " bytes per unit for longer calls");

  PlanOutcome Outcome;
  Outcome.Units = buildUnits(*Profiled, *Map ? &**Map : nullptr,
                             Calls ? Calls->get() : nullptr, Request.Model);
  Outcome.Options = {*Budget, Request.Pins, Request.Excludes,
                     Request.MinSamples};
  Expected<SelectResult> Selected =
      selectUnits(Outcome.Units, Outcome.Options, Request.Model);
  if (!Selected)
    return Selected.takeError();
  Outcome.Selected = std::move(*Selected);
  Expected<Plan> Result =
      makePlan(*Profiled, Files, Outcome.Units, Outcome.Selected, *Budget);
  if (!Result)
    return Result.takeError();
  Outcome.Result = std::move(*Result);
  return Outcome;
}

} // namespace ramfit
