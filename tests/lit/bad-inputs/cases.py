# The bad-input table: one row per way an input can be wrong. Each row
# runs ramfit once in a fresh directory holding `files` (text or bytes,
# with @WORK@ standing for the directory) and `fixtures` (copies of the
# fixture firmware build), after the `setup` shell commands. The row passes
# when ramfit exits with `exit`, stderr matches the `message` regex, and no
# file in the directory was created, changed or removed.
import struct
from collections import namedtuple

Case = namedtuple("Case", "name run exit message files fixtures setup")


def case(name, run, exit, message, files=None, fixtures=None, setup=()):
    return Case(name, run, exit, message, files or {}, fixtures or {}, list(setup))


ELF = {"fw.elf": "riscv/firmware.elf"}
ELF_MAP = {"fw.elf": "riscv/firmware.elf", "fw.map": "riscv/firmware.map"}
HOT = "@HOT@\n"  # an instruction of fir_filter


def gmon(records, version=1):
    return b"gmon" + struct.pack("<I", version) + bytes(12) + records


def histogram(low, high, bins, counts=b""):
    return (bytes([0]) + struct.pack("<IIII", low, high, bins, 1000)
            + b"seconds".ljust(15, b"\0") + b"s" + counts)


# A cycle profile as 'ramfit measure' writes it: fir_filter's loop in a
# flash region 7 cycles a fetch slower than RAM.
CYCLES = ("# ramfit-cycles 1\n# instruction-cycles 1\n"
          "# region flash 0x80000000 0x100000 fetch=7 load=7 store=0\n"
          "# region ram 0x80400000 0x20000 fetch=0 load=0 store=0\n# ram ram\n"
          "# totals instructions=13 cycles=104 fetch-stall=91 data-stall=0\n"
          "@HOT@ 10 70 0 0 0\n@HOT2@ 3 21 0 0 0\n")

# A plan as 'ramfit plan' writes it, for the steps that read one.
PLAN = """units:
  - name: fir_filter
    file: src/filter.c
    line: 15
    size: 94
    section: .text.fir_filter
"""

# A tree for 'ramfit annotate': one source, its compile command, a plan.
HOT_C = "unsigned hot(unsigned x) {\n  return x * 3u;\n}\n"
ANNOTATE_TREE = {
    "src/hot.c": HOT_C,
    "build/compile_commands.json":
        '[{"directory": "@WORK@", "file": "@WORK@/src/hot.c", "arguments":'
        ' ["riscv64-unknown-elf-gcc", "-march=rv32imac", "-mabi=ilp32", "-c",'
        ' "src/hot.c"]}]\n',
    "plan.yaml": "units:\n  - name: hot\n    file: src/hot.c\n    line: 1\n"
                 "    size: 16\n",
}
ANNOTATE = "annotate --plan plan.yaml -p build --source-root . "

CONFIG_ERRORS = "run plan --config ramfit.yaml"


def config_case(key, steps, text, message, plan=False, outputs="", link=False,
                annotate_tree=False, include=False):
    """A row of 'ramfit run STEPS' on a config that is good but for TEXT."""
    config = "elf: fw.elf\nmap: fw.map\nsamples: [s.txt]\nbudget: 1K\n"
    # A key given twice is a YAML error of its own: TEXT replaces the base's.
    for line in text.splitlines():
        if not line.startswith(" "):
            config = "".join(l + "\n" for l in config.splitlines()
                             if l.split(":")[0] != line.split(":")[0])
    config += text
    if outputs:
        config += "outputs:\n" + outputs
    files = {"ramfit.yaml": config, "s.txt": HOT}
    if plan:
        files["plan.yaml"] = PLAN
    if link:
        files["link.ld"] = ("MEMORY {\n  FLASH (rx) : ORIGIN = 0x80000000, LENGTH = 1M\n"
                            "  RAM (rwx) : ORIGIN = 0x80400000, LENGTH = 128K\n}\n")
    if include:
        files["inc.ld"] = "INCLUDE regions.ld\n"
        files["lib/other.ld"] = "/* not the included file */\n"
    if annotate_tree:
        files.update(ANNOTATE_TREE)
        config += "annotate:\n  compile_commands: build\n"
        files["ramfit.yaml"] = config
    return case("config-" + key, "run %s --config ramfit.yaml" % steps, 1, message,
                files=files, fixtures=ELF_MAP)

