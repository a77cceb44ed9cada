#include "samples/CycleProfile.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include <functional>

using namespace llvm;

namespace ramfit {

const CycleRegion *CycleProfile::ramRegion() const {
  for (const CycleRegion &R : Regions)
    if (R.Name == Ram)
      return &R;
  return nullptr;
}

/// Stall cycles less what Accesses would stall in the RAM region.
static uint64_t savedIn(const CycleRegion *Ram, uint64_t Address,
                        uint64_t Stall, uint64_t Accesses,
                        uint64_t CycleRegion::*RamStall) {
  if (!Ram)
    return Stall;
  if (Address >= Ram->Origin && Address - Ram->Origin < Ram->Length)
    return 0;
  uint64_t InRam = Accesses * (Ram->*RamStall);
  return Stall > InRam ? Stall - InRam : 0;
}

uint64_t CycleProfile::fetchSavedInRam(const CycleRow &Row) const {
  return savedIn(ramRegion(), Row.Address, Row.FetchStall, Row.Executions,
                 &CycleRegion::FetchStall);
}

uint64_t CycleProfile::loadSavedInRam(const CycleRow &Row) const {
  return savedIn(ramRegion(), Row.Address, Row.LoadStall, Row.Loads,
                 &CycleRegion::LoadStall);
}

namespace {

/// "KEY=NUMBER" fields after a header line's keyword, every key required.
bool readFields(StringRef Text,
                std::initializer_list<std::pair<StringRef, uint64_t *>> Keys) {
  SmallVector<StringRef, 8> Fields;
  Text.split(Fields, ' ', -1, /*KeepEmpty=*/false);
  for (auto [Key, Out] : Keys) {
    bool Found = false;
    for (StringRef Field : Fields) {
      auto [Name, Value] = Field.split('=');
      if (Name == Key) {
        Found = !Value.getAsInteger(0, *Out);
        break;
      }
    }
    if (!Found)
      return false;
  }
  return true;
}

/// Reads the header into Profile and hands each row to OnRow; finish()
/// checks the rows against the totals.
class CycleProfileReader : public LineParser {
public:
  CycleProfileReader(StringRef Path, CycleProfile &Profile,
                     std::function<void(const CycleRow &)> OnRow)
      : Path(Path.str()), Profile(Profile), OnRow(std::move(OnRow)) {}

  Error consume(StringRef Line, unsigned Number) override {
    Line = Line.trim();
    if (Number == 1 || !SawMagic) {
      if (Line != CycleProfileMagic)
        return inputError(Path, Number,
                          "not a cycle profile: it must start with '" +
                              CycleProfileMagic + "'");
      SawMagic = true;
      return Error::success();
    }
    if (Line.consume_front("#"))
      return header(Line.trim(), Number);
    if (!SawTotals)
      return inputError(Path, Number, "a row before the '# totals' line");
    SmallVector<StringRef, 6> Fields;
    Line.split(Fields, ' ', -1, /*KeepEmpty=*/false);
    CycleRow Row;
    if (Fields.size() != 6 || Fields[0].getAsInteger(0, Row.Address) ||
        Fields[1].getAsInteger(10, Row.Executions) ||
        Fields[2].getAsInteger(10, Row.FetchStall) ||
        Fields[3].getAsInteger(10, Row.DataStall) ||
        Fields[4].getAsInteger(10, Row.Loads) ||
        Fields[5].getAsInteger(10, Row.LoadStall))
      return inputError(Path, Number,
                        "expected 'ADDRESS EXECUTIONS FETCH-STALL "
                        "DATA-STALL LOADS LOAD-STALL', got '" +
                            Line.take_front(80) + "'");
    Sums.Instructions += Row.Executions;
    Sums.FetchStall += Row.FetchStall;
    Sums.DataStall += Row.DataStall;
    LoadStall += Row.LoadStall;
    OnRow(Row);
    return Error::success();
  }

