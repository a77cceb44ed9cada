#!/bin/sh
# linked-sizes.sh MODE RAMFIT BOARD BUILT-FIRMWARE SOURCES MEMORY-LD WORK BUDGET...
#
# Plans the fixture firmware at each budget, with the RAM region from
# MEMORY-LD; applies the plan; relinks with MEMORY-LD; checks the new ELF;
# and prints "BUDGET used PREDICTED linked LINKED" per budget. Fails on any
# step. Each plan's notes are left in WORK/plan-BUDGET.err.
#   MODE fragment: the plan is made from BUILT-FIRMWARE (%fw_riscv) and
#     applied as a linker fragment to SOURCES (fixtures/firmware).
#   MODE annotate: SOURCES are copied to a git tree of their own and built
#     under bear; each plan is applied as an annotation patch ('git apply')
#     with the units annotation leaves as a fragment (hybrid), and rebuilt.
# The samples come from fixed-profile.awk, or the awk script PROFILE names.
set -eu
mode=$1 ramfit=$2 board=$3 fw=$4 sources=$5 memory=$6 work=$7
shift 7
mkdir -p "$work/ld"
cp "$memory" "$work/ld/memory.ld"
if [ "$mode" = annotate ]; then
  cp -r "$sources" "$work/tree"
  git -C "$work/tree" init -q
  git -C "$work/tree" add -A
  git -C "$work/tree" -c user.name=t -c user.email=t@t commit -qm base
  mkdir -p "$work/base"
  (cd "$work/tree" && bear --output "$work/base/compile_commands.json" -- \
    make -s BOARD="$board" OUT="$work/base" EXTRA_LDDIRS="$work/ld" > /dev/null 2>&1)
  fw=$work/base
  sources=$work/tree
fi
llvm-nm -n --defined-only "$fw/firmware.elf" | awk -f "${PROFILE:-$(dirname "$0")/fixed-profile.awk}" > "$work/profile.hex"
style=""
[ "$board" = arm ] && style="--style section --region RAM --load-region FLASH"
for budget in "$@"; do
  plan=$work/plan-$budget.yaml
  "$ramfit" plan --elf "$fw/firmware.elf" "$work/profile.hex" --map "$fw/firmware.map" \
    --budget "$budget" --memory-map "$work/ld/memory.ld" --region RAM -o "$plan" \
    > /dev/null 2> "$work/plan-$budget.err"
  fragment_plan=$plan
  if [ "$mode" = annotate ]; then
    git -C "$work/tree" checkout -q -- .
    "$ramfit" annotate --plan "$plan" -p "$work/base" --source-root "$work/tree" \
      --patch "$work/annotate-$budget.patch" --remaining-plan "$work/rest-$budget.yaml" 2> /dev/null
    git -C "$work/tree" apply "$work/annotate-$budget.patch"
    fragment_plan=$work/rest-$budget.yaml
  fi
  # shellcheck disable=SC2086
  "$ramfit" ldscript --plan "$fragment_plan" --map "$fw/firmware.map" $style \
    -o "$work/ld/ramtext.ld"
  # The objects of the build the plan was made from, their times kept: make
  # compiles only what a patch changed, and relinks with the new fragment.
  mkdir -p "$work/build-$budget/obj"
  cp -p "$fw"/obj/*.o "$work/build-$budget/obj/"
  make --no-print-directory -s -C "$sources" BOARD="$board" \
    OUT="$work/build-$budget" EXTRA_LDDIRS="$work/ld" 2> /dev/null
  "$ramfit" check --plan "$plan" --elf "$work/build-$budget/firmware.elf" \
    --memory-map "$work/ld/memory.ld" --region RAM 2> /dev/null \
    | awk -v budget="$budget" '$1 == "total" { print budget, "used", $2, "linked", $3 }'
done
