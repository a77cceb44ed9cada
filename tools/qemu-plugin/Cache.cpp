//===- Cache.cpp - A set-associative LRU cache for the timing plugin ------===//

#include "Cache.h"

namespace ramfit_plugin {

Cache *Cache::create(uint64_t SizeBytes, uint64_t LineBytes, uint64_t Ways,
                     uint64_t FillCycles) {
  if (LineBytes == 0 || Ways == 0 || SizeBytes < LineBytes * Ways ||
      SizeBytes % (LineBytes * Ways) != 0)
    return nullptr;
  return new Cache(LineBytes, SizeBytes / (LineBytes * Ways), Ways, FillCycles);
}

Cache::Cache(uint64_t LineBytes, uint64_t Sets, uint64_t Ways,
             uint64_t FillCycles)
    : LineBytes(LineBytes), Sets(Sets), Ways(Ways), FillCycles(FillCycles),
      Tags(Sets * Ways, 0), LastUse(Sets * Ways, 0) {}

bool Cache::access(uint64_t Address) {
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

} // namespace ramfit_plugin
