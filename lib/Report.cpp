#include "Report.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include <algorithm>
#include <cmath>

using namespace llvm;

namespace ramfit {

/// Weighted counts are whole numbers unless a fractional weight was given.
static std::string formatCount(double Count) {
  if (Count == std::floor(Count) && std::fabs(Count) < 1e15)
    return std::to_string(int64_t(Count));
  std::string Text;
  raw_string_ostream(Text) << format("%.2f", Count);
  return Text;
}

static json::Value countToJson(double Count) {
  if (Count == std::floor(Count) && std::fabs(Count) < 1e15)
    return int64_t(Count);
  return Count;
}

static double percent(double Part, double Whole) {
  return Whole > 0 ? 100.0 * Part / Whole : 0.0;
}

static std::string fileLine(const FunctionProfile &F) {
  if (F.File.empty())
    return F.Object.empty() ? "" : F.Object;
  return F.Line ? F.File + ":" + std::to_string(F.Line) : F.File;
}

void printProfileText(const Profile &P, raw_ostream &OS, size_t Limit) {
  OS << "Samples: " << formatCount(P.TotalSamples) << " total, "
     << formatCount(P.AttributedSamples) << " attributed ("
     << format("%.1f%%", percent(P.AttributedSamples, P.TotalSamples)) << "), "
     << formatCount(P.UnattributedTotal) << " unattributed\n";
  size_t Shown =
      Limit ? std::min(Limit, P.Functions.size()) : P.Functions.size();
  size_t NameWidth = strlen("function");
  for (size_t I = 0; I < Shown; ++I)
    NameWidth = std::max(NameWidth, P.Functions[I].Name.size());
  OS << "      self   self%    sum%        cum    cum%     size  "
     << left_justify("function", NameWidth) << "  file:line\n";
  double Sum = 0;
  for (size_t I = 0; I < Shown; ++I) {
    const FunctionProfile &F = P.Functions[I];
    Sum += F.Self;
    std::string Size = F.Address ? std::to_string(F.Size) : "inlined";
    OS << format("%10s %6.2f%% %6.2f%% %10s %6.2f%% %8s  ",
                 formatCount(F.Self).c_str(), percent(F.Self, P.TotalSamples),
                 percent(Sum, P.TotalSamples),
                 formatCount(F.Cumulative).c_str(),
                 percent(F.Cumulative, P.TotalSamples), Size.c_str())
       << left_justify(F.Name, NameWidth) << "  " << fileLine(F) << "\n";
  }
  if (Shown < P.Functions.size())
    OS << "... " << (P.Functions.size() - Shown) << " more functions\n";
  if (P.Unattributed.empty())
    return;
  OS << "Unattributed samples:\n";
  for (const UnattributedSamples &U : P.Unattributed)
    OS << format("%10s %6.2f%%  ", formatCount(U.Samples).c_str(),
                 percent(U.Samples, P.TotalSamples))
       << U.What << "\n";
}

json::Value profileToJson(const Profile &P) {
  json::Array Functions;
  for (const FunctionProfile &F : P.Functions) {
    json::Object Entry{{"name", F.Name},
                       {"file", F.File},
                       {"line", F.Line},
                       {"size", int64_t(F.Size)},
                       {"self", countToJson(F.Self)},
                       {"cumulative", countToJson(F.Cumulative)},
                       {"object", F.Object},
                       {"section", F.Section}};
    Entry["address"] = F.Address
                           ? json::Value("0x" + utohexstr(*F.Address, true))
                           : json::Value(nullptr);
    if (!F.Parent.empty())
      Entry["parent"] = F.Parent;
    Functions.push_back(std::move(Entry));
  }
  json::Array Unattributed;
  for (const UnattributedSamples &U : P.Unattributed)
    Unattributed.push_back(
        json::Object{{"what", U.What}, {"samples", countToJson(U.Samples)}});
  return json::Object{
      {"elf", P.ElfPath},
      {"debug_info", P.HasDebugInfo},
      {"total_samples", countToJson(P.TotalSamples)},
      {"attributed_samples", countToJson(P.AttributedSamples)},
      {"unattributed_samples", countToJson(P.UnattributedTotal)},
      {"functions", std::move(Functions)},
      {"unattributed", std::move(Unattributed)}};
}

static void printUnits(const std::vector<PlannedUnit> &Units, double Total,
                       bool Cumulative, raw_ostream &OS) {
  size_t NameWidth = strlen("unit");
  for (const PlannedUnit &U : Units)
    NameWidth = std::max(NameWidth, U.Name.size());
  OS << "      size       self  " << (Cumulative ? "cover%" : " self%") << "  "
     << left_justify("unit", NameWidth) << "  section  file:line\n";
  double Covered = 0;
  for (const PlannedUnit &U : Units) {
    Covered += U.Self;
    std::string Location = U.File.empty() ? U.Object
                           : U.Line ? U.File + ":" + std::to_string(U.Line)
                                    : U.File;
    OS << format("%10llu %10s %6.2f%%  ", (unsigned long long)U.Size,
                 formatCount(U.Self).c_str(),
                 percent(Cumulative ? Covered : U.Self, Total))
       << left_justify(U.Name, NameWidth) << "  "
       << (U.Section.empty() ? "(symbol)" : U.Section) << "  " << Location
       << "\n";
  }
}

void printPlanText(const Plan &P, double GreedySamples, const CostModel &Model,
                   raw_ostream &OS) {
  OS << "Budget: " << P.Budget << " bytes, used " << P.Used << " ("
     << format("%.1f%%", percent(P.Used, P.Budget)) << "), left "
     << (P.Budget - P.Used) << "\n";
  OS << "Samples covered: " << formatCount(P.CoveredSamples) << " of "
     << formatCount(P.TotalSamples) << " ("
     << format("%.1f%%", percent(P.CoveredSamples, P.TotalSamples)) << ")\n";
  OS << "\nChosen units:\n";
  printUnits(P.Units, P.TotalSamples, /*Cumulative=*/true, OS);
  if (!P.Next.empty()) {
    OS << "\nBest units that did not fit:\n";
    printUnits(P.Next, P.TotalSamples, /*Cumulative=*/false, OS);
  }
  double Gap = P.CoveredSamples - GreedySamples;
  OS << "\nGreedy by density covers " << formatCount(GreedySamples)
     << " samples: " << formatCount(Gap) << " fewer than the optimum ("
     << format("%.2f%%", percent(Gap, P.CoveredSamples)) << ")\n";
  OS << "Estimated speedup of the profiled workload: "
     << format("%.2fx", Model.speedup(P.CoveredSamples, P.TotalSamples))
     << " (flash/RAM ratio " << format("%g", Model.FlashRamRatio) << ")\n";
}

static json::Array unitsToJson(const std::vector<PlannedUnit> &Units) {
  json::Array Result;
  for (const PlannedUnit &U : Units)
    Result.push_back(json::Object{{"name", U.Name},
                                  {"file", U.File},
                                  {"line", U.Line},
                                  {"size", int64_t(U.Size)},
                                  {"self", countToJson(U.Self)},
                                  {"section", U.Section},
                                  {"object", U.Object},
                                  {"why", U.Why}});
  return Result;
}

json::Value planToJson(const Plan &P, double GreedySamples,
                       const CostModel &Model) {
  return json::Object{
      {"budget", int64_t(P.Budget)},
      {"used", int64_t(P.Used)},
      {"left", int64_t(P.Budget - P.Used)},
      {"total_samples", countToJson(P.TotalSamples)},
      {"covered_samples", countToJson(P.CoveredSamples)},
      {"greedy_samples", countToJson(GreedySamples)},
      {"flash_ram_ratio", Model.FlashRamRatio},
      {"estimated_speedup", Model.speedup(P.CoveredSamples, P.TotalSamples)},
      {"units", unitsToJson(P.Units)},
      {"next", unitsToJson(P.Next)}};
}

} // namespace ramfit
