#include "plan/Report.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/Support/Format.h"
#include <algorithm>
#include <cmath>

using namespace llvm;

namespace ramfit {

static void printUnits(const std::vector<PlannedUnit> &Units, double Total,
                       bool Cumulative, raw_ostream &OS) {
  size_t NameWidth = strlen("unit");
  for (const PlannedUnit &U : Units)
    NameWidth = std::max(NameWidth, readableName(U.Name).size());
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
       << left_justify(readableName(U.Name), NameWidth) << "  "
       << (U.Section.empty() ? "(symbol)" : U.Section) << "  " << Location
       << "\n";
  }
}

/// The speedup the plan expects, only where a timing model predicted it (a
/// plan from cycle profiles). From samples alone there is none to state: a
/// flash/RAM ratio says nothing of an instruction cache, and plans it put at
/// 3.28x measured 0.999x under the Fomu's ('ramfit measure' measures).
static std::string speedupSummary(const Plan &P) {
  if (P.ModelledCycles <= 0)
    return "";
  std::string Text;
  raw_string_ostream OS(Text);
  OS << "Predicted by the timing model: " << formatCount(predictedCycles(P))
     << " of " << formatCount(P.ModelledCycles) << " cycles, speedup "
     << format("%.2fx", predictedSpeedup(P));
  return Text;
}

/// What becomes of the code the ELF already had in RAM.
static void printPlacedText(const Plan &P, raw_ostream &OS) {
  std::vector<std::string> Kept;
  uint64_t KeptBytes = 0, FreedBytes = 0;
  for (const PlannedUnit &U : P.Units)
    if (U.Placed) {
      Kept.push_back(readableName(U.Name));
      KeptBytes += U.Size;
    }
  for (const PlannedUnit &U : P.Free)
    FreedBytes += U.Size;
  if (Kept.empty() && P.Free.empty())
    return;
  OS << "\nAlready in RAM: " << Kept.size() << " unit(s) kept (" << KeptBytes
     << " bytes), " << P.Free.size() << " freed (" << FreedBytes
     << " bytes). Samples taken in RAM count as in flash.\n";
  if (!Kept.empty())
    OS << "Kept where they are: " << join(Kept, ", ") << "\n";
  if (!P.Free.empty()) {
    OS << "Freed: take off what places them ('annotate --sync' for ramfit's "
          "annotation, else by hand):\n";
    printUnits(P.Free, P.TotalSamples, /*Cumulative=*/false, OS);
  }
}

void printPlanText(const Plan &P, double GreedySamples, const CostModel &Model,
                   raw_ostream &OS) {
  OS << "Budget: " << P.Budget << " bytes, used " << P.Used << " ("
     << format("%.1f%%", percent(P.Used, P.Budget)) << "), left "
     << (P.Budget - P.Used) << "\n";
  OS << "Samples covered: " << formatCount(P.TakenCovered) << " of "
     << formatCount(P.TakenTotal) << " ("
     << format("%.1f%%", percent(P.TakenCovered, P.TakenTotal)) << ")\n";
  if (P.TakenTotal != P.TotalSamples)
    OS << "Samples taken in code already in RAM weigh "
       << format("%g", Model.FlashRamRatio)
       << " times, as they would in flash: " << formatCount(P.CoveredSamples)
       << " of " << formatCount(P.TotalSamples)
       << " as in flash, for the selection and the units' self\n";
  OS << "\nChosen units:\n";
  printUnits(P.Units, P.TotalSamples, /*Cumulative=*/true, OS);
  if (!P.Next.empty()) {
    OS << "\nBest units that did not fit:\n";
    printUnits(P.Next, P.TotalSamples, /*Cumulative=*/false, OS);
  }
  printPlacedText(P, OS);
  double Gap = P.CoveredSamples - GreedySamples;
  OS << "\nGreedy by density covers " << formatCount(GreedySamples)
     << " samples: " << formatCount(Gap) << " fewer than the optimum ("
     << format("%.2f%%", percent(Gap, P.CoveredSamples)) << ")\n";
  if (std::string Speedup = speedupSummary(P); !Speedup.empty())
    OS << Speedup << "\n";
}

static json::Array unitsToJson(const std::vector<PlannedUnit> &Units) {
  json::Array Result;
  for (const PlannedUnit &U : Units) {
    json::Object Entry{{"name", U.Name},
                       {"file", U.File},
                       {"line", U.Line},
                       {"size", int64_t(U.Size)},
                       {"self", countToJson(U.Self)},
                       {"section", U.Section},
                       {"object", U.Object},
                       {"why", U.Why}};
    if (U.Placed)
      Entry["placed"] = true;
    if (readableName(U.Name) != U.Name)
      Entry["demangled"] = readableName(U.Name);
    Result.push_back(std::move(Entry));
  }
  return Result;
}

