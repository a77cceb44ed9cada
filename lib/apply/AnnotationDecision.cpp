#include "apply/AnnotationDecision.h"
#include "apply/SourceJobs.h"

using namespace llvm;
using namespace clang;

namespace ramfit {

tooling::Replacement annotationEdit(const Definition &D,
                                    const AnnotationStyle &Style) {
  switch (Style.Style) {
  case AnnotationStyle::Attribute:
    return tooling::Replacement(D.File, D.BeginOffset, 0,
                                "__attribute__((section(\"" + Style.Section +
                                    "." + D.Name + "\"))) ");
  case AnnotationStyle::Prefix:
    return tooling::Replacement(D.File, D.BeginOffset, 0, Style.Text + " ");
  case AnnotationStyle::Macro:
    return tooling::Replacement(D.File, D.NameOffset, D.Spelled.size(),
                                Style.Text + "(" + D.Spelled + ")");
  }
  llvm_unreachable("every style is handled");
}

AnnotationDecision decideAnnotation(const Definition &D,
                                    const AnnotationStyle &Style,
                                    StringRef Root) {
  auto Leave = [](std::string Why) {
    return AnnotationDecision{AnnotationDecision::LeaveToFragment,
                              std::move(Why)};
  };
  if (D.HasSection)
    return {AnnotationDecision::AlreadyAnnotated, ""};
  if (!D.Obstacle.empty())
    return Leave(D.Obstacle);
  bool Macro = Style.Style == AnnotationStyle::Macro;
  if (D.IsQualified && Macro)
    return Leave("a macro cannot wrap a C++ member's or namespaced "
                 "function's name (--style attribute or prefix can)");
  if (!isInsideRoot(D.File, Root))
    return Leave("its definition in '" + D.File +
                 "' is outside the source root");
  // The patched file would not compile; the fragment moves it as well
  // (tinyusb's files do not include CircuitPython's linker.h).
  if (Macro && !D.MacroVisible)
    return Leave("the macro " + Style.Text + " is not defined where " + D.File +
                 ":" + std::to_string(D.Line) +
                 " defines it (include the header that defines it to "
                 "annotate it)");
  return {AnnotationDecision::Annotate, ""};
}

/// The annotation a style writes, as a person reads it.
static std::string styleName(const AnnotationStyle &Style) {
  switch (Style.Style) {
  case AnnotationStyle::Attribute:
    return "__attribute__((section(\"" + Style.Section + ".NAME\")))";
  case AnnotationStyle::Prefix:
    return Style.Text;
  case AnnotationStyle::Macro:
    return Style.Text + "(NAME)";
  }
  llvm_unreachable("every style is handled");
}

/// What a freed unit's linker-script placement needs.
static const char ScriptAdvice[] =
    "a fragment from this plan no longer lists it, a line of the script's "
    "own must go";

/// How D is placed when it is not by ramfit's annotation: through the
/// macro its name is passed to (MICROPY_WRAP_MP_MAP_LOOKUP), or otherwise.
static std::string placedHow(const Definition &D, StringRef Text) {
  StringRef Before = Text.take_front(D.NameOffset).rtrim();
  if (Before.consume_back("(")) {
    Before = Before.rtrim();
    size_t Start = Before.find_last_not_of(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
    StringRef Macro =
        Before.drop_front(Start == StringRef::npos ? 0 : Start + 1);
    if (!Macro.empty())
      return "through the macro " + Macro.str();
  }
  return "with an attribute or macro of its own";
}

/// The edit that takes off the annotation annotationEdit() wrote on D, if
/// Text (D's file) has it exactly; an annotation of any other form was not
/// ramfit's.
static std::optional<tooling::Replacement>
unedit(const Definition &D, StringRef Text, const AnnotationStyle &Style) {
  if (Style.Style == AnnotationStyle::Macro) {
    std::string Open = Style.Text + "(";
    if (!Text.take_front(D.NameOffset).endswith(Open) ||
        !Text.drop_front(D.NameOffset + D.Spelled.size()).startswith(")"))
      return std::nullopt;
    return tooling::Replacement(D.File, D.NameOffset - Open.size(),
                                Open.size() + D.Spelled.size() + 1, D.Spelled);
  }
  std::string Written = annotationEdit(D, Style).getReplacementText().str();
  // Clang may start the declaration at the attribute or after it.
  if (Text.drop_front(D.BeginOffset).startswith(Written))
    return tooling::Replacement(D.File, D.BeginOffset, Written.size(), "");
  if (Text.take_front(D.BeginOffset).endswith(Written))
    return tooling::Replacement(D.File, D.BeginOffset - Written.size(),
                                Written.size(), "");
  return std::nullopt;
}

RemovalDecision decideRemoval(const Definition &D, const PlannedUnit &Unit,
                              StringRef Text, const AnnotationStyle &Style) {
  RemovalDecision Decision;
  if (!D.HasSection) {
    // In the compiler's own section, it is the linker script that places
    // it; otherwise an earlier run freed it already.
    if (StringRef(Unit.Section).startswith(".text")) {
      Decision.What = RemovalDecision::StillPlaced;
      Decision.Why = "the linker script places its section " + Unit.Section +
                     ": " + ScriptAdvice;
    }
    return Decision;
  }
  Decision.Removal = unedit(D, Text, Style);
  if (Decision.Removal) {
    Decision.What = RemovalDecision::Remove;
    return Decision;
  }
  Decision.What = RemovalDecision::StillPlaced;
  Decision.Why = D.File + ":" + std::to_string(D.Line) + " places it " +
                 placedHow(D, Text) + ", not with " + styleName(Style) +
                 " as ramfit writes it: take that off by hand if it need not "
                 "be in RAM, or plan with --keep-reachable " +
                 Unit.Name + " if it must (interrupt or flash code)";
  return Decision;
}

std::string whyFreedStaysPlaced(StringRef Reason, StringRef Section) {
  // In the compiler's own section, it is the script that places it;
  // otherwise an annotation this run did not look at (outside the scope).
  return Reason.str() + (Section.startswith(".text")
                             ? "; so it is the linker script that places it: " +
                                   std::string(ScriptAdvice)
                             : "; what puts it in " + Section.str() +
                                   " there is left as it is");
}

} // namespace ramfit
