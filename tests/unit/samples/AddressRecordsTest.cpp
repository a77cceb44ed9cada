//===- AddressRecordsTest.cpp - One record per sampled address -----------===//
//
// A gdb log reader finds an address's record again however many addresses
// came between, and moves every record into the sample file's maps: a PC
// count only where the address was a sample, a hint only where gdb gave one.
//
//===----------------------------------------------------------------------===//
#include "samples/AddressRecords.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

TEST(AddressRecordsTest, AnAddressKeepsItsRecordAcrossChunks) {
  AddressRecords Records;
  // More addresses than a chunk of records holds, each seen twice, the
  // second time after all the others.
  constexpr uint64_t Addresses = 10000;
  for (unsigned Round = 0; Round < 2; ++Round)
    for (uint64_t I = 0; I < Addresses; ++I)
      Records.of(0x80000000 + 2 * I).PcCount += I + 1;
  SampleFile Out;
  Records.moveInto(Out);
  ASSERT_EQ(Addresses, Out.PcCounts.size());
  for (uint64_t I = 0; I < Addresses; ++I)
    EXPECT_EQ(2 * (I + 1), Out.PcCounts.lookup(0x80000000 + 2 * I)) << I;
  EXPECT_EQ(Addresses * (Addresses + 1), Out.SampleCount);
}

TEST(AddressRecordsTest, OnlyWhatWasSeenIsMoved) {
  AddressRecords Records;
  SampleFile Out;
  AddressRecord &Sampled = Records.of(0x100);
  Sampled.PcCount = 3;
  Sampled.Symbol = {Out.Names->save("f"), 4, 7, 3};
  // A return address's record: named by a stop line, never a sample.
  Records.of(0x200).Function = {Out.Names->save("g"), 9, 1};
  Records.moveInto(Out);

  EXPECT_EQ(1u, Out.PcCounts.size());
  EXPECT_EQ(3u, Out.PcCounts.lookup(0x100));
  EXPECT_EQ(3u, Out.SampleCount);
  ASSERT_EQ(1u, Out.Hints.size());
  EXPECT_EQ("f", Out.Hints.lookup(0x100).Symbol);
  EXPECT_EQ(4u, Out.Hints.lookup(0x100).Offset);
  EXPECT_EQ(7u, Out.Hints.lookup(0x100).Line);
  ASSERT_EQ(1u, Out.PcFunctionHints.size());
  EXPECT_EQ("g", Out.PcFunctionHints.lookup(0x200).Function);
  EXPECT_EQ(9u, Out.PcFunctionHints.lookup(0x200).Line);
}

TEST(AddressRecordsTest, TheTableStartsAfreshOnceMoved) {
  AddressRecords Records;
  Records.of(0x100).PcCount = 5;
  SampleFile First;
  Records.moveInto(First);
  // The address looked up last is a new record now, not the moved one.
  EXPECT_EQ(0u, Records.of(0x100).PcCount);
  Records.of(0x100).PcCount = 1;
  SampleFile Second;
  Records.moveInto(Second);
  EXPECT_EQ(5u, First.PcCounts.lookup(0x100));
  EXPECT_EQ(1u, Second.PcCounts.lookup(0x100));
}

} // namespace
