//===- GdbNames.h - The names gdb gives code ---------------------*- C++
//-*-===//
//
// gdb names the code it stops in by more than its symbol: a clone by its
// DWARF name ("lookup_slot" for "lookup_slot.part.0.constprop.0"), C++ by
// its demangled name with or without the parameters ("main()" too, though
// the symbol is not mangled), inlined code by the function inlined there,
// nested assembly entry points by any of their names. Whether a name in a
// log fits an address of the ELF is how a log is told from another build's.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PROFILE_GDBNAMES_H
#define RAMFIT_PROFILE_GDBNAMES_H

#include "firmware/Binary.h"

#include "llvm/ADT/StringRef.h"
#include <cstdint>

namespace ramfit {

/// Whether gdb may call the code at Address of Elf Name: the name of a
/// symbol whose function holds it (aliases and the assembly entry points
/// nested in one another included), the DWARF name or the parent of a clone
/// there, its demangled name with or without the parameters, or a function
/// inlined there.
bool gdbMayName(const Binary &Elf, llvm::StringRef Name, uint64_t Address);

/// "f(int) const" is f: gdb gives C++ functions their parameters, also
/// those whose symbol is not mangled ("main()", extern "C" functions).
llvm::StringRef withoutParameters(llvm::StringRef Name);

} // namespace ramfit

#endif
