#include "apply/SourceRewriter.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
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

/// Two sources in a fresh directory, and edits that would annotate both.
class ApplyInPlaceTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("apply", Root));
    for (const char *Name : {"a.c", "b.c"}) {
      std::string Path = (Root + "/" + Name).str();
      std::string Before = "int f(void) { return 1; }\n";
      write(Path, Before);
      Edits.push_back({Path, Before, "RAM " + Before});
    }
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Root); }

  static void write(llvm::StringRef Path, llvm::StringRef Text) {
    std::error_code EC;
    llvm::raw_fd_ostream Out(Path, EC);
    Out << Text;
  }
  static std::string read(llvm::StringRef Path) {
    auto Buffer = llvm::MemoryBuffer::getFile(Path);
    return Buffer ? (*Buffer)->getBuffer().str() : "";
  }
  /// Files in Root: the sources, and nothing left behind.
  size_t entries() {
    std::error_code EC;
    size_t Count = 0;
    for (llvm::sys::fs::directory_iterator It(Root, EC), End; It != End && !EC;
         It.increment(EC))
      ++Count;
    return Count;
  }

  llvm::SmallString<128> Root;
  std::vector<FileEdit> Edits;
};

TEST_F(ApplyInPlaceTest, WritesEveryFile) {
  ASSERT_FALSE(bool(applyInPlace(Edits)));
  EXPECT_EQ(Edits[0].After, read(Edits[0].Path));
  EXPECT_EQ(Edits[1].After, read(Edits[1].Path));
  EXPECT_EQ(2u, entries());
}

TEST_F(ApplyInPlaceTest, ReadOnlyFileChangesNothing) {
  llvm::sys::fs::setPermissions(Edits[1].Path, llvm::sys::fs::all_read);
  llvm::Error Err = applyInPlace(Edits);
  ASSERT_TRUE(bool(Err));
  EXPECT_EQ("'" + Edits[1].Path +
                "': the file is read-only; no source file was changed",
            llvm::toString(std::move(Err)));
  EXPECT_EQ(Edits[0].Before, read(Edits[0].Path));
  EXPECT_EQ(2u, entries());
}

TEST_F(ApplyInPlaceTest, FileChangedSinceReadingChangesNothing) {
  write(Edits[1].Path, "int f(void) { return 2; }\n");
  llvm::Error Err = applyInPlace(Edits);
  ASSERT_TRUE(bool(Err));
  EXPECT_NE(std::string::npos,
            llvm::toString(std::move(Err))
                .find("the file changed while ramfit read it"));
  EXPECT_EQ(Edits[0].Before, read(Edits[0].Path));
  EXPECT_EQ("int f(void) { return 2; }\n", read(Edits[1].Path));
}

} // namespace
