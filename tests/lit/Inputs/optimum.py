#!/usr/bin/env python3
"""Shows that each plan covers the most samples any set of its units can
cover in the budget, by the sizes the linker gives, not by ramfit's model.

    optimum.py RAMFIT BOARD FIRMWARE SOURCES WORK BUDGET...

WORK is what linked-sizes.sh left: plan-BUDGET.yaml and the relinked
build-BUDGET/firmware.elf for each budget, the last budget's plan holding all
of the hot code. From that last link, where every hot unit is in RAM, each
unit's linked size is the size of its functions there (its clones and
.cold/.part pieces included, padding not). That is a lower bound on what the
unit takes in any link: in RAM beside all of the others every call it makes
to them is as short as it gets, and veneers and padding only add. So a set
of units whose measured sizes add up to more than a budget cannot link in
it; every other set (brute force: 2^units) that would cover more samples
than the plan is relinked with a fragment of its own, and must not fit.
Prints one line per budget: "BUDGET covered N optimum N relinked K".
"""
import os
import re
import subprocess
import sys


def read_plan(path):
    """The plan's header text, its units' text blocks, and their samples."""
    text = open(path).read()
    head, rest = text.split("\nunits:\n", 1)
    body = rest.split("\nnext:\n", 1)[0]
    blocks = re.split(r"\n(?=  - name: )", "\n" + body)[1:]
    units = []
    for block in blocks:
        name = re.search(r"  - name: (\S+)", block).group(1)
        self_samples = int(re.search(r"\n    self: (\d+)", block).group(1))
        # Two static functions may share a name; their files tell them apart.
        key = (name, re.search(r"\n    file: (.*)", block).group(1),
               re.search(r"\n    line: (\d+)", block).group(1))
        units.append({"name": name, "key": key, "self": self_samples,
                      "text": block})
    covered = int(re.search(r"\n  covered: (\d+)", head).group(1))
    total = int(re.search(r"\n  total: (\d+)", head).group(1))
    return head, units, covered, total


def ram_region(memory_ld):
    text = open(memory_ld).read()
    found = re.search(r"RAM\s*\([^)]*\)\s*:\s*ORIGIN\s*=\s*(\w+),\s*LENGTH\s*=\s*(\d+)K",
                      text)
    origin = int(found.group(1), 0)
    return origin, origin + int(found.group(2)) * 1024


def measured_sizes(elf, units, region):
    """Each unit's functions' sizes in RAM, in the plan's (the fragment's)
    order: a name defined twice (two static functions) is taken in turn."""
    listing = subprocess.run(["llvm-nm", "-S", "-n", "--defined-only", elf],
                             capture_output=True, text=True, check=True)
    symbols = []
    for line in listing.stdout.splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[2] in "tTwW":
            address, size = int(fields[0], 16), int(fields[1], 16)
            if region[0] <= address < region[1] and size:
                symbols.append([address, size, fields[3], False])
    sizes = []
    for unit in units:
        name, size = unit["name"], 0
        for symbol in symbols:
            if symbol[3]:
                continue
            piece = symbol[2] == name or re.fullmatch(
                re.escape(name) + r"\.(cold|part\.\d+)", symbol[2])
            if piece and (symbol[2] != name or size == 0):
                symbol[3] = True
                size += symbol[1]
        if size == 0:
            sys.exit("optimum.py: %s is not in RAM in %s" % (name, elf))
        sizes.append(size)
    return sizes


def linked_total(ramfit, plan, elf, memory_ld):
    check = subprocess.run([ramfit, "check", "--plan", plan, "--elf", elf,
                            "--memory-map", memory_ld, "--region", "RAM"],
                           capture_output=True, text=True)
    for line in check.stdout.splitlines():
        fields = line.split()
        if fields and fields[0] == "total":
            return int(fields[2])
    sys.exit("optimum.py: no total from check of %s:\n%s" % (elf, check.stderr))


def relink(ramfit, board, firmware, sources, work, head, chosen, name):
    """Links the firmware with exactly the chosen units in RAM."""
    plan = os.path.join(work, name + ".yaml")
    with open(plan, "w") as out:
        out.write(head + "\nunits:\n" + "\n".join(u["text"] for u in chosen) +
                  "\nnext:\n  []\n")
    style = ["--style", "section", "--region", "RAM", "--load-region",
             "FLASH"] if board == "arm" else []
    subprocess.run([ramfit, "ldscript", "--plan", plan, "--map",
                    os.path.join(firmware, "firmware.map"), "-o",
                    os.path.join(work, "ld", "ramtext.ld")] + style, check=True)
    out_dir = os.path.join(work, "build-" + name)
    subprocess.run(["make", "--no-print-directory", "-s", "-C", sources,
                    "BOARD=" + board, "OUT=" + out_dir,
                    "EXTRA_LDDIRS=" + os.path.join(work, "ld")],
                   check=True, stderr=subprocess.DEVNULL)
    elf = os.path.join(out_dir, "firmware.elf")
    return linked_total(ramfit, plan, elf, os.path.join(work, "ld", "memory.ld"))


def main():
    ramfit, board, firmware, sources, work = sys.argv[1:6]
    work = os.path.abspath(work)
    budgets = [int(b) for b in sys.argv[6:]]
    memory_ld = os.path.join(work, "ld", "memory.ld")
    region = ram_region(memory_ld)
    head, hot, covered, total = read_plan(
        os.path.join(work, "plan-%d.yaml" % budgets[-1]))
    if covered != total:
        sys.exit("optimum.py: the %d-byte plan leaves hot code out" % budgets[-1])
    lower = measured_sizes(
        os.path.join(work, "build-%d" % budgets[-1], "firmware.elf"), hot, region)
    hot_names = [u["name"] for u in hot]
    failed = False
    for budget in budgets:
        _, units, covered, _ = read_plan(os.path.join(work, "plan-%d.yaml" % budget))
        # The plan's own link: the bound must hold for it too.
        hot_keys = [u["key"] for u in hot]
        chosen = [hot_keys.index(unit["key"]) for unit in units]
        linked = linked_total(ramfit, os.path.join(work, "plan-%d.yaml" % budget),
                              os.path.join(work, "build-%d" % budget, "firmware.elf"),
                              memory_ld)
        if sum(lower[i] for i in chosen) > linked:
            sys.exit("optimum.py: measured sizes are not a lower bound at %d" % budget)
        candidates = []
        for mask in range(1 << len(hot)):
            members = [i for i in range(len(hot)) if mask >> i & 1]
            samples = sum(hot[i]["self"] for i in members)
            if samples > covered and sum(lower[i] for i in members) <= budget:
                candidates.append((-samples, mask, members))
        candidates.sort()
        optimum, relinked = covered, 0
        for samples, mask, members in candidates:
            relinked += 1
            size = relink(ramfit, board, firmware, sources, work, head,
                          [hot[i] for i in members], "set-%d-%d" % (budget, mask))
            if sum(lower[i] for i in members) > size:
                sys.exit("optimum.py: measured sizes are not a lower bound "
                         "for set %x" % mask)
            if size <= budget:
                print("optimum.py: at %d bytes %s cover %d samples in %d bytes; "
                      "the plan covers %d" % (budget, [hot_names[i] for i in members],
                                             -samples, size, covered),
                      file=sys.stderr)
                optimum, failed = -samples, True
                break
        print(budget, "covered", covered, "optimum", optimum, "relinked", relinked)
    sys.exit(1 if failed else 0)


main()
