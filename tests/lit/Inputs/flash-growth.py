#!/usr/bin/env python3
"""Compares what each plan said flash grows by (its note) with what the
relinked firmware loads into flash more than the original: the file size of
the PT_LOAD segments whose load address is in [ORIGIN, ORIGIN + LENGTH),
read with llvm-readelf. WORK is what linked-sizes.sh left (plan-BUDGET.err,
build-BUDGET/firmware.elf). Prints "BUDGET predicted P linked L" per
budget; fails when the two differ by more than TOLERANCE bytes.

    flash-growth.py ORIGINAL-ELF WORK ORIGIN LENGTH TOLERANCE BUDGET...
"""
import os
import re
import subprocess
import sys


def flash_bytes(elf, origin, length):
    headers = subprocess.run(["llvm-readelf", "-l", "--wide", elf],
                             capture_output=True, text=True, check=True)
    total = 0
    for line in headers.stdout.splitlines():
        fields = line.split()
        # Type Offset VirtAddr PhysAddr FileSiz MemSiz Flg Align
        if fields and fields[0] == "LOAD":
            load_address, file_size = int(fields[3], 16), int(fields[4], 16)
            if origin <= load_address < origin + length:
                total += file_size
    return total


def main():
    original, work = sys.argv[1], sys.argv[2]
    origin, length = int(sys.argv[3], 0), int(sys.argv[4], 0)
    tolerance = int(sys.argv[5])
    before = flash_bytes(original, origin, length)
    failed = False
    for budget in sys.argv[6:]:
        note = open(os.path.join(work, "plan-%s.err" % budget)).read()
        found = re.search(r"note: flash (grows|shrinks) by (\d+) bytes", note)
        if not found:
            sys.exit("flash-growth.py: no flash note for budget %s:\n%s" %
                     (budget, note))
        predicted = int(found.group(2)) * (1 if found.group(1) == "grows" else -1)
        linked = flash_bytes(os.path.join(work, "build-%s" % budget,
                                          "firmware.elf"), origin, length) - before
        print(budget, "predicted", predicted, "linked", linked)
        failed |= abs(predicted - linked) > tolerance
    sys.exit(1 if failed else 0)


main()
