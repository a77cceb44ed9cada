#!/usr/bin/env python3
"""Races 'ramfit annotate -i' against itself and against Ctrl-C.

  --interrupt N   N runs, each sent SIGINT at a random moment: afterwards
                  every source is whole, old or new, and no temporary file
                  is left behind.
  --concurrent N  N rounds of two runs at once with plans that touch the
                  same files: afterwards every file carries both runs'
                  annotations, as if they had run one after the other.
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

FILES = 20


def make_tree(root):
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "src"))
    os.makedirs(os.path.join(root, "build"))
    commands = []
    for i in range(FILES):
        name = "unit%02d.c" % i
        with open(os.path.join(root, "src", name), "w") as f:
            f.write("unsigned fa%d(unsigned x) {\n  return x * %d;\n}\n\n"
                    "unsigned fb%d(unsigned x) {\n  return x + %d;\n}\n"
                    % (i, i + 2, i, i + 3))
        commands.append({"directory": root, "file": os.path.join(root, "src", name),
                         "arguments": ["riscv64-unknown-elf-gcc", "-march=rv32imac",
                                       "-mabi=ilp32", "-O2", "-c", "src/" + name]})
    with open(os.path.join(root, "build", "compile_commands.json"), "w") as f:
        json.dump(commands, f)
    for plan, (prefix, line) in {"a": ("fa", 1), "b": ("fb", 5)}.items():
        with open(os.path.join(root, "plan-%s.yaml" % plan), "w") as f:
            f.write("units:\n")
            for i in range(FILES):
                f.write("  - name: %s%d\n    file: src/unit%02d.c\n    line: %d\n"
                        "    size: 8\n" % (prefix, i, i, line))


def sources(root):
    directory = os.path.join(root, "src")
    return {name: open(os.path.join(directory, name)).read()
            for name in sorted(os.listdir(directory))}


def annotate(ramfit, root, plan, **popen):
    return subprocess.Popen([ramfit, "annotate", "-i", "--plan", plan, "-p", "build",
                             "--source-root", ".", "-j", "2"],
                            cwd=root, stderr=subprocess.PIPE, text=True, **popen)


def run_to_end(ramfit, root, plan):
    process = annotate(ramfit, root, plan)
    _, err = process.communicate()
    if process.returncode:
        sys.exit("annotate failed:\n" + err)


def check_interrupts(ramfit, work, rounds):
    tree = os.path.join(work, "tree")
    make_tree(tree)
    old = sources(tree)
    start = time.monotonic()
    run_to_end(ramfit, tree, "plan-a.yaml")
    whole_run = time.monotonic() - start
    new = sources(tree)
    assert old != new
    outcomes = {"old": 0, "new": 0, "mixed": 0}
    for round in range(rounds):
        make_tree(tree)
        process = annotate(ramfit, tree, "plan-a.yaml")
        # Most of a run is parsing; aim at its end, where the files are written.
        time.sleep(whole_run * random.uniform(0.5, 1.1))
        process.send_signal(signal.SIGINT)
        process.communicate()
        now = sources(tree)
        for name, text in now.items():
            if text not in (old[name], new[name]):
                sys.exit("round %d: %s is neither old nor new:\n%s" % (round, name, text))
        if set(now) != set(old):
            sys.exit("round %d: files left behind: %s" % (round, sorted(set(now) - set(old))))
        same = [now[name] == new[name] for name in now]
        outcomes["new" if all(same) else "old" if not any(same) else "mixed"] += 1
    print("interrupted %d runs (whole run %.2fs): trees all old %d, all new %d, mixed %d"
          % (rounds, whole_run, outcomes["old"], outcomes["new"], outcomes["mixed"]))


def check_concurrent(ramfit, work, rounds):
    tree = os.path.join(work, "tree")
    for round in range(rounds):
        make_tree(tree)
        first = annotate(ramfit, tree, "plan-a.yaml")
        second = annotate(ramfit, tree, "plan-b.yaml")
        for process in (first, second):
            _, err = process.communicate()
            if process.returncode:
                sys.exit("round %d: annotate failed:\n%s" % (round, err))
        for name, text in sources(tree).items():
            if text.count('__attribute__((section(".ramtext.') != 2:
                sys.exit("round %d: %s lost an annotation:\n%s" % (round, name, text))
    print("%d rounds of two concurrent runs: every file has both annotations" % rounds)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ramfit", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--interrupt", type=int, default=0)
    parser.add_argument("--concurrent", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    if args.interrupt:
        check_interrupts(args.ramfit, os.path.abspath(args.work), args.interrupt)
    if args.concurrent:
        check_concurrent(args.ramfit, os.path.abspath(args.work), args.concurrent)


if __name__ == "__main__":
    main()
