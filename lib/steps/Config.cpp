#include "steps/Config.h"
#include "firmware/MemoryMap.h"
#include "support/Diagnostics.h"
#include "support/Output.h"
#include "support/YamlReader.h"

#include "llvm/ADT/StringExtras.h"
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
  for (std::string &Dir : C.SearchDirs)
    Resolve(Dir);
}

} // namespace

Expected<Config> parseConfig(StringRef Path, StringRef Content) {
  YamlReader Reader(Path);
  Expected<YAML::Node> Root = Reader.load(Content);
  if (!Root)
    return Root.takeError();
  Config C;
  C.Path = Path.str();
  C.Text = Content.str();
  using FieldReader = std::function<Error(const YAML::Node &)>;
  auto Text = [&](std::string &Field) -> FieldReader {
    return [&Reader, &Field](const YAML::Node &N) {
      return Reader.text(N, Field);
    };
  };
  auto Number = [&](double &Field) -> FieldReader {
    return [&Reader, &Field](const YAML::Node &N) {
      return Reader.number(N, Field);
    };
  };
  // A value checked by the parser its command-line option uses.
  auto Parsed = [&](auto &Field, auto Parse) -> FieldReader {
    using T = std::remove_reference_t<decltype(Field)>;
    return [&Reader, &Field, Parse](const YAML::Node &N) {
      return Reader.value<T>(N, Field, Parse);
    };
  };
  auto Patterns = [&](std::vector<std::string> &Field) -> FieldReader {
    return [&Reader, &Field](const YAML::Node &N) -> Error {
      if (!N.IsSequence())
        return Reader.error(N, "expected a list");
      for (const YAML::Node &Item : N) {
        std::string Glob;
        if (Error Err = Reader.value<std::string>(Item, Glob, parseUnitPattern))
          return Err;
        Field.push_back(std::move(Glob));
      }
      return Error::success();
    };
  };
  // The style is parsed once the section prefix it carries is known.
  std::optional<YAML::Node> StyleNode, SectionNode, RegionNode;
  auto Remember = [](std::optional<YAML::Node> &Kept) -> FieldReader {
    return [&Kept](const YAML::Node &N) -> Error {
      Kept = N;
      return Error::success();
    };
  };

  Error Err = Reader.map(
      *Root, "the config",
      {{"elf", Text(C.Elf)},
       {"map", Text(C.Map)},
       {"objects", Text(C.Objects)},
       {"samples",
        [&](const YAML::Node &N) { return Reader.texts(N, C.Samples); }},
       {"budget", Parsed(C.Budget, parseBudget)},
       {"memory_map", Text(C.MemoryMap)},
       {"search_dirs",
        [&](const YAML::Node &N) { return Reader.texts(N, C.SearchDirs); }},
       {"region",
        [&](const YAML::Node &N) {
          RegionNode = N;
          return Reader.text(N, C.Region);
        }},
       {"reserve", Parsed(C.Reserve,
                          [](StringRef Text) -> Expected<std::string> {
                            if (Expected<uint64_t> Size = parseSize(Text);
                                !Size)
                              return Size.takeError();
                            return Text.str();
                          })},
       {"pins", Patterns(C.Pins)},
       {"excludes", Patterns(C.Excludes)},
       {"must_run_from_ram",
        [&](const YAML::Node &N) {
          auto Indirect = [&](const YAML::Node &List) -> Error {
            if (!List.IsSequence())
              return Reader.error(List, "expected a list");
            for (const YAML::Node &Item : List) {
              std::string Spec;
              if (Error Err = Reader.value<std::string>(Item, Spec,
                                                        parseIndirectTargets))
                return Err;
              C.Roots.Indirect.push_back(std::move(Spec));
            }
            return Error::success();
          };
          return Reader.map(
              N, "must_run_from_ram",
              {{"keep_sections", Patterns(C.Roots.KeepSections)},
               {"keep_reachable", Patterns(C.Roots.KeepReachable)},
               {"not_a_root", Patterns(C.Roots.NotARoot)},
               {"indirect", Indirect}});
        }},
       {"min_samples", Number(C.MinSamples)},
       {"flash_ram_ratio", Parsed(C.FlashRamRatio, parseFlashRamRatio)},
       {"annotate",
        [&](const YAML::Node &N) {
          return Reader.map(N, "annotate",
                            {{"style", Remember(StyleNode)},
                             {"section", Remember(SectionNode)},
                             {"sync",
                              [&](const YAML::Node &V) {
                                return Reader.boolean(V, C.AnnotateSync);
                              }},
                             {"compile_commands", Text(C.CompileCommands)},
                             {"scope",
                              [&](const YAML::Node &V) {
                                return Reader.texts(V, C.AnnotateScope);
                              }},
                             {"source_root", Text(C.SourceRoot)}});
        }},
       {"outputs",
        [&](const YAML::Node &N) {
          return Reader.map(
              N, "outputs",
              {{"plan", Text(C.Plan)},
               {"fragment", Text(C.Fragment)},
               {"fragment_style", Parsed(C.FragmentKind, parseFragmentStyle)},
               {"load_region", Parsed(C.LoadRegion, parseRegionName)},
               {"patch", Text(C.Patch)},
               {"report", Text(C.Report)}});
        }}},
      {"elf"});
  if (Err)
    return Err;
  std::string Section = C.Style.Section;
  if (SectionNode)
    if (Error Err = Reader.value<std::string>(*SectionNode, Section,
                                              parseSectionPrefix))
      return Err;
  C.Style.Section = Section;
  if (StyleNode)
    if (Error Err = Reader.value<AnnotationStyle>(
            *StyleNode, C.Style, [&](StringRef Spec) {
              return AnnotationStyle::parse(Spec, Section);
            }))
      return Err;
  resolvePaths(C);
  // A region the memory map lacks is the config's mistake, said at its line
  // before any step runs (a step would name the script). A script that
  // cannot be read is left to the steps, which say why.
  if (RegionNode && !C.MemoryMap.empty() &&
      !StringRef(C.Region).contains('=')) {
    Expected<std::vector<MemoryRegion>> Regions =
        readMemoryRegions(C.MemoryMap, C.SearchDirs);
    if (!Regions) {
      consumeError(Regions.takeError());
    } else if (llvm::none_of(*Regions, [&](const MemoryRegion &R) {
                 return R.Name == C.Region;
               })) {
      std::vector<std::string> Names;
      for (const MemoryRegion &R : *Regions)
        Names.push_back(R.Name);
      return Reader.error(*RegionNode, "no MEMORY region '" + C.Region +
                                           "' in '" + C.MemoryMap +
                                           "' (it has " + join(Names, ", ") +
                                           ")");
    }
  }
  return C;
}

