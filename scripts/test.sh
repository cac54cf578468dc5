#!/usr/bin/env bash
# THE test command (`make test`, CI): unit tests (Surefire) and integration tests (`*IT`, Failsafe) against a real
# Asterisk 22, a real PostgreSQL and real SIP/RTP peers. The integration tests start their own Asterisk through
# scripts/asterisk.sh (run dir app/target/it-run) and their own embedded PostgreSQL, so this script starts nothing
# itself; but that Asterisk needs SIP 5060/udp and ARI 8088/tcp, so the development system must be down.
#
# Usage: scripts/test.sh [extra mvn args, e.g. -Dit.test=CallFlowsIT]      Exit code: Maven's.
# The container path (images, compose stack, Testcontainers) has targets of its own; this script says so at the end.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The machine's default java is 17; the build targets 25.
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}

bash "$REPO/scripts/install-deps.sh"

# Is a socket bound to this port (TCP listening, or UDP bound)? Read from /proc: no dependency on ss/netstat.
port_busy() { # port_busy tcp|udp <port>
  local hex state
  hex=$(printf '%04X' "$2")
  # TCP: only LISTEN (0A) counts; UDP: any socket bound to the port.
  if [ "$1" = tcp ]; then state=0A; else state=; fi
  awk -v p=":$hex" -v s="$state" 'FNR > 1 && substr($2, length($2) - 4) == p && (s == "" || $4 == s) { found = 1 }
    END { exit !found }' "/proc/net/$1" "/proc/net/${1}6" 2>/dev/null
}

busy=()
port_busy udp 5060 && busy+=("5060/udp (SIP)")
port_busy tcp 8088 && busy+=("8088/tcp (ARI)")
if [ ${#busy[@]} -gt 0 ]; then
  echo "test.sh: $(IFS=,; echo "${busy[*]}") in use: the integration tests start their own Asterisk on these ports." >&2
  echo "test.sh: is the development system up? Run 'make down' first (and check 'make status')." >&2
  exit 1
fi

cd "$REPO"
rc=0
mvn -B verify "$@" || rc=$?

# The container path: PermissionsIT once more with Testcontainers' PostgreSQL through podman (about 50 s) and the
# compose stack with a first call (about 50 s), when an engine and the project's images are here already; building
# those takes minutes (`make container-check` once), which this suite's budget does not have. Never silently skipped.
images_ready() {
  command -v podman >/dev/null || return 1
  local image
  for image in app asterisk postgres; do podman image exists "localhost/callcenter-$image:latest" || return 1; done
}
if [ $rc -ne 0 ]; then
  echo "test.sh: NOT RUN: the container path (the suite failed first)."
elif [ -n "${CALLCENTER_SKIP_CONTAINERS:-}" ]; then
  echo "test.sh: NOT RUN: the container path (CALLCENTER_SKIP_CONTAINERS is set)."
elif ! images_ready; then
  echo "test.sh: NOT RUN: the container path: no podman or no project images here. 'make container-check' builds" \
    "them (base images once about 6 min, images about 3 min) and checks the compose stack; later runs of this" \
    "script then include it. README, \"Containers, production and operations\"."
else
  bash "$REPO/scripts/containers.sh" testcontainers PermissionsIT || rc=$?
  bash "$REPO/scripts/containers.sh" check || rc=$?
fi
exit $rc
