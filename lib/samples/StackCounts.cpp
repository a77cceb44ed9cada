#include "samples/StackCounts.h"

#include "llvm/ADT/Hashing.h"
#include <algorithm>
#include <memory>
#include <optional>
#include <tuple>

using namespace llvm;

namespace ramfit {

namespace {

/// Frames a block holds: a stack deeper than this gets a block of its own.
constexpr uint32_t BlockFrames = 4096;

uint32_t hashOf(ArrayRef<Frame> Frames) {
  hash_code Hash = hash_value(Frames.size());
  for (const Frame &F : Frames)
    Hash = hash_combine(Hash, F.Address.has_value(), F.Address.value_or(0),
                        F.Function, F.SourceFile);
  // hash_code mixes every bit: its low half is as good as the whole.
  return uint32_t(size_t(Hash));
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

StackCounts::StoredFrame StackCounts::store(const Frame &F) {
  return {F.Address.value_or(0), F.Function.data(), F.SourceFile.data(),
          uint32_t(F.Function.size()) |
              (F.Address ? StoredFrame::HasAddress : 0),
          uint32_t(F.SourceFile.size())};
}

bool StackCounts::same(const StoredFrame &Kept, const Frame &F) {
  return Kept.hasAddress() == F.Address.has_value() &&
         Kept.Address == F.Address.value_or(0) &&
         Kept.function() == F.Function && Kept.sourceFile() == F.SourceFile;
}

bool StackCounts::same(const StoredFrame &Kept, const StoredFrame &Other) {
  return Kept.FunctionSize == Other.FunctionSize &&
         Kept.Address == Other.Address && Kept.function() == Other.function() &&
         Kept.sourceFile() == Other.sourceFile();
}

ArrayRef<StackCounts::StoredFrame> StackCounts::framesOf(const Entry &E) const {
  return ArrayRef<StoredFrame>(Blocks[E.Block].get() + E.First, E.Size);
}

StackCounts::value_type StackCounts::const_iterator::operator*() const {
  const Entry &E = Table->Entries[Index];
  Frames.clear();
  for (const StoredFrame &Kept : Table->framesOf(E)) {
    Frame &F = Frames.emplace_back();
    if (Kept.hasAddress())
      F.Address = Kept.Address;
    F.Function = Kept.function();
    F.SourceFile = Kept.sourceFile();
  }
  return {Frames, E.Count};
}

template <typename FrameType>
size_t StackCounts::slotFor(ArrayRef<FrameType> Frames, uint32_t Hash) const {
  size_t Mask = Slots.size() - 1;
  for (size_t Slot = Hash & Mask;; Slot = (Slot + 1) & Mask) {
    uint32_t Index = Slots[Slot];
    if (Index == NoEntry)
      return Slot;
    const Entry &E = Entries[Index];
    if (E.Hash != Hash || E.Size != Frames.size())
      continue;
    ArrayRef<StoredFrame> Kept = framesOf(E);
    bool Equal = true;
    for (size_t I = 0; Equal && I < Kept.size(); ++I)
      Equal = same(Kept[I], Frames[I]);
    if (Equal)
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

template <typename FrameType>
std::optional<size_t> StackCounts::countIfKnown(ArrayRef<FrameType> Frames,
                                                uint32_t Hash, uint64_t Count) {
  // At most half full, so that probes stay short.
  if ((Entries.size() + 1) * 2 > Slots.size())
    grow();
  size_t Slot = slotFor(Frames, Hash);
  if (Slots[Slot] == NoEntry)
    return Slot;
  Entries[Slots[Slot]].Count += Count;
  return std::nullopt;
}

void StackCounts::add(ArrayRef<Frame> Frames, uint64_t Count) {
  uint32_t Hash = hashOf(Frames);
  std::optional<size_t> Slot = countIfKnown(Frames, Hash, Count);
  if (!Slot)
    return;
  uint32_t Size = Frames.size();
  if (BlockUsed + Size > BlockCapacity) {
    BlockCapacity = std::max(BlockFrames, Size);
    Blocks.emplace_back(static_cast<StoredFrame *>(
        ::operator new(BlockCapacity * sizeof(StoredFrame))));
    BlockUsed = 0;
  }
  std::transform(Frames.begin(), Frames.end(), Blocks.back().get() + BlockUsed,
                 store);
  Slots[*Slot] = Entries.size();
  Entries.push_back(
      {uint32_t(Blocks.size() - 1), BlockUsed, Size, Hash, Count});
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
    if (std::optional<size_t> Slot =
            countIfKnown(framesOf(E), E.Hash, E.Count)) {
      Slots[*Slot] = Entries.size();
      Entries.push_back(E);
    }
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
