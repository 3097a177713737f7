#!/bin/sh
# Installs the Debian packages Qt needs (headless tests, and a real window under Xvfb), when any is missing.
# With `--with-postgresql` also the PostgreSQL server programs, which the tests run a throwaway server from.
set -eu
packages="libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 fonts-dejavu-core libdbus-1-3 xvfb xauth
libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0"
if [ "${1:-}" = "--with-postgresql" ]; then packages="$packages postgresql"; fi
command -v dpkg-query >/dev/null 2>&1 || { echo "system-deps: not a Debian system; install Qt 6's runtime libraries yourself"; exit 0; }
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
  echo "system-deps: missing:$missing -- run: sudo apt-get install -y$missing"; exit 1
fi
echo "system-deps: installing$missing"
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
