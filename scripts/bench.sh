#!/usr/bin/env bash
# Runs every benchmark (server/bench/*.bench.ts); each writes bench/results/<name>.md.
# Needs the tools it compares against: openssl, nginx, wrk, h2load (apt: nginx-light wrk nghttp2-client).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
only="${1:-}"
for f in server/bench/*.bench.ts; do
  name=$(basename "$f" .bench.ts)
  if [ -n "$only" ] && [ "$only" != "$name" ]; then continue; fi
  echo "== bench: $name"
  node --conditions=source --import tsx "$f"
done
echo "== results"
for r in bench/results/*.md; do echo "--- $r"; head -n 3 "$r"; done
