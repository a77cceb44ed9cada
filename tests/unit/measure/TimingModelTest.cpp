#include "measure/TimingModel.h"

#include "gtest/gtest.h"
#include <string>

using namespace ramfit;

namespace {

const char *Fomu = "name: board\n"
                   "ram: sram\n"
                   "regions:\n"
                   "  - name: spiflash\n"
                   "    origin: 0x20000000\n"
                   "    length: 2M\n"
                   "    fetch: 2\n"
                   "    cache: {size: 2K, line: 32, fill: 296}\n"
                   "  - name: sram\n"
                   "    origin: 0x10000000\n"
                   "    length: 128K\n";

std::string errorOf(llvm::StringRef Content) {
  llvm::Expected<TimingModel> Model = parseTimingModel("t.yaml", Content);
  if (Model) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return llvm::toString(Model.takeError());
}

TEST(TimingModelTest, ReadsRegionsSizesAndCaches) {
  llvm::Expected<TimingModel> Model = parseTimingModel("t.yaml", Fomu);
  ASSERT_TRUE(bool(Model)) << llvm::toString(Model.takeError());
  EXPECT_EQ(Model->Name, "board");
  EXPECT_EQ(Model->InstructionCycles, 1u);
  ASSERT_EQ(Model->Regions.size(), 2u);
  EXPECT_EQ(Model->Regions[0].Length, 2u << 20);
  ASSERT_TRUE(Model->Regions[0].Cache.has_value());
  EXPECT_EQ(Model->Regions[0].Cache->Size, 2048u);
  EXPECT_EQ(Model->Regions[0].Cache->Ways, 1u);
  EXPECT_FALSE(Model->Regions[1].Cache.has_value());
}

TEST(TimingModelTest, BecomesThePluginsArguments) {
  llvm::Expected<TimingModel> Model = parseTimingModel("t.yaml", Fomu);
  ASSERT_TRUE(bool(Model)) << llvm::toString(Model.takeError());
  std::vector<std::string> Expected{
      "instruction=1", "region=spiflash:0x20000000:0x200000:2:0:0",
      "cache=spiflash:2048:32:1:296", "region=sram:0x10000000:0x20000:0:0:0",
      "ram=sram"};
  EXPECT_EQ(pluginArguments(*Model), Expected);
}

TEST(TimingModelTest, RegionsMoveToWhereTheFirmwareHasThem) {
  llvm::Expected<TimingModel> Model = parseTimingModel("t.yaml", Fomu);
  ASSERT_TRUE(bool(Model)) << llvm::toString(Model.takeError());
  ASSERT_FALSE(bool(placeRegion(*Model, "spiflash=0x80000000,1M")));
  EXPECT_EQ(Model->Regions[0].Origin, 0x80000000u);
  EXPECT_EQ(Model->Regions[0].Length, 1u << 20);
  EXPECT_EQ(llvm::toString(placeRegion(*Model, "flash=0,1M")),
            "--region 'flash=0,1M': the timing model 'board' has no region "
            "'flash'");
  EXPECT_EQ(llvm::toString(placeRegion(*Model, "sram=0x80000000")),
            "--region 'sram=0x80000000': '' is not a size (expected 16384, "
            "0x4000, 16K or 16KiB) (expected NAME=ORIGIN,LENGTH)");
}

TEST(TimingModelTest, NamesTheLineOfEachMistake) {
  EXPECT_EQ(errorOf("regions: []\n"),
            "'t.yaml':1:10: 'regions' must be a list of at least one region");
  EXPECT_EQ(errorOf("regions:\n  - {name: a, origin: 0}\n"),
            "'t.yaml':2:5: region has no 'length'");
  EXPECT_EQ(errorOf("regions:\n  - {name: 'a:b', origin: 0, length: 1K}\n"),
            "'t.yaml':2:5: a region name is letters, digits, '_', '-' and "
            "'.', not 'a:b'");
  EXPECT_EQ(errorOf("regions:\n  - {name: a, origin: 0, length: 1K}\n"
                    "  - {name: a, origin: 2K, length: 1K}\n"),
            "'t.yaml':3:5: a second region named 'a'");
  EXPECT_EQ(errorOf("regions:\n  - {name: a, origin: 0, length: 1K, fetch: "
                    "-1}\n"),
            "'t.yaml':2:45: '-1' must not be negative");
}

} // namespace
