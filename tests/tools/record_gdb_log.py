#!/usr/bin/env python3
"""Records a gdb log the way users do it by hand, against fixture firmware
running in QEMU.

gdb-multiarch reads its commands from a pipe (--mode pipe), from a script
given with -x (--mode script), or runs a user-defined command with a loop,
like CircuitPython's boards/fomu/profiling.gdb.txt (--mode define). Logging
goes to a file with 'set logging on'. Each sample is 'continue', then
SIGINT sent to gdb from outside its process, as 'killall -INT gdb' does,
then the commands ('p $pc', 'bt', ...). The log is gdb's own output.

A SIGINT that arrives while gdb runs a command instead of 'continue' aborts
the command (in a script, the whole script), so the interrupt is sent only
once gdb's output has gone quiet after a stop, after a varied delay so that
the samples land all over the code.
"""
import argparse
import os
import pty
import random
import re
import select
import signal
import subprocess
import sys
import time

import qemu

ATTEMPTS = 3
# How long gdb's output must be still before gdb is taken to be waiting in
# 'continue'.
QUIET_SECONDS = 0.1

SETUP = """\
set pagination off
set confirm off
target remote 127.0.0.1:{port}
{keep_running}set logging file {log}
set logging overwrite on
"""

DEFINE = """\
define poor_profile
  set $total = $arg0
  set $i = 0
  set logging on
  while ($i < $total)
    set $i = $i + 1
    cont
{commands}
  end
  set logging off
end
poor_profile {count}
"""


def commands_script(args, port, log):
    commands = [c.strip() for c in args.commands.split(";") if c.strip()]
    script = SETUP.format(port=port, keep_running=qemu.KEEP_RUNNING, log=log)
    if args.mode == "define":
        body = "".join("    %s\n" % c for c in commands)
        return script + DEFINE.format(commands=body.rstrip("\n"),
                                      count=args.samples)
    script += "set logging on\n"
    for _ in range(args.samples):
        script += "continue\n" + "".join(c + "\n" for c in commands)
    return script + "set logging off\n"


class Output:
    """gdb's output as it comes, and whether it has gone quiet."""

    def __init__(self, fd):
        self.fd = fd
        self.text = b""
        self.closed = False

    def read(self, timeout):
        """Waits up to timeout seconds for output; False if none came."""
        if self.closed or not select.select([self.fd], [], [], timeout)[0]:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # a pty reports the end as EIO
            chunk = b""
        self.closed = not chunk
        self.text += chunk
        return bool(chunk)

    def wait_for(self, marker, deadline):
        while marker not in self.text:
            if self.closed or time.monotonic() > deadline:
                return False
            self.read(0.1)
        self.text = self.text[self.text.index(marker) + len(marker):]
        return True

    def wait_quiet(self, quiet, deadline):
        while self.read(quiet):
            if time.monotonic() > deadline:
                return False
        return not self.closed


def interrupt_each_continue(gdb, output, samples, seed, deadline):
    """After the stop at main, for each sample: waits until gdb has run the
    commands of the last stop and gone quiet in 'continue', waits a varied
    while longer, sends SIGINT to gdb, and waits for the stop."""
    rng = random.Random(seed)
    if not output.wait_for(b"Temporary breakpoint 1, main", deadline):
        return
    for _ in range(samples):
        if not output.wait_quiet(QUIET_SECONDS, deadline):
            return
        time.sleep(rng.uniform(0.0, 0.03))
        try:
            os.kill(gdb.pid, signal.SIGINT)
        except ProcessLookupError:
            return
        if not output.wait_for(b"Program received signal", deadline):
            return
    while output.read(1):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--board", choices=sorted(qemu.MACHINES), required=True)
    parser.add_argument("--elf", required=True)
    parser.add_argument("--mode", choices=["pipe", "script", "define"],
                        required=True)
    parser.add_argument("--commands", default="p $pc",
                        help="gdb commands after each stop, ';'-separated")
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()

    log = os.path.abspath(args.output)
    # A busy machine can delay gdb past the quiet window, and a SIGINT that
    # lands in a command leaves a 'Quit' (in a script, the end of it): such
    # a log is recorded again, as a user would.
    for attempt in range(ATTEMPTS):
        if not record(args, log, args.seed + 1000 * attempt):
            return 1
        problem = check_log(log, args.samples)
        if not problem:
            return 0
        sys.stderr.write("record_gdb_log: attempt %d: %s\n"
                         % (attempt + 1, problem))
    return 1


def check_log(log, samples):
    """Why the log is not N clean samples, or None."""
    values = quits = 0
    for line in open(log, errors="replace"):
        while line.startswith("(gdb) "):
            line = line[len("(gdb) "):]
        values += bool(re.match(r"\$\d+ = ", line))
        quits += line.startswith("Quit")
    if quits:
        return "%d commands interrupted ('Quit')" % quits
    if values != samples:
        return "%d samples of %d" % (values, samples)
    return None


def record(args, log, seed):
    script_path = log + ".gdb"
    machine = gdb = None
    try:
        machine, port = qemu.start_halted(args.board, args.elf)
        script = commands_script(args, port, log)
        command = ["gdb-multiarch", "-nx", "-q"]
        # gdb flushes what it prints before it waits for the target only
        # when its output is a terminal, or when it reads commands from a
        # pipe: a script's output goes to a pseudo-terminal.
        if args.mode == "pipe":
            stdin = subprocess.PIPE
            output, gdb_output = os.pipe()
        else:
            with open(script_path, "w") as f:
                f.write(script + "kill\nquit\n")
            command += ["-batch", "-x", script_path]
            stdin = subprocess.DEVNULL
            output, gdb_output = pty.openpty()
        gdb = subprocess.Popen(command + [args.elf], stdin=stdin,
                               stdout=gdb_output, stderr=gdb_output)
        os.close(gdb_output)
        if args.mode == "pipe":
            gdb.stdin.write((script + "kill\nquit\n").encode())
            gdb.stdin.close()
        deadline = time.monotonic() + 60 + args.samples
        interrupt_each_continue(gdb, Output(output), args.samples, seed,
                                deadline)
        os.close(output)
        try:
            gdb.wait(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            sys.stderr.write("record_gdb_log: gdb did not finish\n")
            return False
    finally:
        qemu.end(gdb)
        qemu.end(machine)
        if os.path.exists(script_path):
            os.remove(script_path)
    return True


if __name__ == "__main__":
    sys.exit(main())
