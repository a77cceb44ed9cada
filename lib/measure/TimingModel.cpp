#include "measure/TimingModel.h"
#include "firmware/MemoryMap.h"
#include "support/Diagnostics.h"
#include "support/YamlReader.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace ramfit {

namespace {

class TimingReader : public YamlReader {
public:
  using YamlReader::YamlReader;

  Error model(const YAML::Node &Root, TimingModel &M) const {
    return map(Root, "timing model",
               {{"name", [&](auto &V) { return text(V, M.Name); }},
                {"instruction-cycles",
                 [&](auto &V) { return number(V, M.InstructionCycles); }},
                {"ram", [&](auto &V) { return text(V, M.Ram); }},
                {"regions", [&](auto &V) { return regions(V, M.Regions); }}},
               {"regions"});
  }

private:
  Error size(const YAML::Node &Node, uint64_t &Out) const {
    return value<uint64_t>(Node, Out, parseSize);
  }

  Error regions(const YAML::Node &Node, std::vector<TimingRegion> &Out) const {
    if (!Node.IsSequence() || Node.size() == 0)
      return error(Node, "'regions' must be a list of at least one region");
    for (const YAML::Node &Item : Node) {
      TimingRegion R;
      if (Error Err =
              map(Item, "region",
                  {{"name", [&](auto &V) { return text(V, R.Name); }},
                   {"origin", [&](auto &V) { return size(V, R.Origin); }},
                   {"length", [&](auto &V) { return size(V, R.Length); }},
                   {"fetch", [&](auto &V) { return number(V, R.Fetch); }},
                   {"load", [&](auto &V) { return number(V, R.Load); }},
                   {"store", [&](auto &V) { return number(V, R.Store); }},
                   {"cache", [&](auto &V) { return cache(V, R.Cache); }}},
                  {"name", "origin", "length"}))
        return Err;
      // The name travels in the plugin's comma- and colon-separated
      // arguments.
      if (R.Name.empty() || !all_of(R.Name, [](char C) {
            return isAlnum(C) || C == '_' || C == '-' || C == '.';
          }))
        return error(Item, "a region name is letters, digits, '_', '-' and "
                           "'.', not '" +
                               R.Name + "'");
      if (R.Length == 0 || R.Origin + R.Length < R.Origin)
        return error(Item, "region '" + R.Name +
                               "' must have a length that fits the "
                               "address space");
      for (const TimingRegion &Other : Out) {
        if (Other.Name == R.Name)
          return error(Item, "a second region named '" + R.Name + "'");
        if (R.Origin < Other.Origin + Other.Length &&
            Other.Origin < R.Origin + R.Length)
          return error(Item, "region '" + R.Name + "' overlaps region '" +
                                 Other.Name + "'");
      }
      Out.push_back(std::move(R));
    }
    return Error::success();
  }

  Error cache(const YAML::Node &Node, std::optional<TimingCache> &Out) const {
    TimingCache C;
    if (Error Err =
            map(Node, "cache",
                {{"size", [&](auto &V) { return size(V, C.Size); }},
                 {"line", [&](auto &V) { return size(V, C.LineBytes); }},
                 {"ways", [&](auto &V) { return number(V, C.Ways); }},
                 {"fill", [&](auto &V) { return number(V, C.FillCycles); }}},
                {"size", "line", "fill"}))
      return Err;
    if (C.LineBytes == 0 || C.Ways == 0 || C.Size < C.LineBytes * C.Ways ||
        C.Size % (C.LineBytes * C.Ways) != 0)
      return error(Node, "a cache's size must be a multiple of line times "
                         "ways, and neither may be 0");
    Out = C;
    return Error::success();
  }
};

} // namespace

Expected<TimingModel> parseTimingModel(StringRef Path, StringRef Content) {
  TimingReader Reader(Path);
  Expected<YAML::Node> Root = Reader.load(Content);
  if (!Root)
    return Root.takeError();
  TimingModel Model;
  if (Error Err = Reader.model(*Root, Model))
    return Err;
  if (Model.Name.empty())
    Model.Name = sys::path::stem(Path).str();
  if (!Model.Ram.empty() && none_of(Model.Regions, [&](const TimingRegion &R) {
        return R.Name == Model.Ram;
      }))
    return Reader.error((*Root)["ram"],
                        "'ram' names no region: '" + Model.Ram + "'");
  return Model;
}

Expected<TimingModel> readTimingModel(StringRef Spec, StringRef PresetDir) {
  std::string Path = Spec.str();
  if (!sys::fs::exists(Path) && !Spec.contains('/') && !Spec.contains('.')) {
    SmallString<256> Preset(PresetDir);
    sys::path::append(Preset, Spec + ".yaml");
    if (!sys::fs::exists(Preset))
      return inputError(Spec, "neither a timing file nor a preset in '" +
                                  PresetDir + "'");
    Path = std::string(Preset);
  }
  Expected<std::unique_ptr<MemoryBuffer>> Buffer = readInputFile(Path);
  if (!Buffer)
    return Buffer.takeError();
  return parseTimingModel(Path, (*Buffer)->getBuffer());
}

Error placeRegion(TimingModel &Model, StringRef Spec) {
  auto [Name, Place] = Spec.split('=');
  auto [OriginText, LengthText] = Place.split(',');
  auto Fail = [&](const Twine &Why) {
    return createStringError(inconvertibleErrorCode(),
                             "--region '" + Spec + "': " + Why);
  };
  auto Region = find_if(Model.Regions, [&, Name = Name](const TimingRegion &R) {
    return R.Name == Name;
  });
  if (Region == Model.Regions.end())
    return Fail("the timing model '" + Model.Name + "' has no region '" + Name +
                "'");
  Expected<uint64_t> Origin = parseSize(OriginText);
  if (!Origin)
    return Fail(toString(Origin.takeError()));
  Expected<uint64_t> Length = parseSize(LengthText);
  if (!Length)
    return Fail(toString(Length.takeError()) +
                " (expected NAME=ORIGIN,LENGTH)");
  if (*Length == 0)
    return Fail("the length must not be 0");
  Region->Origin = *Origin;
  Region->Length = *Length;
  for (const TimingRegion &Other : Model.Regions)
    if (&Other != &*Region && *Origin < Other.Origin + Other.Length &&
        Other.Origin < *Origin + *Length)
      return Fail("it would overlap region '" + Other.Name + "'");
  return Error::success();
}

std::vector<std::string> pluginArguments(const TimingModel &Model) {
  std::vector<std::string> Arguments{"instruction=" +
                                     utostr(Model.InstructionCycles)};
  for (const TimingRegion &R : Model.Regions) {
    Arguments.push_back("region=" + R.Name + ":0x" + utohexstr(R.Origin) +
                        ":0x" + utohexstr(R.Length) + ":" + utostr(R.Fetch) +
                        ":" + utostr(R.Load) + ":" + utostr(R.Store));
    if (R.Cache)
      Arguments.push_back("cache=" + R.Name + ":" + utostr(R.Cache->Size) +
                          ":" + utostr(R.Cache->LineBytes) + ":" +
                          utostr(R.Cache->Ways) + ":" +
                          utostr(R.Cache->FillCycles));
  }
  if (!Model.Ram.empty())
    Arguments.push_back("ram=" + Model.Ram);
  return Arguments;
}

} // namespace ramfit
