#!/usr/bin/env python3
"""Captures a real gdb log from fixture firmware running in QEMU.

Runs the firmware under QEMU's gdbstub (127.0.0.1, a free port), attaches
gdb-multiarch, and repeats what our users type by hand: continue, interrupt,
'p $pc' and/or 'bt', with 'set logging on'. The log is gdb's own output.
QEMU and gdb are ended by their pids, whatever happens.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import qemu

GDB_SCRIPT = """\
set pagination off
set confirm off
set width 0
target remote 127.0.0.1:{port}
{keep_running}set logging file {log}
set logging overwrite on
set logging on
python
import threading
import gdb

def interrupt_soon():
    threading.Timer({interval}, lambda: gdb.post_event(
        lambda: gdb.execute("interrupt"))).start()

for _ in range({count}):
    interrupt_soon()
    gdb.execute("continue")
    for command in {commands!r}:
        gdb.execute(command)
end
set logging off
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--board", choices=sorted(qemu.MACHINES), required=True)
    parser.add_argument("--elf", required=True)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--interval", type=float, default=0.02)
    parser.add_argument("--commands", default="p $pc",
                        help="gdb commands after each stop, ';'-separated")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()

    machine = gdb = None
    try:
        machine, port = qemu.start_halted(args.board, args.elf)
        with tempfile.NamedTemporaryFile("w", suffix=".gdb") as script:
            script.write(GDB_SCRIPT.format(
                port=port, keep_running=qemu.KEEP_RUNNING,
                log=os.path.abspath(args.output),
                interval=args.interval, count=args.samples,
                commands=[c.strip() for c in args.commands.split(";")]))
            script.flush()
            gdb = subprocess.Popen(
                ["gdb-multiarch", "-nx", "-batch", "-x", script.name, args.elf],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT)
            output, _ = gdb.communicate(timeout=60 + args.samples)
        if gdb.returncode != 0:
            sys.stderr.write(output.decode(errors="replace"))
            return 1
    finally:
        qemu.end(gdb)
        qemu.end(machine)
    return 0


if __name__ == "__main__":
    sys.exit(main())
