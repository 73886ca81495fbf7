#!/usr/bin/env python3
"""unseal.py — open one Sealed Secrets value, written from the format alone.

An independent check of crownc's sealing: it shares no code with
compiler/seal.c and uses another library (python3-cryptography), so a
mistake made in both places alike is unlikely.

Format (one value of a SealedSecret's spec.encryptedData):

    base64( uint16_be(len(rsa_ct)) || rsa_ct || aes_ct || tag16 )

rsa_ct is a 32-byte AES-256 session key under RSA-OAEP with SHA-256 as
hash and MGF1 hash and the scope's label ("<ns>/<name>", "<ns>" or empty);
aes_ct || tag16 is the value under AES-256-GCM with that key, a 12-byte
zero nonce and no associated data.

Usage: unseal.py --key KEY.pem (--label TEXT | --label-file FILE) [BLOB-FILE]
Writes the value to standard output; reads the blob from standard input
when no file is given. Exit status 0 when it opens, 1 when it does not,
2 on a usage error.
"""
import argparse
import base64
import binascii
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SESSION_KEY_LEN = 32
TAG_LEN = 16
NONCE = bytes(12)


class Unopenable(Exception):
    pass


def load_key(path):
    with open(path, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise Unopenable("the private key is not an RSA key")
    return key


def decode(text):
    text = text.strip()  # a file may end with a newline
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as e:
        raise Unopenable("not base64: %s" % e)


def open_blob(key, label, blob):
    if len(blob) < 2:
        raise Unopenable("too short for its length field")
    rsa_len = int.from_bytes(blob[:2], "big")
    rsa_ct = blob[2 : 2 + rsa_len]
    rest = blob[2 + rsa_len :]
    if len(rsa_ct) != rsa_len or len(rest) < TAG_LEN:
        raise Unopenable("truncated")
    if rsa_len != key.key_size // 8:
        raise Unopenable("sealed to a %d-bit key, not this %d-bit one" % (rsa_len * 8, key.key_size))
    oaep = padding.OAEP(
        mgf=padding.MGF1(algorithm=hashes.SHA256()),
        algorithm=hashes.SHA256(),
        label=label or None,
    )
    try:
        session_key = key.decrypt(rsa_ct, oaep)
    except ValueError:
        raise Unopenable("the session key does not decrypt (wrong key or label)")
    if len(session_key) != SESSION_KEY_LEN:
        raise Unopenable("the session key is %d bytes, not 32" % len(session_key))
    try:
        return AESGCM(session_key).decrypt(NONCE, rest, None)
    except InvalidTag:
        raise Unopenable("the value does not authenticate")


def main():
    ap = argparse.ArgumentParser(description="Open one Sealed Secrets value.")
    ap.add_argument("--key", required=True, help="PEM private key (PKCS#1 or PKCS#8)")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--label", help="the scope's label, e.g. ns/name, ns or ''")
    g.add_argument("--label-file", help="a file holding the label's bytes")
    ap.add_argument("blob", nargs="?", help="file with the base64 text (default: stdin)")
    args = ap.parse_args()
    if args.label_file is not None:
        with open(args.label_file, "rb") as f:
            label = f.read()
    else:
        label = args.label.encode()
    if args.blob:
        with open(args.blob, "r", encoding="ascii") as f:
            text = f.read()
    else:
        text = sys.stdin.read()
    try:
        value = open_blob(load_key(args.key), label, decode(text))
    except Unopenable as e:
        print("unseal.py: %s" % e, file=sys.stderr)
        return 1
    sys.stdout.buffer.write(value)
    return 0


if __name__ == "__main__":
    sys.exit(main())
