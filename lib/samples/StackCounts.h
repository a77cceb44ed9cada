//===- StackCounts.h - Samples per distinct stack ---------------*- C++ -*-===//
//
// A log of a hundred thousand backtraces holds about as many distinct
// stacks. Each is kept once, its frames in blocks shared by many stacks, so
// that counting one costs no allocation of its own: a hash map of vectors
// paid two per stack, and they were most of the time to read a log.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_SAMPLES_STACKCOUNTS_H
#define RAMFIT_SAMPLES_STACKCOUNTS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace ramfit {

/// One frame of a sampled stack. Frame 0 is where the CPU was; the address
/// of a caller frame is its return address. Functions inlined at that
/// address belong to the frame, not to frames of their own: the frame is
/// the out-of-line function the code runs in.
struct Frame {
  std::optional<uint64_t> Address;
  /// The function as the source named it, for a frame with inlined calls
  /// the outermost one; empty when it gave none. Its text lives in the
  /// sample file's name table.
  llvm::StringRef Function;
  /// gdb's "at FILE:LINE" file, which tells same-named statics apart.
  llvm::StringRef SourceFile;

  bool operator==(const Frame &Other) const;
};

using Stack = std::vector<Frame>;

class StackCounts {
public:
  StackCounts() = default;
  StackCounts(StackCounts &&) = default;
  StackCounts &operator=(StackCounts &&) = default;
  /// A copy holds frames of its own.
  StackCounts(const StackCounts &Other) { addAll(Other); }
  StackCounts &operator=(const StackCounts &Other) {
    if (this != &Other) {
      *this = StackCounts();
      addAll(Other);
    }
    return *this;
  }
  /// {{stack, count}, ...}: counts of stacks written out, as tests do.
  StackCounts(std::initializer_list<std::pair<Stack, uint64_t>> Counted);

  /// Counts Count more samples of Frames (copied: the caller's stack may
  /// be reused for the next sample).
  void add(llvm::ArrayRef<Frame> Frames, uint64_t Count = 1);
  /// Adds every stack of Other.
  void addAll(const StackCounts &Other);
  /// The same, taking Other's frames over where they are: the ranges of a
  /// file read in parallel merge without copying a frame.
  void addAll(StackCounts &&Other);
  /// The samples counted for exactly Frames; 0 for a stack never seen.
  uint64_t countOf(llvm::ArrayRef<Frame> Frames) const;

  size_t size() const { return Entries.size(); }
  bool empty() const { return Entries.empty(); }

  /// The same stacks with the same counts, in any order.
  bool operator==(const StackCounts &Other) const;

  using value_type = std::pair<llvm::ArrayRef<Frame>, uint64_t>;

  /// Stacks in the order they were first counted. The frames a stack is
  /// read as are the iterator's own, valid until it moves on.
  class const_iterator {
  public:
    const_iterator(const StackCounts &Table, size_t Index)
        : Table(&Table), Index(Index) {}
    value_type operator*() const;
    const_iterator &operator++() {
      ++Index;
      return *this;
    }
    bool operator!=(const const_iterator &Other) const {
      return Index != Other.Index;
    }

  private:
    const StackCounts *Table;
    size_t Index;
    mutable Stack Frames;
  };

  const_iterator begin() const { return {*this, 0}; }
  const_iterator end() const { return {*this, Entries.size()}; }

private:
  /// A frame as kept: its names as pointer and length with the address
  /// flag in the top bit of one length, 32 bytes where a Frame takes 48. A
  /// log of a hundred thousand backtraces holds half a million of them.
  struct StoredFrame {
    uint64_t Address;
    const char *Function;
    const char *SourceFile;
    uint32_t FunctionSize;
    uint32_t SourceFileSize;

    static constexpr uint32_t HasAddress = 1u << 31;
    llvm::StringRef function() const {
      return {Function, FunctionSize & ~HasAddress};
    }
    llvm::StringRef sourceFile() const { return {SourceFile, SourceFileSize}; }
    bool hasAddress() const { return FunctionSize & HasAddress; }
  };
  static StoredFrame store(const Frame &F);
  static bool same(const StoredFrame &Kept, const Frame &F);
  static bool same(const StoredFrame &Kept, const StoredFrame &Other);

  /// 24 bytes: a hash of 32 bits tells stacks apart well enough before
  /// their frames are compared.
  struct Entry {
    /// Where the frames are: block and first frame in it.
    uint32_t Block;
    uint32_t First;
    uint32_t Size;
    uint32_t Hash;
    uint64_t Count;
  };
  static constexpr uint32_t NoEntry = ~0u;

  llvm::ArrayRef<StoredFrame> framesOf(const Entry &E) const;
  /// The slot holding the entry of these frames, or the empty slot it
  /// would take.
  template <typename FrameType>
  size_t slotFor(llvm::ArrayRef<FrameType> Frames, uint32_t Hash) const;
  /// Counts Count more of Frames if they are known and returns nothing;
  /// otherwise the empty slot their entry is to take.
  template <typename FrameType>
  std::optional<size_t> countIfKnown(llvm::ArrayRef<FrameType> Frames,
                                     uint32_t Hash, uint64_t Count);
  void grow();

  /// Frames are trivially destructible: a block is raw storage, copied
  /// into and never cleared first.
  struct FreeBlock {
    void operator()(StoredFrame *Block) const { ::operator delete(Block); }
  };
  /// Blocks of frames, each allocated once and never moved.
  std::vector<std::unique_ptr<StoredFrame, FreeBlock>> Blocks;
  uint32_t BlockUsed = 0;
  uint32_t BlockCapacity = 0;
  std::vector<Entry> Entries;
  /// Open addressing over Entries, a power of two in size.
  std::vector<uint32_t> Slots;
};

} // namespace ramfit

#endif
