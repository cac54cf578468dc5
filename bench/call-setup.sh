#!/usr/bin/env bash
# Call setup benchmark: the same stand-in carrier and the same answering agents, through our ARI application
# (Stasis, agent selection, bridge) and through plain dialplan Dial(), on one Asterisk in one run.
# Prints p50/p99 INVITE->200 latency and the highest clean calls-per-second step for both, and their ratios.
# Loopback only; every load is bounded (fixed call counts, timeouts). Needs root and the dev system down.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export CALLCENTER_RUN_DIR=$REPO/.run/bench
RUN=$CALLCENTER_RUN_DIR
AGENTS=${BENCH_AGENTS:-40}
LATENCY_RATE=${BENCH_LATENCY_RATE:-5}
LATENCY_CALLS=${BENCH_LATENCY_CALLS:-150}
STEPS=${BENCH_STEPS:-"5 10 20 30"}
STEP_SECONDS=${BENCH_STEP_SECONDS:-8}
HTTP_PORT=8091
DB_PORT=5544
SIPP=$RUN/sipp

if (exec 3<>/dev/tcp/127.0.0.1/8088) 2>/dev/null; then
  echo "bench: port 8088 is in use: an Asterisk is running (run 'make down' first)" >&2
  exit 1
fi
bash "$REPO/scripts/install-deps.sh"
[ -f "$REPO/app/target/callcenter-app.jar" ] || (cd "$REPO" && mvn -B -q -Dmaven.test.skip=true package)

