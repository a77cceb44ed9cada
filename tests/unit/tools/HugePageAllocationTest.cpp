//===- HugePageAllocationTest.cpp - Large blocks in huge pages ------------===//
//
// The tool's own operator new, linked into this test alone as it is into
// the ramfit executable: blocks of 2 MiB and more, LLVM's aligned ones
// included, start on a 2 MiB boundary and carry the advice that the kernel
// may back them with huge pages; the others keep what the standard
// promises. Whether the kernel then grants huge pages is measured by
// bench/run, not asserted here.
//
//===----------------------------------------------------------------------===//
#include "gtest/gtest.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <new>
#include <string>
#include <unistd.h>

namespace {

constexpr uintptr_t HugePage = 2 << 20;

uintptr_t addressOf(const void *Block) {
  return reinterpret_cast<uintptr_t>(Block);
}

/// The "VmFlags:" line of the mapping that holds Block, from
/// /proc/self/smaps; empty when no mapping holds it.
std::string vmFlagsOf(const void *Block) {
  std::ifstream Smaps("/proc/self/smaps");
  std::string Line;
  bool Holds = false;
  while (std::getline(Smaps, Line)) {
    unsigned long long Begin, End;
    // A mapping's first line: "7f1c2a000000-7f1c2a600000 rw-p ...".
    if (std::sscanf(Line.c_str(), "%llx-%llx ", &Begin, &End) == 2) {
      Holds = Begin <= addressOf(Block) && addressOf(Block) < End;
      continue;
    }
    if (Holds && Line.rfind("VmFlags:", 0) == 0)
      return Line;
  }
  return "";
}

TEST(HugePageAllocationTest, ALargeBlockStartsOnAHugePage) {
  // malloc alone puts a block this large in a mapping of its own, 16 bytes
  // past a 4 KiB boundary.
  std::unique_ptr<char[]> Block(new char[5 << 20]);
  EXPECT_EQ(0u, addressOf(Block.get()) % HugePage);
  std::memset(Block.get(), 1, 5 << 20);
}

TEST(HugePageAllocationTest, ALargeBlockIsAdvisedForHugePages) {
  if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) != 0)
    GTEST_SKIP() << "this kernel has no transparent huge pages";
  std::unique_ptr<char[]> Block(new char[4 << 20]);
  // "hg": madvise(MADV_HUGEPAGE) was given for the mapping.
  std::string Flags = vmFlagsOf(Block.get());
  EXPECT_NE(std::string::npos, Flags.find(" hg")) << Flags;
}

TEST(HugePageAllocationTest, LLVMsAlignedFormStartsOnAHugePageToo) {
  // llvm::allocate_buffer asks for its buckets through this form.
  void *Block = ::operator new(3 << 20, std::align_val_t(64));
  EXPECT_EQ(0u, addressOf(Block) % HugePage);
  ::operator delete(Block, std::align_val_t(64));
}

TEST(HugePageAllocationTest, SmallBlocksKeepTheStandardsPromises) {
  void *Empty = ::operator new(0);
  void *OtherEmpty = ::operator new(0);
  ASSERT_NE(nullptr, Empty);
  EXPECT_NE(Empty, OtherEmpty);
  ::operator delete(Empty);
  ::operator delete(OtherEmpty);

  void *Aligned = ::operator new(100, std::align_val_t(4096));
  EXPECT_EQ(0u, addressOf(Aligned) % 4096);
  ::operator delete(Aligned, std::align_val_t(4096));
  void *EmptyAligned = ::operator new(0, std::align_val_t(256));
  ASSERT_NE(nullptr, EmptyAligned);
  EXPECT_EQ(0u, addressOf(EmptyAligned) % 256);
  ::operator delete(EmptyAligned, std::align_val_t(256));
}

} // namespace
