"""The lit test format of tests/lit/bad-inputs: each row of its cases.py is
one test. A row builds a work directory, runs ramfit there, and checks the
exit code, that the message names the file and the problem, and that no file
in the directory was created, changed or removed (temporary files included).
"""
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys

import lit.Test
import lit.formats

TABLE = "cases.py"


def hot_instructions(elf):
    """@HOT@ and @HOT2@, the second and third instructions of the RISC-V
    fixture's fir_filter as llvm-objdump decodes them, and @HOT_OFFSET@,
    @HOT@'s offset into it: PCs a sample of that build can have;
    @HOT_INSIDE@, one it cannot."""
    listing = subprocess.run(
        ["llvm-objdump", "-d", "--disassemble-symbols=fir_filter", elf],
        check=True, capture_output=True, text=True).stdout
    addresses = [int(m.group(1), 16) for m in
                 re.finditer(r"^\s*([0-9a-f]+):\s", listing, re.M)]
    return {"@HOT_OFFSET@": str(addresses[1] - addresses[0]),
            # One byte into it: inside an instruction on every core.
            "@HOT_INSIDE@": "0x%x" % (addresses[1] + 1),
            "@HOT2@": "0x%x" % addresses[2], "@HOT@": "0x%x" % addresses[1]}


def load_cases(directory):
    scope = {}
    path = os.path.join(directory, TABLE)
    with open(path) as source:
        exec(compile(source.read(), path, "exec"), scope)
    return {case.name: case for case in scope["CASES"]}


def snapshot(root):
    state = {}
    for parent, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(parent, name)
            info = os.lstat(path)
            digest = None
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
            state[os.path.relpath(path, root)] = (info.st_mode, digest)
    return state


def describe_changes(before, after):
    changes = []
    for path in sorted(set(before) | set(after)):
        if path not in before:
            changes.append("created: " + path)
        elif path not in after:
            changes.append("removed: " + path)
        elif before[path] != after[path]:
            changes.append("changed: " + path)
    return changes


class BadInputTable(lit.formats.TestFormat):
    def getTestsInDirectory(self, suite, path_in_suite, lit_config, local_config):
        directory = suite.getSourcePath(path_in_suite)
        if not os.path.exists(os.path.join(directory, TABLE)):
            return
        for name in load_cases(directory):
            yield lit.Test.Test(suite, path_in_suite + (TABLE, name), local_config)

    def execute(self, test, lit_config):
        directory = os.path.dirname(os.path.dirname(test.getSourcePath()))
        case = load_cases(directory)[test.path_in_suite[-1]]
        work = os.path.join(test.suite.getExecPath(test.path_in_suite[:-2]),
                            "Output", case.name)
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        root = test.config.root
        ramfit = os.path.join(root.ramfit_bin_dir, "ramfit")
        fixtures = root.fixture_firmware_dir
        words = {"@WORK@": work, "@RAMFIT@": ramfit, "@FW@": fixtures,
                 "@FIXTURES@": os.path.join(root.ramfit_source_dir, "fixtures"),
                 "@INPUTS@": os.path.join(root.ramfit_source_dir, "tests", "lit", "Inputs")}
        words.update(hot_instructions(os.path.join(fixtures, "riscv", "firmware.elf")))

        def expand(text):
            for key, value in words.items():
                text = text.replace(key, value)
            return text

        for relative, fixture in case.fixtures.items():
            shutil.copyfile(os.path.join(fixtures, fixture),
                            os.path.join(work, relative))
        for relative, content in case.files.items():
            path = os.path.join(work, relative)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            mode = "wb" if isinstance(content, bytes) else "w"
            with open(path, mode) as f:
                f.write(content if isinstance(content, bytes) else expand(content))
        for command in case.setup:
            done = subprocess.run(expand(command), shell=True, cwd=work,
                                  capture_output=True, text=True)
            if done.returncode:
                return lit.Test.UNRESOLVED, "setup failed: %s\n%s%s" % (
                    command, done.stdout, done.stderr)

        before = snapshot(work)
        argv = [ramfit] + [expand(word) for word in shlex.split(case.run)]
        done = subprocess.run(argv, cwd=work, capture_output=True, text=True,
                              errors="replace", timeout=120)
        after = snapshot(work)

        problems = []
        if done.returncode != case.exit:
            problems.append("exit code %d, expected %d" % (done.returncode, case.exit))
        if not re.search(expand(case.message), done.stderr):
            problems.append("no message matching: " + expand(case.message))
        if case.exit == 1 and "ramfit: error: " not in done.stderr:
            problems.append("no 'ramfit: error: ' line")
        problems += describe_changes(before, after)
        report = "$ cd %s && %s\n--- exit %d, stderr:\n%s" % (
            work, " ".join(shlex.quote(a) for a in argv), done.returncode, done.stderr)
        if problems:
            return lit.Test.FAIL, "\n".join(problems) + "\n" + report
        return lit.Test.PASS, report

