#include "firmware/InputObjects.h"

#include "FixtureElf.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

// The fixture's compiled C: its only jumps the linker cannot stretch are
// between a function and its cold part, which move together as one unit.
TEST(InputObjectsTest, CompiledCodeIsTiedOnlyToItsColdParts) {
  auto Elf = openFixture("riscv");
  ASSERT_TRUE(Elf);
  llvm::Expected<LinkerMap> Map =
      readLinkerMap(std::string(RAMFIT_FIXTURE_DIR) + "/riscv/firmware.map");
  ASSERT_TRUE(bool(Map)) << llvm::toString(Map.takeError());
  DiagnosticLog Log;
  std::vector<ShortReference> Found = readInputObjects(*Map, *Elf, Log);
  EXPECT_TRUE(Log.empty());
  bool ToCold = false;
  for (const ShortReference &Ref : Found) {
    SCOPED_TRACE(Ref.From->Name + " -> " + Ref.To->Name + " " + Ref.Type);
    EXPECT_EQ(Ref.From->Object, Ref.To->Object);
    llvm::StringRef From = Ref.From->Name, To = Ref.To->Name;
    if (!From.consume_front(".text.unlikely."))
      From.consume_front(".text.");
    if (!To.consume_front(".text.unlikely."))
      To.consume_front(".text.");
    EXPECT_EQ(From, To);
    ToCold |= Ref.From->Name == ".text.gc_collect" &&
              Ref.To->Name == ".text.unlikely.gc_collect";
  }
  EXPECT_TRUE(ToCold);
  // Each input section of the fixture's own objects now has its alignment:
  // 2 for RVC code, 4 for data; libgcc's archive members stay unknown.
  for (const InputSection &S : Map->Sections) {
    SCOPED_TRACE(S.Name + " of " + S.Object);
    if (llvm::StringRef(S.Object).endswith(")")) {
      EXPECT_EQ(0u, S.Alignment);
    } else if (S.Name == ".text.fir_filter") {
      EXPECT_EQ(2u, S.Alignment);
    }
  }
}

TEST(InputObjectsTest, UnreadableObjectsAreCountedOnce) {
  auto Elf = openFixture("riscv");
  ASSERT_TRUE(Elf);
  LinkerMap Map;
  Map.Path = "build/firmware.map";
  Map.Sections = {{".text.a", "gone/a.o", 0x80000000, 4},
                  {".text.b", "gone/a.o", 0x80000004, 4},
                  {".text.c", "gone/c.o", 0x80000008, 4},
                  {".text", "libgcc.a(_udivdi3.o)", 0x8000000c, 4}};
  DiagnosticLog Log;
  EXPECT_TRUE(readInputObjects(Map, *Elf, Log).empty());
  std::vector<std::string> Warnings = Log.warnings();
  ASSERT_EQ(1u, Warnings.size());
  EXPECT_EQ(0u, Warnings[0].find("2 object file(s) that 'build/firmware.map' "
                                 "names could not be read (the first: "
                                 "'gone/a.o')"))
      << Warnings[0];
}

} // namespace
