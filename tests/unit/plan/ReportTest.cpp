#include "plan/Report.h"

#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace ramfit;

namespace {

Profile sampleProfile() {
  Profile P;
  P.ElfPath = "fw.elf";
  P.HasDebugInfo = true;
  P.TotalSamples = 10;
  P.AttributedSamples = 8;
  P.UnattributedTotal = 2;
  FunctionProfile Hot;
  Hot.Name = "fir_filter";
  Hot.File = "/src/filter.c";
  Hot.Line = 15;
  Hot.Address = 0x80000122;
  Hot.Size = 94;
  Hot.Self = 6;
  Hot.Cumulative = 6;
  FunctionProfile Main;
  Main.Name = "main";
  Main.File = "/src/main.c";
  Main.Line = 38;
  Main.Address = 0x80000274;
  Main.Size = 296;
  Main.Self = 2;
  Main.Cumulative = 8;
  P.Functions = {Hot, Main};
  P.Unattributed = {{"0x00000010 outside every section of the ELF", 2}};
  return P;
}

TEST(ReportTest, TextIsAFlatProfile) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  printProfileText(sampleProfile(), OS);
  EXPECT_EQ("Samples: 10 total, 8 attributed (80.0%), 2 unattributed\n"
            "      self   self%    sum%        cum    cum%     size  function  "
            "  file:line\n"
            "         6  60.00%  60.00%          6  60.00%       94  "
            "fir_filter  /src/filter.c:15\n"
            "         2  20.00%  80.00%          8  80.00%      296  main      "
            "  /src/main.c:38\n"
            "Unattributed samples:\n"
            "         2  20.00%  0x00000010 outside every section of the ELF\n",
            OS.str());
}

TEST(ReportTest, TopLimitsRows) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  printProfileText(sampleProfile(), OS, 1);
  EXPECT_NE(std::string::npos, OS.str().find("... 1 more functions\n"));
  EXPECT_EQ(std::string::npos, OS.str().find("  main  "));
}

/// The profile as the JSON report writes it, read back.
llvm::json::Value profileJson(const Profile &P) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  writeProfileJson(P, OS);
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(OS.str());
  EXPECT_TRUE(bool(V)) << llvm::toString(V.takeError());
  return V ? std::move(*V) : llvm::json::Value(nullptr);
}

TEST(ReportTest, JsonCarriesTheRequiredFields) {
  llvm::json::Value V = profileJson(sampleProfile());
  llvm::json::Object *O = V.getAsObject();
  ASSERT_TRUE(O);
  EXPECT_EQ(10, O->getInteger("total_samples"));
  EXPECT_EQ(8, O->getInteger("attributed_samples"));
  EXPECT_EQ(2, O->getInteger("unattributed_samples"));
  llvm::json::Array *Functions = O->getArray("functions");
  ASSERT_TRUE(Functions);
  ASSERT_EQ(2u, Functions->size());
  llvm::json::Object *First = (*Functions)[0].getAsObject();
  EXPECT_EQ("fir_filter", *First->getString("name"));
  EXPECT_EQ("/src/filter.c", *First->getString("file"));
  EXPECT_EQ(15, First->getInteger("line"));
  EXPECT_EQ("0x80000122", *First->getString("address"));
  EXPECT_EQ(94, First->getInteger("size"));
  EXPECT_EQ(6, First->getInteger("self"));
  EXPECT_EQ(6, First->getInteger("cumulative"));
}

TEST(ReportTest, FractionalWeightsShowDecimals) {
  Profile P = sampleProfile();
  P.Functions[0].Self = 1.5;
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  printProfileText(P, OS);
  EXPECT_NE(std::string::npos, OS.str().find("      1.50  15.00%"));
  llvm::json::Value V = profileJson(P);
  EXPECT_EQ(
      1.5,
      (*V.getAsObject()->getArray("functions"))[0].getAsObject()->getNumber(
          "self"));
}

} // namespace
