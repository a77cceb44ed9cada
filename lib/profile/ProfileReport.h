//===- ProfileReport.h - A profile as a person or a script reads it -*- C++
//-*-===//
//
// The flat profile of 'ramfit profile', as text or JSON (docs/profile.md),
// and how counts and names are shown in every report.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_PROFILE_PROFILEREPORT_H
#define RAMFIT_PROFILE_PROFILEREPORT_H

#include "profile/Profile.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

namespace ramfit {

/// A flat profile in the manner of "pprof -top", sorted by self samples.
/// Limit 0 prints every function.
void printProfileText(const Profile &P, llvm::raw_ostream &OS,
                      size_t Limit = 0);

/// The profile as JSON (docs/profile.md), keys in sorted order.
void writeProfileJson(const Profile &P, llvm::raw_ostream &OS);

/// Weighted counts are whole numbers unless a fractional weight was given.
std::string formatCount(double Count);
llvm::json::Value countToJson(double Count);
double percent(double Part, double Whole);
/// C++ names as people read them; machines get the symbol too.
std::string readableName(const std::string &Symbol);

} // namespace ramfit

#endif
