//===- FoldedStacks.h - Samples as folded stacks -------------------*- C++
//-*-===//
//
// The samples as Brendan Gregg's folded stacks, what flamegraph.pl,
// speedscope and inferno read: one line per distinct stack, its functions
// from the outermost to the sampled one joined by ';', then the samples:
//
//   main;run_filter;fir_filter 41
//
// A 'p $pc' sample is a stack of one function. Functions are named as
// people read them (C++ demangled); code no function holds by its address.
// 'ramfit profile --samples-format folded' reads the lines back.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PROFILE_FOLDEDSTACKS_H
#define RAMFIT_PROFILE_FOLDEDSTACKS_H

#include "firmware/Binary.h"
#include "samples/Samples.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace ramfit {

struct FoldedStack {
  /// "main;run_filter;fir_filter".
  std::string Frames;
  /// Weighted as the files are.
  double Samples = 0;
};

/// The distinct stacks of Files against Elf, sorted by their text.
std::vector<FoldedStack> foldStacks(const Binary &Elf,
                                    llvm::ArrayRef<SampleFile> Files);

/// One line per stack.
void writeFoldedStacks(llvm::ArrayRef<FoldedStack> Stacks,
                       llvm::raw_ostream &OS);

} // namespace ramfit

#endif