json::Value planToJson(const Plan &P, double GreedySamples,
                       const CostModel &Model) {
  json::Object Result{{"budget", int64_t(P.Budget)},
                      {"used", int64_t(P.Used)},
                      {"left", int64_t(P.Budget - P.Used)},
                      {"total_samples", countToJson(P.TotalSamples)},
                      {"covered_samples", countToJson(P.CoveredSamples)},
                      {"taken_total_samples", countToJson(P.TakenTotal)},
                      {"taken_covered_samples", countToJson(P.TakenCovered)},
                      {"greedy_samples", countToJson(GreedySamples)},
                      {"flash_ram_ratio", Model.FlashRamRatio},
                      {"units", unitsToJson(P.Units)},
                      {"next", unitsToJson(P.Next)},
                      {"free", unitsToJson(P.Free)}};
  if (P.ModelledCycles > 0) {
    Result["modelled_cycles"] = countToJson(P.ModelledCycles);
    Result["predicted_cycles"] = countToJson(predictedCycles(P));
    Result["predicted_speedup"] = predictedSpeedup(P);
  }
  return Result;
}

/// Text for an HTML page, escaped by LLVM's printHTMLEscaped.
static std::string escapeHtml(StringRef Text) {
  std::string Escaped;
  raw_string_ostream OS(Escaped);
  printHTMLEscaped(Text, OS);
  return Escaped;
}

namespace {

/// Maps bytes and samples to the plot's pixels.
struct PlotFrame {
  static constexpr double Width = 640, Height = 360, Left = 70, Right = 20,
                          Top = 20, Bottom = 50;
  double MaxBytes, MaxSamples;

  double x(double Bytes) const {
    return Left +
           (Width - Left - Right) * (MaxBytes > 0 ? Bytes / MaxBytes : 0);
  }
  double y(double Samples) const {
    return Height - Bottom -
           (Height - Top - Bottom) *
               (MaxSamples > 0 ? Samples / MaxSamples : 0);
  }
};

void printPolyline(const PlotFrame &Frame, ArrayRef<CoveragePoint> Curve,
                   bool Optimal, raw_ostream &OS) {
  OS << "<polyline id=\"" << (Optimal ? "optimal" : "greedy")
     << "-curve\" fill=\"none\" stroke=\"" << (Optimal ? "#1f77b4" : "#ff7f0e")
     << "\" stroke-width=\"2\"" << (Optimal ? "" : " stroke-dasharray=\"6 4\"")
     << " points=\"";
  for (const CoveragePoint &P : Curve)
    OS << format("%.1f,%.1f ", Frame.x(P.Bytes),
                 Frame.y(Optimal ? P.Optimal : P.Greedy));
  OS << "\"/>\n";
}

void printPlot(const Plan &P, ArrayRef<CoveragePoint> Curve, raw_ostream &OS) {
  PlotFrame Frame{Curve.empty() ? double(P.Budget) : double(Curve.back().Bytes),
                  P.TotalSamples};
  OS << format("<svg id=\"coverage-plot\" xmlns=\"http://www.w3.org/2000/svg\" "
               "width=\"%.0f\" height=\"%.0f\" role=\"img\">\n",
               Frame.Width, Frame.Height);
  OS << "<title>Samples covered against RAM bytes spent</title>\n";
  double X0 = Frame.x(0), Y0 = Frame.y(0);
  OS << format("<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
               "y2=\"%.1f\" stroke=\"#333\"/>\n",
               X0, Y0, Frame.x(Frame.MaxBytes), Y0);
  OS << format("<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
               "y2=\"%.1f\" stroke=\"#333\"/>\n",
               X0, Y0, X0, Frame.y(Frame.MaxSamples));
  for (int Tick = 0; Tick <= 4; ++Tick) {
    double Bytes = Frame.MaxBytes * Tick / 4;
    double Samples = Frame.MaxSamples * Tick / 4;
    OS << format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                 "font-size=\"11\">%.0f</text>\n",
                 Frame.x(Bytes), Y0 + 16, Bytes);
    OS << format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                 "font-size=\"11\">%.0f</text>\n",
                 X0 - 6, Frame.y(Samples) + 4, Samples);
  }
  OS << format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
               "font-size=\"12\">RAM bytes spent</text>\n",
               Frame.x(Frame.MaxBytes / 2), Frame.Height - 10);
  OS << format("<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" "
               "font-size=\"12\" transform=\"rotate(-90 14 %.1f)\">samples "
               "covered</text>\n",
               Frame.y(Frame.MaxSamples / 2), Frame.y(Frame.MaxSamples / 2));
  printPolyline(Frame, Curve, /*Optimal=*/false, OS);
  printPolyline(Frame, Curve, /*Optimal=*/true, OS);
  if (P.Budget <= Frame.MaxBytes)
    OS << format("<line id=\"budget-line\" x1=\"%.1f\" y1=\"%.1f\" "
                 "x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" "
                 "stroke-dasharray=\"2 3\"/>\n",
                 Frame.x(P.Budget), Y0, Frame.x(P.Budget),
                 Frame.y(Frame.MaxSamples));
  OS << format("<circle id=\"chosen-budget\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" "
               "fill=\"#d62728\"><title>chosen: %llu bytes, %s samples"
               "</title></circle>\n",
               Frame.x(P.Used), Frame.y(P.CoveredSamples),
               (unsigned long long)P.Used,
               formatCount(P.CoveredSamples).c_str());
  OS << "</svg>\n";
}

} // namespace

