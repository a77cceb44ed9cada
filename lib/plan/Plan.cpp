#include "plan/Plan.h"
#include "support/Diagnostics.h"
#include "support/Output.h"
#include "support/YamlReader.h"

#include "support/YamlReader.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"
#include <cmath>
#include <functional>
#include <map>

using namespace llvm;

namespace ramfit {

static const char PlanHeader[] =
    "# ramfit plan: the functions to place in RAM. Edit it freely (remove a\n"
    "# unit, add one from 'next'); later steps use it as it stands.\n";

namespace {

void emitCount(YAML::Emitter &Out, double Count) {
  if (Count == std::floor(Count) && std::fabs(Count) < 1e15)
    Out << int64_t(Count);
  else
    Out << Count;
}

void emitUnits(YAML::Emitter &Out, const char *Key,
               const std::vector<PlannedUnit> &Units) {
  Out << YAML::Key << Key << YAML::Value << YAML::BeginSeq;
  for (const PlannedUnit &U : Units) {
    Out << YAML::BeginMap;
    Out << YAML::Key << "name" << YAML::Value << U.Name;
    Out << YAML::Key << "file" << YAML::Value << U.File;
    Out << YAML::Key << "line" << YAML::Value << U.Line;
    Out << YAML::Key << "size" << YAML::Value << U.Size;
    Out << YAML::Key << "self" << YAML::Value;
    emitCount(Out, U.Self);
    Out << YAML::Key << "section" << YAML::Value << U.Section;
    if (!U.Companions.empty())
      Out << YAML::Key << "with" << YAML::Value << YAML::Flow << U.Companions;
    Out << YAML::Key << "object" << YAML::Value << U.Object;
    if (U.Placed)
      Out << YAML::Key << "placed" << YAML::Value << true;
    Out << YAML::Key << "why" << YAML::Value << U.Why;
    Out << YAML::EndMap;
  }
  Out << YAML::EndSeq;
}

void emitMustRunFromRam(YAML::Emitter &Out, const Plan &P) {
  Out << YAML::Key << "must_run_from_ram" << YAML::Value << YAML::BeginMap;
  Out << YAML::Key << "bytes" << YAML::Value << P.MustRunFromRamBytes;
  Out << YAML::Key << "samples" << YAML::Value;
  emitCount(Out, P.MustRunFromRamSamples);
  Out << YAML::Key << "roots" << YAML::Value << YAML::BeginSeq;
  for (const PlannedRoot &Root : P.Roots)
    Out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << Root.Name
        << YAML::Key << "why" << YAML::Value << Root.Why << YAML::EndMap;
  Out << YAML::EndSeq;
  if (!P.NotARoot.empty())
    Out << YAML::Key << "not_a_root" << YAML::Value << YAML::Flow << P.NotARoot;
  if (!P.Indirect.empty())
    Out << YAML::Key << "indirect" << YAML::Value << P.Indirect;
  if (!P.IndirectCalls.empty()) {
    Out << YAML::Key << "indirect_calls" << YAML::Value << YAML::BeginSeq;
    for (const PlannedIndirectCall &Call : P.IndirectCalls)
      Out << YAML::Flow << YAML::BeginMap << YAML::Key << "function"
          << YAML::Value << Call.Function << YAML::Key << "address"
          << YAML::Value << ("0x" + utohexstr(Call.Address, true)) << YAML::Key
          << "targets_named" << YAML::Value << Call.TargetsNamed
          << YAML::EndMap;
    Out << YAML::EndSeq;
  }
  Out << YAML::EndMap;
}

} // namespace

namespace {

std::string relativeTo(StringRef BaseDir, StringRef Path) {
  if (BaseDir.empty() || Path.empty())
    return Path.str();
  std::string Absolute = absolutePath(Path);
  SmallVector<StringRef, 16> From, To;
  for (auto It = sys::path::begin(BaseDir), End = sys::path::end(BaseDir);
       It != End; ++It)
    From.push_back(*It);
  for (auto It = sys::path::begin(Absolute), End = sys::path::end(Absolute);
       It != End; ++It)
    To.push_back(*It);
  size_t Common = 0;
  while (Common < From.size() && Common < To.size() &&
         From[Common] == To[Common])
    ++Common;
  // Sharing no folder but the root ('/usr/lib/gcc/...' beside a tree in
  // '/home'), the path stays absolute: nothing moves with the plan there.
  if (Common <= 1)
    return Absolute;
  SmallString<256> Relative;
  for (size_t I = Common; I < From.size(); ++I)
    sys::path::append(Relative, "..");
  for (size_t I = Common; I < To.size(); ++I)
    sys::path::append(Relative, To[I]);
  return Relative.str().str();
}

/// Applies Rewrite to every path in the plan that names a file ramfit
/// reads: the ELF, the samples, the sources. Objects stay as the map
/// spelled them, because patterns are matched against those.
Plan withPaths(Plan P, const std::function<std::string(StringRef)> &Rewrite) {
  P.ElfPath = Rewrite(P.ElfPath);
  for (PlannedSampleFile &F : P.SampleFiles)
    F.Path = Rewrite(F.Path);
  for (auto *Units : {&P.Units, &P.Next, &P.Free})
    for (PlannedUnit &U : *Units)
      U.File = Rewrite(U.File);
  return P;
}

} // namespace

double predictedCycles(const Plan &P) {
  return P.ModelledCycles - P.CoveredSamples;
}

double predictedSpeedup(const Plan &P) {
  double Predicted = predictedCycles(P);
  return Predicted > 0 ? P.ModelledCycles / Predicted : 1;
}

std::string planDirectory(StringRef PlanPath) {
  return sys::path::parent_path(absolutePath(PlanPath)).str();
}

std::string planToYaml(const Plan &Original, StringRef BaseDir) {
  Plan P = withPaths(Original,
                     [&](StringRef Path) { return relativeTo(BaseDir, Path); });
  YAML::Emitter Out;
  Out << YAML::BeginMap;
  Out << YAML::Key << "elf" << YAML::Value << YAML::BeginMap;
  Out << YAML::Key << "path" << YAML::Value << P.ElfPath;
  Out << YAML::Key << "sha256" << YAML::Value << P.ElfSha256;
  Out << YAML::EndMap;
  Out << YAML::Key << "budget" << YAML::Value << YAML::BeginMap;
  Out << YAML::Key << "bytes" << YAML::Value << P.Budget;
  Out << YAML::Key << "used" << YAML::Value << P.Used;
  Out << YAML::EndMap;
  Out << YAML::Key << "samples" << YAML::Value << YAML::BeginMap;
  Out << YAML::Key << "total" << YAML::Value;
  emitCount(Out, P.TotalSamples);
  Out << YAML::Key << "covered" << YAML::Value;
  emitCount(Out, P.CoveredSamples);
  if (P.TakenTotal != P.TotalSamples || P.TakenCovered != P.CoveredSamples) {
    Out << YAML::Key << "taken" << YAML::Value << YAML::BeginMap;
    Out << YAML::Key << "total" << YAML::Value;
    emitCount(Out, P.TakenTotal);
    Out << YAML::Key << "covered" << YAML::Value;
    emitCount(Out, P.TakenCovered);
    Out << YAML::EndMap;
  }
  if (P.ModelledCycles > 0) {
    Out << YAML::Key << "modelled_cycles" << YAML::Value;
    emitCount(Out, P.ModelledCycles);
  }
  Out << YAML::Key << "files" << YAML::Value << YAML::BeginSeq;
  for (const PlannedSampleFile &F : P.SampleFiles) {
    Out << YAML::BeginMap;
    Out << YAML::Key << "path" << YAML::Value << F.Path;
    Out << YAML::Key << "sha256" << YAML::Value << F.Sha256;
    Out << YAML::Key << "weight" << YAML::Value;
    emitCount(Out, F.Weight);
    Out << YAML::EndMap;
  }
  Out << YAML::EndSeq << YAML::EndMap;
  emitUnits(Out, "units", P.Units);
  emitUnits(Out, "next", P.Next);
  if (!P.Free.empty())
    emitUnits(Out, "free", P.Free);
  if (!P.Roots.empty() || !P.NotARoot.empty())
    emitMustRunFromRam(Out, P);
  if (!P.Annotated.empty())
    Out << YAML::Key << "annotated" << YAML::Value << YAML::Flow << P.Annotated;
  Out << YAML::EndMap;
  return std::string(PlanHeader) + Out.c_str() + "\n";
}

namespace {

/// Reads the plan's YAML into a Plan.
class PlanParser : public YamlReader {
public:
  using YamlReader::YamlReader;

