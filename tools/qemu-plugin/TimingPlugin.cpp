//===- TimingPlugin.cpp - A flash timing model inside QEMU ----------------===//
//
// Counts every instruction QEMU executes and charges it the cycles the
// timing model gives its fetch and its loads and stores, by the memory
// region they touch: an exact cycle profile of the run, with no sampling.
// 'ramfit measure' starts QEMU with this plugin and turns the model's YAML
// into the arguments below; see docs/measure.md.
//
//   out=FILE               the cycle profile, written when QEMU exits
//   instruction=N          cycles of every instruction besides its stalls
//   region=NAME:ORIGIN:LENGTH:FETCH:LOAD:STORE
//                          stall cycles per access of a region
//   cache=NAME:SIZE:LINE:WAYS:FILL
//                          a cache in front of region NAME: a hit stalls
//                          the region's FETCH or LOAD cycles, a miss FILL
//   ram=NAME               the region planned code moves to
//   samples=FILE, sample-every=N
//                          the PC every N modelled cycles, a hex list
//
// Addresses are QEMU's virtual addresses: bare-metal firmware runs without
// an MMU, so they are the physical ones.
//
//===----------------------------------------------------------------------===//

#include "Model.h"
#include "QemuPluginApi.h"

#include <cinttypes>
#include <cstdio>

using namespace ramfit_plugin;

extern "C" {
QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;
}

namespace {

// Never destroyed: QEMU calls the exit callback from its own atexit handler,
// which it registered before this object was loaded, so a static object's
// destructor would run first.
Model &TheModel = *new Model;

void onExecute(unsigned, void *Data) {
  auto *I = static_cast<Instruction *>(Data);
  uint64_t Stall = 0;
  if (Region *R = I->FetchedFrom)
    Stall = R->readStall(I->Address, R->Fetch);
  ++I->Executions;
  I->FetchStall += Stall;
  TheModel.Cycles += TheModel.InstructionCycles + Stall;
  if (TheModel.Samples)
    for (; TheModel.Cycles >= TheModel.NextSample;
         TheModel.NextSample += TheModel.SampleEvery)
      std::fprintf(TheModel.Samples, "0x%" PRIx64 "\n", I->Address);
}

void onMemory(unsigned, qemu_plugin_meminfo_t Info, uint64_t Address,
              void *Data) {
  Region *R = TheModel.regionAt(Address);
  if (!R)
    return;
  bool IsStore = qemu_plugin_mem_is_store(Info);
  uint64_t Stall = IsStore ? R->Store : R->readStall(Address, R->Load);
  static_cast<Instruction *>(Data)->DataStall += Stall;
  TheModel.Cycles += Stall;
  if (!IsStore) {
    Instruction &Loaded = TheModel.Instructions[Address];
    Loaded.Address = Address;
    ++Loaded.Loads;
    Loaded.LoadStall += Stall;
  }
}

void onTranslate(qemu_plugin_id_t, struct qemu_plugin_tb *Block) {
  size_t Count = qemu_plugin_tb_n_insns(Block);
  for (size_t Index = 0; Index < Count; ++Index) {
    struct qemu_plugin_insn *Insn = qemu_plugin_tb_get_insn(Block, Index);
    uint64_t Address = qemu_plugin_insn_vaddr(Insn);
    // A block translated again (after a flush, or entered mid-way) keeps
    // adding to the same record.
    Instruction &I = TheModel.Instructions[Address];
    I.Address = Address;
    I.FetchedFrom = TheModel.regionAt(Address);
    qemu_plugin_register_vcpu_insn_exec_cb(Insn, onExecute,
                                           QEMU_PLUGIN_CB_NO_REGS, &I);
    qemu_plugin_register_vcpu_mem_cb(Insn, onMemory, QEMU_PLUGIN_CB_NO_REGS,
                                     QEMU_PLUGIN_MEM_RW, &I);
  }
}

void onExit(qemu_plugin_id_t, void *) {
  if (TheModel.Samples)
    std::fclose(TheModel.Samples);
  TheModel.writeProfile();
}

} // namespace

extern "C" QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t Id,
                                                      const qemu_info_t *,
                                                      int Argc, char **Argv) {
  for (int Index = 0; Index < Argc; ++Index)
    if (!TheModel.parseArgument(Argv[Index])) {
      std::fprintf(stderr, "ramfit timing plugin: bad argument '%s'\n",
                   Argv[Index]);
      return -1;
    }
  if (!TheModel.complete()) {
    std::fprintf(stderr, "ramfit timing plugin: needs out=FILE, and "
                         "samples=FILE with sample-every=N or neither\n");
    return -1;
  }
  TheModel.NextSample = TheModel.SampleEvery;
  qemu_plugin_register_vcpu_tb_trans_cb(Id, onTranslate);
  qemu_plugin_register_atexit_cb(Id, onExit, nullptr);
  return 0;
}
