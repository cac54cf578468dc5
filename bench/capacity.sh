# Capacity phase of bench/call-setup.sh (BENCH_PHASES=capacity, `make bench-capacity`); sourced once the rig is up
# (Asterisk, PostgreSQL, the app, agents registered and reachable, their SIPp answering with -rtp_echo).
# N calls at once from the stand-in carrier, each held BENCH_CAPACITY_HOLD s with a tone streamed by the carrier and
# echoed by the agent's phone, every call recorded: through the ARI app (bridge recording with the consent
# announcement) and through plain dialplan Dial() with MixMonitor, the paths alternating at every step, until a step
# no path passed clean. BENCH_CAPACITY_JARS="a.jar b.jar": the ARI path with each build of the app in turn at every
# step (the app restarted on the same rig), a lever's before and after in one run; a jar followed by
# "@name=value" pairs runs with those system properties (-Dname=value), e.g. "app.jar@callcenter.calls.recording-mode=mixmonitor"
# (one build measured in two settings). RTP is counted by the kernel (iptables counters on 200-byte IP packets: PCMU, 20 ms), so
# neither SIPp nor Asterisk judges itself. Refuses figures for a step that did not measure what it claims.
CAP_STEPS=${BENCH_CAPACITY_STEPS:-"150 200 250 300"}
read -r -a CAP_JARS <<< "${BENCH_CAPACITY_JARS:-$JAR}"
CAP_HOLD=${BENCH_CAPACITY_HOLD:-60}
CAP_RATE=${BENCH_CAPACITY_RATE:-20}
CAP_OUT=$SIPP/capacity
mkdir -p "$CAP_OUT"
ASTERISK_PID=$(cat "$RUN/asterisk/control/asterisk.pid")
POSTMASTER_PID=$(head -1 "$RUN/postgres/data/postmaster.pid")

rig_tone_wav "$SIPP/tone.wav"

recordings_of_hold() {  # files holding at least half a call (16-bit, 8 kHz: 16 kB a second)
  find "$RUN/asterisk/spool/recording" -name '*.wav' -size +$((CAP_HOLD * 8))k | wc -l
}
active_channels() {
  bash "$REPO/scripts/asterisk.sh" cli 'core show channels count' | awk '/active channel/ {print $1}'
}

sleep_until() {    # a loaded machine may already be past it
  local left=$(( $1 - $(date +%s) ))
  [ "$left" -le 0 ] || sleep "$left"
}

# cap_warm: a freshly started app answers its first calls with a cold JVM (seconds a setup, where a warm one takes
# a few hundred ms): 20 short calls through it before any step is measured, as the first app had its agents' load.
cap_warm() {
  (cd "$SIPP" && timeout 60 sipp -sf "$REPO/bench/sipp/carrier-talk.xml" -inf "$SIPP/ari.csv" -i 127.0.0.2 -mi 127.0.0.2 \
    -p 5060 -r 5 -m 20 -l 20 -d 3000 -nostdin 127.0.0.1:5060 > "$CAP_OUT/warm.log" 2>&1) || true
  local _
  for _ in $(seq 1 30); do [ "$(active_channels)" = 0 ] && break; sleep 1; done
}

