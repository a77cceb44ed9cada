//===- Measure.h - Running firmware in QEMU under the timing model -*- C++
//-*-===//
//
// ramfit measure: starts the user's QEMU command line with the timing
// plugin, waits for the firmware to end, and reads the exact cycle profile
// the plugin wrote: the modelled cycles of the run, how they split into
// instructions and stalls, and the speedup against a baseline run.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_MEASURE_MEASURE_H
#define RAMFIT_MEASURE_MEASURE_H

#include "measure/TimingModel.h"
#include "samples/CycleProfile.h"
#include "support/Diagnostics.h"

#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace ramfit {

struct MeasureStepOptions {
  /// A timing file, or a preset's name.
  std::string Timing;
  std::string PresetDir;
  /// The timing plugin, a shared object QEMU loads.
  std::string Plugin;
  /// "NAME=ORIGIN,LENGTH" for regions the firmware has elsewhere than the
  /// model says.
  std::vector<std::string> Places;
  /// QEMU and its arguments; the run must end by itself (the firmware's
  /// exit device or semihosting).
  std::vector<std::string> Command;
  unsigned TimeoutSeconds = 300;
  /// A result of an earlier run ("" for none), for the speedup.
  std::string Baseline;
  /// A plan made from a cycle profile ("" for none): its prediction is
  /// compared with the measurement, and without a Baseline the run it was
  /// made from is the baseline.
  std::string Plan;
  /// Outputs, each "" for none; written all or none.
  std::string ResultOutput;
  std::string CycleProfileOutput;
  /// With SampleEvery: the PC every SampleEvery modelled cycles, a hex
  /// list, what sampling the device itself would give.
  std::string PcSamplesOutput;
  uint64_t SampleEvery = 0;
};

struct MeasureResult {
  std::string Model;
  CycleTotals Totals;
  std::optional<uint64_t> BaselineCycles;
  std::optional<double> PredictedSpeedup;
  /// The result as JSON, as ResultOutput holds it.
  std::string Json;
  /// What the firmware wrote to QEMU's standard output.
  std::string Console;

  double speedup() const {
    return BaselineCycles && Totals.Cycles
               ? double(*BaselineCycles) / double(Totals.Cycles)
               : 1;
  }
};

llvm::Expected<MeasureResult> measureStep(const MeasureStepOptions &Options,
                                          DiagnosticHandler Diag);

/// share/ramfit/qemu/ramfit-timing.so and share/ramfit/timing/ beside the
/// bin/ directory that holds Executable.
std::string timingPluginPath(llvm::StringRef Executable);
std::string timingPresetDir(llvm::StringRef Executable);

} // namespace ramfit

#endif
