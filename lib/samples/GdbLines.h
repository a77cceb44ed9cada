//===- GdbLines.h - What one line of gdb's output says ----------*- C++ -*-===//
//
// The pieces of gdb's output the log reader is built from: its prompt, the
// lines that announce an interruption, the noise around the samples, a
// "<symbol+offset>" and a frame's location.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_SAMPLES_GDBLINES_H
#define RAMFIT_SAMPLES_GDBLINES_H

#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>

namespace ramfit {

/// How many decimal digits Text starts with. Written out: it runs for most
/// lines of a log, and find_first_not_of builds a table each call.
size_t leadingDigits(llvm::StringRef Text);

/// Line without the "(gdb) " prompts in front of it; empty for a bare one.
llvm::StringRef stripPrompts(llvm::StringRef Line);

/// "Program received signal SIGINT", "Program stopped.".
bool isInterruption(llvm::StringRef Line);

/// Whether Line can only come from a gdb log: how the format is detected.
bool isGdbLogMarker(llvm::StringRef Line);

/// Lines gdb writes around the samples, none of which is one.
bool isNoise(llvm::StringRef Line);

/// "<symbol+offset>", "<symbol>".
struct SymbolText {
  llvm::StringRef Symbol;
  uint64_t Offset = 0;
};

std::optional<SymbolText> parseSymbolText(llvm::StringRef Text);

/// A PC as a line shows it: the address and, where gdb gave one, the
/// "<symbol+offset>" after it.
struct PcText {
  llvm::StringRef Address;
  llvm::StringRef Symbol;
};

/// "$N = (void (*)()) 0x80002a4a <gc_alloc+144>" from 'p $pc',
/// "$N = 0x80002a4a" from 'p/x $pc'. Other values are the user's own
/// prints and are not samples.
struct ValueLine {
  enum { NotUnderstood, NotAPc, CodeAddress } Kind;
  PcText Pc;
};
ValueLine parseValueLine(llvm::StringRef Line);

/// "=> 0x80000136 <lookup_slot+30>:\tlw\ta5,0(a4)" from 'x/i $pc'.
PcText parseInstructionLine(llvm::StringRef Line);

/// "pc             0x80000136\t0x80000136 <lookup_slot+30>" from
/// 'info registers pc'; nothing when the line has other words.
std::optional<PcText> parseRegisterLine(llvm::StringRef Line);

/// Where a stop line or a frame says the code is:
///   [0xADDR in ]NAME (ARGS)[ at FILE:LINE | from LIBRARY]
/// gdb shows the address only where the PC is not at the start of a line.
struct Location {
  std::optional<uint64_t> Address;
  /// Empty for "??": gdb knew no function there.
  llvm::StringRef Function;
  llvm::StringRef File;
};

std::optional<Location> parseLocation(llvm::StringRef Text);

} // namespace ramfit

#endif
