// Timing models, which people write by hand.
#include "measure/TimingModel.h"

using namespace ramfit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Content(reinterpret_cast<const char *>(Data), Size);
  llvm::Expected<TimingModel> Parsed =
      parseTimingModel("fuzz/timing.yaml", Content);
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    return 0;
  }
  // What was read must become the plugin's arguments.
  pluginArguments(*Parsed);
  return 0;
}
