#!/usr/bin/env bash
# Every suite, as a newcomer and CI run it: `npm ci && npm test`.
# Installs the system tools the tests drive (Debian chromium, openssl, testssl) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v testssl >/dev/null 2>&1 || need+=(testssl.sh)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing with apt: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "== build"
npm run build
echo "== typecheck"
npm run typecheck
echo "== lint and format (Biome), layer check"
npm run lint
echo "== server unit and integration tests (node:test)"
npm run test:unit
echo "== end-to-end tests (Playwright, Debian chromium)"
npm run test:e2e
