#include "profile/ProfileReport.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/Support/Format.h"
#include <algorithm>
#include <cmath>

using namespace llvm;

namespace ramfit {

/// Weighted counts are whole numbers unless a fractional weight was given.
std::string formatCount(double Count) {
  if (Count == std::floor(Count) && std::fabs(Count) < 1e15)
    return std::to_string(int64_t(Count));
  std::string Text;
  raw_string_ostream(Text) << format("%.2f", Count);
  return Text;
}

/// C++ names as people read them; machines get the symbol too.
std::string readableName(const std::string &Symbol) {
  // Only what may be mangled goes to the demangler, which tries four
  // schemes in turn: C names, most of a firmware, were 9% of a JSON profile.
  StringRef Name(Symbol);
  if (!Name.startswith("_") && !Name.startswith("?"))
    return Symbol;
  return llvm::demangle(Symbol);
}

json::Value countToJson(double Count) {
  if (Count == std::floor(Count) && std::fabs(Count) < 1e15)
    return int64_t(Count);
  return Count;
}

double percent(double Part, double Whole) {
  return Whole > 0 ? 100.0 * Part / Whole : 0.0;
}

static std::string fileLine(const FunctionProfile &F) {
  if (F.File.empty())
    return F.CompileUnit;
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
    NameWidth = std::max(NameWidth, readableName(P.Functions[I].Name).size());
  OS << "      self   self%    sum%        cum    cum%     size  "
     << left_justify("function", NameWidth) << "  file:line\n";
  double Sum = 0;
  for (size_t I = 0; I < Shown; ++I) {
    const FunctionProfile &F = P.Functions[I];
    Sum += F.Self;
    std::string Size = std::to_string(F.Size);
    OS << format("%10s %6.2f%% %6.2f%% %10s %6.2f%% %8s  ",
                 formatCount(F.Self).c_str(), percent(F.Self, P.TotalSamples),
                 percent(Sum, P.TotalSamples),
                 formatCount(F.Cumulative).c_str(),
                 percent(F.Cumulative, P.TotalSamples), Size.c_str())
       << left_justify(readableName(F.Name), NameWidth) << "  " << fileLine(F)
       << "\n";
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
  // json::Value's move is not noexcept, so a growing array would copy every
  // object it holds: the arrays are sized first.
  json::Array Functions;
  Functions.reserve(P.Functions.size());
  for (const FunctionProfile &F : P.Functions) {
    json::Object Entry{{"name", F.Name},
                       {"file", F.File},
                       {"line", F.Line},
                       {"size", int64_t(F.Size)},
                       {"self", countToJson(F.Self)},
                       {"cumulative", countToJson(F.Cumulative)},
                       {"compile_unit", F.CompileUnit},
                       {"output_section", F.OutputSection}};
    Entry["address"] = "0x" + utohexstr(F.Address, true);
    if (!F.Parent.empty())
      Entry["parent"] = F.Parent;
    if (std::string Readable = readableName(F.Name); Readable != F.Name)
      Entry["demangled"] = std::move(Readable);
    json::Array Inlined;
    Inlined.reserve(F.Inlined.size());
    for (const InlinedProfile &Code : F.Inlined)
      Inlined.push_back(json::Object{{"name", Code.Name},
                                     {"file", Code.File},
                                     {"line", Code.Line},
                                     {"samples", countToJson(Code.Samples)}});
    Entry["inlined"] = std::move(Inlined);
    Functions.push_back(std::move(Entry));
  }
  json::Array Unattributed;
  Unattributed.reserve(P.Unattributed.size());
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

} // namespace ramfit
