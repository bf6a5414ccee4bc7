#!/usr/bin/env bash
# Runs every benchmark (server/bench/*.bench.ts), or the one named: `npm run bench -- tls`.
# Each writes bench/results/<name>.md; method and reading guide in bench/README.md.
# BENCH_QUICK=1 shrinks counts and durations to check that the benchmarks run (numbers then mean nothing;
# they go to bench/tmp/, never over bench/results/).
# Installs the tools the benchmarks compare against or drive when they are missing (Debian packages):
# nginx (reference server), wrk (keep-alive load), taskset (util-linux: pins server and load apart),
# lego and pebble (the acme benchmark: Debian's ACME client as reference, the test CA).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v taskset >/dev/null 2>&1 || need+=(util-linux)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v lego >/dev/null 2>&1 || need+=(lego)
[ -x /usr/bin/pebble ] || need+=(pebble)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing with apt: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

mkdir -p bench/results
only="${1:-}"
if [ -z "$only" ] || [ "$only" = "startup" ]; then
  echo "== build (the startup benchmark measures the built server and web UI)"
  npm run build
fi
for f in server/bench/*.bench.ts; do
  name=$(basename "$f" .bench.ts)
  if [ -n "$only" ] && [ "$only" != "$name" ]; then continue; fi
  echo "== bench: $name"
  node --conditions=source --import tsx "$f"
done
echo "== results"
for r in bench/results/*.md; do echo "--- $r"; head -n 3 "$r"; done
