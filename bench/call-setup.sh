#!/usr/bin/env bash
# Call setup benchmark: the same stand-in carrier and the same answering agents, through our ARI application
# (Stasis, agent selection, bridge) and through plain dialplan Dial(), on one Asterisk in one run.
# Phases: latency (p50/p99 INVITE->200, the paths alternating), ceiling (rising calls-per-second steps, the paths
# alternating, until each path's first unclean step), originations (N agents click to dial within one second) and
# transfers (N dialer attempts answered within one second and transferred into the trunk, each to an agent).
# Prints each ratio ARI/Dial(); refuses to print figures from a phase that did not measure what it claims.
# Loopback only; every load is bounded (fixed call counts, timeouts). Needs root and the dev system down; run it
# in a network namespace of its own (`unshare -n`, see bench/README.md) when other checkouts share the machine.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export CALLCENTER_RUN_DIR=${BENCH_RUN_DIR:-$REPO/.run/bench}
RUN=$CALLCENTER_RUN_DIR
AGENTS=${BENCH_AGENTS:-200}
# Answering SIPp processes, one per loopback address, agents spread over them: one UAS answering every call and
# every qualify was the rig's own limit at 20 calls/s.
UAS_COUNT=${BENCH_UAS:-4}
ORIGINATIONS=${BENCH_ORIGINATIONS:-200}
# Dialer attempts answered within one second and transferred into the trunk, each to an agent (bench/transfers.py).
TRANSFERS=${BENCH_TRANSFERS:-200}
TELNYX_PORT=8094
JAR=${BENCH_JAR:-$REPO/app/target/callcenter-app.jar}
# (capacity: BENCH_CAPACITY_JARS, builds of the app measured in turn; the rig starts with the first)
[ -z "${BENCH_CAPACITY_JARS:-}" ] || JAR=${BENCH_JAR:-${BENCH_CAPACITY_JARS%% *}}
# JVM flags for the app (the lever "JVM on 2 cores"), e.g. "-XX:+UseSerialGC -Xmx512m".
JAVA_OPTS=${BENCH_JAVA_OPTS:-}
LATENCY_RATE=${BENCH_LATENCY_RATE:-5}
LATENCY_CALLS=${BENCH_LATENCY_CALLS:-150}
STEPS=${BENCH_STEPS:-"10 20 30 40 60"}
STEP_SECONDS=${BENCH_STEP_SECONDS:-8}
# "capacity" runs only bench/capacity.sh (concurrent recorded calls with audio) on the same rig; "transfers" only
# the dialer transfers phase (make bench-transfers).
PHASES=${BENCH_PHASES:-latency}
HTTP_PORT=8091
DB_PORT=5544
SIPP=$RUN/sipp
# shellcheck source=bench/rig.sh
. "$REPO/bench/rig.sh"

# A second stand-in carrier (127.0.0.6) whose calls go to plain Dial() instead of the application.
rig_prepare bench-dialplan
cat > "$RUN/secrets/asterisk/extensions-extra.conf" <<'CONF'
[bench-dialplan]
exten => _2XXX,1,Dial(PJSIP/${EXTEN},20)
 same => n,Hangup()
; The capacity phase's baseline: the call recorded by MixMonitor on the caller's channel, then Dial().
exten => _92XXX,1,MixMonitor(/var/spool/asterisk/recording/mixmon-${UNIQUEID}.wav)
 same => n,Dial(PJSIP/${EXTEN:1},20)
 same => n,Hangup()
; The ceiling phase's baseline: the work of an ARI call in C. Recorded by MixMonitor, and the team's default consent
; announcement (conf-now-recording, migration V5) played to both parties once the agent answers, as the app plays
; it on the call's bridge as its recording starts.
exten => _8XXXX,1,MixMonitor(/var/spool/asterisk/recording/mixmon-${UNIQUEID}.wav)
 same => n,Dial(PJSIP/${EXTEN:1},20,A(conf-now-recording:conf-now-recording))
 same => n,Hangup()
CONF
# The app's 2 s connect and login timeouts are for outages; on a shared machine at load 20 a first connection can
# take longer than that, and the app then never starts. The rig's database is local and up: wait for it.
DB_CONNECT="--spring.datasource.hikari.data-source-properties.connectTimeout=20
  --spring.datasource.hikari.data-source-properties.loginTimeout=20"
