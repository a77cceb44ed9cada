//===- Plan.h - The reviewable plan file ------------------------*- C++ -*-===//
//
// The plan says what goes to RAM and why. It is YAML in a stable order so
// that a diff reads well; a person may edit it, and later steps use it as
// edited.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PLAN_H
#define RAMFIT_PLAN_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace ramfit {

struct PlannedUnit {
  std::string Name;
  std::string File;
  unsigned Line = 0;
  uint64_t Size = 0;
  double Self = 0;
  std::string Section;
  /// Sections of the same object that move with Section.
  std::vector<std::string> Companions;
  std::string Object;
  std::string Why;
  /// Already in RAM in the profiled ELF ('.itcm.*', a line of the script,
  /// an earlier fragment): the plan keeps it there. The fragment still
  /// lists it, so that it stays when it was the fragment that placed it.
  bool Placed = false;
};

struct PlannedSampleFile {
  std::string Path;
  std::string Sha256;
  double Weight = 1;
};

/// A root of the code that must run from RAM (firmware/Closure.h), by
/// name, so that 'check' finds it again in a rebuilt ELF.
struct PlannedRoot {
  std::string Name;
  std::string Why;
};

/// An indirect call in that code: its targets are not known unless
/// '--indirect' names them.
struct PlannedIndirectCall {
  std::string Function;
  uint64_t Address = 0;
  bool TargetsNamed = false;
};

struct Plan {
  std::string ElfPath;
  std::string ElfSha256;
  uint64_t Budget = 0;
  uint64_t Used = 0;
  /// Samples as in flash: those taken in code the ELF already has in RAM
  /// count times the flash/RAM ratio, as they would have in flash, so that
  /// selection and speedup compare against the firmware all in flash.
  double TotalSamples = 0;
  double CoveredSamples = 0;
  /// The same as the samples were taken: each once. What "Samples covered"
  /// says; equal to the above when no sample is in code already in RAM.
  double TakenTotal = 0;
  double TakenCovered = 0;
  /// From cycle profiles: the run's modelled cycles, of which the samples
  /// are the stall cycles RAM saves; 0 for a plan from PC samples.
  double ModelledCycles = 0;
  std::vector<PlannedSampleFile> SampleFiles;
  std::vector<PlannedUnit> Units;
  /// The best units that did not fit.
  std::vector<PlannedUnit> Next;
  /// Units in RAM in the profiled ELF that the plan leaves out: their bytes
  /// serve the budget better elsewhere. 'annotate --sync' removes the
  /// annotation ramfit's style wrote on them.
  std::vector<PlannedUnit> Free;
  /// The code that must run from RAM: its roots, the options that shaped
  /// it (--not-a-root, --indirect), its bytes and its indirect calls.
  std::vector<PlannedRoot> Roots;
  std::vector<std::string> NotARoot;
  std::vector<std::string> Indirect;
  uint64_t MustRunFromRamBytes = 0;
  /// The samples its units took (as in flash), which the plan covers
  /// whatever the budget.
  double MustRunFromRamSamples = 0;
  std::vector<PlannedIndirectCall> IndirectCalls;
  /// In the plan 'annotate --remaining-plan' writes: the units the sources
  /// now place, which this plan leaves to them. A remaining plan with no
  /// units is then empty by design.
  std::vector<std::string> Annotated;
};

/// A plan from cycle profiles: the cycles the timing model predicts once
/// the chosen units run from RAM, and the speedup over the measured run.
double predictedCycles(const Plan &P);
double predictedSpeedup(const Plan &P);

/// Paths of the ELF, the samples and the source files are written relative
/// to BaseDir (the plan's own directory), with '..' where they lie beside
/// it, so that a plan committed in a tree reads the same wherever the tree
/// is; a path that shares no folder with it but the root stays absolute.
std::string planToYaml(const Plan &P, llvm::StringRef BaseDir = "");
llvm::Expected<Plan> parsePlan(llvm::StringRef Path, llvm::StringRef Content);
/// Relative paths in the plan are taken relative to its directory.
llvm::Expected<Plan> readPlan(llvm::StringRef Path);
/// An error when the ELF the plan was made from has been rebuilt since: its
/// file at the plan's path no longer has the plan's hash. A plan whose ELF
/// is not there (a plan kept in the tree, read where no build is) passes.
llvm::Error checkPlanIsOfBuild(const Plan &P, llvm::StringRef PlanPath);

/// The absolute directory that holds a plan file, for planToYaml.
std::string planDirectory(llvm::StringRef PlanPath);

} // namespace ramfit

#endif
