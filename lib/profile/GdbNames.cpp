#include "profile/GdbNames.h"

#include <algorithm>

using namespace llvm;

namespace ramfit {

StringRef withoutParameters(StringRef Name) {
  Name.consume_back(" const");
  if (!Name.endswith(")"))
    return Name;
  int Depth = 0;
  for (size_t I = Name.size(); I-- > 0;) {
    if (Name[I] == ')')
      ++Depth;
    else if (Name[I] == '(' && --Depth == 0)
      return Name.take_front(I);
  }
  return Name;
}

bool gdbMayName(const Binary &Elf, StringRef Name, uint64_t Address) {
  StringRef Base = withoutParameters(Name);
  const std::vector<FunctionInfo> &Functions = Elf.functions();
  // The functions that may hold Address: those starting at or before it,
  // nested assembly entry points among them.
  auto After = std::upper_bound(
      Functions.begin(), Functions.end(), Address,
      [](uint64_t A, const FunctionInfo &F) { return A < F.Address; });
  for (auto It = After; It != Functions.begin() && After - It <= 8;) {
    --It;
    if (Address < It->end() &&
        (It->Name == Name || It->DebugName == Name || It->Parent == Name ||
         It->Demangled == Name || It->DemangledBase == Base ||
         (Base != Name && (It->Name == Base || It->DebugName == Base)) ||
         Elf.hasSymbolAt(Name, It->Address)))
      return true;
  }
  for (const InlinedFrame *Inlined : Elf.inlinedAt(Address))
    if (Inlined->Name == Name)
      return true;
  return false;
}

} // namespace ramfit
