//===- AddressRecords.h - One record per sampled address --------*- C++ -*-===//
//
// A sample names its address up to three times (stop line, value, count):
// on a log of millions, three lookups in three tables were the cache misses
// that bounded the read. The log's readers keep one record per address
// instead, and move the records into the sample file's maps at the end.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_SAMPLES_ADDRESSRECORDS_H
#define RAMFIT_SAMPLES_ADDRESSRECORDS_H

#include "samples/Samples.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace ramfit {

struct AddressRecord {
  uint64_t Address = 0;
  uint64_t PcCount = 0;
  SymbolHint Symbol;
  FunctionHint Function;
};

class AddressRecords {
public:
  /// The record of Address, new and empty when it was not seen before.
  AddressRecord &of(uint64_t Address) {
    if (Records && record(LastRecord).Address == Address)
      return record(LastRecord);
    return lookUp(Address);
  }

  /// Moves every record into Out's PC counts and hints, and empties this
  /// table. Memory is given back as it is taken: the index before the maps
  /// grow, each chunk of records once it has moved.
  void moveInto(SampleFile &Out);

private:
  AddressRecord &record(uint32_t Index) {
    return Chunks[Index / ChunkRecords][Index % ChunkRecords];
  }
  AddressRecord &lookUp(uint64_t Address);

  /// Chunks of records, grown one at a time and never copied whole. Each
  /// is large enough that malloc maps it on its own, so that a chunk freed
  /// goes back to the system at once: a deque's 512-byte blocks stayed in
  /// the heap, 9 MiB of garbage for a range of a million-sample log.
  static constexpr uint32_t ChunkRecords = 4096;
  std::vector<std::unique_ptr<AddressRecord[]>> Chunks;
  uint32_t Records = 0;
  AddressMap<uint32_t> Index;
  uint32_t LastRecord = 0;
};

} // namespace ramfit

#endif
