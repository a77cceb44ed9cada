//===- Model.cpp - The timing plugin's model and what it counts -----------===//

#include "Model.h"

#include <cerrno>
#include <cinttypes>
#include <cstdlib>
#include <cstring>
#include <map>

namespace ramfit_plugin {

namespace {

bool parseNumber(const std::string &Text, uint64_t &Value) {
  if (Text.empty())
    return false;
  char *End = nullptr;
  errno = 0;
  Value = std::strtoull(Text.c_str(), &End, 0);
  return errno == 0 && *End == '\0';
}

std::vector<std::string> splitFields(const std::string &Text) {
  std::vector<std::string> Fields;
  size_t Start = 0;
  for (size_t Colon; (Colon = Text.find(':', Start)) != std::string::npos;
       Start = Colon + 1)
    Fields.push_back(Text.substr(Start, Colon - Start));
  Fields.push_back(Text.substr(Start));
  return Fields;
}

void sayCannotWrite(const std::string &Path) {
  std::fprintf(stderr, "ramfit timing plugin: cannot write '%s': %s\n",
               Path.c_str(), std::strerror(errno));
}

} // namespace

bool Model::addRegion(const std::string &Spec) {
  std::vector<std::string> F = splitFields(Spec);
  auto R = std::make_unique<Region>();
  if (F.size() != 6 || F[0].empty() || !parseNumber(F[1], R->Origin) ||
      !parseNumber(F[2], R->Length) || !parseNumber(F[3], R->Fetch) ||
      !parseNumber(F[4], R->Load) || !parseNumber(F[5], R->Store))
    return false;
  R->Name = F[0];
  Regions.push_back(std::move(R));
  return true;
}

bool Model::addCache(const std::string &Spec) {
  std::vector<std::string> F = splitFields(Spec);
  uint64_t Size = 0, Line = 0, Ways = 0, Fill = 0;
  if (F.size() != 5 || !parseNumber(F[1], Size) || !parseNumber(F[2], Line) ||
      !parseNumber(F[3], Ways) || !parseNumber(F[4], Fill))
    return false;
  std::unique_ptr<Cache> C(Cache::create(Size, Line, Ways, Fill));
  if (!C)
    return false;
  for (auto &R : Regions)
    if (R->Name == F[0]) {
      R->Cached = std::move(C);
      return true;
    }
  return false;
}

bool Model::parseArgument(const std::string &Argument) {
  size_t Equals = Argument.find('=');
  if (Equals == std::string::npos)
    return false;
  std::string Key = Argument.substr(0, Equals);
  std::string Value = Argument.substr(Equals + 1);
  if (Key == "out")
    Output = Value;
  else if (Key == "instruction")
    return parseNumber(Value, InstructionCycles);
  else if (Key == "region")
    return addRegion(Value);
  else if (Key == "cache")
    return addCache(Value);
  else if (Key == "ram")
    RamRegion = Value;
  else if (Key == "samples") {
    Samples = std::fopen(Value.c_str(), "w");
    if (!Samples) {
      sayCannotWrite(Value);
      return false;
    }
  } else if (Key == "sample-every")
    return parseNumber(Value, SampleEvery) && SampleEvery;
  else
    return false;
  return true;
}

bool Model::complete() const {
  return !Output.empty() && (Samples != nullptr) == (SampleEvery != 0);
}

Region *Model::regionAt(uint64_t Address) const {
  for (const auto &R : Regions)
    if (R->contains(Address))
      return R.get();
  return nullptr;
}

void Model::writeProfile() const {
  std::map<uint64_t, const Instruction *> Sorted;
  uint64_t Executions = 0, FetchStall = 0, DataStall = 0;
  for (const auto &[Address, I] : Instructions) {
    if (I.Executions == 0 && I.Loads == 0)
      continue;
    Sorted[Address] = &I;
    Executions += I.Executions;
    FetchStall += I.FetchStall;
    DataStall += I.DataStall;
  }
  FILE *Out = std::fopen(Output.c_str(), "w");
  if (!Out) {
    sayCannotWrite(Output);
    return;
  }
  std::fprintf(Out, "# ramfit-cycles 1\n");
  std::fprintf(Out, "# instruction-cycles %" PRIu64 "\n", InstructionCycles);
  for (const auto &R : Regions)
    std::fprintf(Out,
                 "# region %s 0x%" PRIx64 " 0x%" PRIx64 " fetch=%" PRIu64
                 " load=%" PRIu64 " store=%" PRIu64 "%s\n",
                 R->Name.c_str(), R->Origin, R->Length, R->Fetch, R->Load,
                 R->Store, R->Cached ? " cached" : "");
  if (!RamRegion.empty())
    std::fprintf(Out, "# ram %s\n", RamRegion.c_str());
  std::fprintf(Out,
               "# totals instructions=%" PRIu64 " cycles=%" PRIu64
               " fetch-stall=%" PRIu64 " data-stall=%" PRIu64 "\n",
               Executions, Cycles, FetchStall, DataStall);
  std::fprintf(Out, "# address executions fetch-stall data-stall loads "
                    "load-stall\n");
  for (const auto &[Address, I] : Sorted)
    std::fprintf(Out,
                 "0x%" PRIx64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
                 " %" PRIu64 "\n",
                 Address, I->Executions, I->FetchStall, I->DataStall, I->Loads,
                 I->LoadStall);
  if (std::fclose(Out) != 0)
    sayCannotWrite(Output);
}

} // namespace ramfit_plugin
