//===- Report.h - What ramfit shows a person, as text or JSON ---*- C++ -*-===//
#ifndef RAMFIT_REPORT_H
#define RAMFIT_REPORT_H

#include "Profile.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace ramfit {

/// A flat profile in the manner of "pprof -top", sorted by self samples.
/// Limit 0 prints every function.
void printProfileText(const Profile &P, llvm::raw_ostream &OS,
                      size_t Limit = 0);

llvm::json::Value profileToJson(const Profile &P);

} // namespace ramfit

#endif
