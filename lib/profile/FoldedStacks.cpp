#include "profile/FoldedStacks.h"
#include "profile/ProfileReport.h"

#include "llvm/ADT/StringExtras.h"
#include <map>

using namespace llvm;

namespace ramfit {

namespace {

/// A frame's function as folded lines name it: ';' separates frames and the
/// last blank the count, so neither may stand in a name.
std::string frameName(const Binary &Elf, const Frame &F, bool Caller) {
  std::string Name;
  if (F.Address) {
    // A caller's address is its return address: look just before it.
    uint64_t Address = Caller && *F.Address ? *F.Address - 1 : *F.Address;
    const FunctionInfo *Function = Elf.functionAt(Address);
    Name = Function ? readableName(Function->Name)
                    : "0x" + utohexstr(*F.Address, /*LowerCase=*/true);
  } else {
    Name = F.Function.empty() ? "?" : F.Function.str();
  }
  for (char &C : Name)
    if (C == ';')
      C = ':';
  return Name;
}

} // namespace

std::vector<FoldedStack> foldStacks(const Binary &Elf,
                                    ArrayRef<SampleFile> Files) {
  std::map<std::string, double> Counts;
  for (const SampleFile &File : Files) {
    for (const auto &[Address, Count] : File.PcCounts) {
      Frame Pc;
      Pc.Address = Address;
      Counts[frameName(Elf, Pc, /*Caller=*/false)] += Count * File.Weight;
    }
    for (const auto &[Frames, Count] : File.Stacks) {
      // Innermost first in the samples, outermost first in the line.
      std::string Line;
      for (size_t Depth = Frames.size(); Depth-- > 0;) {
        if (!Line.empty())
          Line += ';';
        Line += frameName(Elf, Frames[Depth], /*Caller=*/Depth > 0);
      }
      Counts[Line] += Count * File.Weight;
    }
  }
  std::vector<FoldedStack> Stacks;
  for (auto &[Line, Samples] : Counts)
    Stacks.push_back({Line, Samples});
  return Stacks;
}

void writeFoldedStacks(ArrayRef<FoldedStack> Stacks, raw_ostream &OS) {
  for (const FoldedStack &Stack : Stacks)
    OS << Stack.Frames << ' ' << formatCount(Stack.Samples) << '\n';
}

} // namespace ramfit
