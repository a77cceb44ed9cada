//===- SectionMatcher.h - ld's input-section matching -------------*- C++
//-*-===//
//
// How GNU ld decides that an input-section description such as
// "*libgcc.a:_udivsi3.o(.text)" or "*/vm.o(.text.vm_*)" takes an input
// section: its file pattern against the object the section comes from (with
// ld's rules for archive members), its section patterns against the
// section's name. The audit, the placement check, the shadowing check and
// the fragment writer all match through here; each glob is compiled once.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_FIRMWARE_SECTIONMATCHER_H
#define RAMFIT_FIRMWARE_SECTIONMATCHER_H

#include "llvm/ADT/StringRef.h"
#include <memory>
#include <string>
#include <utility>

namespace ramfit {

/// A wildcard pattern as ld matches names with ('*', '?', '[...]'),
/// compiled when made. One that is not a valid glob matches its own text.
/// Made from a string implicitly: a description's words are its patterns.
class NameGlob {
public:
  NameGlob(std::string Text);
  NameGlob(const char *Text) : NameGlob(std::string(Text)) {}

  bool matches(llvm::StringRef Name) const;
  const std::string &text() const;
  operator llvm::StringRef() const { return text(); }

private:
  struct Compiled;
  std::shared_ptr<const Compiled> Glob;
};

/// The file part of an input-section description, by ld's rules (checked
/// against GNU ld 2.40):
///  - "PATTERN": an object by its path as the link names it ("*/vm.o"),
///    and an archive member by its member name ("*_udivsi3.o");
///  - "ARCHIVE:MEMBER": a member of an archive whose path matches ARCHIVE;
///    "ARCHIVE:" every member of it; ":FILE" an object outside any archive.
class FilePattern {
public:
  FilePattern(std::string Text = "*");
  FilePattern(const char *Text) : FilePattern(std::string(Text)) {}

  /// Object as a link map names it: "build/vm.o", or
  /// "lib/libgcc.a(_udivsi3.o)" for a member of an archive.
  bool matches(llvm::StringRef Object) const;
  const std::string &text() const { return Text; }
  operator llvm::StringRef() const { return Text; }

private:
  std::string Text;
  bool NamesArchive = false;
  NameGlob Archive;
  NameGlob File;
};

/// "lib/libgcc.a(_udivdi3.o)" is member "_udivdi3.o" of archive
/// "lib/libgcc.a"; a plain object has no member ("").
std::pair<llvm::StringRef, llvm::StringRef>
splitArchiveMember(llvm::StringRef Object);

} // namespace ramfit

#endif
