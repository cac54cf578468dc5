#!/usr/bin/env bash
# Every test: unit tests (Surefire) and integration tests (Failsafe) against a real Asterisk 22, a real
# PostgreSQL and real SIP/RTP peers. The integration tests start their own Asterisk (run dir app/target/it-run)
# and their own embedded PostgreSQL, so the development system must not hold the SIP and ARI ports.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}

bash "$REPO/scripts/install-deps.sh"
if (exec 3<>/dev/tcp/127.0.0.1/8088) 2>/dev/null; then
  echo "test.sh: port 8088 is in use (is the development system up? run 'make down' first)" >&2
  exit 1
fi
cd "$REPO"
exec mvn -B verify "$@"
