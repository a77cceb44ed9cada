//===- TimingModel.h - What each memory access costs on the device -*- C++
//-*-===//
//
// A timing model gives each memory region of a board its stall cycles per
// instruction fetch, data load and store, and optionally a cache in front
// of it (an XIP cache or a flash prefetch buffer). It is read from a small
// YAML file or a preset shipped under share/ramfit/timing/, and handed to
// the QEMU timing plugin as arguments. docs/measure.md.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_MEASURE_TIMINGMODEL_H
#define RAMFIT_MEASURE_TIMINGMODEL_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ramfit {

/// A hit stalls the region's fetch or load cycles, a miss FillCycles.
struct TimingCache {
  uint64_t Size = 0;
  uint64_t LineBytes = 0;
  uint64_t Ways = 1;
  uint64_t FillCycles = 0;
};

struct TimingRegion {
  std::string Name;
  uint64_t Origin = 0;
  uint64_t Length = 0;
  /// Stall cycles per access, on top of the instruction's own cycles.
  uint64_t Fetch = 0;
  uint64_t Load = 0;
  uint64_t Store = 0;
  std::optional<TimingCache> Cache;
};

struct TimingModel {
  std::string Name;
  /// Cycles of every instruction besides its stalls.
  uint64_t InstructionCycles = 1;
  /// The region planned code moves to; "" for none.
  std::string Ram;
  std::vector<TimingRegion> Regions;
};

/// A model from its YAML; every error names Path and the line.
llvm::Expected<TimingModel> parseTimingModel(llvm::StringRef Path,
                                             llvm::StringRef Content);

/// Spec is a file, or the name of a preset file NAME.yaml in PresetDir.
llvm::Expected<TimingModel> readTimingModel(llvm::StringRef Spec,
                                            llvm::StringRef PresetDir);

/// "NAME=ORIGIN,LENGTH" moves the model's region NAME to where the
/// firmware at hand has it (a preset gives the board's own addresses).
llvm::Error placeRegion(TimingModel &Model, llvm::StringRef Spec);

/// The timing plugin's arguments for the model, without out= and the
/// sampling ones.
std::vector<std::string> pluginArguments(const TimingModel &Model);

} // namespace ramfit

#endif
