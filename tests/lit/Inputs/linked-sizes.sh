#!/bin/sh
# linked-sizes.sh RAMFIT BOARD BUILT-FIRMWARE SOURCES MEMORY-LD WORK BUDGET...
# plans the fixture firmware BUILT-FIRMWARE (%fw_riscv) at each budget, with
# the RAM region from MEMORY-LD; relinks it from SOURCES (fixtures/firmware)
# with the plan's fragment and MEMORY-LD; checks it; and prints
# "BUDGET used PREDICTED linked LINKED" per budget. Fails on any step.
set -eu
ramfit=$1 board=$2 fw=$3 sources=$4 memory=$5 work=$6
shift 6
mkdir -p "$work/ld"
cp "$memory" "$work/ld/memory.ld"
llvm-nm -n --defined-only "$fw/firmware.elf" | awk -f "$(dirname "$0")/fixed-profile.awk" > "$work/profile.hex"
style=""
[ "$board" = arm ] && style="--style section --region RAM --load-region FLASH"
for budget in "$@"; do
  "$ramfit" plan --elf "$fw/firmware.elf" "$work/profile.hex" --map "$fw/firmware.map" \
    --budget "$budget" --memory-map "$work/ld/memory.ld" --region RAM \
    -o "$work/plan-$budget.yaml" > /dev/null 2>&1
  # shellcheck disable=SC2086
  "$ramfit" ldscript --plan "$work/plan-$budget.yaml" --map "$fw/firmware.map" $style \
    -o "$work/ld/ramtext.ld"
  make --no-print-directory -s -C "$sources" BOARD="$board" \
    OUT="$work/build-$budget" EXTRA_LDDIRS="$work/ld" 2> /dev/null
  "$ramfit" check --plan "$work/plan-$budget.yaml" --elf "$work/build-$budget/firmware.elf" \
    --memory-map "$work/ld/memory.ld" --region RAM 2> /dev/null \
    | awk -v budget="$budget" '$1 == "total" { print budget, "used", $2, "linked", $3 }'
done
