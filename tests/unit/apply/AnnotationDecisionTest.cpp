#include "apply/AnnotationDecision.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

/// "int vm_step(int op) { ... }" at the start of /tree/py/vm.c, line 3.
const char *Source = "int vm_step(int op) { return op; }\n";

Definition vmStep() {
  Definition D;
  D.Name = D.Spelled = "vm_step";
  D.File = "/tree/py/vm.c";
  D.Line = 3;
  D.BeginOffset = 0;
  D.NameOffset = 4;
  return D;
}

AnnotationStyle macro(const char *Name) {
  AnnotationStyle Style;
  Style.Style = AnnotationStyle::Macro;
  Style.Text = Name;
  return Style;
}

std::string applied(llvm::StringRef Text,
                    const clang::tooling::Replacement &Edit) {
  clang::tooling::Replacements All(Edit);
  llvm::Expected<std::string> After =
      clang::tooling::applyAllReplacements(Text, All);
  EXPECT_TRUE(bool(After));
  return After ? *After : "";
}

TEST(AnnotationDecisionTest, AnnotatesAPlainDefinitionInsideTheRoot) {
  Definition D = vmStep();
  AnnotationStyle Attribute;
  EXPECT_EQ(decideAnnotation(D, Attribute, "/tree").What,
            AnnotationDecision::Annotate);
  EXPECT_EQ(applied(Source, annotationEdit(D, Attribute)),
            "__attribute__((section(\".ramtext.vm_step\"))) int vm_step(int "
            "op) { return op; }\n");
  EXPECT_EQ(applied(Source, annotationEdit(D, macro("PLACE_IN_ITCM"))),
            "int PLACE_IN_ITCM(vm_step)(int op) { return op; }\n");
}

// Each reason to leave a definition to the fragment, in the order they are
// checked: an annotation already there wins over everything else.
TEST(AnnotationDecisionTest, LeavesToTheFragmentWhatItCannotAnnotate) {
  AnnotationStyle Macro = macro("PLACE_IN_ITCM");
  Definition Annotated = vmStep();
  Annotated.HasSection = true;
  Annotated.MacroVisible = false;
  EXPECT_EQ(decideAnnotation(Annotated, Macro, "/tree").What,
            AnnotationDecision::AlreadyAnnotated);

  Definition FromAMacro = vmStep();
  FromAMacro.Obstacle = "its name is made by a macro";
  AnnotationDecision Decision = decideAnnotation(FromAMacro, Macro, "/tree");
  EXPECT_EQ(Decision.What, AnnotationDecision::LeaveToFragment);
  EXPECT_EQ(Decision.Why, "its name is made by a macro");

  Definition Member = vmStep();
  Member.IsQualified = true;
  Decision = decideAnnotation(Member, Macro, "/tree");
  EXPECT_EQ(Decision.What, AnnotationDecision::LeaveToFragment);
  EXPECT_NE(Decision.Why.find("a macro cannot wrap"), std::string::npos);
  EXPECT_EQ(decideAnnotation(Member, AnnotationStyle(), "/tree").What,
            AnnotationDecision::Annotate);

  Decision = decideAnnotation(vmStep(), Macro, "/elsewhere");
  EXPECT_EQ(Decision.Why,
            "its definition in '/tree/py/vm.c' is outside the source root");

  Definition Unseen = vmStep();
  Unseen.MacroVisible = false;
  Decision = decideAnnotation(Unseen, Macro, "/tree");
  EXPECT_EQ(Decision.What, AnnotationDecision::LeaveToFragment);
  EXPECT_EQ(Decision.Why, "the macro PLACE_IN_ITCM is not defined where "
                          "/tree/py/vm.c:3 defines it (include the header "
                          "that defines it to annotate it)");
  EXPECT_EQ(decideAnnotation(Unseen, AnnotationStyle(), "/tree").What,
            AnnotationDecision::Annotate);
}

TEST(AnnotationDecisionTest, TakesOffOnlyTheAnnotationRamfitWrote) {
  PlannedUnit Unit;
  Unit.Name = "vm_step";
  Unit.Section = ".ramtext.vm_step";
  AnnotationStyle Macro = macro("PLACE_IN_ITCM");
  std::string Annotated = applied(Source, annotationEdit(vmStep(), Macro));
  Definition D = vmStep();
  D.HasSection = true;
  D.NameOffset = 4 + std::string("PLACE_IN_ITCM(").size();
  RemovalDecision Decision = decideRemoval(D, Unit, Annotated, Macro);
  ASSERT_EQ(Decision.What, RemovalDecision::Remove);
  EXPECT_EQ(applied(Annotated, *Decision.Removal), Source);

  // Another macro placed it: said, not touched.
  std::string Theirs = "int MICROPY_WRAP(vm_step)(int op) { return op; }\n";
  D.NameOffset = 4 + std::string("MICROPY_WRAP(").size();
  Decision = decideRemoval(D, Unit, Theirs, Macro);
  EXPECT_EQ(Decision.What, RemovalDecision::StillPlaced);
  EXPECT_EQ(Decision.Why.find("/tree/py/vm.c:3 places it through the macro "
                              "MICROPY_WRAP, not with PLACE_IN_ITCM(NAME)"),
            0u);

  // No annotation: the linker script places a .text section; anything
  // else an earlier run freed already.
  Definition Plain = vmStep();
  Unit.Section = ".text.vm_step";
  Decision = decideRemoval(Plain, Unit, Source, Macro);
  EXPECT_EQ(Decision.What, RemovalDecision::StillPlaced);
  EXPECT_NE(Decision.Why.find("the linker script places its section "
                              ".text.vm_step"),
            std::string::npos);
  Unit.Section = ".ramtext.vm_step";
  EXPECT_EQ(decideRemoval(Plain, Unit, Source, Macro).What,
            RemovalDecision::NothingToRemove);
}

} // namespace
