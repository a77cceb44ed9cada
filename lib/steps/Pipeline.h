//===- Pipeline.h - Samples to a plan, in one call ---------------*- C++
//-*-===//
//
// The one-way flow that 'ramfit plan' and 'ramfit run' share: read the ELF
// and the samples, profile, cut the code into placement units, select
// under the budget, and make the plan.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PIPELINE_H
#define RAMFIT_PIPELINE_H

#include "firmware/MemoryMap.h"
#include "plan/Plan.h"
#include "samples/Samples.h"
#include "plan/Selector.h"

#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace ramfit {

struct PlanRequest {
  std::string Elf;
  std::vector<std::string> Samples;
  SampleFormat Format = SampleFormat::Auto;
  bool AllowMismatch = false;
  /// "" for none: sizes then come from symbols, with a warning.
  std::string Map;
  BudgetSpec Budget;
  std::vector<std::string> Pins;
  std::vector<std::string> Excludes;
  double MinSamples = 0;
  CostModel Model;
};

struct PlanOutcome {
  Plan Result;
  std::vector<PlacementUnit> Units;
  SelectOptions Options;
  SelectResult Selected;
};

llvm::Expected<PlanOutcome> planFromSamples(const PlanRequest &Request);

} // namespace ramfit

#endif
