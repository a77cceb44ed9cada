#!/usr/bin/env python3
"""Runs a command with its output on a pseudo-terminal, as a user's shell
would, and prints what it wrote with each escape byte shown as <ESC>: for
tests of what a tool does on a terminal (colour, progress lines).

    in-a-terminal.py COMMAND [ARG...]
"""
import os
import pty
import subprocess
import sys

master, slave = pty.openpty()
child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL,
                         stdout=slave, stderr=slave)
os.close(slave)
output = bytearray()
while True:
    try:
        data = os.read(master, 4096)
    except OSError:  # EIO: the child closed its side
        break
    if not data:
        break
    output.extend(data)
status = child.wait()
sys.stdout.write(output.decode(errors="replace").replace("\x1b", "<ESC>")
                 .replace("\r\n", "\n"))
sys.exit(status)
