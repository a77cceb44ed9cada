#include "apply/LinkerFragment.h"
#include "firmware/SectionMatcher.h"
#include "support/Choices.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit {

Expected<std::string> parseRegionName(StringRef Name) {
  // What ld's script lexer reads as one name.
  if (Name.empty() ||
      Name.find_first_of(" \t\n\"'(),:;{}=<>") != StringRef::npos)
    return createStringError(inconvertibleErrorCode(),
                             "'" + Name + "' is not a MEMORY region name");
  return Name.str();
}

Expected<FragmentStyle> parseFragmentStyle(StringRef Name) {
  static const NamedValue<FragmentStyle> Styles[] = {
      {"list", FragmentStyle::List}, {"section", FragmentStyle::Section}};
  return parseChoice<FragmentStyle>("fragment style", Name, Styles);
}

namespace {

size_t countMatches(const LinkerMap &Map, const FilePattern &File,
                    StringRef Section) {
  size_t Count = 0;
  for (const InputSection &S : Map.Sections)
    if (S.Name == Section && File.matches(S.Object))
      ++Count;
  return Count;
}

/// Text that cannot end the comment it stands in.
static std::string commentText(std::string Text) {
  for (size_t At; (At = Text.find("*/")) != std::string::npos;)
    Text.replace(At, 2, "* /");
  return Text;
}

/// Candidate file patterns for an object, shortest first.
std::vector<std::string> filePatterns(StringRef Object) {
  auto [Archive, Member] = splitArchiveMember(Object);
  if (!Member.empty())
    return {"*" + sys::path::filename(Archive).str() + ":" + Member.str(),
            Archive.str() + ":" + Member.str()};
  std::string Base = sys::path::filename(Object).str();
  // The object as the linker's command line names it: under some
  // directory, bare, or by the very path the plan has.
  std::vector<std::string> Patterns{"*/" + Base};
  if (Base == Object)
    Patterns.push_back(Base);
  else
    Patterns.push_back(Object.str());
  return Patterns;
}

} // namespace

/// The shortest pattern that matches Section of Object, and only it when
/// the map tells.
static Expected<std::string> patternFor(StringRef Section, StringRef Object,
                                        StringRef Unit, const LinkerMap *Map) {
  bool IsMember = !splitArchiveMember(Object).second.empty();
  std::vector<std::string> Candidates;
  // A section name that no other object has needs no file name.
  if (Map && !IsMember && countMatches(*Map, "*", Section) == 1)
    Candidates.push_back("*");
  if (!Object.empty())
    for (std::string &Pattern : filePatterns(Object))
      Candidates.push_back(std::move(Pattern));
  else if (!Map)
    Candidates.push_back("*");
  // Object files alone do not show archive members: those keep the
  // archive:member pattern the plan's map gave.
  bool Verifiable = Map && !(IsMember && Map->HasOnlyObjects);
  for (const std::string &File : Candidates)
    if (!Verifiable || countMatches(*Map, File, Section) == 1)
      return File + "(" + Section.str() + ")";
  return inputError(Map->Path, "no pattern matches exactly one input section "
                               "for unit '" +
                                   Unit + "' (" + Section + " of '" + Object +
                                   "')");
}

Expected<std::vector<SectionPattern>> sectionPatterns(const Plan &P,
                                                      const LinkerMap *Map) {
  std::vector<SectionPattern> Result;
  for (const PlannedUnit &Unit : P.Units) {
    if (Unit.Section.empty())
      return createStringError(
          inconvertibleErrorCode(),
          "unit '" + Unit.Name +
              "' has no input section in the plan; make the plan with --map");
    std::vector<std::string> Sections{Unit.Section};
    Sections.insert(Sections.end(), Unit.Companions.begin(),
                    Unit.Companions.end());
    for (size_t I = 0; I < Sections.size(); ++I) {
      Expected<std::string> Pattern =
          patternFor(Sections[I], Unit.Object, Unit.Name, Map);
      if (!Pattern)
        return Pattern.takeError();
      bool IsCompanion = I > 0;
      Result.push_back(
          {*Pattern, Unit.Name, IsCompanion ? 0 : Unit.Size, IsCompanion});
    }
  }
  return Result;
}

Expected<std::string> fragmentForPlan(const Plan &P, StringRef MapPath,
                                      StringRef ObjectsDir,
                                      const FragmentOptions &Options) {
  assert((MapPath.empty() || ObjectsDir.empty()) && "one source of names");
  std::optional<LinkerMap> Map;
  if (!MapPath.empty() || !ObjectsDir.empty()) {
    Expected<LinkerMap> Read = MapPath.empty() ? readObjectSections(ObjectsDir)
                                               : readLinkerMap(MapPath);
    if (!Read)
      return Read.takeError();
    Map = std::move(*Read);
  }
  Expected<std::vector<SectionPattern>> Patterns =
      sectionPatterns(P, Map ? &*Map : nullptr);
  if (!Patterns)
    return Patterns.takeError();
  // The header says the bytes the plan says ('used'), not the units' sum.
  FragmentOptions WithUsed = Options;
  WithUsed.PlanUsed = P.Used;
  return fragmentText(*Patterns, WithUsed);
}

std::string fragmentText(const std::vector<SectionPattern> &Patterns,
                         const FragmentOptions &Options) {
  std::string Text;
  raw_string_ostream OS(Text);
  uint64_t Bytes = Options.PlanUsed;
  size_t Units = 0;
  for (const SectionPattern &Pattern : Patterns) {
    if (!Options.PlanUsed)
      Bytes += Pattern.Size;
    Units += !Pattern.IsCompanion;
  }
  OS << "/* Generated by 'ramfit ldscript' from " << Options.PlanName << ": "
     << Units << " units, " << Bytes << " bytes. Do not edit. */\n";
  bool Section = Options.Style == FragmentStyle::Section;
  if (Section)
    OS << "/* INCLUDE it among the SECTIONS before the output section whose\n"
          "   rules would match these input sections first. */\n"
          ".ramtext :\n{\n  . = ALIGN(4);\n  __ramtext_start = .;\n";
  else
    OS << "/* INCLUDE it inside the output section that holds RAM code, "
          "before\n   any rule that would match these input sections first, "
          "such as\n   '*(.text .text.*)'. */\n";
  size_t Width = 0;
  for (const SectionPattern &P : Patterns)
    Width = std::max(Width, P.Pattern.size());
  std::string Indent = Section ? "  " : "";
  for (const SectionPattern &P : Patterns)
    OS << Indent << left_justify(P.Pattern, Width) << "  /* "
       << commentText(llvm::demangle(P.Unit))
       << (P.IsCompanion ? ", its cold part" : "") << " */\n";
  if (Section)
    OS << "  *(.ramtext .ramtext.*)\n  . = ALIGN(4);\n  __ramtext_end = .;\n} "
          "> "
       << Options.Region << " AT > " << Options.LoadRegion
       << "\n__ramtext_load = LOADADDR(.ramtext);\n";
  return OS.str();
}

} // namespace ramfit