CASES = [
    # --- sample files -----------------------------------------------------
    case("samples-empty", "profile --elf fw.elf s.txt", 1,
         r"'s.txt': no samples: the file is empty",
         files={"s.txt": ""}, fixtures=ELF),
    case("samples-binary-garbage", "profile --elf fw.elf s.bin", 1,
         r"'s.bin': binary data in no known sample format",
         files={"s.bin": bytes(range(256)) * 8}, fixtures=ELF),
    case("samples-only-comments", "profile --elf fw.elf s.txt", 1,
         r"'s.txt': no samples: the file holds only comments",
         files={"s.txt": "# captured on Tuesday\n# nothing else\n"}, fixtures=ELF),
    case("samples-unknown-format", "profile --elf fw.elf s.txt", 1,
         r"'s.txt':2: no known sample format .* matches 'hello world'",
         files={"s.txt": "\nhello world\n"}, fixtures=ELF),
    case("samples-missing", "profile --elf fw.elf nowhere.txt", 1,
         r"'nowhere.txt': [Nn]o such file or directory", fixtures=ELF),
    case("samples-directory", "profile --elf fw.elf logs", 1,
         r"'logs': is a directory, not a sample file",
         fixtures=ELF, setup=["mkdir logs"]),
    case("samples-format-unknown", "profile --elf fw.elf --samples-format xml s.txt", 1,
         r"--samples-format: unknown sample format 'xml' \(accepted: auto, gdb, hex, gmon, folded, cycles\)",
         files={"s.txt": HOT}, fixtures=ELF),
    # --- cycle profiles and measure ---------------------------------------
    case("cycles-cut", "profile --elf fw.elf c.txt", 1,
         r"'c.txt':6: the rows do not add up to the totals \(10 instructions, 70 "
         r"fetch and 0 data stall cycles\): the file is cut or edited",
         files={"c.txt": CYCLES.replace("@HOT2@ 3 21 0 0 0\n", "")}, fixtures=ELF),
    case("cycles-without-totals", "profile --elf fw.elf c.txt", 1,
         r"'c.txt': no '# totals' line: the run did not finish writing its profile",
         files={"c.txt": CYCLES.split("# totals")[0]}, fixtures=ELF),
    case("cycles-nothing-to-save", "profile --elf fw.elf c.txt", 1,
         r"'c.txt': no code of this run stalls on fetches that RAM would save",
         files={"c.txt": CYCLES.replace(" 70 0 0 0\n", " 0 0 0 0\n").replace(" 21 0 0 0\n", " 0 0 0 0\n")
                .replace("cycles=104 fetch-stall=91", "cycles=13 fetch-stall=0")},
         fixtures=ELF),
    case("cycles-with-pc-samples", "profile --elf fw.elf c.txt s.txt", 1,
         r"'s.txt': cycle profiles and PC samples cannot be combined",
         files={"c.txt": CYCLES, "s.txt": HOT}, fixtures=ELF),
    case("measure-timing-unknown-key", "measure --timing t.yaml --output r.json -- qemu-system-riscv32", 1,
         r"'t.yaml':2:26: unknown key 'latency' in region",
         files={"t.yaml": "regions:\n  - {name: f, origin: 0, latency: 3}\n"}),
    case("measure-timing-missing", "measure --timing nowhere.yaml --output r.json -- qemu-system-riscv32", 1,
         r"'nowhere.yaml': [Nn]o such file or directory"),
    case("measure-no-command", "measure --timing fomu --output r.json", 1,
         r"no QEMU command line to run \(give it after '--'\)"),
    case("measure-not-on-path", "measure --timing fomu --output r.json -- no-such-qemu -M virt", 1,
         r"'no-such-qemu' is not on PATH"),
    case("gdb-log-some-lines-cut", "profile --elf fw.elf cut.log", 0,
         r"warning: 'cut.log':2: 2 line\(s\) not understood and skipped",
         files={"cut.log": "$1 = (void (*)()) @HOT@ <fir_filter+@HOT_OFFSET@>\n"
                           "$2 = (void (*)()) @HOT@ <fir_fil\n"
                           "$3 = (void (*)()) @HOT@ <fir\n"
                           "$3 = (vo\n"},
         fixtures=ELF),
    case("gdb-log-every-line-cut", "profile --elf fw.elf cut.log", 1,
         r"'cut.log': no samples found in this gdb file",
         files={"cut.log": "$1 = (void (*)()) @HOT@ <fir_fil\n$2 = (vo\n"},
         fixtures=ELF),
    case("gdb-log-other-build", "profile --elf fw.elf pc.log", 1,
         r"'pc.log':1: the samples come from a different build than the ELF: "
         r"5 sample\(s\) disagree with 'fw.elf'",
         files={"pc.log": "".join("$%d = (void (*)()) @HOT@ <main+4>\n" % i
                                  for i in range(1, 6))},
         fixtures=ELF),
    # gdb names C++ functions demangled, with their parameters.
    case("gdb-log-cxx-other-build", "profile --elf fw.elf pc.log", 1,
         r"'pc.log':1: the samples come from a different build than the ELF: "
         r"5 sample\(s\) disagree with 'fw.elf': gdb saw dsp::Filter::step\(long\)\+4 ",
         files={"pc.log": "".join(
             "$%d = (void (*)(void)) @HOT@ <dsp::Filter::step(long)+4>\n" % i
             for i in range(1, 6))},
         fixtures=ELF),
    case("sampler-header-other-build", "profile --elf fw.elf s.txt", 1,
         r"'s.txt':1: the samples were taken from 'old/firmware.elf' \(sha256 "
         r"0123456789ab...\), not from this build of 'fw.elf'",
         files={"s.txt": "# ramfit-samples elf=old/firmware.elf sha256=" + "0123456789abcdef" * 4
                         + " format=hex\n" + HOT},
         fixtures=ELF),
    case("hex-garbage-line", "profile --elf fw.elf s.txt", 1,
         r"'s.txt':3: not a hex address: 'zzz'",
         files={"s.txt": HOT + HOT + "zzz\n"}, fixtures=ELF),
    case("hex-overlong-line", "profile --elf fw.elf --samples-format hex s.txt", 1,
         r"'s.txt':2: line is longer than 64 KiB: not a sample file",
         files={"s.txt": HOT + "f" * 70000 + "\n"}, fixtures=ELF),
    case("addresses-out-of-range", "profile --elf fw.elf s.txt", 1,
         r"'s.txt': none of its 2 samples falls in a function of 'fw.elf'",
         files={"s.txt": "0x10\n0x20\n"}, fixtures=ELF),
    case("address-64-bit-in-32-bit-elf", "profile --elf fw.elf s.txt", 1,
         r"'s.txt': address 0x180000000 does not fit the 32-bit ELF 'fw.elf'",
         files={"s.txt": HOT + "0x180000000\n"}, fixtures=ELF),
    case("address-32-bit-in-64-bit-elf", "profile --elf e64.elf s.txt", 1,
         r"'s.txt': none of its 1 samples falls in a function of 'e64.elf'",
         files={"s.txt": HOT, "f.c": "int f(int x) { return x * 7; }\n"},
         setup=["riscv64-unknown-elf-gcc -march=rv64imac -mabi=lp64 -O2 -g "
                "-nostdlib -Wl,-e,f -Wl,-Ttext=0x4000000000 f.c -o e64.elf"]),
    case("folded-bad-count", "profile --elf fw.elf --samples-format folded s.folded", 1,
         r"'s.folded':1: expected 'frame;frame;... COUNT', got 'main;fir_filter many'",
         files={"s.folded": "main;fir_filter many\n"}, fixtures=ELF),
    case("folded-empty-frame", "profile --elf fw.elf s.folded", 1,
         r"'s.folded':2: empty frame in 'main;;fir_filter 3'",
         files={"s.folded": "main;fir_filter 2\nmain;;fir_filter 3\n"}, fixtures=ELF),
    case("gmon-truncated-header", "profile --elf fw.elf gmon.out", 1,
         r"'gmon.out': gmon.out header is truncated",
         files={"gmon.out": b"gmon\x01\x00"}, fixtures=ELF),
    case("gmon-other-version", "profile --elf fw.elf gmon.out", 1,
         r"'gmon.out': gmon.out version 2 is not supported \(expected 1\)",
         files={"gmon.out": gmon(b"", version=2)}, fixtures=ELF),
    case("gmon-histogram-size-overflows", "profile --elf fw.elf gmon.out", 1,
         r"'gmon.out': histogram record at offset 20 claims 2147483648 bins "
         r"but only 4 bytes follow",
         files={"gmon.out": gmon(histogram(0x80000000, 0x80001000, 1 << 31,
                                           b"\x01\x00\x02\x00"))},
         fixtures=ELF),
    case("gmon-high-below-low", "profile --elf fw.elf gmon.out", 1,
         r"'gmon.out': histogram record at offset 20 has high_pc not above low_pc",
         files={"gmon.out": gmon(histogram(0x80001000, 0x80000000, 2, bytes(4)))},
         fixtures=ELF),
    case("gmon-unknown-record", "profile --elf fw.elf gmon.out", 1,
         r"'gmon.out': record tag 7 at offset 20 is not supported",
         files={"gmon.out": gmon(b"\x07" + bytes(8))}, fixtures=ELF),
    case("gmon-no-histogram", "profile --elf fw.elf gmon.out", 1,
         r"'gmon.out': gmon.out has no histogram record",
         files={"gmon.out": gmon(b"\x01" + bytes(12))}, fixtures=ELF),

    # --- ELF files --------------------------------------------------------
    case("elf-missing", "profile --elf gone.elf s.txt", 1,
         r"'gone.elf': [Nn]o such file or directory", files={"s.txt": HOT}),
    case("elf-not-an-elf", "profile --elf fw.elf s.txt", 1,
         r"'fw.elf': not a readable ELF file",
         files={"s.txt": HOT, "fw.elf": "this is a text file\n"}),
    case("elf-truncated-in-section-headers", "profile --elf cut.elf s.txt", 1,
         r"'cut.elf': not a readable ELF file: section table goes past the end "
         r"of file",
         files={"s.txt": HOT}, fixtures=ELF,
         setup=["python3 -c \"import struct,sys; d=open('fw.elf','rb').read(); "
                "o=struct.unpack_from('<I',d,0x20)[0]; "
                "open('cut.elf','wb').write(d[:o+100])\""]),
    case("elf-stripped", "profile --elf bare.elf s.txt", 1,
         r"'bare.elf': the ELF has no symbol table \(was it stripped\?\)",
         files={"s.txt": HOT}, fixtures=ELF,
         setup=["riscv64-unknown-elf-objcopy --strip-all fw.elf bare.elf"]),
    case("elf-without-dwarf", "profile --elf nodebug.elf s.txt", 0,
         r"warning: 'nodebug.elf': no DWARF debug info: functions come from the "
         r"symbol table alone",
         files={"s.txt": HOT}, fixtures=ELF,
         setup=["riscv64-unknown-elf-objcopy --strip-debug fw.elf nodebug.elf"]),
    case("elf-is-an-object-file", "profile --elf filter.o s.txt", 1,
         r"'filter.o': a relocatable object file, not a linked ELF",
         files={"s.txt": HOT}, fixtures={"filter.o": "riscv/obj/filter.o"}),

    # --- budgets, linker scripts and maps (ramfit plan) -------------------
    case("budget-bad-unit", "plan --elf fw.elf s.txt --map fw.map --budget 12XB -o plan.yaml", 1,
         r"'12XB'", files={"s.txt": HOT, "plan.yaml": PLAN}, fixtures=ELF_MAP),
    case("budget-auto-without-script",
         "plan --elf fw.elf s.txt --map fw.map --budget auto -o plan.yaml", 1,
         r"--budget auto needs --memory-map",
         files={"s.txt": HOT}, fixtures=ELF_MAP),
    case("memory-unclosed-brace",
         "plan --elf fw.elf s.txt --map fw.map --budget auto --memory-map mem.ld "
         "--region sram -o plan.yaml", 1,
         r"'mem.ld':1: MEMORY has no closing '}'",
         files={"s.txt": HOT,
                "mem.ld": "MEMORY {\n  sram : ORIGIN = 0x10000000, LENGTH = 128K\n"},
         fixtures=ELF_MAP),
    case("memory-nested-brace",
         "plan --elf fw.elf s.txt --map fw.map --budget auto --memory-map mem.ld "
         "--region sram -o plan.yaml", 1,
         r"'mem.ld':2: unbalanced '\{' in MEMORY",
         files={"s.txt": HOT, "mem.ld": "MEMORY {\n  { sram : ORIGIN = 0, LENGTH = 1K }\n}\n"},
         fixtures=ELF_MAP),
    case("memory-include-missing",
         "plan --elf fw.elf s.txt --map fw.map --budget auto --memory-map mem.ld "
         "--region sram -o plan.yaml", 1,
         r"'mem.ld':1: INCLUDE 'regions.ld' is found neither in the working directory, nor in a -L directory, nor beside the script",
         files={"s.txt": HOT, "mem.ld": "INCLUDE regions.ld\n"}, fixtures=ELF_MAP),
    case("memory-region-unknown",
         "plan --elf fw.elf s.txt --map fw.map --budget auto --memory-map mem.ld "
         "--region dram -o plan.yaml", 1,
         r"'mem.ld': .*'dram'",
         files={"s.txt": HOT,
                "mem.ld": "MEMORY {\n  sram : ORIGIN = 0x10000000, LENGTH = 128K\n}\n"},
         fixtures=ELF_MAP),
    case("map-not-a-map", "plan --elf fw.elf s.txt --map fw.map --budget 1K -o plan.yaml", 1,
         r"'fw.map': not a GNU ld map file",
         files={"s.txt": HOT, "fw.map": "hello\n"}, fixtures=ELF),
    case("map-cut-after-long-name",
         "plan --elf fw.elf s.txt --map fw.map --budget 1K -o plan.yaml", 1,
         r"'fw.map':4: expected 'ADDRESS SIZE OBJECT' after input section "
         r"'.text.board_putc'",
         files={"s.txt": HOT,
                "fw.map": "Linker script and memory map\n\n .text.board_putc\n"
                          "garbage\n"},
         fixtures=ELF),
    case("plan-output-kept-on-error",
         "plan --elf fw.elf --samples-format hex s.txt --map fw.map --budget 1K "
         "-o plan.yaml", 1,
         r"'s.txt':1: not a hex address: '@HOT@ junk'",
         files={"s.txt": "@HOT@ junk\n", "plan.yaml": PLAN}, fixtures=ELF_MAP),

    # --- plan files (ramfit ldscript, check) ------------------------------
    # The plan and the HTML report are written both or neither.
    # Samples are read once, hashed as they stream: a pipe, which can be
    # read only once, makes a plan (as with 'ramfit plan <(gdb ...)').
    case("samples-from-a-pipe",
         "plan --elf fw.elf s.fifo --budget 1K --dry-run", 0,
         r"warning: no --map given",
         fixtures=ELF,
         setup=["mkfifo s.fifo",
                "(printf '%s' > s.fifo) </dev/null >/dev/null 2>&1 &" % HOT.replace("\n", "\\n")]),
    case("plan-report-unwritable",
         "plan --elf fw.elf s.txt --map fw.map --budget 1K -o plan.yaml "
         "--report html=missing/report.html", 1,
         r"'missing/report.html': cannot write beside it: No such file or directory",
         files={"s.txt": HOT}, fixtures=ELF_MAP),
    case("plan-negative-size", "ldscript --plan plan.yaml --map fw.map -o ram.ld", 1,
         r"'plan.yaml':5:11: ",
         files={"plan.yaml": PLAN.replace("size: 94", "size: -16")}, fixtures=ELF_MAP),
    case("plan-unknown-key", "ldscript --plan plan.yaml --map fw.map -o ram.ld", 1,
         r"'plan.yaml':3:5: .*'colour'",
         files={"plan.yaml": PLAN.replace("    file:", "    colour: red\n    file:")},
         fixtures=ELF_MAP),
    case("plan-placed-not-boolean", "ldscript --plan plan.yaml --map fw.map -o ram.ld", 1,
         r"'plan.yaml':7:13: expected true or false, got 'maybe'",
         files={"plan.yaml": PLAN + "    placed: maybe\n"}, fixtures=ELF_MAP),
    case("plan-not-yaml", "ldscript --plan plan.yaml --map fw.map -o ram.ld", 1,
         r"'plan.yaml':3:1: end of sequence flow not found",
         files={"plan.yaml": "units:\n  - name: [fir_filter\n"},
         fixtures=ELF_MAP),
    case("plan-missing", "ldscript --plan gone.yaml --map fw.map -o ram.ld", 1,
         r"'gone.yaml': [Nn]o such file or directory", fixtures=ELF_MAP),
    case("plan-function-gone", "ldscript --plan plan.yaml --map fw.map -o ram.ld", 1,
         r"'fw.map': no pattern matches exactly one input section for unit "
         r"'renamed_filter'",
         files={"plan.yaml": PLAN.replace("fir_filter", "renamed_filter")},
         fixtures=ELF_MAP),
    # A "RAM" region that holds the code too (the whole address space, or
    # flash): check would pass on the unmodified ELF; it says why not to
    # trust that.
    case("check-region-holds-the-code",
         "check --plan plan.yaml --elf fw.elf --region RAM=0x80000000,8M", 0,
         r"warning: region 'RAM' \(0x80000000-0x80800000\) holds the entry point "
         r"of 'fw.elf' \(0x80000000\): it is where the firmware runs from",
         files={"plan.yaml": PLAN}, fixtures=ELF_MAP),
    case("budget-auto-region-holds-the-code",
         "plan --elf fw.elf s.txt --map fw.map --budget auto --memory-map all.ld "
         "--region RAM --dry-run", 0,
         r"warning: region 'RAM' .* holds the entry point of 'fw.elf'",
         files={"s.txt": HOT,
                "all.ld": "MEMORY { RAM (rwx) : ORIGIN = 0x80000000, LENGTH = 16M }\n"},
         fixtures=ELF_MAP),
    case("check-function-gone", "check --plan plan.yaml --elf fw.elf --region sram=0x10000000,128K", 2,
         r"renamed_filter",
         files={"plan.yaml": PLAN.replace("fir_filter", "renamed_filter")},
         fixtures=ELF_MAP),

    # --- ramfit.yaml (ramfit run) -----------------------------------------
    case("config-tab-indent", CONFIG_ERRORS, 1,
         r"'ramfit.yaml':2:",
         files={"ramfit.yaml": "elf: fw.elf\n\tmap: fw.map\n"}, fixtures=ELF_MAP),
    case("config-unknown-key", CONFIG_ERRORS, 1,
         r"'ramfit.yaml':2:1: .*'samplez'",
         files={"ramfit.yaml": "elf: fw.elf\nsamplez: [s.txt]\n"}, fixtures=ELF_MAP),
    case("config-without-elf", CONFIG_ERRORS, 1,
         r"'ramfit.yaml'.*'elf'",
         files={"ramfit.yaml": "map: fw.map\n"}, fixtures=ELF_MAP),
    case("config-missing", "run plan --config nowhere.yaml", 1,
         r"'nowhere.yaml': [Nn]o such file or directory"),
] + [
    # Every key of ramfit.yaml with a bad value: the error names the config's
    # line and column where the value parsers of the command line refuse it,
    # or else the file the value names.
    config_case(key, steps, text, message, **extra)
    for key, steps, text, message, extra in [
        ("elf", "plan", "elf: gone.elf\n", r"'@WORK@/gone.elf': [Nn]o such file", {}),
        ("map", "plan", "map: gone.map\n", r"'@WORK@/gone.map': [Nn]o such file", {}),
        ("objects", "ldscript", "objects: gone\n",
         r"'@WORK@/gone'", {"plan": True, "outputs": "  fragment: ram.ld\n"}),
        ("samples", "plan", "samples: s.txt\n", r"'ramfit.yaml':4:10: expected a list", {}),
        ("samples-missing", "plan", "samples: [gone.txt]\n",
         r"'@WORK@/gone.txt': [Nn]o such file", {}),
        ("budget", "plan", "budget: 12XB\n", r"'ramfit.yaml':4:9: '12XB' is not a size", {}),
        ("memory-map", "plan", "budget: auto\nmemory_map: gone.ld\nregion: RAM\n",
         r"'@WORK@/gone.ld': [Nn]o such file", {}),
        ("search-dirs", "plan", "search_dirs: lib\n",
         r"'ramfit.yaml':5:14: expected a list", {}),
        ("search-dirs-without-the-include", "plan",
         "budget: auto\nmemory_map: inc.ld\nregion: RAM\nsearch_dirs: [lib]\n",
         r"'@WORK@/inc.ld':1: INCLUDE 'regions.ld' is found neither", {"include": True}),
        ("region", "plan", "budget: auto\nmemory_map: link.ld\nregion: DRAM\n",
         r"'ramfit.yaml':6:9: no MEMORY region 'DRAM' in '@WORK@/link.ld' \(it has FLASH, RAM\)",
         {"link": True}),
        # Every step, not only those that read the region, refuses it.
        ("region-for-ldscript", "ldscript", "memory_map: link.ld\nregion: RMA\n",
         r"'ramfit.yaml':6:9: no MEMORY region 'RMA' in '@WORK@/link.ld'",
         {"link": True, "plan": True, "outputs": "  fragment: ram.ld\n"}),
        ("reserve", "plan", "reserve: lots\n", r"'ramfit.yaml':5:10: 'lots' is not a size", {}),
        ("pins", "plan", "pins: ['f[']\n", r"'ramfit.yaml':5:8: bad pattern 'f\['", {}),
        ("excludes", "plan", "excludes: ['f[']\n", r"'ramfit.yaml':5:12: bad pattern 'f\['", {}),
        ("min-samples", "plan", "min_samples: -1\n",
         r"'ramfit.yaml':5:14: '-1' must not be negative", {}),
        ("flash-ram-ratio", "plan", "flash_ram_ratio: 0.5\n",
         r"'ramfit.yaml':5:18: flash/RAM ratio '0.5' is not a number of at least 1", {}),
        ("annotate-style", "plan", "annotate:\n  style: macro\n",
         r"'ramfit.yaml':6:10: unknown annotation style 'macro' \(accepted: attribute, "
         r"macro=NAME, prefix=TEXT\)", {}),
        ("annotate-sync", "plan", "annotate:\n  sync: often\n",
         r"'ramfit.yaml':6:9: expected true or false, got 'often'", {}),
        ("annotate-section", "plan", "annotate:\n  section: '.ram text'\n",
         r"'ramfit.yaml':6:12: '.ram text' is not a section name", {}),
        ("annotate-compile-commands", "annotate", "annotate:\n  compile_commands: gone\n",
         r"'@WORK@/gone'", {"plan": True, "outputs": "  patch: ram.patch\n"}),
        ("annotate-source-root", "annotate",
         "annotate:\n  compile_commands: .\n  source_root: gone\n",
         r"'@WORK@/gone'", {"plan": True, "outputs": "  patch: ram.patch\n"}),
        ("outputs-plan", "plan", "", r"'@WORK@/nodir/plan.yaml': cannot write",
         {"outputs": "  plan: nodir/plan.yaml\n"}),
        ("outputs-fragment", "ldscript", "", r"'@WORK@/nodir/ram.ld': cannot write",
         {"plan": True, "outputs": "  fragment: nodir/ram.ld\n"}),
        ("outputs-fragment-style", "ldscript", "",
         r"'ramfit.yaml':7:19: unknown fragment style 'sectoin' \(accepted: list, section\)",
         {"plan": True, "outputs": "  fragment: ram.ld\n  fragment_style: sectoin\n"}),
        ("outputs-load-region", "ldscript", "",
         r"'ramfit.yaml':7:16: 'FLASH ROM' is not a MEMORY region name",
         {"plan": True, "outputs": "  fragment: ram.ld\n  load_region: FLASH ROM\n"}),
        ("outputs-patch", "annotate", "", r"'@WORK@/nodir/ram.patch': cannot write",
         {"annotate_tree": True, "outputs": "  patch: nodir/ram.patch\n"}),
        # The plan and its report are written both or neither.
        ("outputs-report", "plan", "", r"'@WORK@/nodir/report.txt': cannot write",
         {"outputs": "  plan: plan.yaml\n  report: nodir/report.txt\n"}),
    ]
] + [

    # --- source trees (ramfit annotate) -----------------------------------
    case("source-root-missing",
         "annotate --plan plan.yaml -p build --source-root gone -i", 1,
         r"'gone'", files=ANNOTATE_TREE),
    case("source-read-only", ANNOTATE + "-i", 1,
         r"'@WORK@/src/hot.c': the file is read-only; no source file was changed",
         files=ANNOTATE_TREE, setup=["chmod a-w src/hot.c"]),
    case("compile-commands-not-json", ANNOTATE + "-i", 1,
         r"'build/compile_commands.json': not a valid compilation database: "
         r"expected string as value$",
         files=dict(ANNOTATE_TREE, **{"build/compile_commands.json": "[{\"directory\": \n"})),
    case("compile-commands-missing", ANNOTATE + "-i", 1,
         r"'build': no compile_commands.json here", files={k: v for k, v in ANNOTATE_TREE.items()
                            if not k.startswith("build/")},
         setup=["mkdir build"]),
    case("source-moved", ANNOTATE, 1,
         r"error: 1 planned function\(s\) could not be annotated; nothing was "
         r"written .*\n  hot: its source file '@WORK@/src/old/hot.c' does not "
         r"exist, nor does any tail of its path under the source root",
         files=dict(ANNOTATE_TREE, **{"plan.yaml": ANNOTATE_TREE["plan.yaml"]
                                      .replace("src/hot.c", "src/old/hot.c")}),
         setup=[]),

    # Inputs that do not belong together.
    case("map-of-another-target",
         "plan --elf fw.elf s.txt --map arm.map --budget 1K -o plan.yaml", 1,
         r"'arm.map': not the map of 'fw.elf': it places \.text\.\S+ of .* at 0x",
         files={"s.txt": HOT},
         fixtures={"fw.elf": "riscv/firmware.elf", "arm.map": "arm/firmware.map"}),
    case("map-of-the-relinked-build",
         "plan --elf fw.elf s.txt --map relinked/firmware.map --budget 300 -o plan.yaml", 1,
         r"'relinked/firmware.map': not the map of 'fw.elf': it places",
         files={"s.txt": HOT}, fixtures=ELF_MAP,
         setup=["@RAMFIT@ plan --elf fw.elf s.txt --map fw.map --budget 300 -o first.yaml",
                "mkdir ld && @RAMFIT@ ldscript --plan first.yaml --map fw.map -o ld/ramtext.ld",
                "make -s -C @FIXTURES@/firmware BOARD=riscv OUT=@WORK@/relinked EXTRA_LDDIRS=@WORK@/ld"]),
    case("hex-list-of-another-build", "profile --elf fw.elf other.hex", 1,
         r"'other.hex': the samples come from a different build than the ELF: "
         r"\d+ of \d+ sample\(s\) are at no instruction of 'fw.elf': 0x[0-9A-F]+ "
         r"\((inside the instruction at|data within code, at|in no code)",
         fixtures=ELF,
         setup=["make -s -C @FIXTURES@/firmware BOARD=riscv OUT=@WORK@/os EXTRA_CFLAGS=-Os",
                "python3 @INPUTS@/instruction-addresses.py os/firmware.elf > other.hex"]),
    case("hex-list-of-another-program", "profile --elf fw.elf other.hex", 1,
         r"'other.hex': the samples come from a different build than the ELF: "
         r"\d+ of \d+ sample\(s\) are at no instruction of 'fw.elf'",
         fixtures=dict(ELF, **{"other.elf": "interrupts-riscv/firmware.elf"}),
         setup=["python3 @INPUTS@/instruction-addresses.py other.elf > other.hex"]),
    case("plan-older-than-the-elf", "ldscript --plan plan.yaml --map fw.map -o ram.ld", 1,
         r"'plan.yaml': the plan was made from another build of '@WORK@/fw.elf' "
         r"\(sha256 [0-9a-f]{12}\.\.\.; it is now sha256 [0-9a-f]{12}\.\.\.\): re-run plan",
         files={"s.txt": HOT}, fixtures=dict(ELF_MAP, **{"new.elf": "arm/firmware.elf"}),
         setup=["@RAMFIT@ plan --elf fw.elf s.txt --map fw.map --budget 1K -o plan.yaml",
                "cp new.elf fw.elf"]),
    case("check-plan-of-another-firmware",
         "check --plan plan.yaml --elf other.elf --region sram=0x80400000,128K", 1,
         r"'plan.yaml': the plan was made from another firmware than 'other.elf': "
         r"2 of its 2 functions are not there \(fir_filter, dispatch\)",
         files={"plan.yaml": PLAN + "  - name: dispatch\n    size: 40\n"},
         fixtures={"other.elf": "interrupts-riscv/firmware.elf"}),
    case("measure-no-modelled-region",
         "measure --timing fomu --output r.json -- qemu-system-riscv32 -M virt "
         "-bios none -kernel fw.elf -nographic -monitor none -serial null", 1,
         r"no executed code lies in a region of the timing model 'fomu'",
         fixtures=ELF),
    case("annotate-plan-of-another-checkout",
         "annotate --plan plan.yaml -p build --source-root tree", 0,
         r"note: the plan's sources under '@WORK@/other' are read under "
         r"'@WORK@/tree'",
         files={"tree/src/hot.c": HOT_C, "other/src/hot.c": HOT_C,
                "build/compile_commands.json": ANNOTATE_TREE["build/compile_commands.json"]
                .replace('"@WORK@"', '"@WORK@/tree"').replace("@WORK@/src", "@WORK@/tree/src"),
                "plan.yaml": ANNOTATE_TREE["plan.yaml"].replace("src/hot.c", "@WORK@/other/src/hot.c")}),
    case("annotate-nothing-under-the-root",
         "annotate --plan plan.yaml -p build --source-root tree", 1,
         r"error: none of the plan's 1 function\(s\) was annotated: each is left "
         r"to the linker fragment \(hot: its source file '@WORK@/other/lib/hot.c' is "
         r"outside the source root\); nothing was written",
         files={"tree/src/main.c": HOT_C, "other/lib/hot.c": HOT_C,
                "build/compile_commands.json": ANNOTATE_TREE["build/compile_commands.json"],
                "plan.yaml": ANNOTATE_TREE["plan.yaml"].replace("src/hot.c", "@WORK@/other/lib/hot.c")}),
    case("ldscript-empty-plan", "ldscript --plan plan.yaml --map fw.map -o ram.ld", 1,
         r"'plan.yaml': the plan places nothing: it has no units, and none that did not fit",
         files={"plan.yaml": "units: []\n"}, fixtures={"fw.map": "riscv/firmware.map"}),
    case("ldscript-map-of-another-build",
         "ldscript --plan plan.yaml --map arm.map -o ram.ld", 1,
         r"'arm.map': not the map of '@WORK@/fw.elf': it places",
         files={"s.txt": HOT},
         fixtures=dict(ELF_MAP, **{"arm.map": "arm/firmware.map"}),
         setup=["@RAMFIT@ plan --elf fw.elf s.txt --map fw.map --budget 1K -o plan.yaml"]),
    case("folded-addresses-of-another-build", "profile --elf fw.elf s.folded", 1,
         r"'s.folded': the samples come from a different build than the ELF: "
         r"10 of 10 sample\(s\) are at no instruction of 'fw.elf': "
         r"0x[0-9A-F]+ \(inside the instruction at fir_filter\+",
         files={"s.folded": "@HOT@;@HOT_INSIDE@ 10\n"}, fixtures=ELF),
]
