#!/usr/bin/env python3
"""portable_tree.py DIR... — exit 0 when every path below each DIR can be
checked out on any common file system: each path component at most 255
bytes, none a Windows device name (con, prn, aux, nul, com0-9, lpt0-9,
with or without an extension), and no two entries of one directory that
differ only in case. Prints each violation."""
import os
import re
import sys

DEVICE = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def problems(top):
    for root, dirs, files in os.walk(top):
        seen = {}
        for name in dirs + files:
            path = os.path.join(root, name)
            if len(os.fsencode(name)) > 255:
                yield f"{path}: {len(os.fsencode(name))} bytes"
            if DEVICE.match(name):
                yield f"{path}: a Windows device name"
            folded = name.casefold()
            if folded in seen:
                yield f"{path}: differs only in case from {seen[folded]}"
            seen[folded] = name


def main():
    bad = [p for top in sys.argv[1:] for p in problems(top)]
    for p in bad:
        print(p)
    sys.exit(1 if bad else 0)


main()
