//===- Report.h - What ramfit shows a person, as text or JSON ---*- C++ -*-===//
#ifndef RAMFIT_REPORT_H
#define RAMFIT_REPORT_H

#include "plan/Plan.h"
#include "plan/Selector.h"
#include "profile/Profile.h"
#include "profile/ProfileReport.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace ramfit {

/// The dry-run budget report: the chosen units with their cumulative
/// coverage, budget used and left, the best units that did not fit, the gap
/// of the greedy answer and, for a plan from cycle profiles, the speedup the
/// timing model predicts.
void printPlanText(const Plan &P, double GreedySamples, const CostModel &Model,
                   llvm::raw_ostream &OS);
llvm::json::Value planToJson(const Plan &P, double GreedySamples,
                             const CostModel &Model);

/// One self-contained HTML page: the summary, the chosen units and an inline
/// SVG plot of samples covered against RAM bytes spent, optimal and greedy,
/// with the chosen budget marked.
void printPlanHtml(const Plan &P, double GreedySamples,
                   llvm::ArrayRef<CoveragePoint> Curve, llvm::raw_ostream &OS);

/// The HTML report, its curve solved at every plotted budget.
llvm::Expected<std::string> planHtml(const Plan &P,
                                     llvm::ArrayRef<PlacementUnit> Units,
                                     const SelectOptions &Options,
                                     double GreedySamples);

} // namespace ramfit

#endif
