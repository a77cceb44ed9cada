#include "steps/ReadInputs.h"

#include "llvm/Support/ThreadPool.h"
#include <optional>

using namespace llvm;

namespace ramfit {

static Expected<std::vector<SampleFile>>
readSampleFiles(const ProfileStepOptions &O, DiagnosticHandler Diag,
                ContentHash Hash) {
  std::vector<SampleFile> Files;
  for (const std::string &Spec : O.Samples) {
    Expected<SampleFile> File = readSampleFile(Spec, O.Format, Diag, Hash);
    if (!File)
      return File.takeError();
    Files.push_back(std::move(*File));
  }
  return Files;
}

Expected<ElfAndSamples> readElfAndSamples(const ProfileStepOptions &O,
                                          DiagnosticHandler Diag,
                                          ContentHash Hash) {
  // Each thread keeps what it says; Diag hears it afterwards, in order.
  std::vector<Diagnostic> ElfSaid, SamplesSaid;
  std::optional<Expected<std::unique_ptr<Binary>>> Elf;
  ThreadPool Loader(hardware_concurrency(1));
  Loader.async([&] {
    Elf.emplace(Binary::open(
        O.Elf, [&](const Diagnostic &D) { ElfSaid.push_back(D); }));
  });
  Expected<std::vector<SampleFile>> Files = readSampleFiles(
      O, [&](const Diagnostic &D) { SamplesSaid.push_back(D); }, Hash);
  Loader.wait();
  for (const Diagnostic &D : ElfSaid)
    Diag(D);
  if (!*Elf) {
    if (!Files)
      consumeError(Files.takeError());
    return Elf->takeError();
  }
  for (const Diagnostic &D : SamplesSaid)
    Diag(D);
  if (!Files)
    return Files.takeError();
  return ElfAndSamples{std::move(**Elf), std::move(*Files)};
}

} // namespace ramfit