  Error units(const YAML::Node &Node, std::vector<PlannedUnit> &Out) {
    if (Node.IsNull())
      return Error::success();
    if (!Node.IsSequence())
      return error(Node, "expected a list of units");
    for (const YAML::Node &Item : Node) {
      PlannedUnit U;
      if (Error Err =
              map(Item, "a unit",
                  {{"name", [&](auto &N) { return text(N, U.Name); }},
                   {"file", [&](auto &N) { return text(N, U.File); }},
                   {"line", [&](auto &N) { return number(N, U.Line); }},
                   {"size", [&](auto &N) { return number(N, U.Size); }},
                   {"self", [&](auto &N) { return number(N, U.Self); }},
                   {"section", [&](auto &N) { return text(N, U.Section); }},
                   {"with", [&](auto &N) { return texts(N, U.Companions); }},
                   {"object", [&](auto &N) { return text(N, U.Object); }},
                   {"placed", [&](auto &N) { return boolean(N, U.Placed); }},
                   {"why", [&](auto &N) { return text(N, U.Why); }}},
                  {"name", "size"}))
        return Err;
      Out.push_back(std::move(U));
    }
    return Error::success();
  }

  Error sampleFiles(const YAML::Node &Node,
                    std::vector<PlannedSampleFile> &Out) {
    if (Node.IsNull())
      return Error::success();
    if (!Node.IsSequence())
      return error(Node, "expected a list of sample files");
    for (const YAML::Node &Item : Node) {
      PlannedSampleFile F;
      if (Error Err =
              map(Item, "a sample file",
                  {{"path", [&](auto &N) { return text(N, F.Path); }},
                   {"sha256", [&](auto &N) { return text(N, F.Sha256); }},
                   {"weight", [&](auto &N) { return number(N, F.Weight); }}},
                  {"path"}))
        return Err;
      Out.push_back(std::move(F));
    }
    return Error::success();
  }