  Error finish() override {
    if (!SawMagic)
      return inputError(Path, "not a cycle profile: the file is empty");
    if (!SawTotals)
      return inputError(Path, "no '# totals' line: the run did not finish "
                              "writing its profile");
    const CycleTotals &T = Profile.Totals;
    if (Sums.Instructions != T.Instructions ||
        Sums.FetchStall != T.FetchStall || Sums.DataStall != T.DataStall ||
        LoadStall > T.DataStall ||
        T.Cycles != T.Instructions * Profile.InstructionCycles + T.FetchStall +
                        T.DataStall)
      return inputError(Path, TotalsLine,
                        "the rows do not add up to the totals (" +
                            Twine(Sums.Instructions) + " instructions, " +
                            Twine(Sums.FetchStall) + " fetch and " +
                            Twine(Sums.DataStall) +
                            " data stall cycles): the file is cut or edited");
    if (!Profile.Ram.empty() && !Profile.ramRegion())
      return inputError(Path, "the RAM region '" + Profile.Ram +
                                  "' is none of the profile's regions");
    return Error::success();
  }

private:
  Error header(StringRef Line, unsigned Number) {
    auto [Keyword, Rest] = Line.split(' ');
    auto Bad = [&] {
      return inputError(Path, Number,
                        "malformed '# " + Keyword + "' line: '" +
                            Line.take_front(80) + "'");
    };
    if (Keyword == "instruction-cycles") {
      if (Rest.trim().getAsInteger(10, Profile.InstructionCycles))
        return Bad();
    } else if (Keyword == "region") {
      SmallVector<StringRef, 8> Fields;
      Rest.split(Fields, ' ', -1, /*KeepEmpty=*/false);
      CycleRegion Region;
      uint64_t Store;
      if (Fields.size() < 3 || Fields[1].getAsInteger(0, Region.Origin) ||
          Fields[2].getAsInteger(0, Region.Length) ||
          !readFields(Rest, {{"fetch", &Region.FetchStall},
                             {"load", &Region.LoadStall},
                             {"store", &Store}}))
        return Bad();
      Region.Name = Fields[0].str();
      Region.Cached = Fields.back() == "cached";
      Profile.Regions.push_back(std::move(Region));
    } else if (Keyword == "ram") {
      Profile.Ram = Rest.trim().str();
    } else if (Keyword == "totals") {
      CycleTotals &T = Profile.Totals;
      if (!readFields(Rest, {{"instructions", &T.Instructions},
                             {"cycles", &T.Cycles},
                             {"fetch-stall", &T.FetchStall},
                             {"data-stall", &T.DataStall}}))
        return Bad();
      SawTotals = true;
      TotalsLine = Number;
    }
    // Any other '#' line is a comment, such as the column names.
    return Error::success();
  }

  std::string Path;
  CycleProfile &Profile;
  std::function<void(const CycleRow &)> OnRow;
  bool SawMagic = false;
  bool SawTotals = false;
  unsigned TotalsLine = 0;
  CycleTotals Sums;
  uint64_t LoadStall = 0;
};

/// The profile as samples: it owns the header it reads, and counts each
/// row's saving into the sample file.
class CycleSampleParser : public LineParser {
public:
  explicit CycleSampleParser(SampleFile &Out)
      : Out(Out), Reader(Out.Path, Profile, [this](const CycleRow &Row) {
          if (uint64_t Saved = Profile.fetchSavedInRam(Row))
            countPc(this->Out, Row.Address, Saved);
          if (uint64_t Saved = Profile.loadSavedInRam(Row)) {
            this->Out.CodeDataCounts[Row.Address] += Saved;
            this->Out.SampleCount += Saved;
          }
        }) {}

  Error consume(StringRef Line, unsigned Number) override {
    return Reader.consume(Line, Number);
  }
  Error finish() override {
    if (Error Err = Reader.finish())
      return Err;
    Out.ModelledCycles += Profile.Totals.Cycles;
    if (Out.SampleCount == 0)
      return inputError(Out.Path,
                        "no code of this run stalls on fetches that RAM "
                        "would save: there is nothing to plan");
    return Error::success();
  }

private:
  SampleFile &Out;
  CycleProfile Profile;
  CycleProfileReader Reader;
};

} // namespace

Expected<CycleProfile> parseCycleProfile(StringRef Path, StringRef Content) {
  CycleProfile Profile;
  CycleProfileReader Reader(
      Path, Profile, [&](const CycleRow &Row) { Profile.Rows.push_back(Row); });
  LineSplitter Lines(Path, Reader);
  if (Error Err = Lines.feed(Content))
    return Err;
  if (Error Err = Lines.finish())
    return Err;
  return Profile;
}

std::unique_ptr<LineParser> makeCycleProfileParser(SampleFile &Out) {
  return std::make_unique<CycleSampleParser>(Out);
}

} // namespace ramfit
