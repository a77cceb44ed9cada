//===- Model.h - The timing plugin's model and what it counts -------------===//
//
// The memory regions with their stall cycles, read from the plugin's
// arguments, and the per-address counts the QEMU callbacks add to; written
// out as the cycle profile when QEMU exits. docs/sample-formats.md.
//
//===----------------------------------------------------------------------===//

#ifndef RAMFIT_QEMU_PLUGIN_MODEL_H
#define RAMFIT_QEMU_PLUGIN_MODEL_H

#include "Cache.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace ramfit_plugin {

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
  /// A fetch or load's stall: HitStall, or the cache's fill on a miss.
  uint64_t readStall(uint64_t Address, uint64_t HitStall) {
    if (Cached && !Cached->access(Address))
      return Cached->fillCycles();
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

  /// Reads one KEY=VALUE plugin argument (listed in TimingPlugin.cpp);
  /// false, after saying why on stderr where errno knows, when it is bad.
  bool parseArgument(const std::string &Argument);
  /// Whether the arguments together make a model the plugin can run.
  bool complete() const;

  /// The region holding Address, if any.
  Region *regionAt(uint64_t Address) const;

  /// Writes the cycle profile to Output: a header with the model and the
  /// totals, then one line per executed or loaded address in address order.
  void writeProfile() const;

private:
  bool addRegion(const std::string &Spec);
  bool addCache(const std::string &Spec);
};

} // namespace ramfit_plugin

#endif
