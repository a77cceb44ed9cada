#!/usr/bin/env python3
"""Writes a hex list of PC samples: COUNT samples inside each named global
function of ELF, read with llvm-nm. For tests that need exact counts where a
recorded run gives statistical ones.

    samples-at.py ELF NAME=COUNT... > samples.hex
"""
import subprocess
import sys


def main():
    elf, wanted = sys.argv[1], sys.argv[2:]
    symbols = {}
    listing = subprocess.run(["llvm-nm", "--defined-only", elf],
                             capture_output=True, text=True, check=True)
    for line in listing.stdout.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] == "T":
            symbols[fields[2]] = int(fields[0], 16)
    for spec in wanted:
        name, count = spec.split("=")
        if name not in symbols:
            sys.exit("samples-at.py: no global function %s in %s" % (name, elf))
        # Past the first instruction, inside the function.
        sys.stdout.write("0x%x\n" % (symbols[name] + 2) * int(count))


main()
