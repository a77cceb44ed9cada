#include "samples/AddressRecords.h"
#include "samples/LineParser.h"

namespace ramfit {

AddressRecord &AddressRecords::lookUp(uint64_t Address) {
  auto [Found, New] = Index.try_emplace(Address, Records);
  if (New) {
    if (Records % ChunkRecords == 0)
      Chunks.push_back(std::make_unique<AddressRecord[]>(ChunkRecords));
    record(Records++).Address = Address;
  }
  LastRecord = Found->second;
  return record(LastRecord);
}

void AddressRecords::moveInto(SampleFile &Out) {
  Index = AddressMap<uint32_t>();
  // Room for what each map receives: a backtrace log has no PC alone and
  // no "<symbol+offset>", and room for them would be most of its memory.
  size_t Pcs = 0, Symbols = 0, Functions = 0;
  for (uint32_t I = 0; I < Records; ++I) {
    Pcs += record(I).PcCount != 0;
    Symbols += record(I).Symbol.Count != 0;
    Functions += record(I).Function.Count != 0;
  }
  Out.PcCounts.reserve(Out.PcCounts.size() + Pcs);
  Out.Hints.reserve(Out.Hints.size() + Symbols);
  Out.PcFunctionHints.reserve(Out.PcFunctionHints.size() + Functions);
  for (uint32_t I = 0; I < Records; ++I) {
    AddressRecord &Record = record(I);
    if (Record.PcCount)
      countPc(Out, Record.Address, Record.PcCount);
    if (Record.Symbol.Count)
      Out.Hints[Record.Address] = Record.Symbol;
    if (Record.Function.Count)
      Out.PcFunctionHints[Record.Address] = Record.Function;
    if ((I + 1) % ChunkRecords == 0)
      Chunks[I / ChunkRecords].reset();
  }
  Chunks.clear();
  Records = 0;
  LastRecord = 0;
}

} // namespace ramfit
