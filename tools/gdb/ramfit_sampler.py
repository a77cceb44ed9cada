"""ramfit's PC sampler for gdb.

    (gdb) source ramfit_sampler.py      # or: gdb -x ramfit_sampler.py
    (gdb) target remote 127.0.0.1:1234
    (gdb) ramfit-sample 1000 --interval 0.02 --output samples.txt
    (gdb) ramfit-sample 500 --backtrace --output stacks.folded

The target is interrupted on the sampler's own timer: no second shell, no
signals sent to gdb from outside. Each stop records $pc (or, with
--backtrace, the stack as folded frames), and the target runs on. Every
sample is written and flushed as it is taken, so a run that ends early, by
Ctrl-C, a breakpoint, a fault, or a killed gdb, leaves a readable file. The
header names the ELF and its SHA-256, so 'ramfit profile' can tell samples
of another build.
"""

import argparse
import hashlib
import os
import sys
import threading
import time

import gdb


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as elf:
        for block in iter(lambda: elf.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


class _Stops:
    """Remembers why the target last stopped."""

    def __init__(self):
        self.last = None
        gdb.events.stop.connect(self._on_stop)
        gdb.events.exited.connect(self._on_exit)

    def _on_stop(self, event):
        self.last = event

    def _on_exit(self, event):
        self.last = event

    def reset(self):
        self.last = None


class _Interrupter:
    """Interrupts the running target once, after a delay, from gdb's own
    event loop, and never once the sampler has moved on: an interrupt
    posted just as the target stopped on its own must not reach gdb."""

    def __init__(self, delay):
        self.fired = threading.Event()
        self.active = True
        self.timer = threading.Timer(delay, self._fire)
        self.timer.daemon = True

    def start(self):
        self.timer.start()

    def cancel(self):
        # No timer thread may outlive the stop: one still alive when gdb
        # exits takes gdb's embedded Python down with it.
        self.active = False
        self.timer.cancel()
        self.timer.join()

    def _fire(self):
        self.fired.set()
        gdb.post_event(self._interrupt)

    def _interrupt(self):
        if not self.active:
            return
        try:
            gdb.execute("interrupt", to_string=True)
        except gdb.error:
            pass  # the target stopped on its own meanwhile


def _frames():
    """Addresses from the innermost frame out: $pc, then return addresses."""
    addresses = []
    frame = gdb.newest_frame()
    while frame is not None and len(addresses) < 256:
        addresses.append(frame.pc())
        try:
            frame = frame.older()
        except gdb.error:
            break
    return addresses


class RamfitSample(gdb.Command):
    """ramfit-sample COUNT [--interval SECONDS] [--backtrace] [--output FILE]

Take COUNT samples of the running target's $pc (or, with --backtrace, of
its stack) for 'ramfit profile'."""

    def __init__(self):
        super().__init__("ramfit-sample", gdb.COMMAND_RUNNING)
        self.stops = _Stops()

    @staticmethod
    def _parse(argument):
        parser = argparse.ArgumentParser(prog="ramfit-sample", add_help=False)
        parser.add_argument("count", type=int)
        parser.add_argument("--interval", type=float, default=0.01)
        parser.add_argument("--backtrace", action="store_true")
        parser.add_argument("--output", default="ramfit-samples.txt")
        try:
            args = parser.parse_args(gdb.string_to_argv(argument))
        except SystemExit:
            raise gdb.GdbError("usage: ramfit-sample COUNT [--interval SECONDS] "
                               "[--backtrace] [--output FILE]")
        if args.count <= 0 or args.interval <= 0:
            raise gdb.GdbError("ramfit-sample: COUNT and --interval must be positive")
        return args

    def invoke(self, argument, from_tty):
        args = self._parse(argument)
        elf = gdb.current_progspace().filename
        if not elf:
            raise gdb.GdbError("ramfit-sample: load the firmware ELF first (file FW.elf)")
        if gdb.selected_inferior().pid == 0:
            raise gdb.GdbError("ramfit-sample: no target; connect first (target remote HOST:PORT)")
        with open(args.output, "w") as out:
            out.write("# ramfit-samples elf=%s sha256=%s format=%s\n"
                      % (os.path.abspath(elf), _sha256(elf),
                         "folded" if args.backtrace else "hex"))
            out.flush()
            taken, reason = self._sample(args, out, from_tty)
        rate = taken / self.elapsed if self.elapsed > 0 else 0.0
        gdb.write("\nramfit-sample: %d samples in %.1f s (%.1f samples/s) to %s%s\n"
                  % (taken, self.elapsed, rate, args.output,
                     "; stopped: " + reason if reason else ""))

    def _sample(self, args, out, from_tty):
        taken = 0
        started = time.monotonic()
        self.elapsed = 0.0
        try:
            while taken < args.count:
                reason = self._one_stop(args.interval)
                if reason:
                    return taken, reason
                if args.backtrace:
                    line = ";".join("0x%x" % pc for pc in reversed(_frames())) + " 1\n"
                else:
                    line = "0x%x\n" % gdb.newest_frame().pc()
                out.write(line)
                out.flush()
                taken += 1
                self.elapsed = time.monotonic() - started
                if from_tty and (taken % 10 == 0 or taken == args.count):
                    sys.stdout.write("\rramfit-sample: %d/%d (%.1f samples/s)"
                                     % (taken, args.count, taken / self.elapsed))
                    sys.stdout.flush()
        except KeyboardInterrupt:
            return taken, "interrupted"
        finally:
            self.elapsed = time.monotonic() - started
        return taken, None

    def _one_stop(self, interval):
        """Runs the target until the timer interrupts it. Returns why
        sampling must end, or None."""
        self.stops.reset()
        interrupter = _Interrupter(interval)
        interrupter.start()
        try:
            gdb.execute("continue", to_string=True)
        except gdb.error as error:
            interrupter.cancel()
            return "the target cannot run: %s" % error
        interrupter.cancel()
        event = self.stops.last
        if isinstance(event, gdb.ExitedEvent):
            return "the program exited"
        if isinstance(event, gdb.SignalEvent) and event.stop_signal in ("SIGINT", "SIGTRAP") \
                and interrupter.fired.is_set():
            return None
        if isinstance(event, gdb.SignalEvent) and event.stop_signal == "SIGINT":
            return "interrupted"
        if isinstance(event, gdb.BreakpointEvent):
            return "the target hit a breakpoint at 0x%x" % gdb.newest_frame().pc()
        if isinstance(event, gdb.SignalEvent):
            return "the target stopped with %s at 0x%x" % (event.stop_signal,
                                                           gdb.newest_frame().pc())
        return "the target stopped on its own"


RamfitSample()
