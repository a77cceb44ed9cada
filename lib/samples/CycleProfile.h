//===- CycleProfile.h - Exact cycle profiles from the timing model -*- C++
//-*-===//
//
// 'ramfit measure' runs firmware under QEMU with the timing plugin, which
// writes every executed address with its executions and the stall cycles
// the timing model charged it (docs/sample-formats.md, "Cycle profiles").
// Read as samples, an address weighs the stalls that moving its code to the
// RAM region would save: its fetches', and the loads from it (data inside
// code, such as an Arm literal pool, moves with the code). The knapsack
// then maximises cycles saved.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_SAMPLES_CYCLEPROFILE_H
#define RAMFIT_SAMPLES_CYCLEPROFILE_H

#include "samples/LineParser.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ramfit {

/// The first line of every cycle profile.
constexpr llvm::StringLiteral CycleProfileMagic = "# ramfit-cycles 1";

/// What one run cost under the timing model.
struct CycleTotals {
  uint64_t Instructions = 0;
  uint64_t Cycles = 0;
  uint64_t FetchStall = 0;
  uint64_t DataStall = 0;
};

/// A region of the model, as the profile's header repeats it.
struct CycleRegion {
  std::string Name;
  uint64_t Origin = 0;
  uint64_t Length = 0;
  uint64_t FetchStall = 0;
  uint64_t LoadStall = 0;
  bool Cached = false;
};

/// An address as an instruction (its executions, their fetch stalls and
/// the stalls of their own loads and stores) and as data (the loads from
/// it, by any instruction, and their stalls).
struct CycleRow {
  uint64_t Address = 0;
  uint64_t Executions = 0;
  uint64_t FetchStall = 0;
  uint64_t DataStall = 0;
  uint64_t Loads = 0;
  uint64_t LoadStall = 0;
};

struct CycleProfile {
  uint64_t InstructionCycles = 1;
  std::vector<CycleRegion> Regions;
  /// The region planned code moves to; "" when the model names none.
  std::string Ram;
  CycleTotals Totals;
  std::vector<CycleRow> Rows;

  const CycleRegion *ramRegion() const;
  /// The cycles the row's fetches, and the loads from it, would stop
  /// stalling if the code holding the address ran from the RAM region: 0
  /// for code already there.
  uint64_t fetchSavedInRam(const CycleRow &Row) const;
  uint64_t loadSavedInRam(const CycleRow &Row) const;
};

/// The whole profile, checked: its rows add up to its totals.
llvm::Expected<CycleProfile> parseCycleProfile(llvm::StringRef Path,
                                               llvm::StringRef Content);

/// The same profile read as samples: each address counts the fetch stalls
/// it would save in RAM (PcCounts), and the load stalls (CodeDataCounts);
/// Out.ModelledCycles is the run's total.
std::unique_ptr<LineParser> makeCycleProfileParser(SampleFile &Out);

} // namespace ramfit

#endif
