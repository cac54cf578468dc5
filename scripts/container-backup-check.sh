#!/usr/bin/env bash
# Backup and restore, proven on the compose stack: a first call (recorded), backup, wipe (volumes gone), restore;
# then the call history must answer exactly as before and the recording download give the same bytes. Leaves
# nothing running. Needs the images (`make container-check` once); on a machine where other checkouts hold the
# SIP/ARI ports, run it in a network namespace of its own: unshare -n bash -c 'ip link set lo up; bash <this>'.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
S=$REPO/scripts/containers.sh
export CALLCENTER_RUN_DIR=${CALLCENTER_RUN_DIR:-$REPO/.run-compose}
WORK=$(mktemp -d /tmp/callcenter-backup-check.XXXXXX)
trap 'WIPE=1 bash "$S" down >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
# The check logs in as a demo user: the stack with the demo data, over HTTPS with the development CA.
export DEMO=1
API=https://127.0.0.1:8080/api
curl() { command curl --cacert "$CALLCENTER_RUN_DIR/tls/ca.pem" "$@"; }

login() {
  curl -sf -H 'Content-Type: application/json' \
    -d "{\"username\":\"dave\",\"password\":\"$(cat "$CALLCENTER_RUN_DIR/secrets/demo-user-password")\"}" \
    "$API/auth/login" | jq -r .token
}

bash "$S" up
make -C "$REPO" --no-print-directory first-call CALLCENTER_RUN_DIR="$CALLCENTER_RUN_DIR" \
  MVN="JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64} mvn -B -q -o" 2>&1 | grep 'hears'
token=$(login)
curl -sf -H "Authorization: Bearer $token" "$API/calls?limit=5" > "$WORK/before.json"
id=$(jq -r '.items[0].id' "$WORK/before.json")
# The recording is registered when Asterisk reports its end, a moment after the call.
for _ in $(seq 1 20); do
  curl -sf -o "$WORK/before.wav" -H "Authorization: Bearer $token" "$API/calls/$id/recording" && break
  sleep 1
done
[ -s "$WORK/before.wav" ] || { echo "backup-check: call $id has no recording to download" >&2; exit 1; }

bash "$S" backup "$WORK/backup"
WIPE=1 bash "$S" down
left=$(podman volume ls -q | grep -c '^callcenter_' || true)
[ "$left" = 0 ] || { echo "backup-check: $left volumes survived the wipe" >&2; exit 1; }
bash "$S" restore "$WORK/backup"

token=$(login)
curl -sf -H "Authorization: Bearer $token" "$API/calls?limit=5" > "$WORK/after.json"
curl -sf -o "$WORK/after.wav" -H "Authorization: Bearer $token" "$API/calls/$id/recording"
diff <(jq -S . "$WORK/before.json") <(jq -S . "$WORK/after.json") >&2 \
  || { echo "backup-check: the call history differs after the restore" >&2; exit 1; }
cmp "$WORK/before.wav" "$WORK/after.wav" || { echo "backup-check: the recording differs after the restore" >&2; exit 1; }
echo "backup-check: history ($(jq '.items | length' "$WORK/after.json") calls) and recording of call $id" \
  "($(stat -c %s "$WORK/after.wav") bytes) identical after backup, wipe and restore"
