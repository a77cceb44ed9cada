// GNU ld map files, as -Wl,-Map writes them.
#include "firmware/LinkerMap.h"

using namespace ramfit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Content(reinterpret_cast<const char *>(Data), Size);
  llvm::Expected<LinkerMap> Map = parseLinkerMap("fuzz.map", Content);
  if (!Map) {
    llvm::consumeError(Map.takeError());
    return 0;
  }
  for (const InputSection &Section : Map->Sections)
    Map->sectionAt(Section.Address);
  return 0;
}
