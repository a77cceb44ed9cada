//===- ProfileCommand.cpp - ramfit profile --------------------------------===//

#include "firmware/Binary.h"
#include "Commands.h"
#include "profile/Profile.h"
#include "plan/Report.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace ramfit::cli {

namespace {

enum class OutputFormat { Text, Json };

cl::opt<OutputFormat> Format(
    "format", cl::desc("Output format"), cl::init(OutputFormat::Text),
    cl::values(clEnumValN(OutputFormat::Text, "text", "a flat profile table"),
               clEnumValN(OutputFormat::Json, "json", "JSON")),
    cl::sub(ProfileCommand));
cl::opt<unsigned> Top("top",
                      cl::desc("Show only the first N functions (0: all)"),
                      cl::init(0), cl::sub(ProfileCommand));

} // namespace

int runProfile() {
  Expected<std::unique_ptr<Binary>> Elf = Binary::open(ElfPath);
  if (!Elf)
    return reportError(Elf.takeError());
  Expected<std::vector<SampleFile>> Files = readSamples();
  if (!Files)
    return reportError(Files.takeError());
  Expected<Profile> Result = buildProfile(**Elf, *Files, {AllowMismatch});
  if (!Result)
    return reportError(Result.takeError());
  if (Format == OutputFormat::Json)
    outs() << formatv("{0:2}", profileToJson(*Result)) << "\n";
  else
    printProfileText(*Result, outs(), Top);
  return 0;
}

} // namespace ramfit::cli