rm -rf "$RUN"
mkdir -p "$RUN/secrets/asterisk" "$SIPP"
chmod 700 "$RUN/secrets"
APP_PID=
UAS_PID=
cleanup() {
  [ -n "$UAS_PID" ] && kill "$UAS_PID" 2>/dev/null || true
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  bash "$REPO/scripts/asterisk.sh" stop >/dev/null 2>&1 || true
  CALLCENTER_DB_PORT=$DB_PORT bash "$REPO/scripts/postgres.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

# A second stand-in carrier (127.0.0.6) whose calls go to plain Dial() instead of the application.
cat > "$RUN/secrets/asterisk/pjsip-extra.conf" <<'CONF'
[bench-carrier]
type = endpoint
transport = transport-udp
context = bench-dialplan
disallow = all
allow = ulaw
direct_media = no

[bench-carrier-identify]
type = identify
endpoint = bench-carrier
match = 127.0.0.6
CONF
cat > "$RUN/secrets/asterisk/extensions-extra.conf" <<'CONF'
[bench-dialplan]
exten => _20XX,1,Dial(PJSIP/${EXTEN},20)
 same => n,Hangup()
CONF

CALLCENTER_DB_PORT=$DB_PORT bash "$REPO/scripts/postgres.sh" start >/dev/null
bash "$REPO/scripts/asterisk.sh" start >/dev/null
PASSWORD=bench-agent-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
CALLCENTER_DB_URL=jdbc:postgresql://127.0.0.1:$DB_PORT/callcenter CALLCENTER_DB_USER=callcenter \
CALLCENTER_DB_PASSWORD=$(cat "$RUN/secrets/db-password") CALLCENTER_ARI_PASSWORD=$(cat "$RUN/secrets/ari-password") \
CALLCENTER_HTTP_PORT=$HTTP_PORT SPRING_PROFILES_ACTIVE=dev CALLCENTER_DEMO_AGENT_PASSWORD=$PASSWORD \
CALLCENTER_DEMO_WRAP_UP=0s \
  "$JAVA_HOME/bin/java" -jar "$REPO/app/target/callcenter-app.jar" --callcenter.demo.extra-agents="$AGENTS" \
  > "$RUN/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/actuator/health" 2>/dev/null | grep -q '"ari":{"details":{[^}]*},"status":"UP"' && break
  sleep 1
done

# (No wrap-up for load agents: a person would take one after each call, and every later call would meet
# "nobody available" and measure the announcement instead of a connected call.)
# One SIPp answers for every agent on 127.0.0.5:5070. Agents' endpoints use rewrite_contact (NAT), so each
# registers from that very port before the answering SIPp takes it; Asterisk's first qualify then goes
# unanswered and we wait for the next one (qualify_frequency 30 s) until every contact is reachable.
cd "$SIPP"
for i in $(seq 1 "$AGENTS"); do
  ext=$((2000 + i))
  timeout 10 sipp -sf "$REPO/bench/sipp/register.xml" -au "$ext" -ap "$PASSWORD" -s "$ext" -key contact_port 5070 \
    -i 127.0.0.5 -p 5070 -m 1 -nostdin 127.0.0.1:5060 > /dev/null 2>&1 || true
done
sipp -sn uas -i 127.0.0.5 -p 5070 -aa -nostdin -timeout 900s > uas.log 2>&1 &
UAS_PID=$!
echo "bench: waiting for $AGENTS agents to be reachable (next qualify, up to 45 s)" >&2
for _ in $(seq 1 90); do
  reachable=$(bash "$REPO/scripts/asterisk.sh" cli 'pjsip show contacts' | grep -c ' Avail ' || true)
  [ "$reachable" -ge "$AGENTS" ] && break
  sleep 0.5
done
[ "$reachable" -ge "$AGENTS" ] || { echo "bench: only $reachable of $AGENTS agents reachable" >&2; exit 1; }
printf 'SEQUENTIAL\n+15550100\n' > ari.csv
{ echo SEQUENTIAL; for i in $(seq 1 "$AGENTS"); do echo $((2000 + i)); done; } > dialplan.csv

# run <path> <rate> <calls>: prints "ok" or "failed"; leaves <path>-<rate>_rtt.csv
run() {
  local path=$1 rate=$2 calls=$3 source csv
  if [ "$path" = ari ]; then source=127.0.0.2; else source=127.0.0.6; fi
  csv=$path.csv
  rm -f "$SIPP"/*_rtt.csv
  if timeout $((calls / rate + 60)) sipp -sf "$REPO/bench/sipp/carrier-uac.xml" -inf "$csv" -i "$source" -p 5060 \
      -r "$rate" -m "$calls" -l $((rate * 4)) -nostdin -trace_rtt -rtt_freq 1 -timeout_error \
      -recv_timeout 10000 -trace_err 127.0.0.1:5060 > "$path-$rate.log" 2>&1; then
    mv "$SIPP"/*_rtt.csv "$path-$rate.rtt" 2>/dev/null || true
    echo ok
  else
    mv "$SIPP"/*_rtt.csv "$path-$rate.rtt" 2>/dev/null || true
    echo failed
  fi
}

echo "bench: latency, $LATENCY_CALLS calls at $LATENCY_RATE cps per path" >&2
for path in dialplan ari; do
  result=$(run "$path" "$LATENCY_RATE" "$LATENCY_CALLS")
  [ "$result" = ok ] || { echo "bench: latency run on the $path path had failed calls; see $SIPP/$path-$LATENCY_RATE.log" >&2; exit 1; }
  cp "$path-$LATENCY_RATE.rtt" "$path-latency.rtt"
done
declare -A MAXCPS
for path in dialplan ari; do
  MAXCPS[$path]=0
  for rate in $STEPS; do
    echo "bench: $path path at $rate cps" >&2
    [ "$(run "$path" "$rate" $((rate * STEP_SECONDS)))" = ok ] || break
    MAXCPS[$path]=$rate
  done
done

# The ARI path must have recorded every call it carried, all ended.
sleep 2
RECORDED=$(PGPASSWORD=$(cat "$RUN/secrets/db-password") psql -h 127.0.0.1 -p $DB_PORT -U callcenter -d callcenter -tA \
  -c "select count(*) || ' ' || count(*) filter (where state = 'ENDED' and answered_at is not null) from call")

python3 - "$SIPP" "${MAXCPS[dialplan]}" "${MAXCPS[ari]}" "$RECORDED" "$STEPS" "$STEP_SECONDS" "$LATENCY_CALLS" <<'PY'
import csv, glob, os, statistics, sys
sipp, max_dialplan, max_ari, recorded, steps, step_seconds, latency_calls = sys.argv[1:8]
def rtts(path):
    values = []
    with open(os.path.join(sipp, path + "-latency.rtt")) as f:
        for row in csv.reader(f, delimiter=";"):
            try:
                values.append(float(row[1]))
            except (ValueError, IndexError):
                pass
    values.sort()
    return values
def pct(values, p):
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]
d, a = rtts("dialplan"), rtts("ari")
placed = int(latency_calls) * 2 if False else None
print(f"{'':24}{'Dial()':>12}{'ARI app':>12}{'ratio':>10}")
for name, p in (("setup p50 (ms)", 50), ("setup p99 (ms)", 99)):
    print(f"{name:24}{pct(d, p):>12.1f}{pct(a, p):>12.1f}{pct(a, p) / pct(d, p):>10.2f}")
print(f"{'max clean cps (steps ' + steps.replace(' ', '/') + ')':24}{max_dialplan:>12}{max_ari:>12}"
      f"{(int(max_ari) / int(max_dialplan) if int(max_dialplan) else 0):>10.2f}")
print(f"latency samples: Dial() {len(d)}, ARI {len(a)}; ARI calls recorded (total, ended+answered): {recorded}")
answered = int(recorded.split()[1])
if answered < int(latency_calls):
    # The latency figures are only about connected calls if every latency call reached an agent.
    print(f"INVALID RUN: only {answered} ARI calls were answered by an agent, fewer than the {latency_calls} latency calls")
    sys.exit(1)
PY
