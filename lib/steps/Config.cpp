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

namespace {

/// ramfit.yaml's keys, each read into its field of a Config.
class ConfigReader {
public:
  ConfigReader(const YamlReader &Reader, Config &C) : Reader(Reader), C(C) {}

  Error read(const YAML::Node &Root) {
    return Reader.map(
        Root, "the config",
        {{"elf", text(C.Elf)},
         {"map", text(C.Map)},
         {"objects", text(C.Objects)},
         {"samples", texts(C.Samples)},
         {"budget", parsed(C.Budget, parseBudget)},
         {"memory_map", text(C.MemoryMap)},
         {"search_dirs", texts(C.SearchDirs)},
         {"region",
          [&](const YAML::Node &N) {
            RegionNode = N;
            return Reader.text(N, C.Region);
          }},
         {"reserve", parsed(C.Reserve, parseReserve)},
         {"pins", patterns(C.Pins)},
         {"excludes", patterns(C.Excludes)},
         {"must_run_from_ram",
          [&](const YAML::Node &N) { return mustRunFromRam(N); }},
         {"min_samples", number(C.MinSamples)},
         {"flash_ram_ratio", parsed(C.FlashRamRatio, parseFlashRamRatio)},
         {"annotate", [&](const YAML::Node &N) { return annotate(N); }},
         {"outputs", [&](const YAML::Node &N) { return outputs(N); }}},
        {"elf"});
  }

  /// The style is parsed once the section prefix it carries is known.
  Error resolveStyle() {
    std::string Section = C.Style.Section;
    if (SectionNode)
      if (Error Err = Reader.value<std::string>(*SectionNode, Section,
                                                parseSectionPrefix))
        return Err;
    C.Style.Section = Section;
    if (!StyleNode)
      return Error::success();
    return Reader.value<AnnotationStyle>(
        *StyleNode, C.Style,
        [&](StringRef Spec) { return AnnotationStyle::parse(Spec, Section); });
  }

  /// A region the memory map lacks is the config's mistake, said at its
  /// line before any step runs (a step would name the script). A script
  /// that cannot be read is left to the steps, which say why. Paths must be
  /// resolved first.
  Error checkRegionIsInTheMemoryMap() const {
    if (!RegionNode || C.MemoryMap.empty() || StringRef(C.Region).contains('='))
      return Error::success();
    Expected<std::vector<MemoryRegion>> Regions =
        readMemoryRegions(C.MemoryMap, C.SearchDirs);
    if (!Regions) {
      consumeError(Regions.takeError());
      return Error::success();
    }
    if (llvm::any_of(*Regions,
                     [&](const MemoryRegion &R) { return R.Name == C.Region; }))
      return Error::success();
    std::vector<std::string> Names;
    for (const MemoryRegion &R : *Regions)
      Names.push_back(R.Name);
    return Reader.error(*RegionNode, "no MEMORY region '" + C.Region +
                                         "' in '" + C.MemoryMap + "' (it has " +
                                         join(Names, ", ") + ")");
  }

private:
  using FieldReader = std::function<Error(const YAML::Node &)>;

  FieldReader text(std::string &Field) const {
    return
        [this, &Field](const YAML::Node &N) { return Reader.text(N, Field); };
  }
  FieldReader texts(std::vector<std::string> &Field) const {
    return
        [this, &Field](const YAML::Node &N) { return Reader.texts(N, Field); };
  }
  FieldReader number(double &Field) const {
    return
        [this, &Field](const YAML::Node &N) { return Reader.number(N, Field); };
  }
  /// A value checked by the parser its command-line option uses.
  template <typename T, typename ParseFn>
  FieldReader parsed(T &Field, ParseFn Parse) const {
    return [this, &Field, Parse](const YAML::Node &N) {
      return Reader.value<T>(N, Field, Parse);
    };
  }
  /// A list, each item checked by Parse.
  template <typename ParseFn>
  FieldReader list(std::vector<std::string> &Field, ParseFn Parse) const {
    return [this, &Field, Parse](const YAML::Node &N) -> Error {
      if (!N.IsSequence())
        return Reader.error(N, "expected a list");
      for (const YAML::Node &Item : N) {
        std::string Value;
        if (Error Err = Reader.value<std::string>(Item, Value, Parse))
          return Err;
        Field.push_back(std::move(Value));
      }
      return Error::success();
    };
  }
  FieldReader patterns(std::vector<std::string> &Field) const {
    return list(Field, parseUnitPattern);
  }
  FieldReader remember(std::optional<YAML::Node> &Kept) const {
    return [&Kept](const YAML::Node &N) -> Error {
      Kept = N;
      return Error::success();
    };
  }

  static Expected<std::string> parseReserve(StringRef Text) {
    if (Expected<uint64_t> Size = parseSize(Text); !Size)
      return Size.takeError();
    return Text.str();
  }

  Error mustRunFromRam(const YAML::Node &N) {
    return Reader.map(
        N, "must_run_from_ram",
        {{"keep_sections", patterns(C.Roots.KeepSections)},
         {"keep_reachable", patterns(C.Roots.KeepReachable)},
         {"not_a_root", patterns(C.Roots.NotARoot)},
         {"indirect", list(C.Roots.Indirect, parseIndirectTargets)}});
  }

  Error annotate(const YAML::Node &N) {
    return Reader.map(N, "annotate",
                      {{"style", remember(StyleNode)},
                       {"section", remember(SectionNode)},
                       {"sync",
                        [&](const YAML::Node &V) {
                          return Reader.boolean(V, C.AnnotateSync);
                        }},
                       {"compile_commands", text(C.CompileCommands)},
                       {"scope", texts(C.AnnotateScope)},
                       {"source_root", text(C.SourceRoot)}});
  }

  Error outputs(const YAML::Node &N) {
    return Reader.map(
        N, "outputs",
        {{"plan", text(C.Plan)},
         {"fragment", text(C.Fragment)},
         {"fragment_style", parsed(C.FragmentKind, parseFragmentStyle)},
         {"load_region", parsed(C.LoadRegion, parseRegionName)},
         {"patch", text(C.Patch)},
         {"report", text(C.Report)}});
  }

  const YamlReader &Reader;
  Config &C;
  std::optional<YAML::Node> StyleNode, SectionNode, RegionNode;
};

} // namespace

Expected<Config> parseConfig(StringRef Path, StringRef Content) {
  YamlReader Reader(Path);
  Expected<YAML::Node> Root = Reader.load(Content);
  if (!Root)
    return Root.takeError();
  Config C;
  C.Path = Path.str();
  C.Text = Content.str();
  ConfigReader Keys(Reader, C);
  if (Error Err = Keys.read(*Root))
    return Err;
  if (Error Err = Keys.resolveStyle())
    return Err;
  resolvePaths(C);
  if (Error Err = Keys.checkRegionIsInTheMemoryMap())
    return Err;
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
  O.Budget.Size = C.Budget;
  O.Budget.Script = C.MemoryMap;
  O.Budget.Region = C.Region;
  O.Budget.Reserve = C.Reserve;
  O.Budget.SearchDirs = C.SearchDirs;
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
