#!/usr/bin/env bash
# Every suite, as a newcomer and CI run it: `npm ci && npm test`.
# Installs the system tools the tests drive (Debian chromium, openssl, testssl, nginx, openssh-server, pebble) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v testssl >/dev/null 2>&1 || need+=(testssl.sh)
# Real parts for deployment and ACME tests: the tests start their own nginx, sshd and pebble on loopback ports.
[ -x /usr/sbin/nginx ] || need+=(nginx)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
command -v pebble >/dev/null 2>&1 || need+=(pebble)
# NIST PKITS conformance data (server/test/conformance/SOURCE.md).
[ -d /usr/lib/python3/dist-packages/cryptography_vectors/x509/PKITS_data ] || need+=(python3-cryptography-vectors)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing with apt: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # Packages with services (nginx, sshd) must not start them: the tests run their own, on their own ports.
  policy_added=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d && policy_added=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  [ -z "$policy_added" ] || $SUDO rm -f /usr/sbin/policy-rc.d
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
