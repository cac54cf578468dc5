#!/usr/bin/env bash
# Cluster benchmarks (issue 17), `make bench-cluster`: the rig of bench/rig.sh (PostgreSQL, the app, load agents
# answering with SIPp) on two Asterisk media nodes (scripts/asterisk.sh ASTERISK_NODE=1,2: 127.0.0.11, 127.0.0.12)
# behind the Kamailio edge (scripts/kamailio.sh, 127.0.0.10), the app on both nodes' ARI, every agent registered at
# both nodes (as ClusterIT's phones). Two phases (BENCH_CLUSTER_PHASES, default "edge scaling"):
#   edge     the edge's added setup latency: INVITE->200 of the stand-in carrier's calls, answered by agents, through
#            the edge to node 1 against directly to node 1 (the edge holds only node 1 in this phase, so both paths
#            end on the same node), in halves alternating the paths; p50/p99 and the ratio edge/direct.
#   scaling  N recorded calls at once with audio both ways (bench/capacity.sh's load: the carrier streams a tone, the
#            agents' phones echo it, RTP counted by the kernel, each step judged by bench/capacity-step.py), through
#            the edge to one node, then to two nodes, the same N, rising N until each layout's first unclean step:
#            per-node Asterisk CPU, the dispatcher's split, and calls per node at the limit only where a limit was
#            reached. Both nodes share this machine's cores: see BENCHMARKS.md for what that can and cannot show.
# Loopback only, bounded (fixed call counts, timeouts); refuses figures from a step that did not measure what it
# claims. Needs root and nothing else on the cluster's addresses: `make bench-cluster` runs it in a network
# namespace of its own under the machine's benchmark lock.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export CALLCENTER_RUN_DIR=${BENCH_RUN_DIR:-$REPO/.run/bench-cluster}
RUN=$CALLCENTER_RUN_DIR
PHASES=${BENCH_CLUSTER_PHASES:-edge scaling}
LATENCY_CALLS=${BENCH_LATENCY_CALLS:-120}
LATENCY_RATE=${BENCH_LATENCY_RATE:-5}
WARMUP_CALLS=${BENCH_WARMUP_CALLS:-20}
STEPS=${BENCH_CLUSTER_STEPS:-100 130 160 190}
HOLD=${BENCH_CLUSTER_HOLD:-30}
RATE=${BENCH_CLUSTER_RATE:-20}
AGENTS=${BENCH_AGENTS:-$(echo "$STEPS" | tr ' ' '\n' | sort -n | tail -1)}
UAS_COUNT=4          # rig.sh's answering addresses 127.0.0.5, .7, .8, .9 (its later ones are the cluster's)
JAR=${BENCH_JAR:-$REPO/app/target/callcenter-app.jar}
JAVA_OPTS=${BENCH_JAVA_OPTS:-}
HTTP_PORT=8091
DB_PORT=5544
SIPP=$RUN/sipp
CARRIER=127.0.0.2
EDGE=127.0.0.10
NODES=(127.0.0.11 127.0.0.12)
# shellcheck source=bench/rig.sh
. "$REPO/bench/rig.sh"

