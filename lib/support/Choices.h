//===- Choices.h - Option values that are one of a few names ----*- C++ -*-===//
//
// One parser per choice, shared by the command line and ramfit.yaml, so
// that a misspelt value is refused the same way wherever it is given, with
// the values that would have been accepted.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_SUPPORT_CHOICES_H
#define RAMFIT_SUPPORT_CHOICES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>

namespace ramfit {

/// One accepted value and the name it is given by.
template <typename T> struct NamedValue {
  llvm::StringLiteral Name;
  T Value;
};

/// "unknown WHAT 'TEXT' (accepted: a, b, c)" unless Text names a choice.
template <typename T>
llvm::Expected<T> parseChoice(llvm::StringRef What, llvm::StringRef Text,
                              llvm::ArrayRef<NamedValue<T>> Choices) {
  std::string Accepted;
  for (const NamedValue<T> &C : Choices) {
    if (Text == C.Name)
      return C.Value;
    Accepted += (Accepted.empty() ? "" : ", ") + C.Name.str();
  }
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "unknown " + What + " '" + Text +
                                     "' (accepted: " + Accepted + ")");
}

/// "; did you mean 'NAME'?" for the name in Names within two edits of
/// Given, the nearest; "" when none is that near.
inline std::string didYouMean(llvm::StringRef Given,
                              llvm::ArrayRef<llvm::StringRef> Names) {
  llvm::StringRef Nearest;
  unsigned Distance = 3;
  for (llvm::StringRef Name : Names)
    if (unsigned D = Given.edit_distance(Name); D < Distance) {
      Distance = D;
      Nearest = Name;
    }
  return Nearest.empty() ? "" : "; did you mean '" + Nearest.str() + "'?";
}

template <typename T>
llvm::StringRef choiceName(T Value, llvm::ArrayRef<NamedValue<T>> Choices) {
  for (const NamedValue<T> &C : Choices)
    if (C.Value == Value)
      return C.Name;
  llvm_unreachable("every value has a name");
}

} // namespace ramfit

#endif
