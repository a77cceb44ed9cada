#!/usr/bin/env python3
"""Writes a hex list of PC samples: COUNT samples inside each named global
function of ELF, read with llvm-nm. For tests that need exact counts where a
recorded run gives statistical ones.

    samples-at.py ELF NAME=COUNT... > samples.hex
"""
import re
import subprocess
import sys


def second_instruction(elf, name):
    listing = subprocess.run(
        ["llvm-objdump", "-d", "--disassemble-symbols=" + name, elf],
        capture_output=True, text=True, check=True).stdout
    addresses = [int(m.group(1), 16) for m in
                 re.finditer(r"^\s*([0-9a-f]+):\s", listing, re.M)]
    return addresses[1] if len(addresses) > 1 else addresses[0]


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
        # The second instruction, inside the function, where a sample of
        # this build can be.
        sys.stdout.write("0x%x\n" % second_instruction(elf, name) * int(count))


main()
