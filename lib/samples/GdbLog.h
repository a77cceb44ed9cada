//===- GdbLog.h - Samples from gdb's own logs ------------------*- C++ -*-===//
//
// What gdb 13 writes with 'set logging on' while a user (or a script, or a
// pipe) interrupts the target and asks where it is: 'p $pc', 'p/x $pc',
// 'info registers pc', 'x/i $pc', 'bt', 'bt N', 'where', the stop line after
// each interruption, and all the noise around them. Commands read from a
// pipe or a script put gdb's prompt "(gdb) " in front of the first line of
// their output; a terminal does not.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_GDBLOG_H
#define RAMFIT_GDBLOG_H

#include "samples/LineParser.h"
#include "support/Diagnostics.h"

#include <memory>

namespace ramfit {

/// Lines it skips without understanding them are counted and reported to
/// Diag once, at the end, with the first of them.
std::unique_ptr<LineParser> makeGdbLogParser(SampleFile &Out,
                                             DiagnosticHandler Diag);

} // namespace ramfit

#endif