Expected<Config> readConfig(StringRef Path) {
  Expected<std::unique_ptr<MemoryBuffer>> Buffer = readInputFile(Path);
  if (!Buffer)
    return Buffer.takeError();
  return parseConfig(Path, (*Buffer)->getBuffer());
}

PlanStepOptions planStepOptions(const Config &C) {
  PlanStepOptions O;
  O.Input.Elf = C.Elf;
  O.Input.Samples = C.Samples;
  O.Map = C.Map;
  O.Budget = {C.Budget, C.MemoryMap, C.Region, C.Reserve, C.SearchDirs};
  O.Pins = C.Pins;
  O.Excludes = C.Excludes;
  O.Roots = C.Roots;
  O.MinSamples = C.MinSamples;
  O.Model.FlashRamRatio = C.FlashRamRatio;
  O.PlanOutput = C.Plan;
  O.TextReport = C.Report;
  return O;
}

LdscriptStepOptions ldscriptStepOptions(const Config &C) {
  LdscriptStepOptions O;
  O.Plan = C.Plan;
  // With both, the objects win: they exist before the link that writes
  // the map.
  if (C.Objects.empty())
    O.Map = C.Map;
  O.ObjectsDir = C.Objects;
  O.Fragment.Style = C.FragmentKind;
  O.Fragment.Region = C.Region.empty() ? "RAM" : C.Region;
  O.Fragment.LoadRegion = C.LoadRegion;
  O.Fragment.PlanName = sys::path::filename(C.Plan).str();
  O.Output = C.Fragment;
  // The memory map is the link's script in the documented setups: the
  // fragment is checked against it when it holds output sections.
  O.Script = C.MemoryMap;
  O.SearchDirs = C.SearchDirs;
  O.MemoryOnlyScriptPasses = true;
  return O;
}

AnnotateStepOptions annotateStepOptions(const Config &C) {
  AnnotateStepOptions O;
  O.Plan = C.Plan;
  O.Annotation.BuildDir = C.CompileCommands;
  O.Annotation.SourceRoot = C.SourceRoot;
  O.Annotation.Style = C.Style;
  O.Annotation.Sync = C.AnnotateSync;
  O.Annotation.Scope = C.AnnotateScope;
  O.PatchOutput = C.Patch;
  return O;
}

CheckStepOptions checkStepOptions(const Config &C) {
  CheckStepOptions O;
  O.Plan = C.Plan;
  O.Elf = C.Elf;
  O.MemoryMap = C.MemoryMap;
  O.Region = C.Region;
  O.SearchDirs = C.SearchDirs;
  return O;
}

} // namespace ramfit
