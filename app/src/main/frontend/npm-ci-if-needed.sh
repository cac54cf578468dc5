#!/usr/bin/env bash
# Installs the softphone's npm packages for the Maven build. `npm ci` wipes and reinstalls node_modules (seconds,
# over the network), so it runs only when package-lock.json changed since the last install: npm writes
# node_modules/.package-lock.json at the end of every install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [ ! -f package-lock.json ]; then
  exec npm install --no-audit --no-fund
fi
if [ node_modules/.package-lock.json -nt package-lock.json ]; then
  exit 0
fi
exec npm ci --no-audit --no-fund
