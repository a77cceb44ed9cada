//===- TimingPlugin.cpp - A flash timing model inside QEMU ----------------===//
//
// Counts every instruction QEMU executes and charges it the cycles the
// timing model gives its fetch and its loads and stores, by the memory
// region they touch: an exact cycle profile of the run, with no sampling.
// 'ramfit measure' starts QEMU with this plugin and turns the model's YAML
// into the arguments below; see docs/measure.md.
//
//   out=FILE               the cycle profile, written when QEMU exits
//   instruction=N          cycles of every instruction besides its stalls
//   region=NAME:ORIGIN:LENGTH:FETCH:LOAD:STORE
//                          stall cycles per access of a region
//   cache=NAME:SIZE:LINE:WAYS:FILL
//                          a cache in front of region NAME: a hit stalls
//                          the region's FETCH or LOAD cycles, a miss FILL
//   ram=NAME               the region planned code moves to
//   samples=FILE, sample-every=N
//                          the PC every N modelled cycles, a hex list
//
// Addresses are QEMU's virtual addresses: bare-metal firmware runs without
// an MMU, so they are the physical ones.
//
//===----------------------------------------------------------------------===//

#include "QemuPluginApi.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

extern "C" {
QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;
}

namespace {

struct Cache {
  uint64_t LineBytes = 0;
  uint64_t Sets = 0;
  uint64_t Ways = 0;
  uint64_t FillCycles = 0;
  std::vector<uint64_t> Tags;
  std::vector<uint64_t> LastUse;
  uint64_t Clock = 0;

  /// Whether the line holding Address was there; a miss brings it in,
  /// evicting the least recently used line of its set.
  bool access(uint64_t Address) {
    uint64_t Line = Address / LineBytes;
    uint64_t First = (Line % Sets) * Ways;
    uint64_t Victim = First;
    ++Clock;
    for (uint64_t Way = First; Way < First + Ways; ++Way) {
      if (LastUse[Way] != 0 && Tags[Way] == Line) {
        LastUse[Way] = Clock;
        return true;
      }
      if (LastUse[Way] < LastUse[Victim])
        Victim = Way;
    }
    Tags[Victim] = Line;
    LastUse[Victim] = Clock;
    return false;
  }
};

struct Region {
  std::string Name;
  uint64_t Origin = 0;
  uint64_t Length = 0;
  uint64_t Fetch = 0;
  uint64_t Load = 0;
  uint64_t Store = 0;
  std::unique_ptr<Cache> Cached;

