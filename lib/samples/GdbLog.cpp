#include "samples/GdbLog.h"
#include "samples/AddressRecords.h"
#include "samples/GdbLines.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include <memory>
#include <vector>

using namespace llvm;

namespace ramfit {

namespace {

/// A wrapped line longer than this is not waited for any more.
constexpr size_t MaxJoinedLine = 16 * 1024;

class GdbLogParser : public LineParser {
public:
  GdbLogParser(SampleFile &Out, DiagnosticHandler Diag)
      : Out(Out), Diag(Diag) {}

  Error consume(StringRef RawLine, unsigned LineNumber) override {
    StringRef Line = stripPrompts(RawLine);
    if (!Pending.empty()) {
      // A terminal wraps long frames; the rest of one is indented.
      if (Line.startswith(" ") || Line.startswith("\t")) {
        Pending += ' ';
        Pending += Line.trim().str();
        if (dispatch(Pending, PendingLine) == Parsed::Complete)
          Pending.clear();
        else if (Pending.size() > MaxJoinedLine)
          dropPending();
        return Error::success();
      }
      dropPending();
    }
    if (FileMayFollow && takeWrappedFile(Line))
      return Error::success();
    FileMayFollow = false;
    if (!Line.empty() && dispatch(Line, LineNumber) == Parsed::Incomplete) {
      Pending = Line.str();
      PendingLine = LineNumber;
    }
    return Error::success();
  }

  Error finish() override {
    if (!Pending.empty())
      dropPending();
    flushSample();
    Records.moveInto(Out);
    if (NotUnderstood)
      warning(Diag,
              location(Out.Path, FirstNotUnderstood) + Twine(NotUnderstood) +
                  " line(s) not understood and skipped, this being the first");
    return Error::success();
  }

private:
  enum class Parsed { Complete, Incomplete };

  Parsed dispatch(StringRef Line, unsigned LineNumber) {
    CurrentLine = LineNumber;
    bool AfterInterruption = std::exchange(JustInterrupted, false);
    // By the first byte: this runs for every line of logs of millions.
    switch (Line.front()) {
    case '$':
      consumeValue(Line);
      return Parsed::Complete;
    case '=':
      if (!Line.startswith("=> "))
        break;
      takePc(parseInstructionLine(Line));
      return Parsed::Complete;
    case 'p':
      if (!Line.startswith("pc ") && !Line.startswith("pc\t"))
        break;
      if (std::optional<PcText> Pc = parseRegisterLine(Line))
        takePc(*Pc);
      else
        noteNotUnderstood(CurrentLine);
      return Parsed::Complete;
    case 'P':
      if (!isInterruption(Line))
        break;
      flushSample();
      SawInterruption = JustInterrupted = true;
      return Parsed::Complete;
    }
    return dispatchLocation(Line, AfterInterruption);
  }

  Parsed dispatchLocation(StringRef Line, bool AfterInterruption) {
    if (Line.size() > 1 && Line[0] == '#' && isDigit(Line[1]))
      return consumeFrame(Line);
    if (isNoise(Line) || Line.startswith(" ") || Line.startswith("\t"))
      return Parsed::Complete;
    if (std::optional<Location> Stop = parseLocation(Line)) {
      consumeStop(*Stop);
      return Parsed::Complete;
    }
    if (AfterInterruption)
      return Parsed::Incomplete;
    noteNotUnderstood(CurrentLine);
    return Parsed::Complete;
  }

  void consumeValue(StringRef Line) {
    ValueLine Value = parseValueLine(Line);
    if (Value.Kind == ValueLine::NotUnderstood)
      noteNotUnderstood(CurrentLine);
    else if (Value.Kind == ValueLine::CodeAddress)
      takePc(Value.Pc);
  }

  void takePc(const PcText &Text) {
    StringRef SymbolPart = Text.Symbol;
    std::optional<uint64_t> Address = parseHex(Text.Address);
    std::optional<SymbolText> Symbol;
    if (!SymbolPart.empty())
      Symbol = parseSymbolText(SymbolPart);
    if (!Address || (!SymbolPart.empty() && !Symbol)) {
      noteNotUnderstood(CurrentLine);
      return;
    }
    // One sample shown by several commands ('p $pc' and 'x/i $pc') is one
    // sample; without interruption lines each PC is a sample of its own.
    if (Pc && !(SawInterruption && *Pc == *Address))
      flushSample();
    bool SamePc = Pc.has_value();
    Pc = Address;
    // An offset past 4 GiB is no function's code: gdb named the nearest
    // symbol far below, which says nothing of the build.
    if (!Symbol || SamePc || Symbol->Offset > UINT32_MAX)
      return;
    // gdb names an address the same way every time: its text is read once,
    // now, while the line is still in the reader's buffer.
    AddressRecord &Record = Records.of(*Address);
    if (Record.Symbol.Count++ == 0) {
      Record.Symbol.Symbol = Out.Names->save(Symbol->Symbol);
      Record.Symbol.Offset = Symbol->Offset;
      Record.Symbol.Line = CurrentLine;
    }
  }

  void consumeStop(const Location &Stop) {
    if (StopFrame || Pc || !Backtrace.empty())
      flushSample();
    FileMayFollow = Stop.File.empty();
    StopFrame.emplace();
    StopFrame->Address = Stop.Address;
    StopFrame->Function.assign(Stop.Function.begin(), Stop.Function.end());
    StopFrame->SourceFile.assign(Stop.File.begin(), Stop.File.end());
    if (Stop.Address)
      hintPcFunction(*Stop.Address, Stop.Function);
  }

