//===- LinkerMap.h - Input sections from a GNU ld map file ------*- C++ -*-===//
//
// What the linker really placed: each input section with its object (or
// archive member), address and size. This is what a linker-script pattern
// matches, so placement units come from here when a map is given.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_LINKERMAP_H
#define RAMFIT_LINKERMAP_H

#include "firmware/Binary.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace ramfit {

struct InputSection {
  std::string Name;   // ".text.fir_filter", ".text"
  std::string Object; // "obj/filter.o", "libgcc.a(_udivdi3.o)"
  uint64_t Address = 0;
  uint64_t Size = 0;
  /// Its sh_addralign, from its object file (firmware/InputObjects.h); 0
  /// while unknown.
  uint64_t Alignment = 0;
};

struct LinkerMap {
  std::string Path;
  /// Read from object files, not from a map: no addresses, no archives.
  bool HasOnlyObjects = false;
  /// Sorted by address; only sections with a size.
  std::vector<InputSection> Sections;

  /// The input section that holds Address, or null.
  const InputSection *sectionAt(uint64_t Address) const;
};

llvm::Expected<LinkerMap> readLinkerMap(llvm::StringRef Path);

/// The input sections of the object files (*.o, *.obj) in Dir and below: names,
/// objects and sizes, without addresses, and not the archives' members. Enough
/// to tell which patterns match what, when there is no map.
llvm::Expected<LinkerMap> readObjectSections(llvm::StringRef Dir);

/// The map at Path; with no path, none, and a warning that sizes will come
/// from symbols.
llvm::Expected<std::optional<LinkerMap>>
readOptionalLinkerMap(llvm::StringRef Path, DiagnosticHandler Diag);
llvm::Expected<LinkerMap> parseLinkerMap(llvm::StringRef Path,
                                         llvm::StringRef Content);

/// A map of another build (another board's, or the relink's) names the
/// same functions at other addresses: every function section of the map
/// ('.text.NAME', '.text.unlikely.NAME', '.text.startup.NAME') must hold the
/// ELF's one function NAME, or a part of it ("NAME.cold"). The error names the
/// first that does not, and says so when no function section of the map holds
/// any function.
llvm::Error checkMapMatchesElf(const LinkerMap &Map, const Binary &Elf);

} // namespace ramfit

#endif