  Error mustRunFromRam(const YAML::Node &Node, Plan &P) {
    auto Roots = [&](const YAML::Node &List) -> Error {
      if (!List.IsSequence())
        return error(List, "expected a list of roots");
      for (const YAML::Node &Item : List) {
        PlannedRoot Root;
        if (Error Err =
                map(Item, "a root",
                    {{"name", [&](auto &N) { return text(N, Root.Name); }},
                     {"why", [&](auto &N) { return text(N, Root.Why); }}},
                    {"name"}))
          return Err;
        P.Roots.push_back(std::move(Root));
      }
      return Error::success();
    };
    auto Calls = [&](const YAML::Node &List) -> Error {
      if (!List.IsSequence())
        return error(List, "expected a list of indirect calls");
      for (const YAML::Node &Item : List) {
        PlannedIndirectCall Call;
        if (Error Err = map(
                Item, "an indirect call",
                {{"function", [&](auto &N) { return text(N, Call.Function); }},
                 {"address", [&](auto &N) { return number(N, Call.Address); }},
                 {"targets_named",
                  [&](auto &N) { return boolean(N, Call.TargetsNamed); }}},
                {"function"}))
          return Err;
        P.IndirectCalls.push_back(std::move(Call));
      }
      return Error::success();
    };
    return map(
        Node, "must_run_from_ram",
        {{"bytes", [&](auto &N) { return number(N, P.MustRunFromRamBytes); }},
         {"samples",
          [&](auto &N) { return number(N, P.MustRunFromRamSamples); }},
         {"roots", Roots},
         {"not_a_root", [&](auto &N) { return texts(N, P.NotARoot); }},
         {"indirect", [&](auto &N) { return texts(N, P.Indirect); }},
         {"indirect_calls", Calls}});
  }

