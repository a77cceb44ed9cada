//===- Steps.h - Each step of ramfit as one library call --------*- C++ -*-===//
//
// profile, plan, ldscript, annotate and check: per step, the options that
// say everything it needs and one function that does it, outputs included.
// The subcommands fill the options from their flags, 'ramfit run' from
// ramfit.yaml; neither does any of the step's work itself. Warnings and
// notes go to the caller's handler; a step that fails writes none of its
// outputs.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_STEPS_STEPS_H
#define RAMFIT_STEPS_STEPS_H

#include "apply/LinkerFragment.h"
#include "apply/Patch.h"
#include "apply/PlacementCheck.h"
#include "apply/SourceRewriter.h"
#include "firmware/Closure.h"
#include "firmware/MemoryMap.h"
#include "plan/Plan.h"
#include "plan/Selector.h"
#include "profile/FoldedStacks.h"
#include "profile/Profile.h"
#include "samples/Samples.h"
#include "support/Diagnostics.h"

#include "llvm/Support/Error.h"
#include <functional>
#include <string>
#include <vector>

namespace ramfit {

/// ramfit profile: samples attributed to the functions of an ELF.
struct ProfileStepOptions {
  std::string Elf;
  /// "PATH" or "PATH@WEIGHT".
  std::vector<std::string> Samples;
  SampleFormat Format = SampleFormat::Auto;
  bool AllowMismatch = false;
};

llvm::Expected<Profile> profileStep(const ProfileStepOptions &Options,
                                    DiagnosticHandler Diag);
/// ramfit profile --format folded: the samples as folded stacks, checked
/// as the profile checks them.
llvm::Expected<std::vector<FoldedStack>>
foldedStacksStep(const ProfileStepOptions &Options, DiagnosticHandler Diag);

/// ramfit plan: the profile, cut into placement units, chosen under the
/// budget.
struct PlanStepOptions {
  ProfileStepOptions Input;
  /// "" for none: sizes then come from symbols, with a warning.
  std::string Map;
  BudgetSpec Budget;
  std::vector<std::string> Pins;
  std::vector<std::string> Excludes;
  double MinSamples = 0;
  /// What must run from RAM whatever the samples say.
  RamRootOptions Roots;
  CostModel Model;
  /// An ELF relinked with units of an earlier plan placed: those units are
  /// sized as linked there, not as predicted.
  std::string SizesFrom;
  /// The outputs, each "" for none; written all or none.
  std::string PlanOutput;
  std::string TextReport;
  std::string HtmlReport;
};

struct PlanStepResult {
  Plan Result;
  /// The code that must run from RAM; empty when the ELF's code cannot be
  /// disassembled.
  RamClosure MustRunFromRam;
  std::vector<PlacementUnit> Units;
  SelectOptions Selection;
  SelectResult Selected;
};

llvm::Expected<PlanStepResult> planStep(const PlanStepOptions &Options,
                                        DiagnosticHandler Diag);

/// ramfit ldscript: the GNU ld fragment for a plan.
struct LdscriptStepOptions {
  std::string Plan;
  /// Section names come from the map or from the objects, not both.
  std::string Map;
  std::string ObjectsDir;
  FragmentOptions Fragment;
  /// "" to only return the fragment.
  std::string Output;
  /// The linker script the link uses, and ld's -L: when given, the
  /// fragment is checked to take its sections there
  /// (apply/FragmentShadowing.h) before it is written.
  std::string Script;
  std::vector<std::string> SearchDirs;
  /// 'ramfit run' passes its memory_map, which may hold MEMORY alone.
  bool MemoryOnlyScriptPasses = false;
};

/// A plan that places nothing is an error, unless its budget held nothing
/// or the sources place its units: then a note to Diag.
llvm::Expected<std::string> ldscriptStep(const LdscriptStepOptions &Options,
                                         DiagnosticHandler Diag);

/// ramfit annotate: the planned functions marked in their sources.
struct AnnotateStepOptions {
  std::string Plan;
  /// The tree, its compile commands, the style, the scope: what the library
  /// call takes (apply/SourceRewriter.h). Its SplitParts and ResourceDir
  /// are the step's to fill, from the plan's ELF and the build of ramfit.
  AnnotateOptions Annotation;
  /// Rewrite the sources; otherwise the result holds a patch.
  bool InPlace = false;
  /// Outputs, each "" for none: the patch, and the units left to the
  /// linker fragment as a plan of their own (hybrid mode).
  std::string PatchOutput;
  std::string RemainingPlan;
  /// Called when another 'annotate -i' holds the tree, before waiting.
  std::function<void()> OnWaitForLock;
};

struct AnnotateStepResult {
  AnnotateResult Annotation;
  /// The unified diff, when not in place, and the folder its paths are
  /// relative to.
  std::string Patch;
  PatchRoot Root;
};

/// Notes and the units left to the fragment are diagnostics. A planned
/// function that could not be annotated because something is wrong (its
/// file does not parse or is not there, its macro is not visible) fails the
/// step, naming each, with nothing written.
llvm::Expected<AnnotateStepResult>
annotateStep(const AnnotateStepOptions &Options, DiagnosticHandler Diag);

/// ramfit check: the rebuilt ELF against the plan.
struct CheckStepOptions {
  std::string Plan;
  std::string Elf;
  std::string MemoryMap;
  /// A MEMORY region name, or NAME=ORIGIN,LENGTH.
  std::string Region;
  /// ld's -L directories, for the memory map's INCLUDEs.
  std::vector<std::string> SearchDirs;
  bool NoFlashCalls = false;
  /// Each call from RAM into flash as a warning of its own, not one summary.
  bool ListFlashCalls = false;
};

struct CheckStepResult {
  CheckResult Check;
  MemoryRegion Region;
  size_t PlannedUnits = 0;
};

/// Each finding is a diagnostic too, an error or a warning.
llvm::Expected<CheckStepResult> checkStep(const CheckStepOptions &Options,
                                          DiagnosticHandler Diag);

/// The documented exit code of a check that found a problem (1 is for
/// errors that stop a step).
constexpr int CheckFailedExitCode = 2;

} // namespace ramfit

#endif
