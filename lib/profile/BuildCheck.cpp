#include "profile/BuildCheck.h"
#include "firmware/InstructionBoundaries.h"
#include "profile/GdbNames.h"
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
         gdbMayName(Elf, Hint.Symbol, Address);
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
  // gdb names code the link dropped where its DWARF says, from address 0
  // on, over the ELF's own code there: its mistake, not another build.
  for (const auto &[Address, Hint] : File.PcFunctionHints)
    if (!gdbMayName(Elf, Hint.Function, Address) &&
        !Elf.isDroppedCodeAt(Hint.Function, Address))
      Disagree(AtPc, Hint.Line, Hint.Count, Twine(Hint.Function), Address);
  for (const auto &[Address, Hint] : File.CallerFunctionHints)
    if (Address && !gdbMayName(Elf, Hint.Function, Address - 1) &&
        !Elf.isDroppedCodeAt(Hint.Function, Address - 1))
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

/// Each sampled PC is where an instruction of the sampled build starts:
/// one that is inside an instruction of the ELF, in data or outside its
/// code proves another build. A few may be the target's own (a boot ROM's
/// code that no ELF holds); more than a few, or more than one in twenty, is
/// an error. A gmon histogram's bins start anywhere in the code they count:
/// only their being in code is checked. Frames named, not addressed (folded
/// stacks of function names), are not PCs.
Error checkPcsAreInstructions(const Binary &Elf, const SampleFile &File,
                              DiagnosticHandler Diag, bool AllowMismatch) {
  constexpr uint64_t Tolerated = 3;
  constexpr size_t Examples = 3;
  bool BinsOnly = File.Format == SampleFormat::Gmon;
  InstructionBoundaries Boundaries(Elf);
  std::map<uint64_t, uint64_t> Wrong; // by address, its samples
  uint64_t Checked = 0;
  auto Check = [&](uint64_t Address, uint64_t Count) {
    Checked += Count;
    PcPlace Place = Boundaries.placeOf(Address);
    if (Place == PcPlace::Instruction ||
        (BinsOnly && Place != PcPlace::NotCode))
      return;
    Wrong[Address] += Count;
  };
  for (const auto &[Address, Count] : File.PcCounts)
    Check(Address, Count);
  for (const auto &[Frames, Count] : File.Stacks)
    if (!Frames.empty() && Frames.front().Address)
      Check(*Frames.front().Address, Count);
  uint64_t Mismatched = 0;
  for (const auto &Entry : Wrong)
    Mismatched += Entry.second;
  if (!Mismatched)
    return Error::success();
  // The examples are the most sampled.
  std::vector<std::pair<uint64_t, uint64_t>> ByCount(Wrong.begin(),
                                                     Wrong.end());
  llvm::stable_sort(ByCount, [](const auto &A, const auto &B) {
    return A.second > B.second;
  });
  std::vector<std::string> Described;
  for (const auto &[Address, Count] : ByCount) {
    if (Described.size() == Examples)
      break;
    Described.push_back(Boundaries.describe(Address));
  }
  std::string Message = (Twine(Mismatched) + " of " + Twine(Checked) +
                         " sample(s) are at no instruction of '" + Elf.path() +
                         "': " + join(Described, ", "))
                            .str();
  bool Few = Mismatched <= Tolerated && Mismatched * 20 <= Checked;
  if (Few || AllowMismatch) {
    warning(Diag, location(File.Path) + Message);
    return Error::success();
  }
  return inputError(File.Path,
                    "the samples come from a different build than the ELF: " +
                        Message + " (use --allow-mismatch to go on anyway)");
}

} // namespace

Error checkSamplesMatchBuild(const Binary &Elf, const SampleFile &File,
                             bool AllowMismatch, DiagnosticHandler Diag) {
  if (Error Err = checkSampledBuild(Elf, File, Diag, AllowMismatch))
    return Err;
  return checkSameBuild(Elf, File, Diag, AllowMismatch);
}

Error checkSamplesAreInstructions(const Binary &Elf, const SampleFile &File,
                                  bool AllowMismatch, DiagnosticHandler Diag) {
  return checkPcsAreInstructions(Elf, File, Diag, AllowMismatch);
}

} // namespace ramfit
