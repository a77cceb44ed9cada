// ramfit.yaml, the settings of 'ramfit run'.
#include "steps/Config.h"

using namespace ramfit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Content(reinterpret_cast<const char *>(Data), Size);
  llvm::Expected<Config> Parsed = parseConfig("fuzz/ramfit.yaml", Content);
  if (!Parsed)
    llvm::consumeError(Parsed.takeError());
  return 0;
}
