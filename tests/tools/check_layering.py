#!/usr/bin/env python3
"""Checks that lib/ keeps the pipeline's shape: every include of a ramfit
header points down the list of stages, and no file outgrows one sitting.

  steps -> apply, measure -> plan -> profile -> firmware, samples -> support

lib/CMakeLists.txt enforces the same order in the build.

Prints each violation as FILE:LINE: what, and exits 1 when there is one."""
import pathlib
import re
import sys

# A stage may include its own folder and any folder of a lower rank;
# firmware and samples are siblings, neither knows the other; so are apply
# and measure.
RANK = {"support": 0, "samples": 1, "firmware": 1, "profile": 2, "plan": 3,
        "apply": 4, "measure": 4, "steps": 5}
MAX_LINES = 400

lib = pathlib.Path(sys.argv[1])
problems = []
for path in sorted(lib.glob("*/*.[hc]*")):
    stage = path.parent.name
    if stage not in RANK:
        problems.append(f"{path}:1: a folder that is no stage of the pipeline")
        continue
    lines = path.read_text().splitlines()
    if len(lines) > MAX_LINES:
        problems.append(f"{path}:{len(lines)}: {len(lines)} lines, more than "
                        f"{MAX_LINES}")
    for number, line in enumerate(lines, 1):
        match = re.match(r'#include "(\w+)/\w+\.h"', line)
        if not match:
            continue
        target = match.group(1)
        if target == stage:
            continue
        if target not in RANK or RANK[target] >= RANK[stage]:
            problems.append(f"{path}:{number}: {stage}/ includes {target}/, "
                            f"which is not below it")
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
