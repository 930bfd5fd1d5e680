#!/usr/bin/env bash
# Runs COMMAND... as if on an AVX2-only CPU (no AVX-512, VNNI, AMX): see cpuid-mask.c.
# The shim is compiled once into ~/.cache/docr (needs gcc and the CPU's cpuid_fault flag).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/docr"
so="$cache/cpuid-mask-$(sha256sum "$here/cpuid-mask.c" | cut -c1-12).so"
if [ ! -f "$so" ]; then
  mkdir -p "$cache"
  gcc -O2 -shared -fPIC -Wall -o "$so.tmp" "$here/cpuid-mask.c" -ldl && mv "$so.tmp" "$so"
fi
export LD_PRELOAD="$so${LD_PRELOAD:+:$LD_PRELOAD}"
exec "$@"
