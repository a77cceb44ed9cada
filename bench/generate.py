#!/usr/bin/env python3
"""Generates the benchmark's firmware and samples into OUT:

  src/unitNN.c, link.ld   a CircuitPython-sized RV32 program: 3000+
                          functions, ~300 KiB of text, a few 5 KiB+ functions
                          (interpreter-like switches), many small ones,
                          statics of one name in every file, inlined helpers
  firmware.elf/.map       built with riscv64-unknown-elf-gcc -O2 -g
                          -ffunction-sections
  compile_commands.json   for 'ramfit annotate'
  pc.log                  1,000,000 gdb 'p $pc' samples, Zipf-skewed, as gdb
                          logs them: the interruption, the stop location
                          and its source line, then the value (~190 MB)
  bt.log                  100,000 gdb 'bt' samples of 2 to 6 frames, each
                          after its interruption and stop location
  addresses.txt           the sampled PCs of pc.log, one per line
  plan-20-files.yaml      a plan with one function in each of 20 files

Everything comes from a fixed seed, so two runs give the same files.
"""
import argparse
import bisect
import concurrent.futures
import json
import os
import random
import subprocess

CC = "riscv64-unknown-elf-gcc"
CFLAGS = ["-march=rv32imac", "-mabi=ilp32", "-O2", "-g", "-ffunction-sections",
          "-fdata-sections", "-ffreestanding"]
UNITS = 64
FUNCTIONS_PER_UNIT = 48
LARGE_FUNCTIONS = 6


def statement(rng, table):
    a, b = rng.randrange(1, 1 << 16), rng.randrange(1, 31)
    return rng.choice([
        "x = x * %du + (y >> %d);" % (a | 1, b),
        "y ^= %s[(x + %d) & 63];" % (table, a),
        "if (x & %du) y += x >> %d; else y -= x << %d;" % (a, b, b % 7 + 1),
        "for (uint32_t i = 0; i < (y & 7u); i++) x += %s[i] ^ %du;" % (table, a),
        "x = rotate(x, %d) + y;" % b,
        "y = helper(y + %du);" % a,
    ])


def small_function(rng, unit, index, callees):
    body = [statement(rng, "table_%d" % unit) for _ in range(rng.randrange(1, 6))]
    if callees and rng.random() < 0.5:
        body.append("x += %s(y, x);" % rng.choice(callees))
    return ("uint32_t f%d_%d(uint32_t x, uint32_t y) {\n  %s\n  return x ^ y;\n}\n"
            % (unit, index, "\n  ".join(body)))


def large_function(rng, unit, index):
    cases = []
    for case in range(rng.randrange(150, 220)):
        cases.append("    case %d: acc = acc * %du + (arg >> %d) ^ table_%d[(acc + %d) & 63];"
                     " arg = rotate(arg, %d); break;"
                     % (case, rng.randrange(3, 1 << 20) | 1, rng.randrange(1, 31), unit,
                        case, rng.randrange(1, 31)))
    return ("uint32_t f%d_%d(uint32_t acc, uint32_t arg) {\n"
            "  for (uint32_t op = arg; op != 0; op >>= 8) {\n"
            "    switch (op & 0xff) {\n%s\n    default: acc = helper(acc); break;\n"
            "    }\n  }\n  return acc;\n}\n" % (unit, index, "\n".join(cases)))


def write_sources(out, rng):
    os.makedirs(os.path.join(out, "src"), exist_ok=True)
    large = set(rng.sample(range(UNITS), LARGE_FUNCTIONS))
    names = []
    for unit in range(UNITS):
        parts = ["#include <stdint.h>",
                 "uint32_t table_%d[64];" % unit,
                 "static inline uint32_t rotate(uint32_t v, int n) "
                 "{ return (v << n) | (v >> (32 - n)); }",
                 # One static name in every file, as CircuitPython's many.
                 "__attribute__((noinline)) static uint32_t helper(uint32_t v) "
                 "{ return table_%d[v & 63] + v * 3u; }" % unit,
                 "uint32_t use_helper_%d(uint32_t v) { return helper(v); }" % unit]
        defined = []
        for index in range(FUNCTIONS_PER_UNIT):
            if unit in large and index == 0:
                parts.append(large_function(rng, unit, index))
            else:
                parts.append(small_function(rng, unit, index, defined[-4:]))
            defined.append("f%d_%d" % (unit, index))
        names += defined
        with open(os.path.join(out, "src", "unit%02d.c" % unit), "w") as f:
            f.write("\n".join(parts) + "\n")
    with open(os.path.join(out, "src", "main.c"), "w") as f:
        f.write("#include <stdint.h>\n")
        f.write("".join("uint32_t %s(uint32_t, uint32_t);\n" % n for n in names))
        f.write("uint32_t (*const all[])(uint32_t, uint32_t) = {%s};\n" % ", ".join(names))
        f.write("void _start(void) { uint32_t x = 1;\n"
                "  for (;;) for (unsigned i = 0; i < %d; i++) x = all[i](x, i); }\n"
                % len(names))
    with open(os.path.join(out, "link.ld"), "w") as f:
        f.write("MEMORY {\n  FLASH (rx) : ORIGIN = 0x20000000, LENGTH = 1M\n"
                "  RAM (rwx) : ORIGIN = 0x10000000, LENGTH = 128K\n}\n"
                "ENTRY(_start)\nSECTIONS {\n  .text : { *(.text.unlikely*) *(.text*) } > FLASH\n"
                "  .rodata : { *(.rodata*) *(.srodata*) } > FLASH\n"
                "  .data : { *(.data*) *(.sdata*) } > RAM AT > FLASH\n"
                "  .bss : { *(.bss*) *(.sbss*) *(COMMON) } > RAM\n}\n")


