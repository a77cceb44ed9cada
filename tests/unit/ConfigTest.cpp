#include "steps/Config.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

TEST(ConfigTest, RelativePathsAreTheConfigsOwn) {
  llvm::Expected<Config> C =
      parseConfig("/tree/ramfit.yaml", "elf: build/fw.elf\n"
                                       "samples: [s.txt@2, /abs/t.txt]\n"
                                       "budget: auto\n"
                                       "memory_map: boards/fomu.ld\n"
                                       "region: sram\n"
                                       "pins: ['__udiv*']\n"
                                       "min_samples: 3\n"
                                       "annotate:\n"
                                       "  style: macro=PLACE_IN_ITCM\n"
                                       "  compile_commands: build\n"
                                       "outputs:\n"
                                       "  plan: plan.yaml\n"
                                       "  fragment: build/ramtext.ld\n");
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  EXPECT_EQ("/tree/build/fw.elf", C->Elf);
  EXPECT_EQ((std::vector<std::string>{"/tree/s.txt@2", "/abs/t.txt"}),
            C->Samples);
  EXPECT_EQ("/tree/boards/fomu.ld", C->MemoryMap);
  EXPECT_EQ("sram", C->Region);
  EXPECT_EQ(std::vector<std::string>{"__udiv*"}, C->Pins);
  EXPECT_EQ(3, C->MinSamples);
  EXPECT_EQ("macro=PLACE_IN_ITCM", C->Style);
  EXPECT_EQ("/tree/build", C->CompileCommands);
  EXPECT_EQ("/tree", C->SourceRoot);
  EXPECT_EQ("/tree/plan.yaml", C->Plan);
  EXPECT_EQ("/tree/build/ramtext.ld", C->Fragment);
  EXPECT_EQ("", C->Patch);
}

std::string configError(const char *Text) {
  llvm::Expected<Config> C = parseConfig("ramfit.yaml", Text);
  if (C) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return llvm::toString(C.takeError());
}

TEST(ConfigTest, ErrorsPointAtTheText) {
  EXPECT_EQ("'ramfit.yaml':3:3: unknown key 'fragmnt' in outputs",
            configError("elf: a\noutputs:\n  fragmnt: x\n"));
  EXPECT_EQ("'ramfit.yaml':2:18: expected a number, got 'fast'",
            configError("elf: a\nflash_ram_ratio: fast\n"));
  EXPECT_EQ("'ramfit.yaml':2:10: expected a list",
            configError("elf: a\nsamples: s.txt\n"));
  EXPECT_EQ("'ramfit.yaml':1:1: the config has no 'elf'",
            configError("map: m\n"));
}

} // namespace
