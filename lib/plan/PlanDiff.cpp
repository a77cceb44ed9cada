#include "plan/PlanDiff.h"
#include "profile/ProfileReport.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <map>
#include <set>
#include <tuple>

using namespace llvm;

namespace ramfit {

namespace {

PlanSummary summaryOf(const Plan &P, StringRef Path) {
  return {Path.str(),     P.Budget,     P.Used,
          P.TakenCovered, P.TakenTotal, P.ElfSha256};
}

void sortBySamples(std::vector<UnitChange> &Units) {
  llvm::stable_sort(Units, [](const UnitChange &A, const UnitChange &B) {
    return std::make_tuple(-std::max(A.OldSamples, A.NewSamples), A.Name,
                           A.File) <
           std::make_tuple(-std::max(B.OldSamples, B.NewSamples), B.Name,
                           B.File);
  });
}

uint64_t bytes(const std::vector<UnitChange> &Units, bool New) {
  uint64_t Total = 0;
  for (const UnitChange &U : Units)
    Total += New ? U.NewSize : U.OldSize;
  return Total;
}

double samples(const std::vector<UnitChange> &Units, bool New) {
  double Total = 0;
  for (const UnitChange &U : Units)
    Total += New ? U.NewSamples : U.OldSamples;
  return Total;
}

std::string side(const PlanSummary &S) {
  return S.Path + ": budget " + std::to_string(S.Budget) + ", used " +
         std::to_string(S.Used) + ", samples covered " +
         formatCount(S.Covered) + " of " + formatCount(S.Total);
}

json::Value unitsToJson(const std::vector<UnitChange> &Units) {
  json::Array Array;
  for (const UnitChange &U : Units)
    Array.push_back(json::Object{{"name", U.Name},
                                 {"file", U.File},
                                 {"old_size", U.OldSize},
                                 {"new_size", U.NewSize},
                                 {"old_samples", countToJson(U.OldSamples)},
                                 {"new_samples", countToJson(U.NewSamples)}});
  return Array;
}

json::Value summaryToJson(const PlanSummary &S) {
  return json::Object{{"plan", S.Path},
                      {"budget", S.Budget},
                      {"used", S.Used},
                      {"covered", countToJson(S.Covered)},
                      {"total", countToJson(S.Total)}};
}

} // namespace

PlanDiff diffPlans(const Plan &Old, StringRef OldPath, const Plan &New,
                   StringRef NewPath) {
  PlanDiff Diff;
  Diff.Old = summaryOf(Old, OldPath);
  Diff.New = summaryOf(New, NewPath);
  using Key = std::pair<std::string, std::string>;
  std::map<Key, UnitChange> Units;
  std::set<Key> InOld, InNew;
  for (const PlannedUnit &U : Old.Units) {
    UnitChange &C = Units[{U.Name, U.File}];
    C.Name = U.Name, C.File = U.File;
    C.OldSize = U.Size, C.OldSamples = U.Self;
    InOld.insert({U.Name, U.File});
  }
  for (const PlannedUnit &U : New.Units) {
    UnitChange &C = Units[{U.Name, U.File}];
    C.Name = U.Name, C.File = U.File;
    C.NewSize = U.Size, C.NewSamples = U.Self;
    InNew.insert({U.Name, U.File});
  }
  for (auto &[Unit, Change] : Units) {
    if (!InNew.count(Unit))
      Diff.Freed.push_back(std::move(Change));
    else if (InOld.count(Unit))
      Diff.Kept.push_back(std::move(Change));
    else
      Diff.Added.push_back(std::move(Change));
  }
  sortBySamples(Diff.Added);
  sortBySamples(Diff.Freed);
  sortBySamples(Diff.Kept);
  return Diff;
}

std::string planDiffToText(const PlanDiff &Diff) {
  std::string Text;
  raw_string_ostream OS(Text);
  OS << "Old " << side(Diff.Old) << "\n";
  OS << "New " << side(Diff.New) << "\n";
  if (Diff.Old.ElfSha256 != Diff.New.ElfSha256)
    OS << "The plans are of different builds: their sizes and samples are "
          "each their own build's\n";
  auto List = [&](StringRef Title, const std::vector<UnitChange> &Units,
                  bool New, char Mark) {
    OS << Title << ": " << Units.size() << " unit(s), " << bytes(Units, New)
       << " bytes, " << formatCount(samples(Units, New)) << " samples\n";
    for (const UnitChange &U : Units)
      OS << "  " << Mark << " " << left_justify(readableName(U.Name), 32) << " "
         << right_justify(std::to_string(New ? U.NewSize : U.OldSize), 6)
         << " bytes "
         << right_justify(formatCount(New ? U.NewSamples : U.OldSamples), 8)
         << " samples  " << U.File << "\n";
  };
  List("Added", Diff.Added, /*New=*/true, '+');
  List("Freed", Diff.Freed, /*New=*/false, '-');
  OS << "Kept: " << Diff.Kept.size() << " unit(s), " << bytes(Diff.Kept, false)
     << " bytes before, " << bytes(Diff.Kept, true) << " now\n";
  return Text;
}

json::Value planDiffToJson(const PlanDiff &Diff) {
  return json::Object{{"schema", 1},
                      {"old", summaryToJson(Diff.Old)},
                      {"new", summaryToJson(Diff.New)},
                      {"same_build", Diff.Old.ElfSha256 == Diff.New.ElfSha256},
                      {"added", unitsToJson(Diff.Added)},
                      {"freed", unitsToJson(Diff.Freed)},
                      {"kept", unitsToJson(Diff.Kept)}};
}

} // namespace ramfit
