//===- Config.h - ramfit.yaml, the settings of a build step -----*- C++ -*-===//
//
// What 'ramfit run' needs to know, kept in the firmware tree so that nobody
// has to remember flags. Relative paths are relative to the config file.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_CONFIG_H
#define RAMFIT_CONFIG_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace ramfit {

struct Config {
  std::string Path;
  std::string Elf;
  std::string Map;
  /// Object files to read section names from when there is no map yet.
  std::string Objects;
  /// "PATH" or "PATH@WEIGHT".
  std::vector<std::string> Samples;
  std::string Budget;
  std::string MemoryMap;
  std::string Region;
  std::string Reserve = "0";
  std::vector<std::string> Pins;
  std::vector<std::string> Excludes;
  double MinSamples = 0;
  double FlashRamRatio = 8;
  std::string Section = ".ramtext";
  std::string Style = "attribute";
  std::string CompileCommands;
  std::string SourceRoot;
  std::string Plan = "plan.yaml";
  std::string Fragment;
  std::string FragmentStyle = "list";
  std::string LoadRegion = "FLASH";
  std::string Patch;
  std::string Report;
};

/// Reads the config strictly: an unknown key or a wrong type is an error at
/// 'FILE':LINE:COLUMN with the offending text.
llvm::Expected<Config> readConfig(llvm::StringRef Path);
llvm::Expected<Config> parseConfig(llvm::StringRef Path,
                                   llvm::StringRef Content);

} // namespace ramfit

#endif
