#include "apply/CrossCommands.h"

#include "clang/Driver/Options.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/LineIterator.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/RISCVISAInfo.h"

using namespace llvm;

namespace ramfit {

std::vector<std::string>
CrossCommands::targetFlags(ArrayRef<std::string> Command) {
  static const char *const Prefixes[] = {
      "-march=", "-mabi=",   "-mcpu=",    "-mfloat-abi=",
      "-mfpu=",  "--specs=", "--sysroot="};
  std::vector<std::string> Flags{Command.front()};
  for (size_t I = 1; I < Command.size(); ++I) {
    StringRef Arg = Command[I];
    if (Arg == "-mthumb" || Arg == "-marm" || Arg == "-ffreestanding" ||
        Arg == "-nostdinc" || llvm::any_of(Prefixes, [&](const char *P) {
          return Arg.startswith(P);
        }))
      Flags.push_back(Arg.str());
    else if (Arg == "--sysroot" && I + 1 < Command.size()) {
      Flags.push_back(Arg.str());
      Flags.push_back(Command[++I]);
    }
  }
  return Flags;
}

std::string CrossCommands::clangRiscvArch(StringRef GccArch) {
  auto Accepted = [](StringRef Arch) {
    Expected<std::unique_ptr<RISCVISAInfo>> Info =
        RISCVISAInfo::parseArchString(Arch, /*EnableExperimentalExtension=*/
                                      false);
    if (Info)
      return true;
    consumeError(Info.takeError());
    return false;
  };
  if (Accepted(GccArch))
    return GccArch.str();
  SmallVector<StringRef, 8> Parts;
  GccArch.split(Parts, '_');
  std::string Arch = Parts.front().str();
  for (StringRef Extension : ArrayRef(Parts).drop_front()) {
    // "zicsr2p0": the name without its version.
    StringRef Name = Extension.rtrim("0123456789p");
    if (RISCVISAInfo::isSupportedExtension(Name) &&
        Accepted(Arch + "_" + Extension.str()))
      Arch += "_" + Extension.str();
  }
  return Arch;
}

namespace {

/// Runs the driver on an empty C file and returns what it printed.
Expected<std::string> runDriver(ArrayRef<std::string> Flags,
                                ArrayRef<StringRef> Extra, bool WantStderr) {
  ErrorOr<std::string> Program = sys::findProgramByName(Flags.front());
  if (!Program)
    return createStringError(inconvertibleErrorCode(),
                             "cannot find the compiler '" + Flags.front() +
                                 "' of compile_commands.json");
  SmallString<128> Output;
  if (std::error_code EC =
          sys::fs::createTemporaryFile("ramfit-driver", "txt", Output))
    return createStringError(EC, "cannot create a temporary file");
  std::vector<StringRef> Args(Flags.begin(), Flags.end());
  Args.insert(Args.end(), Extra.begin(), Extra.end());
  StringRef Nowhere = "", Captured = Output;
  std::optional<StringRef> Redirects[] = {Nowhere,
                                          WantStderr ? Nowhere : Captured,
                                          WantStderr ? Captured : Nowhere};
  std::string Message;
  int Status = sys::ExecuteAndWait(*Program, Args, std::nullopt, Redirects,
                                   /*SecondsToWait=*/60, 0, &Message);
  auto Text = MemoryBuffer::getFile(Output);
  sys::fs::remove(Output);
  if (Status != 0 || !Text)
    return createStringError(inconvertibleErrorCode(),
                             "'" + join(Args, " ") + "' failed" +
                                 (Message.empty() ? "" : ": " + Message));
  return (*Text)->getBuffer().str();
}

/// GCC's own headers (stddef.h, stdint-gcc.h) live in its private include
/// directories; Clang brings its own through -resource-dir.
bool isGccBuiltinDir(StringRef Dir) {
  return Dir.contains("/lib/gcc/") &&
         (Dir.endswith("/include") || Dir.endswith("/include-fixed"));
}

/// The driver's own target ("riscv64-unknown-elf", "x86_64-linux-gnu" for a
/// plain "gcc"), narrowed to 32 bits by -march as GCC's multilibs are.
std::string tripleFor(ArrayRef<std::string> Flags, StringRef DumpMachine) {
  std::string Triple = DumpMachine.trim().str();
  for (StringRef Flag : Flags) {
    if (Flag.startswith("-march=rv32") && StringRef(Triple).startswith("riscv"))
      return "riscv32" + Triple.substr(Triple.find('-'));
  }
  return Triple;
}

} // namespace

Expected<DriverFacts> CrossCommands::query(ArrayRef<std::string> Command) {
  std::vector<std::string> Flags = targetFlags(Command);
  std::lock_guard<std::mutex> Guard(Lock);
  auto Cached = Cache.find(Flags);
  if (Cached != Cache.end())
    return Cached->second;

  DriverFacts Facts;
  Expected<std::string> Machine = runDriver(Flags, {"-dumpmachine"}, false);
  if (!Machine)
    return Machine.takeError();
  Facts.Target = tripleFor(Flags, *Machine);
  Expected<std::string> Verbose =
      runDriver(Flags, {"-E", "-v", "-x", "c", "/dev/null"}, true);
  if (!Verbose)
    return Verbose.takeError();
  bool InList = false;
  for (StringRef Line : split(*Verbose, '\n')) {
    if (Line.startswith("#include <...> search starts here"))
      InList = true;
    else if (Line.startswith("End of search list"))
      InList = false;
    else if (InList) {
      SmallString<256> Dir(Line.trim());
      sys::path::remove_dots(Dir, /*remove_dot_dot=*/true);
      if (!isGccBuiltinDir(Dir))
        Facts.SystemIncludes.push_back(Dir.str().str());
    }
  }
  Expected<std::string> Macros =
      runDriver(Flags, {"-dM", "-E", "-x", "c", "/dev/null"}, false);
  if (!Macros)
    return Macros.takeError();
  // "#define __INT32_TYPE__ long int": uint32_t must be the type the DWARF
  // and GCC say, or a prototype would not match its definition.
  std::string Major, Minor = "0", Patch = "0";
  for (StringRef Line : split(*Macros, '\n')) {
    if (!Line.consume_front("#define "))
      continue;
    auto [Name, Value] = Line.split(' ');
    if (Name == "__GNUC__")
      Major = Value.str();
    else if (Name == "__GNUC_MINOR__")
      Minor = Value.str();
    else if (Name == "__GNUC_PATCHLEVEL__")
      Patch = Value.str();
    if (Name.endswith("_TYPE__") && Name.startswith("__")) {
      Facts.TypeMacros.push_back("-U" + Name.str());
      Facts.TypeMacros.push_back("-D" + Name.str() + "=" + Value.str());
    }
  }
  if (!Major.empty())
    Facts.GnuVersion = Major + "." + Minor + "." + Patch;
  Cache[Flags] = Facts;
  return Facts;
}

Expected<std::vector<std::string>>
CrossCommands::adapt(ArrayRef<std::string> Command) {
  if (Command.empty())
    return createStringError(inconvertibleErrorCode(), "empty compile command");
  if (sys::path::filename(Command.front()).contains("clang"))
    return Command.vec();
  Expected<DriverFacts> Facts = query(Command);
  if (!Facts)
    return Facts.takeError();

  std::vector<std::string> Result{"clang", "--target=" + Facts->Target,
                                  "-nostdlibinc",
                                  "-resource-dir=" + ResourceDir};
  for (const std::string &Dir : Facts->SystemIncludes) {
    Result.push_back("-isystem");
    Result.push_back(Dir);
  }
  Result.insert(Result.end(), Facts->TypeMacros.begin(),
                Facts->TypeMacros.end());
  if (!Facts->GnuVersion.empty())
    Result.push_back("-fgnuc-version=" + Facts->GnuVersion);

  // Keep what Clang's driver knows; GCC-only flags such as
  // -fno-tree-loop-distribute-patterns or -fcallgraph-info=su are fatal.
  const opt::OptTable &Options = clang::driver::getDriverOptTable();
  std::vector<const char *> Args;
  for (size_t I = 1; I < Command.size(); ++I)
    Args.push_back(Command[I].c_str());
  unsigned MissingIndex = 0, MissingCount = 0;
  // Clang's table also holds clang-cl's "/O2"-style options: not these.
  opt::InputArgList Parsed =
      Options.ParseArgs(Args, MissingIndex, MissingCount, /*FlagsToInclude=*/0,
                        clang::driver::options::CLOption |
                            clang::driver::options::NoDriverOption);
  for (const opt::Arg *A : Parsed) {
    if (A->getOption().getKind() == opt::Option::UnknownClass)
      continue;
    opt::ArgStringList Rendered;
    A->render(Parsed, Rendered);
    for (StringRef Arg : Rendered)
      Result.push_back(StringRef(Facts->Target).startswith("riscv") &&
                               Arg.consume_front("-march=")
                           ? "-march=" + clangRiscvArch(Arg)
                           : Arg.str());
  }
  return Result;
}

} // namespace ramfit
