#include "apply/DefinitionFinder.h"
#include "support/Output.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Mangle.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <set>

using namespace llvm;
using namespace clang;
using namespace clang::ast_matchers;

namespace ramfit {

bool isMangled(StringRef Name) { return Name.startswith("_Z"); }

namespace {

/// Why a definition cannot be rewritten, or "" when it can.
std::string obstacle(const FunctionDecl &Function, const SourceManager &Sources,
                     SourceLocation NameLoc, SourceLocation Begin) {
  // A body that comes out of a macro has no text of its own to edit; a name
  // passed through one (MICROPY_WRAP_...(name)) or a STATIC in front does
  // not matter.
  SourceLocation Body = Function.getBody()->getBeginLoc();
  if (Body.isMacroID() && !Sources.isMacroArgExpansion(Body))
    return "it is written inside a macro body";
  if (Sources.isInSystemHeader(NameLoc))
    return "it is defined in a system header";
  if (Function.isInlineSpecified() &&
      Sources.getFileID(NameLoc) != Sources.getMainFileID())
    return "it is 'inline' in a header, compiled into every user";
  if (Sources.getFileID(Begin) != Sources.getFileID(NameLoc))
    return "its declaration starts in another file than its name";
  // GCC and Clang mangle C++ alike (Itanium ABI), but an attribute on the
  // template would place every instance, and a lambda has no declarator.
  if (Function.getTemplateSpecializationKind() == TSK_ImplicitInstantiation)
    return "it is an implicit instance of a template";
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&Function))
    if (Method->getParent()->isLambda())
      return "it is a lambda";
  return "";
}

/// Collects the definitions; as the source-file callbacks of the tool, it
/// also holds the preprocessor of the file being parsed, which says what
/// macros are defined where.
class DefinitionCollector : public MatchFinder::MatchCallback,
                            public tooling::SourceFileCallbacks {
public:
  DefinitionCollector(const std::vector<std::string> &Names, StringRef Macro)
      : Wanted(Names.begin(), Names.end()), Macro(Macro) {}

  bool handleBeginSource(CompilerInstance &Compiler) override {
    Preprocessor = &Compiler.getPreprocessor();
    return true;
  }

  void run(const MatchFinder::MatchResult &Result) override {
    const auto *Function = Result.Nodes.getNodeAs<FunctionDecl>("definition");
    const SourceManager &Sources = *Result.SourceManager;
    Definition Found;
    Found.Name = plannedName(*Function, *Result.Context);
    if (Found.Name.empty())
      return;
    Found.Spelled = Function->getNameAsString();
    Found.IsQualified = isa<CXXMethodDecl>(Function) ||
                        Function->getDeclContext()->isNamespace();
    Found.HasSection =
        llvm::any_of(Function->redecls(), [](const FunctionDecl *D) {
          return D->hasAttr<SectionAttr>();
        });
    SourceLocation NameLoc = Function->getLocation();
    NameLoc = NameLoc.isMacroID() && !Sources.isMacroArgExpansion(NameLoc)
                  ? Sources.getExpansionLoc(NameLoc)
                  : Sources.getSpellingLoc(NameLoc);
    // After any "template <>": the attribute goes before the declarator.
    SourceLocation Begin =
        Sources.getExpansionLoc(Function->getInnerLocStart());
    // Relative names are the compile command's directory's, not ours.
    if (const FileEntry *Entry =
            Sources.getFileEntryForID(Sources.getFileID(NameLoc)))
      Found.File = realPath(Entry->tryGetRealPathName());
    Found.Line = Sources.getSpellingLineNumber(NameLoc);
    Found.NameOffset = Sources.getFileOffset(NameLoc);
    Found.BeginOffset = Sources.getFileOffset(Begin);
    Found.Obstacle = obstacle(*Function, Sources, NameLoc, Begin);
    if (!Macro.empty() && Preprocessor)
      Found.MacroVisible = bool(Preprocessor->getMacroDefinitionAtLoc(
          Preprocessor->getIdentifierInfo(Macro), Begin));
    for (const FunctionDecl *Other : Function->redecls())
      if (Other != Function && !Other->isThisDeclarationADefinition()) {
        SourceLocation Where = Sources.getSpellingLoc(Other->getLocation());
        if (const FileEntry *Entry =
                Sources.getFileEntryForID(Sources.getFileID(Where)))
          Found.Prototypes.push_back(
              realPath(Entry->tryGetRealPathName()) + ":" +
              std::to_string(Sources.getSpellingLineNumber(Where)));
      }
    Definitions.push_back(std::move(Found));
  }

  std::vector<Definition> Definitions;

private:
  /// The planned name Function is, or "": its own name for C (and for
  /// extern "C" and main in C++), else one of its mangled names (a
  /// constructor has one per variant, C1 and C2).
  std::string plannedName(const FunctionDecl &Function, ASTContext &Context) {
    // isMain() is false under -ffreestanding, which firmware uses; GCC
    // never mangles main.
    bool IsMain =
        Function.getDeclContext()->getRedeclContext()->isFileContext() &&
        Function.getIdentifier() && Function.getName() == "main";
    if (!Context.getLangOpts().CPlusPlus || Function.isExternC() || IsMain) {
      std::string Name = Function.getNameAsString();
      return Wanted.count(Name) ? Name : "";
    }
    if (ManglerContext != &Context) {
      ManglerContext = &Context;
      Mangler = std::make_unique<ASTNameGenerator>(Context);
    }
    std::vector<std::string> Manglings = Mangler->getAllManglings(&Function);
    Manglings.push_back(Mangler->getName(&Function));
    for (const std::string &Mangled : Manglings)
      if (Wanted.count(Mangled))
        return Mangled;
    return "";
  }

  std::set<std::string> Wanted;
  StringRef Macro;
  clang::Preprocessor *Preprocessor = nullptr;
  /// The mangler of the translation unit being read.
  const ASTContext *ManglerContext = nullptr;
  std::unique_ptr<ASTNameGenerator> Mangler;
};

