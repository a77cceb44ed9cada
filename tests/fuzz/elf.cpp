// ELF files with their symbols and DWARF, seeded with the fixture firmware,
// and the lookups a profile makes in them.
#include "Binary.h"

using namespace ramfit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Content(reinterpret_cast<const char *>(Data), Size);
  llvm::Expected<std::unique_ptr<Binary>> Elf = Binary::fromBuffer(
      llvm::MemoryBuffer::getMemBuffer(Content, "fuzz.elf", false));
  if (!Elf) {
    llvm::consumeError(Elf.takeError());
    return 0;
  }
  for (const FunctionInfo &Function : (*Elf)->functions()) {
    (*Elf)->functionAt(Function.Address);
    (*Elf)->inlinedAt(Function.Address);
    (*Elf)->describe(Function.Address + Function.Size);
  }
  return 0;
}
