// The MEMORY command of linker scripts, and the sizes in it. The script's
// directory does not exist, so no INCLUDE reaches a real file.
#include "firmware/MemoryMap.h"

using namespace ramfit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Content(reinterpret_cast<const char *>(Data), Size);
  llvm::Expected<std::vector<MemoryRegion>> Regions =
      parseMemoryRegions("/nonexistent/fuzz.ld", Content);
  if (!Regions)
    llvm::consumeError(Regions.takeError());
  return 0;
}
