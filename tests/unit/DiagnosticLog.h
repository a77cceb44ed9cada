// Keeps the diagnostics the library reports, so that tests assert them.
#ifndef RAMFIT_TESTS_DIAGNOSTIC_LOG_H
#define RAMFIT_TESTS_DIAGNOSTIC_LOG_H

#include "support/Diagnostics.h"

#include <string>
#include <vector>

/// Passed where the library takes a DiagnosticHandler.
class DiagnosticLog {
public:
  void operator()(const ramfit::Diagnostic &D) { Seen.push_back(D); }

  std::vector<std::string> messages(ramfit::Severity Level) const {
    std::vector<std::string> Messages;
    for (const ramfit::Diagnostic &D : Seen)
      if (D.Level == Level)
        Messages.push_back(D.Message);
    return Messages;
  }
  std::vector<std::string> warnings() const {
    return messages(ramfit::Severity::Warning);
  }
  std::vector<std::string> notes() const {
    return messages(ramfit::Severity::Note);
  }
  bool empty() const { return Seen.empty(); }

private:
  std::vector<ramfit::Diagnostic> Seen;
};

#endif
