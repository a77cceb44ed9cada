//===- MemoryMap.h - Memory regions and sizes, as GNU ld writes them -*- C++
//-*-===//
//
// Reads the MEMORY command of a linker script (following INCLUDE), and the
// sizes users write for budgets: 16384, 0x4000, 16K, 16KiB, 1M.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_MEMORYMAP_H
#define RAMFIT_MEMORYMAP_H

#include "firmware/Binary.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace ramfit {

struct MemoryRegion {
  std::string Name;
  uint64_t Origin = 0;
  uint64_t Length = 0;

  bool contains(uint64_t Address) const {
    return Origin <= Address && Address - Origin < Length;
  }
};

/// "16384", "0x4000", "16K", "16KiB", "1M", "1MiB". Errors name the text.
llvm::Expected<uint64_t> parseSize(llvm::StringRef Text);

/// The MEMORY regions of a linker script and of the scripts it INCLUDEs,
/// looked up beside the including script and in SearchDirs.
llvm::Expected<std::vector<MemoryRegion>>
readMemoryRegions(llvm::StringRef ScriptPath,
                  const std::vector<std::string> &SearchDirs = {});
/// The same for a script already in memory; ScriptPath names it in errors
/// and is where its INCLUDEs are looked up.
llvm::Expected<std::vector<MemoryRegion>>
parseMemoryRegions(llvm::StringRef ScriptPath, llvm::StringRef Text,
                   const std::vector<std::string> &SearchDirs = {});

/// The script and the files its top-level INCLUDEs bring in, as
/// readMemoryRegions follows them: what a change of the memory map is.
llvm::Expected<std::vector<std::string>>
memoryMapFiles(llvm::StringRef ScriptPath,
               const std::vector<std::string> &SearchDirs = {});

/// "RAM=0x10000000,128K".
llvm::Expected<MemoryRegion> parseRegion(llvm::StringRef Text);

/// The region called Name, or an error naming Script.
llvm::Expected<MemoryRegion>
findRegion(const std::vector<MemoryRegion> &Regions, llvm::StringRef Script,
           llvm::StringRef Name);

/// "RAM=0x10000000,128K" on its own, or NAME looked up in Script's MEMORY
/// (its INCLUDEs found as ld finds them, with SearchDirs for -L).
llvm::Expected<MemoryRegion>
resolveRegion(llvm::StringRef Script, llvm::StringRef Name,
              const std::vector<std::string> &SearchDirs = {});

/// What is left of Region once the ELF's allocated sections in it, the
/// stack and heap the script keeps there without a section (between
/// __StackLimit and __StackTop, __HeapBase and __HeapLimit) and Reserve
/// bytes are taken: the budget for "--budget auto". A note to Diag says
/// what of the stack and heap was left out.
llvm::Expected<uint64_t> freeBytes(const std::vector<MemoryRegion> &Regions,
                                   llvm::StringRef Script,
                                   llvm::StringRef Region, const Binary &Elf,
                                   uint64_t Reserve,
                                   std::optional<DiagnosticHandler> Diag);

/// A budget as the user gives it: a size, or "auto" with the linker script
/// and region to measure and the bytes to keep in reserve.
struct BudgetSpec {
  std::string Size;
  std::string Script;
  std::string Region;
  std::string Reserve = "0";
  /// ld's -L directories, where the script's INCLUDEs are looked up.
  std::vector<std::string> SearchDirs;
};

/// "auto" or a size, checked and kept as given for resolveBudget.
llvm::Expected<std::string> parseBudget(llvm::StringRef Text);

/// With "auto", a region that holds the ELF's entry point is flash (or
/// all memory): a warning to Diag says so.
llvm::Expected<uint64_t> resolveBudget(const BudgetSpec &Spec,
                                       const Binary &Elf,
                                       DiagnosticHandler Diag);

/// A size budget (not "auto") larger than what the region Spec names has
/// free for code is an error naming both; PlacedBytes, code already in the
/// region that the plan keeps or frees, counts as free. Without a memory map
/// and region there is nothing to compare with.
llvm::Error checkBudgetFits(const BudgetSpec &Spec, uint64_t Budget,
                            uint64_t PlacedBytes, const Binary &Elf);

/// Warns when Region holds where the firmware starts: the region code is
/// meant to leave, not RAM (a "RAM" region that spans flash too).
void warnIfRegionHoldsTheEntry(const MemoryRegion &Region, const Binary &Elf,
                               DiagnosticHandler Diag);

} // namespace ramfit

#endif
