#!/usr/bin/env python3
"""Shows that each plan covers the most samples any set of its units can
cover in the budget, by the sizes the linker gives, not by ramfit's model.

    optimum.py MODE RAMFIT BOARD FIRMWARE SOURCES WORK BUDGET...

MODE, RAMFIT, BOARD, FIRMWARE and SOURCES are as linked-sizes.sh took them,
and WORK is what it left: plan-BUDGET.yaml and the relinked
build-BUDGET/firmware.elf for each budget, the last budget's plan holding all
of the hot code. From that last link, where every hot unit is in RAM, each
unit's linked size is the size of its functions there (its clones and
.cold/.part pieces included, padding not). That is a lower bound on what the
unit takes in any link: in RAM beside all of the others every call it makes
to them is as short as it gets, and veneers and padding only add. So a set
of units whose measured sizes add up to more than a budget cannot link in
it, nor can one whose callers of code left in flash need more veneers
(Arm) than that leaves room for; every other set (brute force: 2^units) that would cover more samples
than the plan is relinked, applied as the plan was (a fragment, or an
annotation patch and a fragment for the rest), and must not fit.
Prints one line per budget: "BUDGET covered N optimum N relinked K".
"""
import os
import re
import shutil
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


def source_files(elf, addresses):
    """The source file of the function at each address, from DWARF."""
    found = subprocess.run(["llvm-symbolizer", "--obj=" + elf] +
                           ["0x%x" % a for a in addresses],
                           capture_output=True, text=True, check=True)
    answers = found.stdout.strip().split("\n\n")
    return [os.path.basename(a.split("\n")[1].split(":")[0]) for a in answers]


def measured_sizes(elf, units, region):
    """Each unit's functions' sizes in RAM: its own, and its .cold and
    .part pieces, told apart by name and source file; and the veneers its
    code branches to (Arm), with the size of one."""
    listing = subprocess.run(["llvm-nm", "-S", "-n", "--defined-only", elf],
                             capture_output=True, text=True, check=True)
    symbols, veneer_size = [], 0
    for line in listing.stdout.splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[2] in "tTwW":
            address, size = int(fields[0], 16), int(fields[1], 16)
            if region[0] <= address < region[1] and size:
                symbols.append((address, size, fields[3]))
                if fields[3].endswith("_veneer"):
                    veneer_size = size
    files = source_files(elf, [symbol[0] for symbol in symbols])
    sizes, ranges = [], []
    for unit in units:
        name, file = unit["name"], os.path.basename(unit["key"][1])
        pieces = [symbol for symbol, symbol_file in zip(symbols, files)
                  if symbol_file == file and
                  re.fullmatch(re.escape(name) + r"(\.(cold|part\.\d+))?",
                               symbol[2])]
        if not pieces:
            sys.exit("optimum.py: %s is not in RAM in %s" % (name, elf))
        sizes.append(sum(piece[1] for piece in pieces))
        ranges.append([(piece[0], piece[0] + piece[1]) for piece in pieces])
    # Here every hot unit is in RAM: a veneer is for code that never is, and
    # any set with one of its callers needs it.
    veneers = [set() for _ in units]
    listing = subprocess.run(["llvm-objdump", "-d", "--no-show-raw-insn", elf],
                             capture_output=True, text=True, check=True)
    for line in listing.stdout.splitlines():
        branch = re.match(r"\s*([0-9a-f]+):.*<(\S+_veneer)>", line)
        if not branch:
            continue
        address = int(branch.group(1), 16)
        for index, unit_ranges in enumerate(ranges):
            if any(start <= address < end for start, end in unit_ranges):
                veneers[index].add(branch.group(2))
    return sizes, veneers, veneer_size


def linked_total(ramfit, plan, elf, memory_ld):
    check = subprocess.run([ramfit, "check", "--plan", plan, "--elf", elf,
                            "--memory-map", memory_ld, "--region", "RAM"],
                           capture_output=True, text=True)
    for line in check.stdout.splitlines():
        fields = line.split()
        if fields and fields[0] == "total":
            return int(fields[2])
    sys.exit("optimum.py: no total from check of %s:\n%s" % (elf, check.stderr))


