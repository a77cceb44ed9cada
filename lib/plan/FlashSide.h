//===- FlashSide.h - What moving code to RAM costs in flash ------*- C++
//-*-===//
//
// Moving code to RAM does not free flash: the startup code copies it from
// an image there. And the code that stays behind calls it from further
// away: a RISC-V 'jal' or 'c.jal' into it becomes an 'auipc'+'jalr' pair
// where RAM is out of its reach, and a Thumb 'bl' goes through a veneer
// that ld adds to flash, one per target. When flash is nearly full, that
// decides whether the plan links at all.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PLAN_FLASHSIDE_H
#define RAMFIT_PLAN_FLASHSIDE_H

#include "firmware/Binary.h"
#include "firmware/Calls.h"
#include "plan/Units.h"

#include "llvm/ADT/ArrayRef.h"
#include <cstdint>
#include <optional>
#include <string>

namespace ramfit {

struct FlashGrowth {
  /// The chosen units' sections as they were in flash, and the image of
  /// them laid out in RAM (the plan's 'used'), which flash holds instead.
  uint64_t MovedBytes = 0;
  uint64_t ImageBytes = 0;
  /// RISC-V: calls from code left in flash into moved code that grow.
  unsigned LongerCalls = 0;
  uint64_t CallBytes = 0;
  /// Arm: one veneer in flash per moved target a 'bl' there no longer
  /// reaches.
  unsigned Veneers = 0;
  uint64_t VeneerBytes = 0;
  /// Units in RAM already that the plan frees: they come back to flash,
  /// which the estimate does not count.
  unsigned Freed = 0;

  /// Bytes flash grows by (less than 0 when it shrinks).
  int64_t total() const {
    return int64_t(ImageBytes) - int64_t(MovedBytes) + int64_t(CallBytes) +
           int64_t(VeneerBytes);
  }
  /// "flash grows by N bytes: ..." with each part that is not zero.
  std::string describe() const;
};

/// What flash grows by when Chosen (indices into Units) moves to
/// Destination, laid out in ImageBytes: every function Elf keeps in flash
/// is scanned for its calls into them. Without Destination every such call
/// is taken as out of reach.
FlashGrowth flashGrowth(const Binary &Elf, const CallScanner &Calls,
                        llvm::ArrayRef<PlacementUnit> Units,
                        llvm::ArrayRef<size_t> Chosen, uint64_t ImageBytes,
                        std::optional<llvm::AddressRange> Destination);

} // namespace ramfit

#endif
