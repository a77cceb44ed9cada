#!/usr/bin/env python3
"""Samples fixture firmware running in QEMU with gdb-multiarch and ramfit's
gdb sampler (ramfit-sample), as a user would at the (gdb) prompt. Prints
gdb's output, the sampler's rate among it. QEMU and gdb are ended by their
pids, whatever happens.

With --kill-after SECONDS, gdb is killed while it samples, to show that what
was sampled so far stays readable."""
import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time

import qemu


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--board", choices=sorted(qemu.MACHINES), required=True)
    parser.add_argument("--elf", required=True)
    parser.add_argument("--sampler", required=True)
    parser.add_argument("--sample-args", required=True,
                        help="what follows 'ramfit-sample'")
    parser.add_argument("--kill-after", type=float)
    parser.add_argument("--before", default="",
                        help="gdb commands to give before sampling, ';'-separated")
    args = parser.parse_args()

    machine = gdb = None
    try:
        machine, port = qemu.start_halted(args.board, args.elf)
        with tempfile.NamedTemporaryFile("w", suffix=".gdb") as script:
            script.write("set pagination off\nset confirm off\n"
                         "target extended-remote 127.0.0.1:%d\n%s%s"
                         "ramfit-sample %s\n"
                         % (port, qemu.KEEP_RUNNING,
                            "".join(c.strip() + "\n" for c in args.before.split(";")
                                    if c.strip()),
                            args.sample_args))
            script.flush()
            gdb = subprocess.Popen(
                ["gdb-multiarch", "-nx", "-batch", "-x", args.sampler,
                 "-x", script.name, args.elf],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT)
            if args.kill_after is not None:
                time.sleep(args.kill_after)
                os.kill(gdb.pid, signal.SIGKILL)
                gdb.wait()
                print("gdb killed while sampling")
                return 0
            output, _ = gdb.communicate(timeout=300)
        text = output.decode(errors="replace")
        sys.stdout.write(text)
        # gdb 13 sometimes dies of SIGSEGV while exiting -batch after the
        # target stopped at a breakpoint; by then the sampler has finished
        # and flushed its file. That crash is gdb's, and not a failure of
        # the sampler, which has printed its summary line.
        finished = "\nramfit-sample: " in text
        if gdb.returncode == -signal.SIGSEGV and finished:
            print("(gdb crashed while exiting, after the sampler finished)")
            return 0
        return gdb.returncode
    finally:
        qemu.end(gdb)
        qemu.end(machine)


if __name__ == "__main__":
    sys.exit(main())