  Error plan(const YAML::Node &Root, Plan &P) {
    return map(
        Root, "the plan",
        {{"elf",
          [&](auto &N) {
            return map(
                N, "elf",
                {{"path", [&](auto &V) { return text(V, P.ElfPath); }},
                 {"sha256", [&](auto &V) { return text(V, P.ElfSha256); }}});
          }},
         {"budget",
          [&](auto &N) {
            return map(N, "budget",
                       {{"bytes", [&](auto &V) { return number(V, P.Budget); }},
                        {"used", [&](auto &V) { return number(V, P.Used); }}},
                       {"bytes"});
          }},
         {"samples",
          [&](auto &N) {
            return map(
                N, "samples",
                {{"total", [&](auto &V) { return number(V, P.TotalSamples); }},
                 {"covered",
                  [&](auto &V) { return number(V, P.CoveredSamples); }},
                 {"taken",
                  [&](auto &V) {
                    return map(
                        V, "taken",
                        {{"total",
                          [&](auto &W) { return number(W, P.TakenTotal); }},
                         {"covered",
                          [&](auto &W) { return number(W, P.TakenCovered); }}},
                        {"total", "covered"});
                  }},
                 {"modelled_cycles",
                  [&](auto &V) { return number(V, P.ModelledCycles); }},
                 {"files",
                  [&](auto &V) { return sampleFiles(V, P.SampleFiles); }}});
          }},
         {"units", [&](auto &N) { return units(N, P.Units); }},
         {"next", [&](auto &N) { return units(N, P.Next); }},
         {"free", [&](auto &N) { return units(N, P.Free); }},
         {"must_run_from_ram", [&](auto &N) { return mustRunFromRam(N, P); }},
         {"annotated", [&](auto &N) { return texts(N, P.Annotated); }}},
        {"units"});
  }
};

} // namespace

Expected<Plan> parsePlan(StringRef Path, StringRef Content) {
  PlanParser Parser(Path);
  Expected<YAML::Node> Root = Parser.load(Content);
  if (!Root)
    return Root.takeError();
  Plan P;
  // A plan without 'taken' took no sample in code already in RAM.
  P.TakenTotal = -1;
  if (Error Err = Parser.plan(*Root, P))
    return Err;
  if (P.TakenTotal < 0) {
    P.TakenTotal = P.TotalSamples;
    P.TakenCovered = P.CoveredSamples;
  }
  return P;
}

Expected<Plan> readPlan(StringRef Path) {
  Expected<std::unique_ptr<MemoryBuffer>> Buffer = readInputFile(Path);
  if (!Buffer)
    return Buffer.takeError();
  Expected<Plan> P = parsePlan(Path, (*Buffer)->getBuffer());
  if (!P)
    return P.takeError();
  std::string BaseDir = planDirectory(Path);
  return withPaths(std::move(*P),
                   [&](StringRef File) { return resolvedIn(BaseDir, File); });
}

Error checkPlanIsOfBuild(const Plan &P, StringRef PlanPath) {
  if (P.ElfPath.empty() || P.ElfSha256.empty() || !sys::fs::exists(P.ElfPath))
    return Error::success();
  ErrorOr<std::unique_ptr<MemoryBuffer>> Elf =
      MemoryBuffer::getFile(P.ElfPath, /*IsText=*/false,
                            /*RequiresNullTerminator=*/false);
  if (!Elf)
    return Error::success();
  std::string Now =
      toHex(SHA256::hash(arrayRefFromStringRef((*Elf)->getBuffer())),
            /*LowerCase=*/true);
  if (Now == P.ElfSha256)
    return Error::success();
  return inputError(PlanPath, "the plan was made from another build of '" +
                                  P.ElfPath + "' (sha256 " +
                                  P.ElfSha256.substr(0, 12) +
                                  "...; it is now sha256 " + Now.substr(0, 12) +
                                  "...): re-run plan");
}

} // namespace ramfit