void printPlanHtml(const Plan &P, double GreedySamples,
                   ArrayRef<CoveragePoint> Curve, raw_ostream &OS) {
  OS << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
        "charset=\"utf-8\">\n"
     << "<title>ramfit budget report</title>\n<style>\n"
     << "body { font-family: sans-serif; margin: 2em; color: #222; }\n"
     << "table { border-collapse: collapse; }\n"
     << "th, td { padding: 2px 10px; border-bottom: 1px solid #ddd; }\n"
     << "td.number { text-align: right; font-variant-numeric: tabular-nums; }\n"
     << ".legend span { margin-right: 1.5em; }\n"
     << "</style>\n</head>\n<body>\n<h1>ramfit budget report</h1>\n";
  OS << "<p id=\"summary\">Budget <b>" << P.Budget << "</b> bytes, used <b>"
     << P.Used << "</b>, left " << (P.Budget - P.Used)
     << ". Samples covered <b>" << formatCount(P.TakenCovered) << "</b> of "
     << formatCount(P.TakenTotal)
     << format(" (%.1f%%)", percent(P.TakenCovered, P.TakenTotal))
     << ". Greedy by density covers " << formatCount(GreedySamples) << ".";
  if (std::string Speedup = speedupSummary(P); !Speedup.empty())
    OS << " " << escapeHtml(Speedup) << ".";
  OS << "</p>\n";
  OS << "<p class=\"legend\"><span style=\"color:#1f77b4\">&#9473; optimal"
     << "</span><span style=\"color:#ff7f0e\">&#9476; greedy by density</span>"
     << "<span style=\"color:#d62728\">&#9679; chosen</span></p>\n";
  printPlot(P, Curve, OS);
  OS << "<h2>Chosen units</h2>\n<table id=\"chosen-units\">\n<thead><tr>"
     << "<th>unit</th><th>size</th><th>self</th><th>cover%</th><th>section</th>"
     << "<th>file:line</th><th>why</th></tr></thead>\n<tbody>\n";
  double Covered = 0;
  for (const PlannedUnit &U : P.Units) {
    Covered += U.Self;
    OS << "<tr><td>" << escapeHtml(readableName(U.Name))
       << "</td><td class=\"number\">" << U.Size << "</td><td class=\"number\">"
       << formatCount(U.Self) << "</td><td class=\"number\">"
       << format("%.2f", percent(Covered, P.TotalSamples)) << "</td><td>"
       << escapeHtml(U.Section) << "</td><td>" << escapeHtml(U.File)
       << (U.Line ? ":" + std::to_string(U.Line) : "") << "</td><td>"
       << escapeHtml(U.Why) << "</td></tr>\n";
  }
  OS << "</tbody>\n</table>\n</body>\n</html>\n";
}

Expected<std::string> planHtml(const Plan &P, ArrayRef<PlacementUnit> Units,
                               const SelectOptions &Options,
                               double GreedySamples) {
  constexpr size_t PlotPoints = 200;
  // Plot up to the budget, or to where every unit fits if that comes first.
  uint64_t AllUnits = 0;
  for (const PlacementUnit &U : Units)
    AllUnits += U.Size;
  uint64_t MaxBytes = std::max<uint64_t>(std::min(P.Budget, AllUnits), P.Used);
  Expected<std::vector<CoveragePoint>> Curve =
      coverageCurve(Units, Options, MaxBytes, PlotPoints);
  if (!Curve)
    return Curve.takeError();
  std::string Page;
  raw_string_ostream OS(Page);
  printPlanHtml(P, GreedySamples, *Curve, OS);
  return OS.str();
}

} // namespace ramfit
