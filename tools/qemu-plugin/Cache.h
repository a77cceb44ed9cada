//===- Cache.h - A set-associative LRU cache for the timing plugin --------===//
//
// The cache a timing model may put in front of a memory region (a QSPI
// controller's line buffer, an Arm flash accelerator). Only hits and misses
// matter to the model, so it keeps tags and ages, no data.
//
//===----------------------------------------------------------------------===//

#ifndef RAMFIT_QEMU_PLUGIN_CACHE_H
#define RAMFIT_QEMU_PLUGIN_CACHE_H

#include <cstdint>
#include <vector>

namespace ramfit_plugin {

class Cache {
public:
  /// A cache of SizeBytes in lines of LineBytes, Ways lines to a set; a miss
  /// costs FillCycles. Null when the geometry does not divide evenly.
  static Cache *create(uint64_t SizeBytes, uint64_t LineBytes, uint64_t Ways,
                       uint64_t FillCycles);

  /// Whether the line holding Address was there; a miss brings it in,
  /// evicting the least recently used line of its set.
  bool access(uint64_t Address);

  uint64_t fillCycles() const { return FillCycles; }

private:
  Cache(uint64_t LineBytes, uint64_t Sets, uint64_t Ways, uint64_t FillCycles);

  uint64_t LineBytes;
  uint64_t Sets;
  uint64_t Ways;
  uint64_t FillCycles;
  std::vector<uint64_t> Tags;
  /// The clock of each way's last use; 0 for a way never filled.
  std::vector<uint64_t> LastUse;
  uint64_t Clock = 0;
};

} // namespace ramfit_plugin

#endif
