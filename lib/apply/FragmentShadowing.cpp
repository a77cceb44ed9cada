#include "apply/FragmentShadowing.h"
#include "firmware/ScriptSections.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit {

Error checkFragmentTakesItsSections(const FragmentInScript &Fragment,
                                    const LinkerMap &Sections) {
  // The script is read with the fragment to be, not one an earlier run left.
  SmallString<128> Staged;
  int FD;
  if (std::error_code EC =
          sys::fs::createTemporaryFile("ramfit-fragment", "ld", FD, Staged))
    return inputError(Fragment.Script, "cannot stage the fragment to read "
                                       "the script with it: " +
                                           EC.message());
  auto Remove = make_scope_exit([&] { sys::fs::remove(Staged); });
  {
    raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Fragment.Text;
  }
  Expected<std::vector<OutputSection>> Outputs =
      readOutputSections(Fragment.Script, Fragment.SearchDirs,
                         {{Fragment.IncludedAs, std::string(Staged)}});
  if (!Outputs)
    return Outputs.takeError();
  if (Outputs->empty() && Fragment.MemoryOnlyPasses)
    return Error::success();

  // The descriptions in the order ld tries them.
  std::vector<std::pair<const OutputSection *, const InputPattern *>> Rules;
  for (const OutputSection &Output : *Outputs)
    for (const InputPattern &Pattern : Output.Patterns)
      Rules.push_back({&Output, &Pattern});
  auto IsFragments = [&](const InputPattern &Pattern) {
    return Pattern.Script == Staged;
  };
  if (llvm::none_of(
          Rules, [&](const auto &Rule) { return IsFragments(*Rule.second); }))
    return inputError(Fragment.Script,
                      "the script does not INCLUDE '" + Fragment.IncludedAs +
                          "' inside an output section: the fragment would "
                          "move nothing (INCLUDE it in the section that runs "
                          "from RAM, before any rule that takes .text)");

  // A section an earlier rule takes to where the fragment runs moves all the
  // same (the Fomu's '*(.itcm.*)' before the INCLUDE, in the same .data).
  auto RunsWithFragment = [&](const OutputSection &Output) {
    return llvm::any_of(Rules, [&](const auto &Rule) {
      return IsFragments(*Rule.second) &&
             (Rule.first == &Output ||
              (!Output.Region.empty() && Rule.first->Region == Output.Region));
    });
  };

  std::vector<std::string> Shadowed;
  size_t Count = 0;
  for (const InputSection &Section : Sections.Sections) {
    auto First = llvm::find_if(
        Rules, [&](const auto &Rule) { return Rule.second->matches(Section); });
    if (First == Rules.end() || IsFragments(*First->second) ||
        RunsWithFragment(*First->first))
      continue;
    bool FragmentWants = std::any_of(First, Rules.end(), [&](const auto &Rule) {
      return IsFragments(*Rule.second) && Rule.second->matches(Section);
    });
    if (!FragmentWants)
      continue;
    ++Count;
    if (Shadowed.size() < 5)
      Shadowed.push_back(
          Section.Name + " of " + Section.Object + " is taken first by '" +
          First->second->Text + "' in " + First->first->Name + " at " +
          First->second->Script + ":" + std::to_string(First->second->Line));
  }
  if (Shadowed.empty())
    return Error::success();
  return inputError(
      Fragment.Script,
      Twine(Count) +
          " input section(s) the fragment names would not move: "
          "ld gives a section to the first rule that matches it. " +
          join(Shadowed, "; ") + (Count > Shadowed.size() ? "; ..." : "") +
          ". INCLUDE '" + Fragment.IncludedAs +
          "' in an output section before that rule, or keep these sections "
          "out of it (EXCLUDE_FILE, or a narrower pattern)");
}

} // namespace ramfit
