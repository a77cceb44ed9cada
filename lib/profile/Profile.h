//===- Profile.h - Samples attributed to the functions of an ELF -*- C++
//-*-===//
//
// Self samples go to the out-of-line function whose code holds the sampled
// PC: that function is what would move to RAM. Cumulative samples count each
// function once per stack, and the parent of a GCC clone with its clone.
// Functions inlined at a frame belong to the function they were inlined
// into, which lists them.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PROFILE_H
#define RAMFIT_PROFILE_H

#include "firmware/Binary.h"
#include "samples/Samples.h"

#include "llvm/ADT/ArrayRef.h"
#include <optional>
#include <string>
#include <vector>

namespace ramfit {

/// Code inlined into a function, counted once per stack that runs it.
struct InlinedProfile {
  std::string Name;
  std::string File;
  unsigned Line = 0;
  double Samples = 0;
};

struct FunctionProfile {
  std::string Name;
  std::string File;
  unsigned Line = 0;
  /// As in FunctionInfo: the translation unit's source, the ELF's section.
  std::string CompileUnit;
  std::string OutputSection;
  std::string Parent;
  uint64_t Address = 0;
  uint64_t Size = 0;
  double Self = 0;
  double Cumulative = 0;
  /// Functions inlined into this one where samples fell, most first.
  std::vector<InlinedProfile> Inlined;
};

/// F's row, with no samples yet: the one conversion from the ELF's view of
/// a function to the profile's.
FunctionProfile profileRowOf(const FunctionInfo &F);

/// Samples that no function of the ELF holds, by address range or by the
/// name the samples gave.
struct UnattributedSamples {
  std::string What;
  double Samples = 0;
};

struct Profile {
  std::string ElfPath;
  bool HasDebugInfo = false;
  double TotalSamples = 0;
  /// For cycle profiles, the modelled cycles of their runs (weighted): the
  /// samples are then the stall cycles RAM would save. 0 for PC samples.
  double ModelledCycles = 0;
  double AttributedSamples = 0;
  double UnattributedTotal = 0;
  /// Sorted by self samples, most first.
  std::vector<FunctionProfile> Functions;
  /// Sorted by samples, most first.
  std::vector<UnattributedSamples> Unattributed;
};

struct ProfileOptions {
  /// Go on when gdb's <symbol+offset> disagrees with the ELF.
  bool AllowMismatch = false;
};

/// Samples the ELF cannot place, and tolerated disagreements with it, are
/// warnings to Diag.
llvm::Expected<Profile> buildProfile(const Binary &Elf,
                                     llvm::ArrayRef<SampleFile> Files,
                                     const ProfileOptions &Options,
                                     DiagnosticHandler Diag);

} // namespace ramfit

#endif