  /// "#1  0x8001828c in fun_bc_call (...) at ../../py/objfun.c:294". A
  /// frame without an address after frame 0 is the caller that the frame
  /// before it was inlined into: the same code, one level out.
  Parsed consumeFrame(StringRef Line) {
    StringRef Rest = Line.drop_front(1);
    size_t Digits = leadingDigits(Rest);
    unsigned Index;
    if (Digits == Rest.size() ||
        Rest.take_front(Digits).getAsInteger(10, Index))
      return Parsed::Incomplete;
    StringRef Text = Rest.drop_front(Digits).ltrim();
    bool SignalHandler = Text == "<signal handler called>";
    std::optional<Location> Where;
    if (!SignalHandler) {
      Where = parseLocation(Text);
      if (!Where)
        return Parsed::Incomplete;
    }
    if (Index == 0 && NextFrameIndex != 0)
      flushSample();
    if (Index != NextFrameIndex) {
      // A frame out of order: the backtrace was cut (a 'Quit'); what was
      // read of it still counts.
      flushSample();
      if (Index != 0)
        return Parsed::Complete;
    }
    NextFrameIndex = Index + 1;
    if (SignalHandler) {
      // Not code of the firmware; the frame after it is a real caller.
      InlineCallerPossible = false;
      return Parsed::Complete;
    }
    if (!Where->Address && Index > 0 && InlineCallerPossible) {
      Backtrace.back().Function = Out.Names->save(Where->Function);
      Backtrace.back().SourceFile = Out.Names->save(Where->File);
      FileMayFollow = Where->File.empty();
      return Parsed::Complete;
    }
    if (Where->Address && Index == 0)
      hintPcFunction(*Where->Address, Where->Function);
    else if (Where->Address && !Where->Function.empty())
      hintFunction(Out.CallerFunctionHints[*Where->Address], Where->Function);
    Backtrace.push_back(Frame{Where->Address, Out.Names->save(Where->Function),
                              Out.Names->save(Where->File)});
    InlineCallerPossible = true;
    FileMayFollow = Where->File.empty();
    return Parsed::Complete;
  }

  void hintFunction(FunctionHint &Hint, StringRef Function) {
    if (Hint.Count++ == 0) {
      Hint.Function = Out.Names->save(Function);
      Hint.Line = CurrentLine;
    }
  }

  /// A terminal may wrap a frame just before its "at FILE:LINE".
  bool takeWrappedFile(StringRef Line) {
    StringRef Rest = Line.ltrim();
    if (Rest.size() == Line.size() || !Rest.consume_front("at "))
      return false;
    auto [File, Number] = Rest.rtrim().rsplit(':');
    unsigned LineNumber;
    if (File.empty() || Number.getAsInteger(10, LineNumber))
      return false;
    if (!Backtrace.empty())
      Backtrace.back().SourceFile = Out.Names->save(File);
    else if (StopFrame)
      StopFrame->SourceFile.assign(File.begin(), File.end());
    FileMayFollow = false;
    return true;
  }

  /// The stop line and frame 0 name the same PC: once a sample.
  void hintPcFunction(uint64_t Address, StringRef Function) {
    if (!std::exchange(PcFunctionHinted, true) && !Function.empty())
      hintFunction(Records.of(Address).Function, Function);
  }

  void dropPending() {
    noteNotUnderstood(PendingLine);
    Pending.clear();
  }

  void noteNotUnderstood(unsigned LineNumber) {
    if (NotUnderstood++ == 0)
      FirstNotUnderstood = LineNumber;
  }

  void flushSample() {
    std::optional<uint64_t> Address = Pc;
    if (!Address && StopFrame)
      Address = StopFrame->Address;
    if (!Backtrace.empty()) {
      if (!Backtrace.front().Address)
        Backtrace.front().Address = Address;
      Out.Stacks.add(Backtrace);
      ++Out.SampleCount;
    } else if (Address) {
      ++Records.of(*Address).PcCount;
    } else if (StopFrame && !StopFrame->Function.empty()) {
      Out.Stacks.add(Frame{StopFrame->Address,
                           Out.Names->save(StopFrame->Function),
                           Out.Names->save(StopFrame->SourceFile)});
      ++Out.SampleCount;
    }
    Backtrace.clear();
    StopFrame.reset();
    Pc.reset();
    NextFrameIndex = 0;
    InlineCallerPossible = false;
    PcFunctionHinted = false;
  }

  SampleFile &Out;
  DiagnosticHandler Diag;
  AddressRecords Records;
  std::optional<uint64_t> Pc;
  /// Where the target stopped, its names in the line's own text until the
  /// sample turns out to be that stop alone: most samples have a PC too, and
  /// their stop is never kept.
  struct StopLine {
    std::optional<uint64_t> Address;
    std::string Function;
    std::string SourceFile;
  };
  std::optional<StopLine> StopFrame;
  Stack Backtrace;
  unsigned NextFrameIndex = 0;
  bool InlineCallerPossible = false;
  bool PcFunctionHinted = false;
  bool FileMayFollow = false;
  bool SawInterruption = false;
  bool JustInterrupted = false;
  std::string Pending;
  unsigned PendingLine = 0;
  unsigned CurrentLine = 0;
  unsigned NotUnderstood = 0;
  unsigned FirstNotUnderstood = 0;
};

} // namespace

std::unique_ptr<LineParser> makeGdbLogParser(SampleFile &Out,
                                             DiagnosticHandler Diag) {
  return std::make_unique<GdbLogParser>(Out, Diag);
}

} // namespace ramfit
