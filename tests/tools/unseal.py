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

Usage: unseal.py tree --key KEY.pem [--cert CERT.pem] TREE...
Opens every value of every SealedSecret in the trees (files named
sealedsecret-*.yaml, read with python3-yaml), under the label its scope
gives: "<ns>/<name>" (strict, the default), "<ns>" with the annotation
sealedsecrets.bitnami.com/namespace-wide: "true", empty with
sealedsecrets.bitnami.com/cluster-wide: "true". Prints one line per value,
sorted,

    FILE<TAB>COMPONENT NAMESPACE/NAME KEY<TAB>VALUE-AS-HEX

(COMPONENT from the label app.kubernetes.io/component), the form of the
consumers `crownc secrets list` prints. It also checks crownc's
annotations: crownc.crownlabs.polito.it/hmac names exactly the keys of
encryptedData, and crownc.crownlabs.polito.it/sealed-to is the SHA-256 of
CERT.pem when --cert is given. Exit status 0 when every value opens and
every check holds, 1 otherwise (each problem on standard error, and a
tree without any SealedSecret is one), 2 on a usage error.
"""
import argparse
import base64
import binascii
import hashlib
import os
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


ANNOTATION_HMAC = "crownc.crownlabs.polito.it/hmac"
ANNOTATION_CERT = "crownc.crownlabs.polito.it/sealed-to"
NAMESPACE_WIDE = "sealedsecrets.bitnami.com/namespace-wide"
CLUSTER_WIDE = "sealedsecrets.bitnami.com/cluster-wide"


def scope_label(meta):
    """The label of a SealedSecret's scope, from its metadata."""
    ann = meta.get("annotations") or {}
    if str(ann.get(CLUSTER_WIDE, "")).lower() == "true":
        return b""
    ns = meta.get("namespace") or ""
    if str(ann.get(NAMESPACE_WIDE, "")).lower() == "true":
        return ns.encode()
    return ("%s/%s" % (ns, meta.get("name") or "")).encode()


def cert_fingerprint(path):
    from cryptography import x509

    with open(path, "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    return "sha256:" + hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def sealed_files(tree):
    for top, dirs, files in os.walk(tree):
        dirs.sort()
        for name in sorted(files):
            if name.startswith("sealedsecret-") and name.endswith(".yaml"):
                yield os.path.join(top, name)


def open_file(key, path, fingerprint, lines, problems):
    import yaml

    with open(path, "r", encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    if len(docs) != 1 or not isinstance(docs[0], dict) or docs[0].get("kind") != "SealedSecret":
        problems.append("%s: not one SealedSecret" % path)
        return
    obj = docs[0]
    meta = obj.get("metadata") or {}
    ann = meta.get("annotations") or {}
    data = (obj.get("spec") or {}).get("encryptedData") or {}
    if not data:
        problems.append("%s: no encryptedData" % path)
    hmac_keys = sorted(l.split(" ", 1)[0] for l in str(ann.get(ANNOTATION_HMAC, "")).splitlines() if l)
    if hmac_keys != sorted(data):
        problems.append("%s: the %s annotation names %s, encryptedData holds %s"
                        % (path, ANNOTATION_HMAC, hmac_keys, sorted(data)))
    sealed_to = ann.get(ANNOTATION_CERT)
    if not sealed_to:
        problems.append("%s: no %s annotation" % (path, ANNOTATION_CERT))
    elif fingerprint and sealed_to != fingerprint:
        problems.append("%s: sealed to %s, not to the certificate's %s" % (path, sealed_to, fingerprint))
    label = scope_label(meta)
    component = (meta.get("labels") or {}).get("app.kubernetes.io/component", "")
    for k in sorted(data):
        try:
            value = open_blob(key, label, decode(str(data[k])))
        except Unopenable as e:
            problems.append("%s: %s: %s (label %r)" % (path, k, e, label.decode()))
            continue
        lines.append("%s\t%s %s/%s %s\t%s" % (path, component, meta.get("namespace", ""),
                                              meta.get("name", ""), k, value.hex()))


def main_tree(argv):
    ap = argparse.ArgumentParser(prog="unseal.py tree",
                                 description="Open every sealed value of crownc trees.")
    ap.add_argument("--key", required=True, help="PEM private key (PKCS#1 or PKCS#8)")
    ap.add_argument("--cert", help="the certificate the values must be sealed to")
    ap.add_argument("trees", nargs="+", help="directories to walk for sealedsecret-*.yaml")
    args = ap.parse_args(argv)
    try:
        import yaml  # noqa: F401
    except ImportError:
        print("unseal.py: tree needs python3-yaml", file=sys.stderr)
        return 2
    try:
        key = load_key(args.key)
        fingerprint = cert_fingerprint(args.cert) if args.cert else None
    except (OSError, ValueError, Unopenable) as e:
        print("unseal.py: %s" % e, file=sys.stderr)
        return 2
    lines, problems = [], []
    for tree in args.trees:
        files = list(sealed_files(tree))
        if not files:
            problems.append("%s: no sealedsecret-*.yaml" % tree)
        for path in files:
            open_file(key, path, fingerprint, lines, problems)
    for line in sorted(lines):
        print(line)
    for p in problems:
        print("unseal.py: %s" % p, file=sys.stderr)
    return 1 if problems else 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "tree":
        return main_tree(sys.argv[2:])
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
