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

/// A count as countToJson gives it, written to a stream.
static void writeCount(json::OStream &J, double Count) {
  if (Count == std::floor(Count) && std::fabs(Count) < 1e15)
    J.value(int64_t(Count));
  else
    J.value(Count);
}

void writeProfileJson(const Profile &P, raw_ostream &OS) {
  // Streamed, not built as a json::Value first: the tree of a profile of
  // thousands of functions cost more than the profile itself. Keys are
  // written in sorted order, as json::Value writes them.
  json::OStream J(OS, /*IndentSize=*/2);
  J.object([&] {
    J.attributeBegin("attributed_samples");
    writeCount(J, P.AttributedSamples);
    J.attributeEnd();
    J.attribute("debug_info", P.HasDebugInfo);
    J.attribute("elf", P.ElfPath);
    J.attributeArray("functions", [&] {
      for (const FunctionProfile &F : P.Functions)
        J.object([&] {
          J.attribute("address", "0x" + utohexstr(F.Address, true));
          J.attribute("compile_unit", F.CompileUnit);
          J.attributeBegin("cumulative");
          writeCount(J, F.Cumulative);
          J.attributeEnd();
          if (std::string Readable = readableName(F.Name); Readable != F.Name)
            J.attribute("demangled", Readable);
          J.attribute("file", F.File);
          J.attributeArray("inlined", [&] {
            for (const InlinedProfile &Code : F.Inlined)
              J.object([&] {
                J.attribute("file", Code.File);
                J.attribute("line", Code.Line);
                J.attribute("name", Code.Name);
                J.attributeBegin("samples");
                writeCount(J, Code.Samples);
                J.attributeEnd();
              });
          });
          J.attribute("line", F.Line);
          J.attribute("name", F.Name);
          J.attribute("output_section", F.OutputSection);
          if (!F.Parent.empty())
            J.attribute("parent", F.Parent);
          J.attributeBegin("self");
          writeCount(J, F.Self);
          J.attributeEnd();
          J.attribute("size", int64_t(F.Size));
        });
    });
    J.attributeBegin("total_samples");
    writeCount(J, P.TotalSamples);
    J.attributeEnd();
    J.attributeArray("unattributed", [&] {
      for (const UnattributedSamples &U : P.Unattributed)
        J.object([&] {
          J.attributeBegin("samples");
          writeCount(J, U.Samples);
          J.attributeEnd();
          J.attribute("what", U.What);
        });
    });
    J.attributeBegin("unattributed_samples");
    writeCount(J, P.UnattributedTotal);
    J.attributeEnd();
  });
}

} // namespace ramfit
