#!/usr/bin/env python3
"""Captures a real gdb log from fixture firmware running in QEMU.

Runs the firmware under QEMU's gdbstub (127.0.0.1, a free port), attaches
gdb-multiarch, and repeats what our users type by hand: continue, interrupt,
'p $pc' and/or 'bt', with 'set logging on'. The log is gdb's own output.
QEMU and gdb are ended by their pids, whatever happens.
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

QEMU = {
    "riscv": ["qemu-system-riscv32", "-M", "virt", "-bios", "none"],
    "arm": ["qemu-system-arm", "-M", "mps2-an386", "-semihosting"],
}

GDB_SCRIPT = """\
set pagination off
set confirm off
set width 0
target remote 127.0.0.1:{port}
tbreak main
continue
set var workload_rounds = 0xffffffff
set logging file {log}
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


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process, deadline):
    """Waits until QEMU listens, without connecting: a gdbstub client that
    comes and goes would let the halted target run."""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("QEMU exited before its gdbstub opened")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                return
        time.sleep(0.05)
    raise RuntimeError("QEMU's gdbstub did not open")


def end(process):
    if process and process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--board", choices=sorted(QEMU), required=True)
    parser.add_argument("--elf", required=True)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--interval", type=float, default=0.02)
    parser.add_argument("--commands", default="p $pc",
                        help="gdb commands after each stop, ';'-separated")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()

    qemu = gdb = None
    try:
        qemu, port = start_qemu(args)
        with tempfile.NamedTemporaryFile("w", suffix=".gdb") as script:
            script.write(GDB_SCRIPT.format(
                port=port, log=os.path.abspath(args.output),
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
        end(gdb)
        end(qemu)
    return 0


def start_qemu(args, attempts=3):
    """Another process may take the free port before QEMU binds it: retry."""
    for attempt in range(attempts):
        port = free_port()
        qemu = subprocess.Popen(
            QEMU[args.board] + ["-kernel", args.elf, "-nographic", "-monitor",
                                "none", "-serial", "null", "-gdb",
                                "tcp:127.0.0.1:%d" % port, "-S"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        try:
            wait_for_port(port, qemu, time.monotonic() + 10)
            return qemu, port
        except RuntimeError:
            end(qemu)
            if attempt + 1 == attempts:
                raise


if __name__ == "__main__":
    sys.exit(main())
