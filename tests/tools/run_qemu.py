#!/usr/bin/env python3
"""Runs fixture firmware in QEMU to its end and prints what it wrote to its
UART. Exits with the firmware's status; QEMU is ended by its pid on timeout."""
import argparse
import os
import signal
import subprocess
import sys

QEMU = {
    "riscv": ["qemu-system-riscv32", "-M", "virt", "-bios", "none"],
    "arm": ["qemu-system-arm", "-M", "mps2-an386", "-semihosting"],
}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--board", choices=sorted(QEMU), required=True)
    parser.add_argument("--elf", required=True)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    qemu = subprocess.Popen(
        QEMU[args.board] + ["-kernel", args.elf, "-nographic", "-monitor",
                            "none", "-serial", "stdio"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    try:
        output, _ = qemu.communicate(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        os.kill(qemu.pid, signal.SIGKILL)
        qemu.wait()
        sys.exit("QEMU did not finish within %g s" % args.timeout)
    sys.stdout.write(output.decode(errors="replace"))
    return qemu.returncode


if __name__ == "__main__":
    sys.exit(main())
