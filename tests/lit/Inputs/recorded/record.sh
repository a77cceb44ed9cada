#!/bin/sh
# record.sh BUILD-DIR
#
# Records the real gdb logs that lit tests read from here instead of
# recording them on every run: gdb-multiarch against the fixture firmware
# (BUILD-DIR/fixtures/firmware/BOARD, as the build makes it) in QEMU, driven
# as users drive it (tests/tools/record_gdb_log.py: commands from a pipe,
# from a script given with -x, 'set logging on', SIGINT from outside gdb;
# tests/tools/gdb_capture.py: an interrupt from gdb's own Python). Each
# folder holds the logs of one firmware and its fingerprint
# (tests/tools/recorded_logs.py), which the tests check first: after a change
# to the fixtures or the toolchain they fail and point here.
#
# One live recording per board stays in the suite (the 'define' mode in
# profile/real-gdb-logs-BOARD.test, and the sampler's end-to-end tests), so
# the recorders themselves are still run against real gdb on every test run.
set -eu
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
tools=$here/../../../tools
record="python3 $tools/record_gdb_log.py"
capture="python3 $tools/gdb_capture.py"

for board in riscv arm; do
  elf=$build/fixtures/firmware/$board/firmware.elf
  out=$here/$board
  mkdir -p "$out"
  # profile/real-gdb-logs-BOARD.test: each way of driving gdb, its own seed.
  $record --board $board --elf "$elf" --mode pipe --commands 'p $pc' --samples 100 --seed 1 -o "$out/pipe-pc.log"
  $record --board $board --elf "$elf" --mode pipe --commands 'p $pc;bt' --samples 100 --seed 2 -o "$out/pipe-bt.log"
  $record --board $board --elf "$elf" --mode script --commands 'p $pc' --samples 100 --seed 3 -o "$out/script-pc.log"
  $record --board $board --elf "$elf" --mode script --commands 'p $pc;bt' --samples 100 --seed 4 -o "$out/script-bt.log"
  # profile/gdb-pc-log.test, gdb-bt-log.test, gdb-mixed-log.test.
  $capture --board $board --elf "$elf" --samples 60 -o "$out/capture-pc.log"
  $capture --board $board --elf "$elf" --samples 40 --commands bt -o "$out/capture-bt.log"
  $capture --board $board --elf "$elf" --samples 30 --commands 'p $pc; bt' -o "$out/capture-mixed.log"
  python3 "$tools/recorded_logs.py" fingerprint "$elf" > "$out/firmware.sha256"

  # cxx/end-to-end-BOARD.test: the C++ fixture, names demangled by gdb.
  elf=$build/fixtures/firmware/cxx-$board/firmware.elf
  out=$here/cxx-$board
  mkdir -p "$out"
  $record --board $board --elf "$elf" --mode pipe --commands 'p $pc;bt' --samples 100 -o "$out/pipe-bt.log"
  python3 "$tools/recorded_logs.py" fingerprint "$elf" > "$out/firmware.sha256"
done
