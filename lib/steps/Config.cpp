#include "steps/Config.h"
#include "support/Diagnostics.h"
#include "plan/Plan.h"
#include "samples/Samples.h"
#include "support/YamlReader.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace ramfit {

namespace {

/// Sample specs keep their "@WEIGHT"; only the path part is resolved.
std::string resolveSample(StringRef BaseDir, StringRef Spec) {
  StringRef File = splitSampleSpec(Spec).first;
  return resolvedIn(BaseDir, File) + Spec.drop_front(File.size()).str();
}

void resolvePaths(Config &C) {
  SmallString<256> Base(sys::path::parent_path(C.Path));
  sys::fs::make_absolute(Base);
  auto Resolve = [&](std::string &Path) { Path = resolvedIn(Base, Path); };
  for (std::string *Path :
       {&C.Elf, &C.Map, &C.Objects, &C.MemoryMap, &C.CompileCommands, &C.Plan,
        &C.Fragment, &C.Patch, &C.Report})
    Resolve(*Path);
  if (C.SourceRoot.empty())
    C.SourceRoot = ".";
  Resolve(C.SourceRoot);
  for (std::string &Spec : C.Samples)
    Spec = resolveSample(Base, Spec);
}

} // namespace

Expected<Config> parseConfig(StringRef Path, StringRef Content) {
  YamlReader Reader(Path);
  Expected<YAML::Node> Root = Reader.load(Content);
  if (!Root)
    return Root.takeError();
  Config C;
  C.Path = Path.str();
  auto Text = [&](std::string &Field) {
    return [&Reader, &Field](const YAML::Node &N) {
      return Reader.text(N, Field);
    };
  };
  auto Texts = [&](std::vector<std::string> &Field) {
    return [&Reader, &Field](const YAML::Node &N) {
      return Reader.texts(N, Field);
    };
  };
  auto Number = [&](double &Field) {
    return [&Reader, &Field](const YAML::Node &N) {
      return Reader.number(N, Field);
    };
  };
  Error Err = Reader.map(
      *Root, "the config",
      {{"elf", Text(C.Elf)},
       {"map", Text(C.Map)},
       {"objects", Text(C.Objects)},
       {"samples", Texts(C.Samples)},
       {"budget", Text(C.Budget)},
       {"memory_map", Text(C.MemoryMap)},
       {"region", Text(C.Region)},
       {"reserve", Text(C.Reserve)},
       {"pins", Texts(C.Pins)},
       {"excludes", Texts(C.Excludes)},
       {"min_samples", Number(C.MinSamples)},
       {"flash_ram_ratio", Number(C.FlashRamRatio)},
       {"annotate",
        [&](const YAML::Node &N) {
          return Reader.map(N, "annotate",
                            {{"style", Text(C.Style)},
                             {"section", Text(C.Section)},
                             {"compile_commands", Text(C.CompileCommands)},
                             {"source_root", Text(C.SourceRoot)}});
        }},
       {"outputs",
        [&](const YAML::Node &N) {
          return Reader.map(N, "outputs",
                            {{"plan", Text(C.Plan)},
                             {"fragment", Text(C.Fragment)},
                             {"fragment_style", Text(C.FragmentStyle)},
                             {"load_region", Text(C.LoadRegion)},
                             {"patch", Text(C.Patch)},
                             {"report", Text(C.Report)}});
        }}},
      {"elf"});
  if (Err)
    return Err;
  resolvePaths(C);
  return C;
}

Expected<Config> readConfig(StringRef Path) {
  Expected<std::unique_ptr<MemoryBuffer>> Buffer = readInputFile(Path);
  if (!Buffer)
    return Buffer.takeError();
  return parseConfig(Path, (*Buffer)->getBuffer());
}

} // namespace ramfit
