//===- SplitParts.h - GCC's split-off parts under an annotation -*- C++ -*-===//
//
// GCC splits a function's cold or rarely taken tail into a part of its own
// ("gc_free.part.0", "f.cold") and places each where its section says. It
// never splits a function that has a section attribute: an annotation folds
// the parts back, and the function grows by them (gc_free 32 -> 256 bytes
// on the Fomu's CircuitPython). What the plan counted then no longer holds,
// so such functions are the linker fragment's, which moves the planned
// piece alone.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_APPLY_SPLITPARTS_H
#define RAMFIT_APPLY_SPLITPARTS_H

#include "plan/Plan.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ramfit {

/// The name a planned unit has in the source: GCC's clones and parts
/// ("f.constprop.0", "f.part.0", "f.cold") are f, which an annotation
/// marks. A C++ function keeps its mangled name, which tells overloads
/// apart.
llvm::StringRef sourceName(llvm::StringRef UnitName);

struct SplitOffPart {
  std::string Name;
  uint64_t Size = 0;
};

/// The parts GCC split off each function of an ELF, by the function's name
/// ("gc_free" -> gc_free.part.0).
using SplitOffParts = std::map<std::string, std::vector<SplitOffPart>>;

/// Those of the ELF at ElfPath (its symbol table alone).
llvm::Expected<SplitOffParts> readSplitOffParts(llvm::StringRef ElfPath,
                                                DiagnosticHandler Diag);

/// Why Unit, a part, cannot be annotated without its function moving whole,
/// when the plan does not hold the function too.
std::optional<std::string> splitOffAlone(const PlannedUnit &Unit,
                                         const Plan &P);

/// Why annotating Unit would move more than the plan counted: the parts of
/// it that the plan does not hold would fold back into it.
std::optional<std::string> foldsBackParts(const PlannedUnit &Unit,
                                          const Plan &P,
                                          const SplitOffParts &Parts);

} // namespace ramfit

#endif
