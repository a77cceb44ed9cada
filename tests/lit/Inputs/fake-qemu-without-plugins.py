# Says what a QEMU built without --enable-plugins says to -plugin.
import sys
sys.stderr.write("qemu-system-riscv32: -plugin: invalid option\n")
sys.exit(1)