/// The one compile command that ramfit hands to Clang for a file.
class SingleCommandDatabase : public tooling::CompilationDatabase {
public:
  explicit SingleCommandDatabase(tooling::CompileCommand Command)
      : Command(std::move(Command)) {}
  std::vector<tooling::CompileCommand>
  getCompileCommands(StringRef) const override {
    return {Command};
  }

private:
  tooling::CompileCommand Command;
};

} // namespace

ParsedFile parseFile(const tooling::CompileCommand &Command,
                     const std::vector<std::string> &Names, StringRef Macro,
                     CrossCommands &Adapter) {
  ParsedFile Result;
  Expected<std::vector<std::string>> Args = Adapter.adapt(Command.CommandLine);
  if (!Args) {
    Result.Failure = toString(Args.takeError());
    return Result;
  }
  tooling::CompileCommand Adapted = Command;
  Adapted.CommandLine = std::move(*Args);
  // Only errors matter here; without carets Clang also keeps its "N errors
  // generated" count to itself.
  Adapted.CommandLine.insert(Adapted.CommandLine.begin() + 1,
                             {"-w", "-fno-caret-diagnostics"});
  SingleCommandDatabase Database(Adapted);
  // A file system of its own, whose working directory is not the
  // process's: files are parsed on several threads at once.
  tooling::ClangTool Tool(Database, {Command.Filename},
                          std::make_shared<PCHContainerOperations>(),
                          vfs::createPhysicalFileSystem());
  std::string Diagnostics;
  raw_string_ostream DiagnosticStream(Diagnostics);
  auto Options = std::make_unique<DiagnosticOptions>();
  TextDiagnosticPrinter Printer(DiagnosticStream, Options.release());
  Tool.setDiagnosticConsumer(&Printer);
  Tool.setPrintErrorMessage(false);
  DefinitionCollector Collector(Names, Macro);
  MatchFinder Finder;
  std::vector<StringRef> NameRefs(Names.begin(), Names.end());
  // A mangled name is found by mangling every definition.
  if (llvm::any_of(Names, [](StringRef Name) { return isMangled(Name); }))
    Finder.addMatcher(functionDecl(isDefinition()).bind("definition"),
                      &Collector);
  else
    Finder.addMatcher(
        functionDecl(isDefinition(), hasAnyName(NameRefs)).bind("definition"),
        &Collector);
  if (Tool.run(tooling::newFrontendActionFactory(&Finder, &Collector).get()) !=
      0) {
    Result.Failure = "Clang cannot parse it:\n" + DiagnosticStream.str();
    return Result;
  }
  Result.Definitions = std::move(Collector.Definitions);
  return Result;
}

} // namespace ramfit
