// Every sample format. The first byte picks the format so that each parser
// is reached whatever detection would make of the rest.
#include "samples/Samples.h"

using namespace ramfit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  if (Size == 0)
    return 0;
  static const SampleFormat Formats[] = {
      SampleFormat::Auto, SampleFormat::GdbLog, SampleFormat::HexList,
      SampleFormat::Gmon, SampleFormat::Folded};
  SampleFormat Format = Formats[Data[0] % std::size(Formats)];
  llvm::StringRef Content(reinterpret_cast<const char *>(Data) + 1, Size - 1);
  llvm::Expected<SampleFile> File =
      parseSamples("fuzz", Content, Format, [](const Diagnostic &) {});
  if (!File)
    llvm::consumeError(File.takeError());
  return 0;
}