def build(out):
    sources = sorted(os.listdir(os.path.join(out, "src")))
    os.makedirs(os.path.join(out, "obj"), exist_ok=True)
    commands = []

    def compile_one(name):
        args = [CC] + CFLAGS + ["-c", "src/" + name, "-o", "obj/" + name[:-2] + ".o"]
        subprocess.run(args, cwd=out, check=True)
        return {"directory": out, "file": os.path.join(out, "src", name), "arguments": args}

    with concurrent.futures.ThreadPoolExecutor(os.cpu_count()) as pool:
        commands = list(pool.map(compile_one, sources))
    with open(os.path.join(out, "compile_commands.json"), "w") as f:
        json.dump(commands, f, indent=1)
    objects = ["obj/" + name[:-2] + ".o" for name in sources]
    subprocess.run([CC] + CFLAGS + ["-nostdlib", "-T", "link.ld", "-Wl,-Map,firmware.map",
                                    "-o", "firmware.elf"] + objects + ["-lgcc"],
                   cwd=out, check=True)


def functions(out):
    listing = subprocess.run(["riscv64-unknown-elf-nm", "-S", "--defined-only",
                              os.path.join(out, "firmware.elf")],
                             capture_output=True, text=True, check=True).stdout
    result = []
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[2] in "tT" and int(fields[1], 16) >= 4:
            result.append((int(fields[0], 16), int(fields[1], 16), fields[3]))
    return sorted(result)


def zipf_picker(rng, count, exponent=1.1):
    cumulative, total = [], 0.0
    for rank in range(1, count + 1):
        total += 1 / rank ** exponent
        cumulative.append(total)
    return lambda: bisect.bisect_left(cumulative, rng.random() * total)


def write_samples(out, rng, pc_samples, bt_samples):
    funcs = functions(out)
    order = list(range(len(funcs)))
    rng.shuffle(order)  # the hot functions are anywhere in the image
    pick = zipf_picker(rng, len(funcs))

    def sample():
        address, size, name = funcs[order[pick()]]
        offset = 2 * rng.randrange(size // 2)
        return address + offset, name, offset

    def stop(address, name, offset):
        """What gdb prints when the target stops: the location (the address
        only when the PC is inside a line) and that line of source."""
        line = 10 + offset // 4
        where = "0x%08x in " % address if offset % 8 else ""
        return ("\nProgram received signal SIGINT, Interrupt.\n"
                "%s%s (x=<optimized out>, y=y@entry=7) at src/%s.c:%d\n"
                "%d\t  x = (x << 3) ^ table[(x + y) & 15];\n"
                % (where, name, name.split("_")[0], line, line))

    with open(os.path.join(out, "pc.log"), "w") as log, \
            open(os.path.join(out, "addresses.txt"), "w") as addresses:
        for n in range(1, pc_samples + 1):
            address, name, offset = sample()
            symbol = "<%s+%d>" % (name, offset) if offset else "<%s>" % name
            log.write(stop(address, name, offset))
            log.write("$%d = (void (*)()) 0x%08x %s\n" % (n, address, symbol))
            addresses.write("0x%08x\n" % address)
    with open(os.path.join(out, "bt.log"), "w") as log:
        for _ in range(bt_samples):
            address, name, offset = sample()
            log.write(stop(address, name, offset))
            for depth in range(rng.randrange(2, 7)):
                if depth:
                    address, name, _ = sample()
                log.write("#%d  0x%08x in %s (x=%d, y=%d) at src/%s.c:%d\n"
                          % (depth, address, name, depth, 7, name.split("_")[0], 10 + depth))


def write_plan(out, funcs_per_file=1, files=20):
    with open(os.path.join(out, "plan-20-files.yaml"), "w") as f:
        f.write("units:\n")
        for unit in range(files):
            f.write("  - name: f%d_1\n    file: src/unit%02d.c\n    size: 64\n" % (unit, unit))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--pc-samples", type=int, default=1_000_000)
    parser.add_argument("--bt-samples", type=int, default=100_000)
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    rng = random.Random(1)
    write_sources(out, rng)
    build(out)
    write_samples(out, rng, args.pc_samples, args.bt_samples)
    write_plan(out)


if __name__ == "__main__":
    main()
