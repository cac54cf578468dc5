#!/usr/bin/env bash
# Installs what the project needs on a Debian-like machine, quietly and idempotently (a second run does nothing).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAVA_HOME_25=/usr/lib/jvm/temurin-25-jdk-amd64

[ "$(id -u)" = 0 ] || { echo "install-deps.sh: run as root (apt-get, and the native Asterisk needs chroot)" >&2; exit 1; }
command -v apt-get >/dev/null || { echo "install-deps.sh: needs a Debian-like machine (apt-get)" >&2; exit 1; }

missing=()
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
command -v sipp >/dev/null || missing+=(sip-tester)
command -v mvn >/dev/null || missing+=(maven)
command -v curl >/dev/null || missing+=(curl)
command -v unshare >/dev/null || missing+=(util-linux)
command -v python3 >/dev/null || missing+=(python3)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x "$JAVA_HOME_25/bin/java" ] || missing+=(temurin-25-jdk)
# Later: chromium (browser tests) goes here.

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps.sh: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -x "$JAVA_HOME_25/bin/java" ] || { echo "install-deps.sh: Java 25 not found at $JAVA_HOME_25" >&2; exit 1; }

# The Asterisk root filesystem is cached outside the repository; building it once takes about 30 s.
bash "$REPO/scripts/asterisk.sh" build >/dev/null
