// ELF files, seeded with the fixture firmware, and the lookups a profile
// makes in them. DWARF is read only when RAMFIT_FUZZ_DWARF is set: LLVM
// 16's DWARF reader crashes on malformed units beyond those Binary guards
// against, and a pass that always stops in LLVM would test nothing of
// ramfit's own (docs/guarantees.md).
#include "firmware/Binary.h"

#include <cstdlib>

using namespace ramfit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  static const Binary::DebugInfoUse Use = std::getenv("RAMFIT_FUZZ_DWARF")
                                              ? Binary::DebugInfoUse::Read
                                              : Binary::DebugInfoUse::Ignore;
  llvm::StringRef Content(reinterpret_cast<const char *>(Data), Size);
  llvm::Expected<std::unique_ptr<Binary>> Elf = Binary::fromBuffer(
      llvm::MemoryBuffer::getMemBuffer(Content, "fuzz.elf", false),
      [](const Diagnostic &) {}, Use);
  if (!Elf) {
    llvm::consumeError(Elf.takeError());
    return 0;
  }
  for (const FunctionInfo &Function : (*Elf)->functions()) {
    (*Elf)->functionAt(Function.Address);
    (*Elf)->inlinedAt(Function.Address);
    (*Elf)->describe(Function.Address + Function.Size);
    (*Elf)->sectionAt(Function.Address);
  }
  return 0;
}