# BENCH_TRACE=1: the call path's trace in app.log (every ARI request with its duration, every ARI event, every
# command the engine sends, every SQL statement), read by bench/trace-call.py. It slows the app: its figures are
# for the trace, never for comparison.
TRACE=
if [ -n "${BENCH_TRACE:-}" ]; then
  TRACE="--logging.level.io.callcenter.asterisk.ari.JdkAriTransport=DEBUG
    --logging.level.io.callcenter.asterisk.ari.AriEventStream=TRACE
    --logging.level.io.callcenter.call.engine.GatewayCommands=TRACE --logging.level.org.jooq.tools.LoggerListener=DEBUG"
fi
# The transfers phase's stand-in for Telnyx (bench/transfers.py) signs its webhooks with a key of this run.
TELNYX_PUBLIC_KEY=$(python3 - "$RUN/secrets/telnyx-webhook-key.pem" <<'PY'
import base64, sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
key = Ed25519PrivateKey.generate()
with open(sys.argv[1], "wb") as f:
    f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
print(base64.b64encode(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode())
PY
)
TELNYX="--callcenter.telnyx.base-url=http://127.0.0.1:$TELNYX_PORT --callcenter.telnyx.api-key=bench
  --callcenter.telnyx.connection-id=bench --callcenter.telnyx.public-key=$TELNYX_PUBLIC_KEY
  --callcenter.telnyx.sip-host=127.0.0.1 --callcenter.dialer.lawful-calling-hours=00:00-23:59"
# shellcheck disable=SC2086 # DB_CONNECT, TELNYX and TRACE are lists of arguments
# The admission phase starts the app at a call limit (bench/admission.sh).
ADMISSION_LIMIT=${BENCH_ADMISSION_LIMIT:-60}
ADMISSION=
[ "$PHASES" = admission ] && ADMISSION="--callcenter.admission.max-calls-per-node=$ADMISSION_LIMIT"
rig_start --callcenter.calls.max-dials-per-minute=100000 $DB_CONNECT $TELNYX $TRACE $ADMISSION
# The capacity and admission phases' phones echo the carrier's RTP back (the agent "talks" as much as the caller).
[ "$PHASES" = capacity ] || [ "$PHASES" = admission ] && RIG_AGENTS_ECHO=1
rig_agents
printf 'SEQUENTIAL\n+15550100\n' > ari.csv
{ echo SEQUENTIAL; for i in $(seq 1 "$AGENTS"); do echo $((2000 + i)); done; } > dialplan.csv
# The ceiling phase's Dial() calls do an ARI call's work (recorded, consent announced: 8XXXX, 8 and the agent) unless
# BENCH_CEILING_DIAL=plain asks for the unrecorded Dial() of the passes before the sixth (BENCHMARKS.md).
CEILING_DIAL=${BENCH_CEILING_DIAL:-recorded}
case "$CEILING_DIAL" in
  recorded) { echo SEQUENTIAL; for i in $(seq 1 "$AGENTS"); do echo $((80000 + 2000 + i)); done; } > dialplan-ceiling.csv ;;
  plain) cp dialplan.csv dialplan-ceiling.csv ;;
  *) echo "bench: BENCH_CEILING_DIAL must be recorded or plain, not $CEILING_DIAL" >&2; exit 1 ;;
esac

rung() { cat "$SIPP"/agents-*.log 2>/dev/null | grep -c '^INVITE ' || true; }
if [ "$PHASES" = capacity ]; then
  source "$REPO/bench/capacity.sh"
  exit 0
fi
if [ "$PHASES" = admission ]; then
  source "$REPO/bench/admission.sh"
  exit 0
fi

# transfers_phase: prints the phase's figures, or its refusal (and then returns 1).
transfers_phase() {
  echo "bench: transfers, $TRANSFERS dialer attempts answered within one second and transferred to agents" >&2
  JAVA_HOME=$JAVA_HOME python3 "$REPO/bench/transfers.py" "http://127.0.0.1:$HTTP_PORT" maria "$PASSWORD" "$TRANSFERS" \
    "$SIPP/agents-*.log" "$TELNYX_PORT" "$RUN/secrets/telnyx-webhook-key.pem" \
    "postgresql://callcenter:$DB_PASSWORD@127.0.0.1:$DB_PORT/callcenter" "$APP_PID" 60
}
if [ "$PHASES" = transfers ]; then
  uptime >&2
  transfers_phase
  exit $?
fi

