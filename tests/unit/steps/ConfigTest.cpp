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
  EXPECT_EQ(AnnotationStyle::Macro, C->Style.Style);
  EXPECT_EQ("PLACE_IN_ITCM", C->Style.Text);
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
  EXPECT_EQ("'ramfit.yaml':3:3: unknown key 'fragmnt' in outputs; "
            "did you mean 'fragment'?",
            configError("elf: a\noutputs:\n  fragmnt: x\n"));
  EXPECT_EQ("'ramfit.yaml':2:18: flash/RAM ratio 'fast' is not a number of "
            "at least 1",
            configError("elf: a\nflash_ram_ratio: fast\n"));
  EXPECT_EQ("'ramfit.yaml':2:10: expected a list",
            configError("elf: a\nsamples: s.txt\n"));
  EXPECT_EQ("'ramfit.yaml':1:1: the config has no 'elf'",
            configError("map: m\n"));
}

// Each value goes through the parser of its command-line option, and is
// refused where it stands, with what would have been accepted.
TEST(ConfigTest, ValuesGoThroughTheOptionsParsers) {
  EXPECT_EQ("'ramfit.yaml':3:19: unknown fragment style 'sectoin' (accepted: "
            "list, section)",
            configError("elf: a\noutputs:\n  fragment_style: sectoin\n"));
  EXPECT_EQ("'ramfit.yaml':3:10: unknown annotation style 'macro' (accepted: "
            "attribute, macro=NAME, prefix=TEXT)",
            configError("elf: a\nannotate:\n  style: macro\n"));
  EXPECT_EQ("'ramfit.yaml':3:12: '.ram text' is not a section name: it must "
            "be non-empty, without blanks or quotes",
            configError("elf: a\nannotate:\n  section: .ram text\n"));
  EXPECT_NE(std::string::npos,
            configError("elf: a\nbudget: 12XB\n").find("'ramfit.yaml':2:9: "));
  EXPECT_NE(
      std::string::npos,
      configError("elf: a\nreserve: lots\n").find("'ramfit.yaml':2:10: "));
  EXPECT_EQ("'ramfit.yaml':2:8: bad pattern 'f[': invalid glob pattern: f[",
            configError("elf: a\npins: ['f[']\n"));
  EXPECT_EQ("'ramfit.yaml':2:18: flash/RAM ratio '0.5' is not a number of at "
            "least 1",
            configError("elf: a\nflash_ram_ratio: 0.5\n"));
}

} // namespace

namespace {

// The roots of the code that must run from RAM come from ramfit.yaml as
// from the command line, through the same checks.
TEST(ConfigTest, MustRunFromRamRootsReachThePlanStep) {
  llvm::Expected<Config> C = parseConfig(
      "ramfit.yaml", "elf: fw.elf\n"
                     "must_run_from_ram:\n"
                     "  keep_sections: [.ramtext]\n"
                     "  keep_reachable: ['usb_*']\n"
                     "  not_a_root: [SVC_Handler]\n"
                     "  indirect: ['dcd_event_handler=tud_*_cb']\n");
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  PlanStepOptions Plan = planStepOptions(*C);
  EXPECT_EQ(std::vector<std::string>{".ramtext"}, Plan.Roots.KeepSections);
  EXPECT_EQ(std::vector<std::string>{"usb_*"}, Plan.Roots.KeepReachable);
  EXPECT_EQ(std::vector<std::string>{"SVC_Handler"}, Plan.Roots.NotARoot);
  EXPECT_EQ(std::vector<std::string>{"dcd_event_handler=tud_*_cb"},
            Plan.Roots.Indirect);

  llvm::Expected<Config> Bad =
      parseConfig("ramfit.yaml", "elf: fw.elf\n"
                                 "must_run_from_ram:\n"
                                 "  indirect: ['dcd_event_handler']\n");
  ASSERT_FALSE(bool(Bad));
  EXPECT_NE(std::string::npos,
            llvm::toString(Bad.takeError()).find("ramfit.yaml':3:"));
}

} // namespace
