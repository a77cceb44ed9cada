#!/usr/bin/env python3
"""Checks that docs/ramfit.1 documents every option each subcommand's --help
lists, so that the man page stays true to the code.

usage: check_manpage.py RAMFIT MANPAGE"""
import re
import subprocess
import sys

ramfit, manpage = sys.argv[1], sys.argv[2]
text = open(manpage).read()
subcommands = ["profile", "plan", "ldscript", "annotate", "check", "gdb-script", "run",
               "measure", "audit", "diff"]
missing = []
for sub in subcommands:
    if ".SS ramfit " + sub.replace("-", "\\-") not in text:
        missing.append(f"{sub}: no section")
    help_text = subprocess.run([ramfit, sub, "--help"], capture_output=True,
                               text=True, check=True).stdout
    for match in re.finditer(r"^\s+(--?[a-z][a-z-]*)", help_text, re.M):
        option = match.group(1)
        if option in ("--help", "--help-list"):
            continue
        if option.replace("-", "\\-") not in text:
            missing.append(f"{sub}: {option}")
for problem in missing:
    print(f"{manpage}: not documented: {problem}")
sys.exit(1 if missing else 0)