# run <path> <rate> <calls>: prints "ok", "failed" (SIPp saw a failed call) or "unanswered" (every call got its
# 200 but fewer agents' phones rang than calls were placed: something else, an announcement, answered);
# leaves <path>-<rate>.rtt
run() {
  local path=$1 rate=$2 calls=$3 csv=${4:-$1.csv} source before
  if [ "$path" = ari ]; then source=127.0.0.2; else source=127.0.0.6; fi
  rm -f "$SIPP"/*_rtt.csv
  before=$(rung)
  if timeout $((calls / rate + 60)) sipp -sf "$REPO/bench/sipp/carrier-uac.xml" -inf "$csv" -i "$source" -p 5060 \
      -r "$rate" -m "$calls" -l $((rate * 4)) -nostdin -trace_rtt -rtt_freq 1 -timeout_error \
      -recv_timeout 10000 -trace_err 127.0.0.1:5060 > "$path-$rate.log" 2>&1; then
    mv "$SIPP"/*_rtt.csv "$path-$rate.rtt" 2>/dev/null || true
    sleep 1
    if [ $(( $(rung) - before )) -ge "$calls" ]; then echo ok; else echo unanswered; fi
  else
    mv "$SIPP"/*_rtt.csv "$path-$rate.rtt" 2>/dev/null || true
    echo failed
  fi
}

echo "bench: latency, $LATENCY_CALLS calls at $LATENCY_RATE cps per path, in halves alternating the paths" >&2
half=$((LATENCY_CALLS / 2))
for path in dialplan ari ari dialplan; do
  result=$(run "$path" "$LATENCY_RATE" "$half")
  [ "$result" = ok ] || { echo "bench: INVALID RUN: latency run on the $path path: $result; see $SIPP/$path-$LATENCY_RATE.log" >&2; exit 1; }
  cat "$path-$LATENCY_RATE.rtt" >> "$path-latency.rtt"
done
declare -A MAXCPS STOPPED
MAXCPS[dialplan]=0; MAXCPS[ari]=0
# Each step's cost, to say where a path's ceiling comes from (bench/ceiling-steps.py): CPU of Asterisk, the app,
# the bench's PostgreSQL and the answering SIPp over the step (from its first INVITE to its last call's end) and of
# the whole machine, and Asterisk's task processors in the middle of the step (PJSIP stops taking requests when a
# queue passes its high-water mark).
ASTERISK_PID=$(cat "$RUN/asterisk/control/asterisk.pid")
POSTMASTER_PID=$(head -1 "$RUN/postgres/data/postmaster.pid")
uas_ticks() { local total=0 pid; for pid in "${UAS_PIDS[@]}"; do total=$((total + $(cpu_ticks "$pid"))); done; echo "$total"; }
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $5 + $6 + $7 + $8, $5 + $6 }' /proc/stat; }   # all, idle
step_sample() { echo "$(date +%s.%N) $(cpu_ticks "$ASTERISK_PID") $(cpu_ticks "$APP_PID") $(postgres_ticks) $(uas_ticks) $(machine_ticks)"; }
: > ceiling-steps.txt
for rate in $STEPS; do
  for path in dialplan ari; do
    [ -n "${STOPPED[$path]:-}" ] && continue
    echo "bench: ceiling, $path path at $rate cps" >&2
    start=$(step_sample)
    (sleep $((STEP_SECONDS / 2 + 1)); bash "$REPO/scripts/asterisk.sh" cli 'core show taskprocessors' > "$path-$rate.taskprocessors" 2>&1
     bash "$REPO/scripts/asterisk.sh" cli 'core show channels count' > "$path-$rate.channels" 2>&1) &
    csv=$path.csv; [ "$path" = dialplan ] && csv=dialplan-ceiling.csv
    result=$(run "$path" "$rate" $((rate * STEP_SECONDS)) "$csv")
    echo "$path $rate $((rate * STEP_SECONDS)) $result $start $(step_sample) $(nproc) $(getconf CLK_TCK) $(cut -d' ' -f1 /proc/loadavg)" >> ceiling-steps.txt
    wait $! 2>/dev/null || true
    if [ "$result" = ok ]; then MAXCPS[$path]=$rate; else STOPPED[$path]=$result; fi
    sleep 3   # calls of the step end (1 s hold) before the other path's step
  done
done
[ -s ceiling-steps.txt ] && python3 "$REPO/bench/ceiling-steps.py" "$SIPP" >&2
# A 404 means a path's calls matched no extension (a dialplan that does not reach the agents): its steps "failed"
# for a reason that is not load, and its ceiling would read as zero (the sixth pass's first runs).
if grep -qs 'SIP/2.0 404' "$SIPP"/carrier-uac_*_errors.log; then
  echo "bench: INVALID RUN: the carrier got 404 Not Found: a path's calls reached no extension; see $SIPP" >&2
  exit 1
fi
echo "bench: ceiling stopped: Dial() ${STOPPED[dialplan]:-never (highest step clean)}, ARI ${STOPPED[ari]:-never (highest step clean)}" >&2
if [ "$CEILING_DIAL" = recorded ] && [ "${MAXCPS[dialplan]}" -gt 0 ]; then
  # The recorded Dial() path must have recorded: MixMonitor files of this run, or the pair compared unequal work.
  MIXMON=$(find "$RUN/asterisk/spool/recording" -maxdepth 1 -name 'mixmon-*.wav' -newer dialplan-ceiling.csv | wc -l)
  echo "bench: ceiling's Dial() path: recorded and announced (8XXXX), $MIXMON MixMonitor files this run" >&2
  [ "$MIXMON" -gt 0 ] || { echo "bench: INVALID RUN: the ceiling's Dial() path recorded nothing" >&2; exit 1; }
else
  echo "bench: ceiling's Dial() path: $CEILING_DIAL" >&2
fi

ORIGINATION_RESULT="not run (BENCH_ORIGINATIONS=0)"
if [ "$ORIGINATIONS" -gt 0 ]; then
  echo "bench: originations, $ORIGINATIONS agents click to dial within one second" >&2
  sleep 3
  sipp -sf "$REPO/bench/sipp/agent-uas.xml" -i 127.0.0.2 -p 5060 -nostdin -timeout 300s -trace_logs \
    -log_file "$SIPP/carrier-out.log" > carrier-out.out 2>&1 &
  UAS_PIDS+=($!)
  sleep 0.5
  if ORIGINATION_RESULT=$(python3 "$REPO/bench/originate.py" "http://127.0.0.1:$HTTP_PORT" maria "$PASSWORD" \
      "$ORIGINATIONS" "$SIPP/agents-*.log" "$SIPP/carrier-out.log" 30); then :; else ORIGINATION_FAILED=1; fi
  sleep 2
  bash "$REPO/scripts/asterisk.sh" cli 'channel request hangup all' > /dev/null
  # The carrier's answering SIPp holds 127.0.0.2:5060, where the transfers phase's carrier places its calls.
  kill "${UAS_PIDS[-1]}" 2>/dev/null || true
  sleep 3
fi

TRANSFER_RESULT="not run (BENCH_TRANSFERS=0)"
if [ "$TRANSFERS" -gt 0 ]; then
  if TRANSFER_RESULT=$(transfers_phase); then :; else TRANSFER_FAILED=1; fi
  sleep 3
fi

# The ARI path must have recorded every call it carried, all ended.
sleep 2
RECORDED=$(PGPASSWORD=$(cat "$RUN/secrets/db-password") psql -h 127.0.0.1 -p $DB_PORT -U callcenter -d callcenter -tA \
  -c "select count(*) || ' ' || count(*) filter (where state = 'ENDED' and answered_at is not null) from call")

uptime >&2
python3 - "$SIPP" "${MAXCPS[dialplan]}" "${MAXCPS[ari]}" "$RECORDED" "$STEPS" "$STEP_SECONDS" "$LATENCY_CALLS" \
  "${STOPPED[dialplan]:-}" "${STOPPED[ari]:-}" <<'PY'
import csv, os, sys
sipp, max_dialplan, max_ari, recorded, steps, step_seconds, latency_calls, stop_dialplan, stop_ari = sys.argv[1:10]
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
print(f"{'':24}{'Dial()':>12}{'ARI app':>12}{'ratio':>10}")
for name, p in (("setup p50 (ms)", 50), ("setup p99 (ms)", 99)):
    print(f"{name:24}{pct(d, p):>12.1f}{pct(a, p):>12.1f}{pct(a, p) / pct(d, p):>10.2f}")
# A path whose highest step was clean has its ceiling above the steps: the figure is a floor, marked ">=".
shown = lambda value, stop: (">=" if not stop else "") + value
print(f"{'max clean cps (steps ' + steps.replace(' ', '/') + ')':24}{shown(max_dialplan, stop_dialplan):>12}"
      f"{shown(max_ari, stop_ari):>12}{(int(max_ari) / int(max_dialplan) if int(max_dialplan) else 0):>10.2f}")
print(f"ceiling stopped by: Dial() {stop_dialplan or 'nothing'}, ARI {stop_ari or 'nothing'}")
print(f"latency samples: Dial() {len(d)}, ARI {len(a)}; calls recorded by the app (total, ended+answered): {recorded}")
answered = int(recorded.split()[1])
if answered < int(latency_calls):
    # The latency figures are only about connected calls if every latency call reached an agent.
    print(f"INVALID RUN: only {answered} ARI calls were answered by an agent, fewer than the {latency_calls} latency calls")
    sys.exit(1)
PY
echo "$ORIGINATION_RESULT"
echo "$TRANSFER_RESULT"
[ -z "${ORIGINATION_FAILED:-}" ] && [ -z "${TRANSFER_FAILED:-}" ] || exit 1
