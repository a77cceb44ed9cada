//===- LinkerFragment.h - GNU ld input-section patterns for a plan -*- C++
//-*-===//
//
// Turns the units of a plan into the input-section descriptions that GNU ld
// matches: '*(.text.NAME)', '*/vm.o(.text.scramble)' for a static whose
// section name several objects share, '*libgcc.a:_udivdi3.o(.text)' for an
// archive member. With the map, every pattern is checked to match exactly
// the one input section the plan meant.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_LINKERFRAGMENT_H
#define RAMFIT_LINKERFRAGMENT_H

#include "firmware/LinkerMap.h"
#include "plan/Plan.h"

#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace ramfit {

enum class FragmentStyle {
  /// Input-section lines only, to INCLUDE inside an existing output section.
  List,
  /// A whole output section in RAM, loaded from flash, with symbols for the
  /// startup copy loop.
  Section
};

/// "list" or "section".
llvm::Expected<FragmentStyle> parseFragmentStyle(llvm::StringRef Name);

/// A MEMORY region's name as the fragment writes it after '>' and 'AT>'.
llvm::Expected<std::string> parseRegionName(llvm::StringRef Name);

struct FragmentOptions {
  FragmentStyle Style = FragmentStyle::List;
  std::string Region = "RAM";
  std::string LoadRegion = "FLASH";
  /// Named in the header comment; a file name, never a path.
  std::string PlanName = "plan.yaml";
  /// The plan's 'used', which the header says the units take together
  /// (shared veneers, calls between them); 0 to add up the units' sizes.
  uint64_t PlanUsed = 0;
};

struct SectionPattern {
  std::string Pattern;
  std::string Unit;
  /// The unit's bytes, on its first pattern; 0 on a companion's.
  uint64_t Size = 0;
  bool IsCompanion = false;
};

/// One pattern per unit. Without a map, patterns name the object of every
/// unit, which is always safe; with one, they are as short as matching
/// exactly one input section allows.
llvm::Expected<std::vector<SectionPattern>>
sectionPatterns(const Plan &P, const LinkerMap *Map);

/// The fragment's text: byte-identical for the same plan, with no paths or
/// times in it.
std::string fragmentText(const std::vector<SectionPattern> &Patterns,
                         const FragmentOptions &Options);

/// The whole step: section names from the map at MapPath or the objects
/// under ObjectsDir (never both; neither is allowed), then the
/// patterns and the fragment's text.
llvm::Expected<std::string> fragmentForPlan(const Plan &P,
                                            llvm::StringRef MapPath,
                                            llvm::StringRef ObjectsDir,
                                            const FragmentOptions &Options);

} // namespace ramfit

#endif