def relink(mode, ramfit, board, firmware, sources, work, head, chosen, name):
    """Links the firmware with exactly the chosen units in RAM."""
    plan = os.path.join(work, name + ".yaml")
    with open(plan, "w") as out:
        out.write(head + "\nunits:\n" + "\n".join(u["text"] for u in chosen) +
                  "\nnext:\n  []\n")
    fragment_plan = plan
    if mode == "annotate":
        subprocess.run(["git", "-C", sources, "checkout", "-q", "--", "."],
                       check=True)
        patch = os.path.join(work, name + ".patch")
        fragment_plan = os.path.join(work, name + "-rest.yaml")
        subprocess.run([ramfit, "annotate", "--plan", plan, "-p", firmware,
                        "--source-root", sources, "--patch", patch,
                        "--remaining-plan", fragment_plan],
                       check=True, stderr=subprocess.DEVNULL)
        subprocess.run(["git", "-C", sources, "apply", patch], check=True)
    style = ["--style", "section", "--region", "RAM", "--load-region",
             "FLASH"] if board == "arm" else []
    subprocess.run([ramfit, "ldscript", "--plan", fragment_plan, "--map",
                    os.path.join(firmware, "firmware.map"), "-o",
                    os.path.join(work, "ld", "ramtext.ld")] + style, check=True)
    out_dir = os.path.join(work, "build-" + name)
    # As linked-sizes.sh: the base build's objects, times kept, so that make
    # compiles only what a patch changed and relinks.
    shutil.copytree(os.path.join(firmware, "obj"), os.path.join(out_dir, "obj"),
                    copy_function=shutil.copy2)
    subprocess.run(["make", "--no-print-directory", "-s", "-C", sources,
                    "BOARD=" + board, "OUT=" + out_dir,
                    "EXTRA_LDDIRS=" + os.path.join(work, "ld")],
                   check=True, stderr=subprocess.DEVNULL)
    elf = os.path.join(out_dir, "firmware.elf")
    return linked_total(ramfit, plan, elf, os.path.join(work, "ld", "memory.ld"))


def main():
    mode, ramfit, board, firmware, sources, work = sys.argv[1:7]
    work = os.path.abspath(work)
    if mode == "annotate":
        # linked-sizes.sh built the tree it patched there.
        firmware, sources = os.path.join(work, "base"), os.path.join(work, "tree")
    budgets = [int(b) for b in sys.argv[7:]]
    memory_ld = os.path.join(work, "ld", "memory.ld")
    region = ram_region(memory_ld)
    head, hot, covered, total = read_plan(
        os.path.join(work, "plan-%d.yaml" % budgets[-1]))
    if covered != total:
        sys.exit("optimum.py: the %d-byte plan leaves hot code out" % budgets[-1])
    lower, veneers, veneer_size = measured_sizes(
        os.path.join(work, "build-%d" % budgets[-1], "firmware.elf"), hot, region)

    def bound(members):
        """What the set takes at least: its units as measured, and one
        veneer for each far target they call."""
        return (sum(lower[i] for i in members) +
                veneer_size * len(set().union(*[veneers[i] for i in members])))

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
        if bound(chosen) > linked:
            sys.exit("optimum.py: measured sizes are not a lower bound at %d" % budget)
        candidates = []
        for mask in range(1 << len(hot)):
            members = [i for i in range(len(hot)) if mask >> i & 1]
            samples = sum(hot[i]["self"] for i in members)
            if samples > covered and bound(members) <= budget:
                candidates.append((-samples, mask, members))
        candidates.sort()
        optimum, relinked = covered, 0
        for samples, mask, members in candidates:
            relinked += 1
            size = relink(mode, ramfit, board, firmware, sources, work, head,
                          [hot[i] for i in members], "set-%d-%d" % (budget, mask))
            if bound(members) > size:
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
