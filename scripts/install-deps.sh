#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian-like machine, idempotently: when everything is present it
# prints nothing and takes well under a second (it runs at the start of every `make up` and `make test`).
#
# Usage: scripts/install-deps.sh     (root: apt-get, and the native Asterisk needs chroot)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAVA_HOME_25=/usr/lib/jvm/temurin-25-jdk-amd64

die() { echo "install-deps.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (apt-get, and the native Asterisk runs in a chroot)"
command -v apt-get >/dev/null || die "needs a Debian-like machine (apt-get); elsewhere use docker/compose.yaml"

missing=()
need() { # need <command or path test> <package>
  if [[ $1 == /* ]]; then compgen -G "$1" >/dev/null || missing+=("$2")
  else command -v "$1" >/dev/null || missing+=("$2"); fi
}
need mmdebstrap mmdebstrap                         # builds the Debian sid root filesystem Asterisk 22 runs in
need sipp sip-tester                               # SIP load and scenarios (bench, first calls by hand)
need '/usr/lib/postgresql/*/bin/initdb' postgresql # dev database (scripts/postgres.sh)
need mvn maven
need curl curl                                     # health and ARI probes
need unshare util-linux                            # private mount namespace for the chroot; runuser
need python3 python3                               # bench/call-setup.sh computes its report with it
need jq jq                                         # README examples pipe the REST API through it
need node nodejs                                   # builds the softphone page (esbuild) and drives the browser tests
need npm npm                                       # its packages come from the npm registry (npm ci in the build)
need chromium chromium                             # headless browser of the softphone integration test (no download)

updated=
apt_install() {
  # apt-get update only when something is missing: it is the slow, network-bound part.
  if [ -z "$updated" ]; then apt-get update -qq; updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps.sh: installing ${missing[*]}"
  apt_install "${missing[@]}"
fi

# The browser tests' driver (playwright-core) needs Node.js 20 or newer; Debian 12's own nodejs is 18.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "install-deps.sh: Node.js $(node -v 2>/dev/null || echo none) is too old for the browser tests (need >= 20);" \
    "install a newer nodejs package (e.g. from NodeSource) and run again" >&2
  exit 1
fi

# Java 25 is not in Debian 12; it comes from Adoptium's apt repository when the machine has it configured.
# Tried on its own so that a missing repository cannot fail the packages above.
if [ ! -x "$JAVA_HOME_25/bin/java" ]; then
  echo "install-deps.sh: $JAVA_HOME_25 is missing; trying apt-get install temurin-25-jdk"
  apt_install temurin-25-jdk || true
  [ -x "$JAVA_HOME_25/bin/java" ] || die "Java 25 is required at $JAVA_HOME_25 (Eclipse Temurin 25 JDK, package \
temurin-25-jdk from Adoptium's apt repository, https://adoptium.net/installation/linux/); the default java is not used"
fi

# The Asterisk root filesystem is cached outside the repository (/var/cache/callcenter); the first build takes
# about 30 s and 340 MB, later runs return at once.
if [ -f "$REPO/scripts/asterisk.sh" ]; then
  bash "$REPO/scripts/asterisk.sh" build >/dev/null
else
  echo "install-deps.sh: scripts/asterisk.sh not there yet; skipping the Asterisk root filesystem"
fi
# Debian's fail2ban and sipvicious for SipHardeningIT, in a root filesystem of their own (never installed on the
# machine: fail2ban's package would start a daemon); once about 1 min and 190 MB, later runs return at once.
if [ -f "$REPO/scripts/security-tools.sh" ]; then
  bash "$REPO/scripts/security-tools.sh" build >/dev/null
fi
# Debian's Kamailio for the SIP edge in front of several Asterisk nodes (EdgeIT, CALLCENTER_NODES=2 make up), in a
# root filesystem of its own; once about 1.5 min and 200 MB, later runs return at once.
if [ -f "$REPO/scripts/kamailio.sh" ]; then
  bash "$REPO/scripts/kamailio.sh" build >/dev/null
fi