# cap_run <path> <calls>: one step; leaves $CAP_OUT/<path>-<calls>.* and appends a line to $CAP_OUT/steps
cap_run() {
  local path=$1 calls=$2 source csv before_rung before_files started ramp peak_from peak_to sample t0
  if [ "$path" = dialplan ]; then source=127.0.0.6; csv=$SIPP/capacity.csv; else source=127.0.0.2; csv=$SIPP/ari.csv; fi
  local out=$CAP_OUT/$path-$calls
  cap_rules "$source"
  for _ in $(seq 1 60); do [ "$(active_channels)" = 0 ] && break; sleep 1; done
  before_rung=$(rung)
  before_files=$(recordings_of_hold)
  rm -f "$SIPP"/*_rtt.csv
  ramp=$(( (calls + CAP_RATE - 1) / CAP_RATE ))
  # The whole load is up from the last call's answer (ramp + setup) until the first call's hang-up (hold): that
  # window is "the peak"; counters and CPU are read at its edges, heap, RSS, channels and jitter in its middle.
  peak_from=$((ramp + 4)); peak_to=$((CAP_HOLD - 2))
  [ "$peak_to" -gt $((peak_from + 5)) ] || { echo "bench: INVALID RUN: hold $CAP_HOLD s leaves no peak after a ${ramp} s ramp" >&2; exit 1; }
  uptime > "$out.load-start"
  t0=$(date +%s)
  # (SIPp's exit status is a figure of the step, written down, never a reason for errexit to end the bench)
  (cd "$SIPP" || exit 1; rc=0; timeout $((ramp + CAP_HOLD + 120)) sipp -sf "$REPO/bench/sipp/carrier-talk.xml" -inf "$csv" \
      -i "$source" -mi "$source" -p 5060 -r "$CAP_RATE" -m "$calls" -l "$calls" -d $((CAP_HOLD * 1000)) -nostdin \
      -trace_rtt -rtt_freq 1 -timeout_error -recv_timeout 30000 -trace_err \
      127.0.0.1:5060 > "$out.log" 2>&1 || rc=$?; echo "$rc" > "$out.rc") &
  local sipp_job=$!
  sleep_until $((t0 + peak_from))
  echo "$(cap_counters) $(cpu_ticks "$ASTERISK_PID") $(cpu_ticks "$APP_PID") $(postgres_ticks) $(date +%s.%N)" > "$out.peak-start"
  sleep $(( (peak_to - peak_from) / 2 ))
  active_channels > "$out.channels"
  # (which channels: PJSIP parties, the bridge's Recorder, an Announcer left in a bridge, recording Snoops ...)
  bash "$REPO/scripts/asterisk.sh" cli 'core show channels concise' > "$out.channel-list"
  # One channel of each technology in detail: formats and any transcoding (the mixer's rate shows there).
  local kind name
  for kind in PJSIP Recorder Announcer Snoop; do
    name=$(grep -m1 "^$kind/" "$out.channel-list" | cut -d'!' -f1) || true
    [ -z "$name" ] || bash "$REPO/scripts/asterisk.sh" cli "core show channel $name" > "$out.channel-$kind" 2>&1 || true
  done
  bash "$REPO/scripts/asterisk.sh" cli 'bridge show all' > "$out.bridges"
  python3 "$REPO/bench/capacity-step.py" --jitter "$out" "$source" || true
  awk '/VmRSS/ {print $2}' "/proc/$APP_PID/status" > "$out.rss"
  "$JAVA_HOME/bin/jcmd" "$APP_PID" GC.heap_info > "$out.heap" 2>&1 || true
  sleep_until $((t0 + peak_to))
  echo "$(cap_counters) $(cpu_ticks "$ASTERISK_PID") $(cpu_ticks "$APP_PID") $(postgres_ticks) $(date +%s.%N)" > "$out.peak-end"
  uptime > "$out.load-peak"
  wait "$sipp_job" || true
  echo "$(cap_counters)" > "$out.total"
  mv "$SIPP"/*_rtt.csv "$out.rtt" 2>/dev/null || true
  sleep 3   # recordings are closed at hang-up
  # The app and Asterisk must have lived through the step (a dead app's calls were answered by nobody we measure).
  local alive=1
  kill -0 "$APP_PID" 2>/dev/null && rig_app_up || alive=0
  kill -0 "$ASTERISK_PID" 2>/dev/null || alive=0
  echo "$(( $(rung) - before_rung )) $(( $(recordings_of_hold) - before_files )) $alive" > "$out.checks"
  python3 "$REPO/bench/capacity-step.py" "$out" "$path" "$calls" "$CAP_HOLD" "$(getconf CLK_TCK)" "$peak_from" >> "$CAP_OUT/steps"
  tail -1 "$CAP_OUT/steps" >&2
}

# Plain dialplan's calls start MixMonitor on the caller's channel, then Dial() the agent (bench-dialplan, 92XXX).
{ echo SEQUENTIAL; for i in $(seq 1 "$AGENTS"); do echo $((92000 + i)); done; } > "$SIPP/capacity.csv"
: > "$CAP_OUT/steps"
# Paths: "dialplan", then the ARI app: "ari" with one jar, "ari-1", "ari-2" ... with BENCH_CAPACITY_JARS.
CAP_PATHS=(dialplan)
declare -A CAP_JAR_OF CAP_MAX CAP_STOPPED CAP_REFUSED
if [ "${#CAP_JARS[@]}" -eq 1 ]; then
  CAP_PATHS+=(ari); CAP_JAR_OF[ari]=${CAP_JARS[0]}
else
  for k in "${!CAP_JARS[@]}"; do CAP_PATHS+=("ari-$((k + 1))"); CAP_JAR_OF[ari-$((k + 1))]=${CAP_JARS[$k]}; done
fi
# "jar@a=b@c=d": the jar, and its system properties as java options
cap_jar() { echo "${1%%@*}"; }
cap_opts() { local rest=${1#*@}; [ "$rest" != "$1" ] || return 0; echo "-D${rest//@/ -D}"; }
CAP_CURRENT=${CAP_JARS[0]}
[ -z "$(cap_opts "$CAP_CURRENT")" ] || { echo "bench: the first of BENCH_CAPACITY_JARS must have no @settings (the rig starts with it)" >&2; exit 1; }
for path in "${CAP_PATHS[@]}"; do
  CAP_MAX[$path]=0
  [ "$path" = dialplan ] || echo "bench: $path = $(basename "${CAP_JAR_OF[$path]}") ($(sha256sum "$(cap_jar "${CAP_JAR_OF[$path]}")" | cut -c1-12))" | tee -a "$CAP_OUT/steps" >&2
done
cap_warm   # the app the rig started with, as warm as every build started later
for calls in $CAP_STEPS; do
  [ "$calls" -le "$AGENTS" ] || { echo "bench: step $calls needs as many agents (BENCH_AGENTS=$AGENTS)" >&2; exit 1; }
  # Every path at every step (both paths' figures side by side), until a step where no path was clean.
  any_clean=
  for path in "${CAP_PATHS[@]}"; do
    [ -z "${CAP_REFUSED[$path]:-}" ] || continue
    if [ "$path" != dialplan ] && [ "${CAP_JAR_OF[$path]}" != "$CAP_CURRENT" ]; then
      echo "bench: restarting the app with $(basename "${CAP_JAR_OF[$path]}")" >&2
      CAP_CURRENT=${CAP_JAR_OF[$path]}
      APP_EXTRA_OPTS=$(cap_opts "$CAP_CURRENT")
      rig_app_swap "$(cap_jar "$CAP_CURRENT")"
      cap_warm
    fi
    echo "bench: capacity, $path path, $calls calls at once ($CAP_RATE cps ramp, ${CAP_HOLD} s hold)" >&2
    cap_run "$path" "$calls"
    verdict=$(tail -1 "$CAP_OUT/steps" | awk '{print $NF}')
    case $verdict in
      clean) [ -n "${CAP_STOPPED[$path]:-}" ] || CAP_MAX[$path]=$calls; any_clean=1 ;;
      # A step that did not measure what it claims gives that path no capacity at all (no ratio is printed for
      # it, the run exits 1); the other paths go on, so the run still says what it did measure.
      INVALID*) echo "bench: INVALID: $path at $calls calls: $verdict" >&2; CAP_REFUSED[$path]="$calls:$verdict" ;;
      *) [ -n "${CAP_STOPPED[$path]:-}" ] || CAP_STOPPED[$path]=$calls ;;
    esac
  done
  [ -n "$any_clean" ] || break
done
uptime >&2
summary=()
for path in "${CAP_PATHS[@]}"; do summary+=("$path:${CAP_MAX[$path]}:${CAP_STOPPED[$path]:-}:${CAP_REFUSED[$path]:-}"); done
python3 "$REPO/bench/capacity-step.py" --summary "$CAP_OUT/steps" "${summary[@]}"
for path in "${CAP_PATHS[@]}"; do
  [ -z "${CAP_REFUSED[$path]:-}" ] || { echo "bench: INVALID RUN: $path refused at ${CAP_REFUSED[$path]}" >&2; exit 1; }
done
