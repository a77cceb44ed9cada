#!/usr/bin/env python3
"""Checks ramfit's profile of a gdb log against counts computed without
ramfit: the PCs and return addresses printed in the log, and the ELF's
function symbols as llvm-nm lists them.

A sample is one '$N = (void (*)()) 0xADDR' value ('(void (*)(void))' in C++) (the log must come from
'p $pc', as record_gdb_log.py writes it). Its self sample goes to the
function symbol holding the PC. Its stack is the PC and the address of
every later backtrace frame that shows one ('#N  0xADDR in ...'): frames
without an address are inlined callers of the frame before them. Each
caller is looked up just before its return address. Cumulative counts a
function once per stack, and the function a GCC clone was made from
('f' for 'f.part.0') along with the clone.

Exits 1 and lists the differences when ramfit's JSON profile disagrees, or
when ramfit did not attribute every sample.
"""
import argparse
import json
import re
import subprocess
import sys

VALUE = re.compile(r"^(?:\(gdb\) )*\$\d+ = \(void \(\*\)\((?:void)?\)\) 0x([0-9a-f]+)")
FRAME = re.compile(r"^(?:\(gdb\) )*#(\d+) +(?:0x([0-9a-f]+) in )?")
STOP = "Program received signal"
CLONE_MARKERS = ("part", "isra", "constprop", "cold", "lto_priv", "clone")


def function_symbols(nm, elf, thumb):
    """(start, end, name) of every function symbol, sorted by start and
    then by size, largest first, so that nested entry points come after
    their container."""
    listing = subprocess.run([nm, "-S", "--defined-only", elf], check=True,
                             capture_output=True, text=True).stdout
    symbols = []
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) != 4 or fields[2] not in "tTwW":
            continue
        start, size, name = int(fields[0], 16), int(fields[1], 16), fields[3]
        if thumb:
            start &= ~1
        symbols.append((start, start + size, name))
    symbols.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    # Assembly without .size (libgcc's __aeabi_uldivmod) reaches to the next
    # function, as ramfit's Binary reads it.
    starts = sorted({start for start, _, _ in symbols})
    for i, (start, end, name) in enumerate(symbols):
        if end == start:
            later = [s for s in starts if s > start]
            if later:
                symbols[i] = (start, later[0], name)
    return symbols


def function_at(symbols, address):
    """The innermost function symbol holding address, as its start."""
    found = None
    for start, end, _ in symbols:
        if start > address:
            break
        if address < end:
            found = start
    return found


def read_samples(log):
    """Each sample as its PC followed by its callers' return addresses."""
    samples = []
    for line in open(log, errors="replace"):
        if line.startswith(STOP):
            continue
        value = VALUE.match(line)
        if value:
            samples.append([int(value.group(1), 16)])
            continue
        frame = FRAME.match(line)
        if frame and samples and frame.group(2) and int(frame.group(1)) > 0:
            samples[-1].append(int(frame.group(2), 16))
    return samples


def expected_counts(symbols, samples):
    by_start = {}
    for start, _, name in symbols:
        by_start.setdefault(start, []).append(name)
    names = {name: start for start, _, name in symbols}

    def parent_of(start):
        for name in by_start[start]:
            base, _, suffix = name.partition(".")
            if base in names and suffix.startswith(CLONE_MARKERS):
                return names[base]
        return None

    counts = {}
    unattributed = 0
    for stack in samples:
        seen = set()
        for depth, address in enumerate(stack):
            start = function_at(symbols, address - 1 if depth else address)
            if start is None:
                if depth == 0:
                    unattributed += 1
                continue
            row = counts.setdefault(start, [0, 0])
            if depth == 0:
                row[0] += 1
            for counted in (start, parent_of(start)):
                if counted is not None and counted not in seen:
                    seen.add(counted)
                    counts.setdefault(counted, [0, 0])[1] += 1
    return counts, unattributed


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nm", default="llvm-nm")
    parser.add_argument("--elf", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--profile", required=True, help="ramfit's JSON")
    parser.add_argument("--thumb", action="store_true",
                        help="symbols carry the Thumb bit (Arm)")
    args = parser.parse_args()

    symbols = function_symbols(args.nm, args.elf, args.thumb)
    samples = read_samples(args.log)
    counts, unattributed = expected_counts(symbols, samples)
    profile = json.load(open(args.profile))

    problems = []
    if not samples:
        problems.append("the log holds no 'p $pc' samples")
    if unattributed:
        problems.append("%d PCs are in no function symbol" % unattributed)
    if profile["total_samples"] != len(samples):
        problems.append("ramfit counts %s samples, the log has %d"
                        % (profile["total_samples"], len(samples)))
    if profile["attributed_samples"] != len(samples):
        problems.append("ramfit attributes %s of %d samples"
                        % (profile["attributed_samples"], len(samples)))
    got = {int(f["address"], 16): (f["name"], f["self"], f["cumulative"])
           for f in profile["functions"]}
    for start in sorted(set(counts) | set(got)):
        want = counts.get(start, [0, 0])
        name, self_count, cumulative = got.get(start, ("?", 0, 0))
        if [self_count, cumulative] != want:
            problems.append("0x%x %s: ramfit self %s cumulative %s, expected "
                            "self %d cumulative %d"
                            % (start, name, self_count, cumulative, *want))
    for problem in problems:
        print("expected_profile: " + problem)
    if not problems:
        print("expected_profile: %d samples, %d functions: all counts agree"
              % (len(samples), len(counts)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