  bool contains(uint64_t Address) const {
    return Address >= Origin && Address - Origin < Length;
  }
  uint64_t readStall(uint64_t Address, uint64_t HitStall) {
    if (Cached && !Cached->access(Address))
      return Cached->FillCycles;
    return HitStall;
  }
};

/// One address: what its executions cost as an instruction, and what the
/// loads from it cost as data (an Arm literal pool is both code's and
/// data's: it moves with its function).
struct Instruction {
  uint64_t Address = 0;
  Region *FetchedFrom = nullptr;
  uint64_t Executions = 0;
  uint64_t FetchStall = 0;
  /// The stalls of this instruction's own loads and stores.
  uint64_t DataStall = 0;
  uint64_t Loads = 0;
  uint64_t LoadStall = 0;
};

struct Model {
  std::string Output;
  std::string RamRegion;
  uint64_t InstructionCycles = 1;
  std::vector<std::unique_ptr<Region>> Regions;
  std::unordered_map<uint64_t, Instruction> Instructions;
  uint64_t Cycles = 0;
  FILE *Samples = nullptr;
  uint64_t SampleEvery = 0;
  uint64_t NextSample = 0;
};

// Never destroyed: QEMU calls the exit callback from its own atexit handler,
// which it registered before this object was loaded, so a static object's
// destructor would run first.
Model &TheModel = *new Model;

Region *regionAt(uint64_t Address) {
  for (auto &R : TheModel.Regions)
    if (R->contains(Address))
      return R.get();
  return nullptr;
}

void onExecute(unsigned, void *Data) {
  auto *I = static_cast<Instruction *>(Data);
  uint64_t Stall = 0;
  if (Region *R = I->FetchedFrom)
    Stall = R->readStall(I->Address, R->Fetch);
  ++I->Executions;
  I->FetchStall += Stall;
  TheModel.Cycles += TheModel.InstructionCycles + Stall;
  if (TheModel.Samples)
    for (; TheModel.Cycles >= TheModel.NextSample;
         TheModel.NextSample += TheModel.SampleEvery)
      std::fprintf(TheModel.Samples, "0x%" PRIx64 "\n", I->Address);
}

void onMemory(unsigned, qemu_plugin_meminfo_t Info, uint64_t Address,
              void *Data) {
  Region *R = regionAt(Address);
  if (!R)
    return;
  bool IsStore = qemu_plugin_mem_is_store(Info);
  uint64_t Stall = IsStore ? R->Store : R->readStall(Address, R->Load);
  static_cast<Instruction *>(Data)->DataStall += Stall;
  TheModel.Cycles += Stall;
  if (!IsStore) {
    Instruction &Loaded = TheModel.Instructions[Address];
    Loaded.Address = Address;
    ++Loaded.Loads;
    Loaded.LoadStall += Stall;
  }
}

void onTranslate(qemu_plugin_id_t, struct qemu_plugin_tb *Block) {
  size_t Count = qemu_plugin_tb_n_insns(Block);
  for (size_t Index = 0; Index < Count; ++Index) {
    struct qemu_plugin_insn *Insn = qemu_plugin_tb_get_insn(Block, Index);
    uint64_t Address = qemu_plugin_insn_vaddr(Insn);
    // A block translated again (after a flush, or entered mid-way) keeps
    // adding to the same record.
    Instruction &I = TheModel.Instructions[Address];
    I.Address = Address;
    I.FetchedFrom = regionAt(Address);
    qemu_plugin_register_vcpu_insn_exec_cb(Insn, onExecute,
                                           QEMU_PLUGIN_CB_NO_REGS, &I);
    qemu_plugin_register_vcpu_mem_cb(Insn, onMemory, QEMU_PLUGIN_CB_NO_REGS,
                                     QEMU_PLUGIN_MEM_RW, &I);
  }
}

/// The cycle profile: a header with the model and the totals, then one line
/// per executed address in address order. docs/sample-formats.md.
void onExit(qemu_plugin_id_t, void *) {
  if (TheModel.Samples)
    std::fclose(TheModel.Samples);
  std::map<uint64_t, const Instruction *> Sorted;
  uint64_t Executions = 0, FetchStall = 0, DataStall = 0;
  for (const auto &[Address, I] : TheModel.Instructions) {
    if (I.Executions == 0 && I.Loads == 0)
      continue;
    Sorted[Address] = &I;
    Executions += I.Executions;
    FetchStall += I.FetchStall;
    DataStall += I.DataStall;
  }
  FILE *Out = std::fopen(TheModel.Output.c_str(), "w");
  if (!Out) {
    std::fprintf(stderr, "ramfit timing plugin: cannot write '%s': %s\n",
                 TheModel.Output.c_str(), std::strerror(errno));
    return;
  }
  std::fprintf(Out, "# ramfit-cycles 1\n");
  std::fprintf(Out, "# instruction-cycles %" PRIu64 "\n",
               TheModel.InstructionCycles);
  for (const auto &R : TheModel.Regions)
    std::fprintf(Out,
                 "# region %s 0x%" PRIx64 " 0x%" PRIx64 " fetch=%" PRIu64
                 " load=%" PRIu64 " store=%" PRIu64 "%s\n",
                 R->Name.c_str(), R->Origin, R->Length, R->Fetch, R->Load,
                 R->Store, R->Cached ? " cached" : "");
  if (!TheModel.RamRegion.empty())
    std::fprintf(Out, "# ram %s\n", TheModel.RamRegion.c_str());
  std::fprintf(Out,
               "# totals instructions=%" PRIu64 " cycles=%" PRIu64
               " fetch-stall=%" PRIu64 " data-stall=%" PRIu64 "\n",
               Executions, TheModel.Cycles, FetchStall, DataStall);
  std::fprintf(Out, "# address executions fetch-stall data-stall loads "
                    "load-stall\n");
  for (const auto &[Address, I] : Sorted)
    std::fprintf(Out,
                 "0x%" PRIx64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
                 " %" PRIu64 "\n",
                 Address, I->Executions, I->FetchStall, I->DataStall, I->Loads,
                 I->LoadStall);
  if (std::fclose(Out) != 0)
    std::fprintf(stderr, "ramfit timing plugin: cannot write '%s': %s\n",
                 TheModel.Output.c_str(), std::strerror(errno));
}

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

bool addRegion(const std::string &Spec) {
  std::vector<std::string> F = splitFields(Spec);
  auto R = std::make_unique<Region>();
  if (F.size() != 6 || F[0].empty() || !parseNumber(F[1], R->Origin) ||
      !parseNumber(F[2], R->Length) || !parseNumber(F[3], R->Fetch) ||
      !parseNumber(F[4], R->Load) || !parseNumber(F[5], R->Store))
    return false;
  R->Name = F[0];
  TheModel.Regions.push_back(std::move(R));
  return true;
}

bool addCache(const std::string &Spec) {
  std::vector<std::string> F = splitFields(Spec);
  uint64_t Size = 0;
  auto C = std::make_unique<Cache>();
  if (F.size() != 5 || !parseNumber(F[1], Size) ||
      !parseNumber(F[2], C->LineBytes) || !parseNumber(F[3], C->Ways) ||
      !parseNumber(F[4], C->FillCycles) || C->LineBytes == 0 || C->Ways == 0 ||
      Size % (C->LineBytes * C->Ways) != 0 || Size < C->LineBytes * C->Ways)
    return false;
  C->Sets = Size / (C->LineBytes * C->Ways);
  C->Tags.assign(C->Sets * C->Ways, 0);
  C->LastUse.assign(C->Sets * C->Ways, 0);
  for (auto &R : TheModel.Regions)
    if (R->Name == F[0]) {
      R->Cached = std::move(C);
      return true;
    }
  return false;
}

bool parseArgument(const std::string &Argument) {
  size_t Equals = Argument.find('=');
  if (Equals == std::string::npos)
    return false;
  std::string Key = Argument.substr(0, Equals);
  std::string Value = Argument.substr(Equals + 1);
  if (Key == "out")
    TheModel.Output = Value;
  else if (Key == "instruction")
    return parseNumber(Value, TheModel.InstructionCycles);
  else if (Key == "region")
    return addRegion(Value);
  else if (Key == "cache")
    return addCache(Value);
  else if (Key == "ram")
    TheModel.RamRegion = Value;
  else if (Key == "samples") {
    TheModel.Samples = std::fopen(Value.c_str(), "w");
    if (!TheModel.Samples) {
      std::fprintf(stderr, "ramfit timing plugin: cannot write '%s': %s\n",
                   Value.c_str(), std::strerror(errno));
      return false;
    }
  } else if (Key == "sample-every")
    return parseNumber(Value, TheModel.SampleEvery) && TheModel.SampleEvery;
  else
    return false;
  return true;
}

} // namespace

extern "C" QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t Id,
                                                      const qemu_info_t *,
                                                      int Argc, char **Argv) {
  for (int Index = 0; Index < Argc; ++Index)
    if (!parseArgument(Argv[Index])) {
      std::fprintf(stderr, "ramfit timing plugin: bad argument '%s'\n",
                   Argv[Index]);
      return -1;
    }
  if (TheModel.Output.empty() ||
      (TheModel.Samples != nullptr) != (TheModel.SampleEvery != 0)) {
    std::fprintf(stderr, "ramfit timing plugin: needs out=FILE, and "
                         "samples=FILE with sample-every=N or neither\n");
    return -1;
  }
  TheModel.NextSample = TheModel.SampleEvery;
  qemu_plugin_register_vcpu_tb_trans_cb(Id, onTranslate);
  qemu_plugin_register_atexit_cb(Id, onExit, nullptr);
  return 0;
}
