#include "firmware/SectionMatcher.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/GlobPattern.h"
#include <optional>

using namespace llvm;

namespace ramfit {

/// A GlobPattern points into the text it was made from: the two live and
/// move together, shared by the copies of a NameGlob.
struct NameGlob::Compiled {
  std::string Text;
  std::optional<GlobPattern> Pattern;
};

NameGlob::NameGlob(std::string Text) {
  auto Made = std::make_shared<Compiled>();
  Made->Text = std::move(Text);
  Expected<GlobPattern> Pattern = GlobPattern::create(Made->Text);
  if (Pattern)
    Made->Pattern = std::move(*Pattern);
  else
    consumeError(Pattern.takeError());
  Glob = std::move(Made);
}

bool NameGlob::matches(StringRef Name) const {
  return Glob->Pattern ? Glob->Pattern->match(Name) : Name == Glob->Text;
}

const std::string &NameGlob::text() const { return Glob->Text; }

std::pair<StringRef, StringRef> splitArchiveMember(StringRef Object) {
  if (!Object.endswith(")"))
    return {Object, ""};
  size_t Open = Object.rfind('(');
  if (Open == StringRef::npos || Open == 0)
    return {Object, ""};
  return {Object.take_front(Open), Object.slice(Open + 1, Object.size() - 1)};
}

FilePattern::FilePattern(std::string Pattern)
    : Text(std::move(Pattern)), Archive(""), File(Text) {
  size_t Colon = Text.find(':');
  if (Colon == std::string::npos)
    return;
  NamesArchive = true;
  Archive = NameGlob(Text.substr(0, Colon));
  // "ARCHIVE:" takes every member.
  File = NameGlob(Colon + 1 == Text.size() ? "*" : Text.substr(Colon + 1));
}

bool FilePattern::matches(StringRef Object) const {
  auto [ArchivePath, Member] = splitArchiveMember(Object);
  if (!NamesArchive)
    return File.matches(Member.empty() ? Object : Member);
  // ":FILE" is a file outside any archive.
  if (Archive.text().empty())
    return Member.empty() && File.matches(Object);
  return !Member.empty() && Archive.matches(ArchivePath) &&
         File.matches(Member);
}

} // namespace ramfit
