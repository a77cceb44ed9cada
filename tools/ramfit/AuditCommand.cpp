//===- AuditCommand.cpp - ramfit audit ------------------------------------===//

#include "Commands.h"
#include "steps/AuditStep.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit::cli {

namespace {

cl::opt<std::string> AuditMap("map", cl::desc("The GNU ld map file of the ELF"),
                              cl::value_desc("FILE"), cl::Required,
                              cl::sub(AuditCommand));
cl::opt<std::string>
    AuditScript("script", cl::desc("The linker script the ELF was linked with"),
                cl::value_desc("SCRIPT"), cl::Required, cl::sub(AuditCommand));
cl::opt<std::string> AuditRegion("region",
                                 cl::desc("The MEMORY region RAM code runs in"),
                                 cl::value_desc("NAME"), cl::Required,
                                 cl::sub(AuditCommand));
cl::list<std::string>
    AuditSearchDirs("L",
                    cl::desc("Look for the script's INCLUDEs here too, after "
                             "the working directory (ld's -L)"),
                    cl::value_desc("DIR"), cl::Prefix, cl::sub(AuditCommand));
cl::opt<std::string> AuditFormat("format", cl::desc("text or json"),
                                 cl::init("text"), cl::sub(AuditCommand));
cl::opt<bool>
    FailOnProblems("fail",
                   cl::desc("Exit 2 when a pattern is stale, leaves its "
                            "functions in flash, or places them twice, or "
                            "code that must run from RAM is not there"),
                   cl::sub(AuditCommand));

} // namespace

int runAudit() {
  if (AuditFormat != "text" && AuditFormat != "json")
    return reportError(createStringError(
        inconvertibleErrorCode(), "--format: unknown format '" + AuditFormat +
                                      "' (accepted: text, json)"));
  Expected<RamRootOptions> Roots = rootOptions();
  if (!Roots)
    return reportError(Roots.takeError());
  AuditStepOptions Options;
  Options.Elf = ElfPath;
  Options.Map = AuditMap;
  Options.Script = AuditScript;
  Options.Region = AuditRegion;
  Options.SearchDirs = AuditSearchDirs;
  Options.Roots = std::move(*Roots);
  Expected<AuditResult> Result = auditStep(Options, printDiagnostic);
  if (!Result)
    return reportError(Result.takeError());
  if (AuditFormat == "json")
    outs() << formatv("{0:2}", auditToJson(*Result)) << "\n";
  else
    outs() << auditToText(*Result);
  return FailOnProblems && Result->problems() ? CheckFailedExitCode : 0;
}

} // namespace ramfit::cli
