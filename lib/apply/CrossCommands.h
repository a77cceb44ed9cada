//===- CrossCommands.h - GCC cross compile commands made Clang's -*- C++
//-*-===//
//
// Firmware trees are built with GCC cross compilers, and their
// compile_commands.json is not something Clang accepts as it stands: it
// names riscv64-unknown-elf-gcc, flags Clang does not know, and relies on
// the GCC driver's own include directories and integer types. As clangd's
// --query-driver does, ramfit asks the recorded driver, once per driver
// and set of target flags, and rewrites the command for Clang.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_CROSSCOMMANDS_H
#define RAMFIT_CROSSCOMMANDS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace ramfit {

/// What the GCC driver told about itself.
struct DriverFacts {
  std::string Target;
  std::vector<std::string> SystemIncludes;
  /// "-U__INT32_TYPE__", "-D__INT32_TYPE__=long int", ...
  std::vector<std::string> TypeMacros;
  /// "12.2.0": the __GNUC__ version Clang must claim, or code that checks
  /// it refuses to compile (CircuitPython requires GCC 8).
  std::string GnuVersion;
};

class CrossCommands {
public:
  explicit CrossCommands(std::string ResourceDir)
      : ResourceDir(std::move(ResourceDir)) {}

  /// The Clang command line for a recorded GCC one (argv[0] first). Commands
  /// that already name clang pass through.
  llvm::Expected<std::vector<std::string>>
  adapt(llvm::ArrayRef<std::string> Command);

  /// The flags that decide what the driver reports: its target.
  static std::vector<std::string>
  targetFlags(llvm::ArrayRef<std::string> Command);

  /// A RISC-V -march value as this Clang takes it: GCC 12 spells the CSR
  /// and fence instructions as extensions of their own ("rv32imac_zicsr_
  /// zifencei"), which Clang 16 rejects; extensions Clang does not know are
  /// dropped, which changes nothing a parse needs.
  static std::string clangRiscvArch(llvm::StringRef GccArch);

private:
  llvm::Expected<DriverFacts> query(llvm::ArrayRef<std::string> Command);

  std::string ResourceDir;
  std::mutex Lock;
  std::map<std::vector<std::string>, DriverFacts> Cache;
};

} // namespace ramfit

#endif
