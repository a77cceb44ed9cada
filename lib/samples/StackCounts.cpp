#include "samples/StackCounts.h"

#include "llvm/ADT/Hashing.h"
#include <algorithm>
#include <memory>
#include <tuple>

using namespace llvm;

namespace ramfit {

namespace {

/// Frames a block holds: a stack deeper than this gets a block of its own.
constexpr uint32_t BlockFrames = 4096;

size_t hashOf(ArrayRef<Frame> Frames) {
  hash_code Hash = hash_value(Frames.size());
  for (const Frame &F : Frames)
    Hash = hash_combine(Hash, F.Address.has_value(), F.Address.value_or(0),
                        F.Function, F.SourceFile);
  return Hash;
}

} // namespace

bool Frame::operator==(const Frame &Other) const {
  return std::tie(Address, Function, SourceFile) ==
         std::tie(Other.Address, Other.Function, Other.SourceFile);
}

StackCounts::StackCounts(
    std::initializer_list<std::pair<Stack, uint64_t>> Counted) {
  for (const auto &[Frames, Count] : Counted)
    add(Frames, Count);
}

ArrayRef<Frame> StackCounts::framesOf(const Entry &E) const {
  return ArrayRef<Frame>(Blocks[E.Block].get() + E.First, E.Size);
}

StackCounts::value_type StackCounts::entry(size_t Index) const {
  return {framesOf(Entries[Index]), Entries[Index].Count};
}

size_t StackCounts::slotFor(ArrayRef<Frame> Frames, size_t Hash) const {
  size_t Mask = Slots.size() - 1;
  for (size_t Slot = Hash & Mask;; Slot = (Slot + 1) & Mask) {
    uint32_t Index = Slots[Slot];
    if (Index == NoEntry)
      return Slot;
    const Entry &E = Entries[Index];
    if (E.Hash == Hash && framesOf(E) == Frames)
      return Slot;
  }
}

void StackCounts::grow() {
  std::vector<uint32_t> Bigger(std::max<size_t>(64, Slots.size() * 2), NoEntry);
  size_t Mask = Bigger.size() - 1;
  for (uint32_t Index = 0; Index < Entries.size(); ++Index) {
    size_t Slot = Entries[Index].Hash & Mask;
    while (Bigger[Slot] != NoEntry)
      Slot = (Slot + 1) & Mask;
    Bigger[Slot] = Index;
  }
  Slots = std::move(Bigger);
}

void StackCounts::add(ArrayRef<Frame> Frames, uint64_t Count) {
  // At most half full, so that probes stay short.
  if ((Entries.size() + 1) * 2 > Slots.size())
    grow();
  size_t Hash = hashOf(Frames);
  size_t Slot = slotFor(Frames, Hash);
  if (Slots[Slot] != NoEntry) {
    Entries[Slots[Slot]].Count += Count;
    return;
  }
  uint32_t Size = Frames.size();
  if (BlockUsed + Size > BlockCapacity) {
    BlockCapacity = std::max(BlockFrames, Size);
    Blocks.emplace_back(
        static_cast<Frame *>(::operator new(BlockCapacity * sizeof(Frame))));
    BlockUsed = 0;
  }
  std::uninitialized_copy(Frames.begin(), Frames.end(),
                          Blocks.back().get() + BlockUsed);
  Slots[Slot] = Entries.size();
  Entries.push_back(
      {uint32_t(Blocks.size() - 1), BlockUsed, Size, Count, Hash});
  BlockUsed += Size;
}

void StackCounts::addAll(const StackCounts &Other) {
  for (const auto &[Frames, Count] : Other)
    add(Frames, Count);
}

void StackCounts::addAll(StackCounts &&Other) {
  if (Entries.empty()) {
    *this = std::move(Other);
    return;
  }
  uint32_t BlockBase = Blocks.size();
  for (auto &Block : Other.Blocks)
    Blocks.push_back(std::move(Block));
  // New stacks go on after Other's last frames, in its last block.
  BlockUsed = Other.BlockUsed;
  BlockCapacity = Other.BlockCapacity;
  for (Entry E : Other.Entries) {
    E.Block += BlockBase;
    if ((Entries.size() + 1) * 2 > Slots.size())
      grow();
    size_t Slot = slotFor(framesOf(E), E.Hash);
    if (Slots[Slot] != NoEntry) {
      Entries[Slots[Slot]].Count += E.Count;
      continue;
    }
    Slots[Slot] = Entries.size();
    Entries.push_back(E);
  }
  Other = StackCounts();
}

uint64_t StackCounts::countOf(ArrayRef<Frame> Frames) const {
  if (Slots.empty())
    return 0;
  uint32_t Index = Slots[slotFor(Frames, hashOf(Frames))];
  return Index == NoEntry ? 0 : Entries[Index].Count;
}

bool StackCounts::operator==(const StackCounts &Other) const {
  if (size() != Other.size())
    return false;
  for (const auto &[Frames, Count] : *this)
    if (Other.countOf(Frames) != Count)
      return false;
  return true;
}

} // namespace ramfit
