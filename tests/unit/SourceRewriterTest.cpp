#include "SourceRewriter.h"

#include "llvm/Support/FileSystem.h"
#include "gtest/gtest.h"

using namespace ramfit;

namespace {

TEST(SourceRewriterTest, Styles) {
  llvm::Expected<AnnotationStyle> Attribute =
      AnnotationStyle::parse("attribute", ".itcm");
  ASSERT_TRUE(bool(Attribute));
  EXPECT_EQ(AnnotationStyle::Attribute, Attribute->Style);
  EXPECT_EQ(".itcm", Attribute->Section);
  llvm::Expected<AnnotationStyle> Macro =
      AnnotationStyle::parse("macro=PLACE_IN_ITCM", ".ramtext");
  ASSERT_TRUE(bool(Macro));
  EXPECT_EQ(AnnotationStyle::Macro, Macro->Style);
  EXPECT_EQ("PLACE_IN_ITCM", Macro->Text);
  llvm::Expected<AnnotationStyle> Prefix =
      AnnotationStyle::parse("prefix=__not_in_flash(\"x\")", ".ramtext");
  ASSERT_TRUE(bool(Prefix));
  EXPECT_EQ("__not_in_flash(\"x\")", Prefix->Text);
  for (const char *Bad : {"macro", "macro=", "attribute=x", "sections"}) {
    llvm::Expected<AnnotationStyle> Style = AnnotationStyle::parse(Bad, ".r");
    ASSERT_FALSE(bool(Style)) << Bad;
    llvm::consumeError(Style.takeError());
  }
}

TEST(SourceRewriterTest, UnifiedDiffIsRelativeToTheRoot) {
  llvm::SmallString<128> Root;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("rewriter", Root));
  llvm::SmallString<128> Real;
  ASSERT_FALSE(llvm::sys::fs::real_path(Root, Real));
  FileEdit Edit{(Real + "/src/a.c").str(), "int f(void) { return 1; }\n",
                "__attribute__((section(\".ramtext.f\"))) int f(void) { "
                "return 1; }\n"};
  llvm::Expected<std::string> Diff = unifiedDiff({Edit}, Root);
  ASSERT_TRUE(bool(Diff)) << llvm::toString(Diff.takeError());
  EXPECT_NE(std::string::npos, Diff->find("--- a/src/a.c\n+++ b/src/a.c\n"));
  EXPECT_NE(std::string::npos, Diff->find("\n-int f(void) { return 1; }\n"));
  EXPECT_NE(std::string::npos,
            Diff->find("\n+__attribute__((section(\".ramtext.f\"))) int f"));
  llvm::sys::fs::remove_directories(Root);
}

} // namespace