# Each node trusts the edge and, for the direct path of the edge phase, the carrier itself.
node() { ASTERISK_NODE=$1 TRUNK_IDENTIFY=$EDGE,$CARRIER bash "$REPO/scripts/asterisk.sh" "${@:2}"; }
edge_with() {      # edge_with <node addresses...>: the edge restarted with these nodes, each probed active
  local list
  list=$(printf '%s:5060,' "$@")
  MEDIA_NODES=${list%,} bash "$REPO/scripts/kamailio.sh" restart > /dev/null
  for _ in $(seq 1 50); do
    [ "$(bash "$REPO/scripts/kamailio.sh" rpc dispatcher.list | grep -c 'FLAGS: A')" -ge $# ] && return 0
    sleep 0.2
  done
  echo "bench: INVALID RUN: the edge does not count $* active" >&2
  exit 1
}
cluster_media() {  # rig_start's media: both nodes and the edge
  node 1 start > /dev/null
  node 2 start > /dev/null
  MEDIA_NODES=${NODES[0]}:5060 bash "$REPO/scripts/kamailio.sh" start > /dev/null
}
cluster_stop() {
  rig_stop
  bash "$REPO/scripts/kamailio.sh" stop > /dev/null 2>&1 || true
  node 1 stop > /dev/null 2>&1 || true
  node 2 stop > /dev/null 2>&1 || true
}

rig_prepare bench-dialplan   # (its second carrier's dialplan is the single Asterisk's; unused here)
trap cluster_stop EXIT
export CALLCENTER_ARI_NODES=http://${NODES[0]}:8088/,http://${NODES[1]}:8088/
export CALLCENTER_RECORDINGS_DIR=$RUN/recordings
DB_CONNECT="--spring.datasource.hikari.data-source-properties.connectTimeout=20
  --spring.datasource.hikari.data-source-properties.loginTimeout=20"
# shellcheck disable=SC2086 # DB_CONNECT is a list of arguments
RIG_MEDIA=cluster_media rig_start --callcenter.calls.max-dials-per-minute=100000 $DB_CONNECT

# The agents: registered at both nodes from one address and port, where one echoing SIPp answers either node; not
# before both nodes know every agent's endpoint (the app pushes them a moment after it counts as connected).
cd "$SIPP"
for _ in $(seq 1 120); do
  known=0
  for n in 1 2; do
    [ "$(node "$n" cli 'pjsip show endpoints' | grep -cE '^ *Endpoint: +2[0-9]{3} ' || true)" -ge "$AGENTS" ] && known=$((known + 1))
  done
  [ "$known" = 2 ] && break
  sleep 0.5
done
registering=()
for k in $(seq 1 "$UAS_COUNT"); do
  (for i in $(seq "$k" "$UAS_COUNT" "$AGENTS"); do
    for address in "${NODES[@]}"; do
      timeout 10 sipp -sf "$REPO/bench/sipp/register.xml" -au $((2000 + i)) -ap "$PASSWORD" -s $((2000 + i)) \
        -key contact_port 5070 -i "$(uas_of "$i")" -p 5070 -m 1 -nostdin "$address:5060" > /dev/null 2>&1 || true
    done
  done) &
  registering+=($!)
done
wait "${registering[@]}"
for k in $(seq 1 "$UAS_COUNT"); do
  sipp -sf "$REPO/bench/sipp/agent-uas.xml" -i "$(uas_of "$k")" -p 5070 -aa -nostdin -timeout 1800s \
    -rtp_echo -mi "$(uas_of "$k")" -mp 6000 -trace_logs -log_file "$SIPP/agents-$k.log" > "uas-$k.log" 2>&1 &
  UAS_PIDS+=($!)
done
echo "bench: waiting for $AGENTS agents to be reachable from both nodes (next qualify, up to 45 s)" >&2
for _ in $(seq 1 90); do
  ready=1
  for n in 1 2; do
    [ "$(node "$n" cli 'pjsip show contacts' | grep -c ' Avail ' || true)" -ge "$AGENTS" ] || ready=
  done
  [ -n "$ready" ] && break
  sleep 0.5
done
[ -n "$ready" ] || { echo "bench: INVALID RUN: not every agent reachable from both nodes" >&2; exit 1; }
printf 'SEQUENTIAL\n+15550100\n' > ari.csv
# The carrier's scenarios with the edge's route set on ACK and BYE (record-routing: in-dialog requests pass the
# edge; with no Record-Route, direct to a node, SIPp leaves the line out).
for scenario in carrier-uac carrier-talk; do
  sed -E 's/^(\s*)CSeq: ([0-9]+) (ACK|BYE)$/&\n\1[routes]/' "$REPO/bench/sipp/$scenario.xml" > "$SIPP/$scenario-routed.xml"
done
# A provisional answer that arrives after the 200 (a retransmitted INVITE's 100 Trying relayed late by the edge on a
# loaded machine) is ignored instead of aborting the call, on both paths alike.
LENIENT="-default_behaviors all,-abortunexp"
rung() { cat "$SIPP"/agents-*.log 2>/dev/null | grep -c '^INVITE ' || true; }
uptime > "$SIPP/load-ready"

if [[ " $PHASES " == *" edge "* ]]; then
  # latency <edge|direct> <calls>: every call must reach an agent; leaves <path>-latency.rtt
  latency() {
    local path=$1 calls=$2 target before
    if [ "$path" = edge ]; then target=$EDGE; else target=${NODES[0]}; fi
    before=$(rung)
    rm -f "$SIPP"/*_rtt.csv
    timeout $((calls / LATENCY_RATE + 60)) sipp -sf "$SIPP/carrier-uac-routed.xml" -inf ari.csv -i "$CARRIER" -p 5060 \
      -r "$LATENCY_RATE" -m "$calls" -l $((LATENCY_RATE * 4)) $LENIENT -nostdin -trace_rtt -rtt_freq 1 -timeout_error \
      -recv_timeout 10000 -trace_err "$target:5060" > "latency-$path.log" 2>&1 \
      || { echo "bench: INVALID RUN: latency, $path path: SIPp failed; see $SIPP/latency-$path.log" >&2; exit 1; }
    cat "$SIPP"/*_rtt.csv >> "$path-latency.rtt"
    rm -f "$SIPP"/*_rtt.csv
    sleep 1
    [ $(( $(rung) - before )) -ge "$calls" ] \
      || { echo "bench: INVALID RUN: latency, $path path: fewer agents rang than calls were answered" >&2; exit 1; }
  }
  echo "bench: edge, $LATENCY_CALLS calls per path at $LATENCY_RATE cps to node 1 (after $WARMUP_CALLS to warm up), halves alternating" >&2
  edge_with "${NODES[0]}"
  # Both paths go through the app: its first calls (cold code paths) would fall on the first half alone.
  for path in direct edge; do latency "$path" $((WARMUP_CALLS / 2)); done
  rm -f edge-latency.rtt direct-latency.rtt
  for path in direct edge edge direct; do latency "$path" $((LATENCY_CALLS / 2)); done
  uptime > "$SIPP/load-edge"
fi

if [[ " $PHASES " == *" scaling "* ]]; then
  OUT=$SIPP/scaling
  mkdir -p "$OUT"
  : > "$OUT/steps"
  POSTMASTER_PID=$(head -1 "$RUN/postgres/data/postmaster.pid")
  NODE_PIDS=("$(cat "$RUN/asterisk-node1/control/asterisk.pid")" "$(cat "$RUN/asterisk-node2/control/asterisk.pid")")
  rig_tone_wav "$SIPP/tone.wav"
  # RTP counted as bench/capacity.sh counts it (bench/rig.sh): 200-byte IP packets (PCMU, 20 ms) from and to each end.
  cap_rules "$CARRIER"
  # bench/capacity-step.py's sample line (Asterisk: both nodes), then each node's ticks on their own
  # (the clock read right beside the nodes' ticks: on a loaded machine the other reads can take a second)
  sample() {
    local one two at
    at=$(date +%s.%N) one=$(cpu_ticks "${NODE_PIDS[0]}") two=$(cpu_ticks "${NODE_PIDS[1]}")
    echo "$(cap_counters) $((one + two)) $(cpu_ticks "$APP_PID") $(postgres_ticks) $at" > "$1"
    echo "$one $two" > "$1.nodes"
  }
  channels() { node "$1" cli 'core show channels count' | awk '/active channel/ {print $1}'; }
  recordings_of_hold() { find "$RUN/recordings" -name '*.wav' -size +$((HOLD * 8))k | wc -l; }
  sleep_until() { local left=$(( $1 - $(date +%s) )); [ "$left" -le 0 ] || sleep "$left"; }

  # step <layout: 1 or 2 nodes> <calls>
  step() {
    local layout=$1 calls=$2 out=$OUT/$1node-$2 ramp peak_from peak_to t0 before_rung before_files
    for _ in $(seq 1 60); do [ "$(channels 1)" = 0 ] && [ "$(channels 2)" = 0 ] && break; sleep 1; done
    iptables -Z BENCHRTP   # the step's totals are its own
    before_rung=$(rung)
    before_files=$(recordings_of_hold)
    rm -f "$SIPP"/*_rtt.csv
    ramp=$(( (calls + RATE - 1) / RATE ))
    peak_from=$((ramp + 4)); peak_to=$((HOLD - 2))
    [ "$peak_to" -gt $((peak_from + 5)) ] || { echo "bench: INVALID RUN: hold $HOLD s leaves no peak after a ${ramp} s ramp" >&2; exit 1; }
    t0=$(date +%s)
    (cd "$SIPP" || exit 1; rc=0; timeout $((ramp + HOLD + 120)) sipp -sf "$SIPP/carrier-talk-routed.xml" -inf ari.csv \
        -i "$CARRIER" -mi "$CARRIER" -p 5060 -r "$RATE" -m "$calls" -l "$calls" -d $((HOLD * 1000)) $LENIENT -nostdin \
        -trace_rtt -rtt_freq 1 -timeout_error -recv_timeout 30000 -trace_err "$EDGE:5060" > "$out.log" 2>&1 || rc=$?
      echo "$rc" > "$out.rc") &
    local sipp_job=$!
    sleep_until $((t0 + peak_from))
    sample "$out.peak-start"
    sleep $(( (peak_to - peak_from) / 2 ))
    echo "$(channels 1) $(channels 2)" > "$out.split"
    echo "node1 $(channels 1), node2 $(channels 2)" > "$out.channels"
    { node 1 cli 'bridge show all'; node 2 cli 'bridge show all'; } > "$out.bridges"
    awk '/VmRSS/ {print $2}' "/proc/$APP_PID/status" > "$out.rss"
    sleep_until $((t0 + peak_to))
    sample "$out.peak-end"
    uptime > "$out.load-peak"
    wait "$sipp_job" || true
    cap_counters > "$out.total"
    mv "$SIPP"/*_rtt.csv "$out.rtt" 2>/dev/null || true
    sleep 3   # recordings are closed at hang-up
    echo "$(( $(rung) - before_rung )) $(( $(recordings_of_hold) - before_files ))" > "$out.checks"
    python3 "$REPO/bench/capacity-step.py" "$out" "${layout}node" "$calls" "$HOLD" "$(getconf CLK_TCK)" "$peak_from" >> "$OUT/steps"
    tail -1 "$OUT/steps" >&2
  }

  for layout in 1 2; do
    if [ "$layout" = 1 ]; then edge_with "${NODES[0]}"; else edge_with "${NODES[@]}"; fi
    for calls in $STEPS; do
      echo "bench: scaling, $layout node(s) behind the edge, $calls recorded calls at once ($RATE cps, ${HOLD} s hold)" >&2
      step "$layout" "$calls"
      verdict=$(tail -1 "$OUT/steps" | awk '{print $NF}')
      case $verdict in
        clean) echo "$calls" > "$OUT/limit-$layout" ;;
        INVALID*) echo "bench: INVALID RUN: $layout node(s) at $calls calls: $(tail -1 "$OUT/steps")" >&2; exit 1 ;;
        *) echo "$calls" > "$OUT/stopped-$layout"; break ;;
      esac
    done
  done
fi

uptime >&2
python3 "$REPO/bench/cluster-report.py" "$SIPP" "$PHASES" "$STEPS" "$(getconf CLK_TCK)" "$(nproc)"
