#!/usr/bin/env python3
"""whole_tree.py DIR INDEX... — exit 0 when DIR holds one whole tree that
crownc wrote: its crown.index.json is one of the INDEX files given (the
trees it may be), it holds exactly the files that index lists, and every
object's file has the digest the index gives (a SealedSecret's digest
leaves its ciphertexts out, so only its presence is checked)."""
import hashlib
import json
import os
import sys


def main():
    top, wanted = sys.argv[1], sys.argv[2:]
    try:
        text = open(os.path.join(top, "crown.index.json"), "rb").read()
    except OSError as e:
        sys.exit(f"{top}: no index: {e}")
    if all(text != open(w, "rb").read() for w in wanted):
        sys.exit(f"{top}: the index is none of the trees it may be")
    index = json.loads(text)
    present = set()
    for root, _, files in os.walk(top):
        for f in files:
            present.add(os.path.relpath(os.path.join(root, f), top))
    listed = set(index["files"]) | {"crown.index.json"}
    if present != listed:
        sys.exit(f"{top}: files differ from the index: "
                 f"{sorted(present ^ listed)[:5]}")
    for r in index["resources"]:
        if r["kind"] == "SealedSecret":
            continue
        data = open(os.path.join(top, r["path"]), "rb").read()
        if hashlib.sha256(data).hexdigest() != r["sha256"]:
            sys.exit(f"{top}: {r['path']} is not the file its index describes")


main()
