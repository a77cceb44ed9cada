#!/usr/bin/env python3
"""Runs fixture firmware in QEMU to its end and prints what it wrote to its
UART. Exits with the firmware's status; QEMU is ended by its pid on timeout."""
import argparse
import subprocess
import sys

import qemu


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--board", choices=sorted(qemu.MACHINES), required=True)
    parser.add_argument("--elf", required=True)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    machine = subprocess.Popen(
        qemu.MACHINES[args.board] + ["-kernel", args.elf, "-nographic",
                                     "-monitor", "none", "-serial", "stdio"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    try:
        output, _ = machine.communicate(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        sys.exit("QEMU did not finish within %g s" % args.timeout)
    finally:
        qemu.end(machine)
    sys.stdout.write(output.decode(errors="replace"))
    return machine.returncode


if __name__ == "__main__":
    sys.exit(main())
