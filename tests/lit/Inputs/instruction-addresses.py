"""Prints, one per line as a hex list, the address of each instruction of
an ELF's code as llvm-objdump decodes it (data in code, '.word' and the
like, left out). With --inside, the address two bytes into each 4-byte
instruction instead (none on a core without 2-byte instructions), and with
--data, the addresses of data within code ('$d'): PCs no build would have.
The independent view of the code that ramfit's instruction boundaries are
tested against."""
import re
import subprocess
import sys

elf = sys.argv[1]
mode = sys.argv[2] if len(sys.argv) > 2 else ""
# Objects a script put in an executable section ('.rodata' in '.text') are
# data, though llvm-objdump decodes some of them as instructions.
objects = []
symbols = subprocess.run(["llvm-readelf-16", "-s", "-W", elf], check=True,
                         capture_output=True, text=True).stdout
for line in symbols.splitlines():
    fields = line.split()
    if len(fields) >= 8 and fields[3] == "OBJECT":
        start = int(fields[1], 16)
        objects.append((start, start + int(fields[2], 0)))


def in_object(address):
    return any(start <= address < end for start, end in objects)

listing = subprocess.run(["llvm-objdump-16", "-d", elf], check=True,
                         capture_output=True, text=True).stdout
line_re = re.compile(r"^\s*([0-9a-f]+):\s+((?:[0-9a-f]{2,8} )+)\s*(\S+)")
for line in listing.splitlines():
    m = line_re.match(line)
    if not m:
        continue
    address = int(m.group(1), 16)
    length = sum(len(group) // 2 for group in m.group(2).split())
    # Bytes llvm-objdump does not take for code it shows with their text,
    # without the tab before a mnemonic.
    is_data = (m.group(3).startswith(".") or "\t" not in line
               or in_object(address))
    if mode == "--data":
        if is_data:
            print("0x%x" % address)
    elif is_data:
        continue
    elif mode == "--inside":
        if length == 4:
            print("0x%x" % (address + 2))
    else:
        print("0x%x" % address)
