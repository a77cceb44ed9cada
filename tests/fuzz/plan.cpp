// Plan files, which people edit by hand.
#include "plan/Plan.h"

using namespace ramfit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Content(reinterpret_cast<const char *>(Data), Size);
  llvm::Expected<Plan> Parsed = parsePlan("fuzz/plan.yaml", Content);
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    return 0;
  }
  // What was read must write out again.
  planToYaml(*Parsed, "fuzz");
  return 0;
}
