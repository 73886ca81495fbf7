#!/bin/sh
# Makes sure the build's tools and libraries are installed (Debian 12).
# Missing ones are installed with apt-get (through sudo when not root);
# where that is impossible, prints the exact command and fails.
set -u
pkgs=""
need() { # need CHECK PACKAGE
    if ! sh -c "$1" >/dev/null 2>&1; then pkgs="$pkgs $2"; fi
}
need "command -v flex" flex
need "command -v bison" bison
need "command -v pkg-config" pkg-config
need "command -v cc" gcc
need "command -v make" make
need "pkg-config --exists yaml-0.1" libyaml-dev
need "pkg-config --exists openssl" libssl-dev
need "pkg-config --exists libgit2" libgit2-dev
need "pkg-config --exists zlib" zlib1g-dev
need "pkg-config --exists cmocka" libcmocka-dev
# The test suite reads JSON output with python3; python3-yaml,
# python3-jsonschema, python3-cryptography and kubectl are optional there
# (the checks that need them say that they skip).
need "command -v python3" python3
[ -z "$pkgs" ] && exit 0

cmd="apt-get install -y --no-install-recommends$pkgs"
echo "crownc: missing build dependencies:$pkgs"
if [ "${CROWN_NO_INSTALL:-}" = 1 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "crownc: install them with: sudo $cmd" >&2
    exit 1
fi
if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "crownc: install them as root with: $cmd" >&2
    exit 1
fi
echo "crownc: installing:$pkgs"
$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo $cmd || {
    echo "crownc: installation failed; run: sudo apt-get update && sudo $cmd" >&2
    exit 1
}
