#!/usr/bin/env python3
"""Ties gdb logs recorded once (tests/lit/Inputs/recorded/, record.sh) to the
fixture firmware they were recorded against.

    recorded_logs.py fingerprint ELF      prints the firmware's fingerprint
    recorded_logs.py check ELF DIR        fails unless DIR was recorded
                                          against this firmware

The fingerprint is the SHA-256 of the ELF with every symbol and all debug
information stripped (llvm-strip --strip-all): the code and data at their
addresses, which is all a log's samples depend on, and nothing of the folder
the firmware was built in. A fixture change, or another compiler, makes the
recorded logs stale: the check then says so and how to record them again,
instead of letting a test read samples of another build.
"""
import hashlib
import os
import subprocess
import sys


def fingerprint(elf):
    stripped = subprocess.run(["llvm-strip", "--strip-all", "-o", "-", elf],
                              check=True, capture_output=True).stdout
    return hashlib.sha256(stripped).hexdigest()


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "fingerprint":
        print(fingerprint(sys.argv[2]))
        return 0
    if len(sys.argv) != 4 or sys.argv[1] != "check":
        sys.exit(__doc__)
    elf, recorded = sys.argv[2], sys.argv[3]
    with open(os.path.join(recorded, "firmware.sha256")) as stored:
        expected = stored.read().split()[0]
    actual = fingerprint(elf)
    if actual != expected:
        sys.exit("recorded_logs.py: the logs in '%s' were recorded against "
                 "another build than '%s' (fingerprint %s, recorded %s); "
                 "record them again with tests/lit/Inputs/recorded/record.sh"
                 % (recorded, elf, actual[:12], expected[:12]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
