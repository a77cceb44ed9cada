//===- Config.h - ramfit.yaml, the settings of a build step -----*- C++ -*-===//
//
// What 'ramfit run' needs to know, kept in the firmware tree so that nobody
// has to remember flags. Relative paths are relative to the config file.
// Values go through the parsers the command line uses, so a value is
// refused here as it would be there, at 'FILE':LINE:COLUMN.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_CONFIG_H
#define RAMFIT_CONFIG_H

#include "steps/Steps.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace ramfit {

struct Config {
  std::string Path;
  /// The file as written: with the command line's overrides (Elf, Map,
  /// Budget, Plan), every setting, which is what 'ramfit run' fingerprints.
  std::string Text;
  std::string Elf;
  std::string Map;
  /// Object files to read section names from when there is no map yet.
  std::string Objects;
  /// "PATH" or "PATH@WEIGHT".
  std::vector<std::string> Samples;
  /// A size or "auto".
  std::string Budget;
  std::string MemoryMap;
  /// ld's -L directories, for the memory map's INCLUDEs.
  std::vector<std::string> SearchDirs;
  std::string Region;
  std::string Reserve = "0";
  std::vector<std::string> Pins;
  std::vector<std::string> Excludes;
  /// must_run_from_ram: keep_sections, keep_reachable, not_a_root, indirect.
  RamRootOptions Roots;
  double MinSamples = 0;
  double FlashRamRatio = CostModel().FlashRamRatio;
  AnnotationStyle Style;
  /// annotate also takes the annotation off the units the plan frees.
  bool AnnotateSync = false;
  /// Folders whose sources alone are annotated, relative to the source
  /// root.
  std::vector<std::string> AnnotateScope;
  std::string CompileCommands;
  std::string SourceRoot;
  std::string Plan = "plan.yaml";
  std::string Fragment;
  FragmentStyle FragmentKind = FragmentStyle::List;
  std::string LoadRegion = "FLASH";
  std::string Patch;
  std::string Report;
};

/// Reads the config strictly: an unknown key, a wrong type or a value its
/// parser refuses is an error at 'FILE':LINE:COLUMN with the offending text.
llvm::Expected<Config> readConfig(llvm::StringRef Path);
llvm::Expected<Config> parseConfig(llvm::StringRef Path,
                                   llvm::StringRef Content);

/// Each step's options as the config sets them: the one place where a
/// key of ramfit.yaml becomes an option of a step.
PlanStepOptions planStepOptions(const Config &C);
LdscriptStepOptions ldscriptStepOptions(const Config &C);
AnnotateStepOptions annotateStepOptions(const Config &C);
CheckStepOptions checkStepOptions(const Config &C);

} // namespace ramfit

#endif
