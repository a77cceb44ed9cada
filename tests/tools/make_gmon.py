#!/usr/bin/env python3
"""Writes a gmon.out histogram as OpenOCD's 'profile' command does.

Little-endian, 32-bit addresses: the 20-byte 'gmon' header, then one
GMON_TAG_TIME_HIST record (low_pc, high_pc, bin count, rate, "seconds", 's')
and its u16 bins. Samples are read as hex addresses, one per line.
"""
import argparse
import struct
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--low", type=lambda v: int(v, 16), required=True)
    parser.add_argument("--high", type=lambda v: int(v, 16), required=True)
    parser.add_argument("--bins", type=int, required=True)
    parser.add_argument("--claim-bins", type=int,
                        help="write this bin count in the header instead")
    parser.add_argument("addresses")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()

    bins = [0] * args.bins
    span = args.high - args.low
    with open(args.addresses) as samples:
        for line in samples:
            address = int(line.strip(), 16)
            if not args.low <= address < args.high:
                sys.exit("address 0x%x outside the histogram" % address)
            bins[(address - args.low) * args.bins // span] += 1

    with open(args.output, "wb") as out:
        out.write(b"gmon" + struct.pack("<I", 1) + bytes(12))
        out.write(struct.pack("<BIIII", 0, args.low, args.high,
                              args.claim_bins or args.bins, 100))
        out.write(b"seconds".ljust(15, b"\0") + b"s")
        out.write(struct.pack("<%dH" % args.bins, *bins))


if __name__ == "__main__":
    main()
