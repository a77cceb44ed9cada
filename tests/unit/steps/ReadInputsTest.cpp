//===- ReadInputsTest.cpp - The ELF and the samples read at once ----------===//
//
// Read on two threads, they say what they say in the order of one read
// after the other: the ELF's warnings first, its error before the samples'.
//
//===----------------------------------------------------------------------===//
#include "steps/ReadInputs.h"
#include "DiagnosticLog.h"
#include "FixtureElf.h"

#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

using namespace ramfit;

namespace {

/// A temporary file holding Content, removed at the end of the test.
struct TempFile {
  explicit TempFile(llvm::StringRef Suffix, llvm::StringRef Content) {
    llvm::SmallString<128> Made;
    EXPECT_FALSE(
        llvm::sys::fs::createTemporaryFile("ramfit-inputs", Suffix, Made));
    Path = std::string(Made);
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << Content;
  }
  ~TempFile() { llvm::sys::fs::remove(Path); }
  std::string Path;
};

/// The RISC-V fixture with its DWARF abbreviations overwritten: it opens
/// with a warning that the DWARF is malformed.
std::string elfWithBrokenDwarf() {
  auto Buffer = llvm::MemoryBuffer::getFile(fixtureElf("riscv"));
  EXPECT_TRUE(bool(Buffer));
  std::string Bytes = (*Buffer)->getBuffer().str();
  auto Object =
      llvm::object::ObjectFile::createObjectFile((*Buffer)->getMemBufferRef());
  EXPECT_TRUE(bool(Object));
  for (const llvm::object::SectionRef &Section : (*Object)->sections()) {
    llvm::Expected<llvm::StringRef> Name = Section.getName();
    if (!Name || *Name != ".debug_abbrev")
      continue;
    auto *Elf = llvm::cast<llvm::object::ELF32LEObjectFile>(Object->get());
    uint64_t Offset = Elf->getSection(Section.getRawDataRefImpl())->sh_offset;
    std::fill_n(Bytes.begin() + Offset, Section.getSize(), '\xff');
  }
  return Bytes;
}

const char *const LogWithAStrangeLine =
    "Program received signal SIGINT, Interrupt.\n"
    "$1 = (void (*)()) 0x80000000\n"
    "this line is no part of gdb's output\n";

TEST(ReadInputsTest, ElfWarningsComeBeforeTheSamples) {
  TempFile Elf(".elf", elfWithBrokenDwarf());
  TempFile Log(".log", LogWithAStrangeLine);
  DiagnosticLog Said;
  ProfileStepOptions O;
  O.Elf = Elf.Path;
  O.Samples = {Log.Path};
  llvm::Expected<ElfAndSamples> Read =
      readElfAndSamples(O, Said, ContentHash::Skip);
  ASSERT_TRUE(bool(Read)) << llvm::toString(Read.takeError());
  EXPECT_EQ(1u, Read->Files.size());
  EXPECT_FALSE(Read->Elf->functions().empty());
  std::vector<std::string> Warnings = Said.warnings();
  ASSERT_EQ(2u, Warnings.size());
  EXPECT_NE(std::string::npos, Warnings[0].find("malformed"));
  EXPECT_NE(std::string::npos, Warnings[1].find("not understood"));
}

TEST(ReadInputsTest, TheElfsErrorComesFirst) {
  DiagnosticLog Said;
  ProfileStepOptions O;
  O.Elf = "/nonexistent/firmware.elf";
  O.Samples = {"/nonexistent/samples.log"};
  llvm::Expected<ElfAndSamples> Read =
      readElfAndSamples(O, Said, ContentHash::Skip);
  ASSERT_FALSE(bool(Read));
  EXPECT_NE(std::string::npos,
            llvm::toString(Read.takeError()).find("firmware.elf"));

  O.Elf = fixtureElf("riscv");
  Read = readElfAndSamples(O, Said, ContentHash::Skip);
  ASSERT_FALSE(bool(Read));
  EXPECT_NE(std::string::npos,
            llvm::toString(Read.takeError()).find("samples.log"));
  EXPECT_TRUE(Said.empty());
}

} // namespace
