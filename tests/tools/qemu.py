"""QEMU for the fixture boards, on 127.0.0.1 and a free port, ended by pid."""
import os
import signal
import socket
import subprocess
import time

MACHINES = {
    "riscv": ["qemu-system-riscv32", "-M", "virt", "-bios", "none"],
    "arm": ["qemu-system-arm", "-M", "mps2-an386", "-semihosting"],
}


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port, process, deadline):
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


def start_halted(board, elf, attempts=3):
    """QEMU halted at reset with its gdbstub on a free port. Another process
    may take the port before QEMU binds it: then try another."""
    for attempt in range(attempts):
        port = free_port()
        qemu = subprocess.Popen(
            MACHINES[board] + ["-kernel", elf, "-nographic", "-monitor", "none",
                               "-serial", "null", "-gdb",
                               "tcp:127.0.0.1:%d" % port, "-S"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        try:
            _wait_for_port(port, qemu, time.monotonic() + 10)
            return qemu, port
        except RuntimeError:
            end(qemu)
            if attempt + 1 == attempts:
                raise


# gdb commands that take the fixture past its startup code and keep its
# workload running while it is sampled.
KEEP_RUNNING = """\
tbreak main
continue
set var workload_rounds = 0xffffffff
"""
