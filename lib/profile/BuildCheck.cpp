#include "profile/BuildCheck.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include <map>

using namespace llvm;

namespace ramfit {

namespace {

/// gdb's "<symbol+offset>" for a PC agrees with the ELF when a symbol of
/// that name starts there, or the function holding the PC starts there and
/// gdb calls it by that name (a clone under its DWARF name). On Arm gdb
/// keeps the Thumb bit of some assembly symbols: its start is one byte on.
bool symbolHintAgrees(const Binary &Elf, uint64_t Address,
                      const SymbolHint &Hint) {
  if (Address < Hint.Offset)
    return false;
  uint64_t Start = Address - Hint.Offset;
  if (Elf.isArm())
    Start &= ~uint64_t(1);
  if (Elf.hasSymbolAt(Hint.Symbol, Start))
    return true;
  const FunctionInfo *Function = Elf.functionAt(Address);
  return Function && Function->Address == Start &&
         Elf.isKnownAs(Hint.Symbol, Address);
}

/// gdb named the functions at each sampled PC, and at each return address,
/// and printed "<symbol+offset>" for PCs. When those disagree with the ELF
/// for more than a few samples, the ELF is not the build that was sampled,
/// and the profile would be quietly wrong.
Error checkSameBuild(const Binary &Elf, const SampleFile &File,
                     DiagnosticHandler Diag, bool AllowMismatch) {
  constexpr uint64_t Tolerated = 3;
  constexpr size_t Examples = 3;
  // A sampled PC that gdb named twice (its stop line and its value) is one
  // sample: per address, the larger count and the first line.
  struct Disagreement {
    unsigned Line = ~0u;
    uint64_t Count = 0;
    std::string What;
  };
  std::map<uint64_t, Disagreement> AtPc, AtCaller;
  auto Disagree = [&](std::map<uint64_t, Disagreement> &Into, unsigned Line,
                      uint64_t Count, const Twine &Seen, uint64_t Address) {
    Disagreement &D = Into[Address];
    D.Count = std::max(D.Count, Count);
    if (D.What.empty())
      D.What = ("gdb saw " + Seen + " at 0x" + utohexstr(Address) +
                " where the ELF has " + Elf.describe(Address))
                   .str();
    D.Line = std::min(D.Line, Line);
  };
  for (const auto &[Address, Hint] : File.Hints)
    if (!symbolHintAgrees(Elf, Address, Hint))
      Disagree(AtPc, Hint.Line, Hint.Count,
               Hint.Symbol + "+" + Twine(Hint.Offset), Address);
  for (const auto &[Address, Hint] : File.PcFunctionHints)
    if (!Elf.isKnownAs(Hint.Function, Address))
      Disagree(AtPc, Hint.Line, Hint.Count, Twine(Hint.Function), Address);
  for (const auto &[Address, Hint] : File.CallerFunctionHints)
    if (Address && !Elf.isKnownAs(Hint.Function, Address - 1))
      Disagree(AtCaller, Hint.Line, Hint.Count, "a call from " + Hint.Function,
               Address - 1);
  // Callers are counted only where no PC was named: their samples are
  // those of the PCs.
  const std::map<uint64_t, Disagreement> &Found =
      AtPc.empty() && File.Hints.empty() && File.PcFunctionHints.empty()
          ? AtCaller
          : AtPc;
  uint64_t Mismatched = 0;
  std::vector<std::pair<unsigned, std::string>> Disagreeing; // line, what
  for (const auto &[Address, D] : Found) {
    Mismatched += D.Count;
    Disagreeing.emplace_back(D.Line, D.What);
  }
  if (!Mismatched)
    return Error::success();
  // The examples are the first in the file.
  llvm::sort(Disagreeing);
  unsigned FirstLine = Disagreeing.front().first;
  std::vector<std::string> Described;
  for (const auto &Entry : Disagreeing) {
    if (Described.size() == Examples)
      break;
    Described.push_back(Entry.second);
  }
  std::string Message = Twine(Mismatched)
                            .concat(" sample(s) disagree with '")
                            .concat(Elf.path())
                            .concat("': ")
                            .concat(join(Described, "; "))
                            .str();
  if (Mismatched <= Tolerated || AllowMismatch) {
    warning(Diag, location(File.Path, FirstLine) + Message);
    return Error::success();
  }
  return inputError(File.Path, FirstLine,
                    "the samples come from a different build than the ELF: " +
                        Message + " (use --allow-mismatch to go on anyway)");
}

/// Samples from ramfit's sampler name the ELF they were taken from.
Error checkSampledBuild(const Binary &Elf, const SampleFile &File,
                        DiagnosticHandler Diag, bool AllowMismatch) {
  if (File.SampledSha256.empty() || File.SampledSha256 == Elf.sha256())
    return Error::success();
  std::string Message = "the samples were taken from '" + File.SampledElf +
                        "' (sha256 " + File.SampledSha256.substr(0, 12) +
                        "...), not from this build of '" + Elf.path().str() +
                        "' (sha256 " + Elf.sha256().substr(0, 12) + "...)";
  if (AllowMismatch) {
    warning(Diag, location(File.Path, 1) + Message);
    return Error::success();
  }
  return inputError(File.Path, 1,
                    Message + " (use --allow-mismatch to go on anyway)");
}

} // namespace

Error checkSamplesMatchBuild(const Binary &Elf, const SampleFile &File,
                             bool AllowMismatch, DiagnosticHandler Diag) {
  if (Error Err = checkSampledBuild(Elf, File, Diag, AllowMismatch))
    return Err;
  return checkSameBuild(Elf, File, Diag, AllowMismatch);
}

} // namespace ramfit
