# The benchmarks' rig, sourced by bench/call-setup.sh and bench/queue-hold.sh: PostgreSQL, Asterisk and the app
# with load agents 2001.. (wrap-up off), a second stand-in carrier on 127.0.0.6 into a bench-only context, the
# agents registered from the addresses of several answering SIPp, every one reachable before any load.
# The caller sets REPO, RUN (= CALLCENTER_RUN_DIR), SIPP, AGENTS, UAS_COUNT, JAR, JAVA_OPTS, HTTP_PORT, DB_PORT.
# Sets PASSWORD (agents' SIP and the demo users'), DB_PASSWORD, APP_PID, UAS_PIDS and uas_of().

UAS_ADDRESSES=(127.0.0.5 127.0.0.7 127.0.0.8 127.0.0.9 127.0.0.10 127.0.0.11 127.0.0.12 127.0.0.13)
APP_PID=
UAS_PIDS=()

rig_stop() {
  for pid in "${UAS_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  bash "$REPO/scripts/asterisk.sh" stop >/dev/null 2>&1 || true
  CALLCENTER_DB_PORT=$DB_PORT bash "$REPO/scripts/postgres.sh" stop >/dev/null 2>&1 || true
}

# rig_prepare <bench-only dialplan context of the carrier on 127.0.0.6>: a fresh run directory, stopped on exit.
rig_prepare() {
  if (exec 3<>/dev/tcp/127.0.0.1/8088) 2>/dev/null; then
    echo "bench: port 8088 is in use: an Asterisk is running (run 'make down' first)" >&2
    exit 1
  fi
  bash "$REPO/scripts/install-deps.sh"
  [ -f "$JAR" ] || (cd "$REPO" && mvn -B -q -Dmaven.test.skip=true package)
  rm -rf "$RUN"
  mkdir -p "$RUN/secrets/asterisk" "$SIPP"
  chmod 700 "$RUN/secrets"
  trap rig_stop EXIT
  cat > "$RUN/secrets/asterisk/pjsip-extra.conf" <<CONF
[bench-carrier]
type = endpoint
transport = transport-udp
context = $1
disallow = all
allow = ulaw
direct_media = no

[bench-carrier-identify]
type = identify
endpoint = bench-carrier
match = 127.0.0.6
CONF
}

# rig_start [app arguments...]: PostgreSQL, Asterisk, then the app, up to 3 minutes (on a loaded shared machine
# the app alone can take over a minute to start) until its health is UP, which it is only once connected to
# Asterisk with the agents pushed (the health's details are for authorised callers only).
# RIG_MEDIA: the function that starts the media instead of the one Asterisk (bench/cluster.sh: nodes and the edge).
rig_start() {
  CALLCENTER_DB_PORT=$DB_PORT bash "$REPO/scripts/postgres.sh" start >/dev/null
  if [ -n "${RIG_MEDIA:-}" ]; then "$RIG_MEDIA"; else bash "$REPO/scripts/asterisk.sh" start >/dev/null; fi
  PASSWORD=bench-agent-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
  DB_PASSWORD=$(cat "$RUN/secrets/db-password")
  RIG_APP_ARGS=("$@")
  rig_app_start
}

# rig_app_start: the app ($JAR, $JAVA_OPTS, rig_start's arguments) on the rig's database and Asterisk, until UP.
rig_app_start() {
  CALLCENTER_DB_URL=jdbc:postgresql://127.0.0.1:$DB_PORT/callcenter CALLCENTER_DB_USER=callcenter \
  CALLCENTER_DB_PASSWORD=$DB_PASSWORD CALLCENTER_ARI_PASSWORD=$(cat "$RUN/secrets/ari-password") \
  CALLCENTER_AMI_PASSWORD=$(cat "$RUN/secrets/ami-password") \
  CALLCENTER_HTTP_PORT=$HTTP_PORT SPRING_PROFILES_ACTIVE=dev CALLCENTER_DEMO_AGENT_PASSWORD=$PASSWORD \
  CALLCENTER_DEMO_WRAP_UP=0s CALLCENTER_DEMO_USER_PASSWORD=$PASSWORD \
    "$JAVA_HOME/bin/java" $JAVA_OPTS ${APP_EXTRA_OPTS:-} -jar "$JAR" --callcenter.demo.extra-agents="$AGENTS" "${RIG_APP_ARGS[@]}" >> "$RUN/app.log" 2>&1 &
  APP_PID=$!
  local _
  for _ in $(seq 1 180); do
    rig_app_up && return 0
    kill -0 "$APP_PID" 2>/dev/null || break
    sleep 1
  done
  rig_app_up || { echo "bench: the app did not connect to Asterisk; see $RUN/app.log" >&2; exit 1; }
}

# rig_app_swap <jar>: the same rig, another build of the app (before/after a lever in one run): the running app
# stops, <jar> starts on the same database, Asterisk and agents; every agent reachable again before any load.
rig_app_swap() {
  kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  JAR=$1
  echo "bench: app $(basename "$JAR")" >> "$RUN/app.log"
  rig_app_start
  rig_reachable || { (cd "$SIPP" && rig_register); rig_reachable; } || exit 1
}

rig_app_up() {
  curl -sf "http://127.0.0.1:$HTTP_PORT/actuator/health" 2>/dev/null | grep -q '^{[^}]*"status":"UP"}$'
}

uas_of() { echo "${UAS_ADDRESSES[$(( ($1 - 1) % UAS_COUNT ))]}"; }

# (No wrap-up for load agents: a person would take one after each call, and every later call would meet
# "nobody available" and measure the announcement instead of a connected call.)
# Agents' endpoints use rewrite_contact (NAT), so each agent registers from the very address and port its answering
# SIPp then takes (agent i on UAS (i-1) mod UAS_COUNT); Asterisk's first qualify then goes unanswered and we wait
# for the next one (qualify_frequency 30 s) until every contact is reachable. Each SIPp logs every INVITE with its
# wall-clock time to $SIPP/agents-<k>.log. Runs in $SIPP.
rig_agents() {
  cd "$SIPP"
  rig_register
  local k
  for k in $(seq 1 "$UAS_COUNT"); do
    # RIG_AGENTS_ECHO=1: the phones echo the RTP they receive (the capacity phase's agents talk as much as callers).
    local media=()
    [ -n "${RIG_AGENTS_ECHO:-}" ] && media=(-rtp_echo -mi "$(uas_of "$k")" -mp 6000)
    sipp -sf "$REPO/bench/sipp/agent-uas.xml" -i "$(uas_of "$k")" -p 5070 -aa -nostdin -timeout 1800s "${media[@]}" \
      -trace_logs -log_file "$SIPP/agents-$k.log" > "uas-$k.log" 2>&1 &
    UAS_PIDS+=($!)
  done
  rig_reachable || exit 1
}

# Each agent registers from the address and port its answering SIPp takes (before that SIPp binds it).
rig_register() {
  local registering=() k i
  for k in $(seq 1 "$UAS_COUNT"); do
    (for i in $(seq "$k" "$UAS_COUNT" "$AGENTS"); do
      timeout 10 sipp -sf "$REPO/bench/sipp/register.xml" -au $((2000 + i)) -ap "$PASSWORD" -s $((2000 + i)) \
        -key contact_port 5070 -i "$(uas_of "$i")" -p 5070 -m 1 -nostdin 127.0.0.1:5060 > /dev/null 2>&1 || true
    done) &
    registering+=($!)
  done
  wait "${registering[@]}"   # not a bare wait: the app runs in the background too
}

rig_reachable() {
  local reachable=0 _
  echo "bench: waiting for $AGENTS agents on $UAS_COUNT answering SIPp to be reachable (next qualify, up to 45 s)" >&2
  for _ in $(seq 1 90); do
    reachable=$(bash "$REPO/scripts/asterisk.sh" cli 'pjsip show contacts' | grep -c ' Avail ' || true)
    [ "$reachable" -ge "$AGENTS" ] && return 0
    sleep 0.5
  done
  echo "bench: only $reachable of $AGENTS agents reachable" >&2
  return 1
}

# A second of a 440 Hz tone, mu-law, as SIPp's rtp_stream plays it (in a loop) from each call's own port ($1: the file).
rig_tone_wav() {
python3 - "$1" <<'PY'
import math, struct, sys
def ulaw(sample):
    sign = 0x80 if sample < 0 else 0
    sample = min(abs(sample), 32635) + 132
    exponent = max(0, sample.bit_length() - 8)
    return ~(sign | (exponent << 4) | ((sample >> (exponent + 3)) & 0x0F)) & 0xFF
data = bytes(ulaw(int(8000 * math.sin(2 * math.pi * 440 * n / 8000))) for n in range(8000))
with open(sys.argv[1], "wb") as f:
    f.write(b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 7, 1, 8000, 8000, 1, 8))
    f.write(b"data" + struct.pack("<I", len(data)) + data)
PY
}
# Counters: RTP the carrier sent, RTP that reached the carrier, RTP that reached the agents, RTP the agents echoed.
cap_rules() {
  iptables -N BENCHRTP 2>/dev/null || iptables -F BENCHRTP
  iptables -C INPUT -p udp -j BENCHRTP 2>/dev/null || iptables -I INPUT -p udp -j BENCHRTP
  local carrier=$1 agents
  agents=$(IFS=,; echo "${UAS_ADDRESSES[*]:0:$UAS_COUNT}")
  iptables -A BENCHRTP -s "$carrier" -m length --length 200 -m comment --comment carrier-sent
  iptables -A BENCHRTP -d "$carrier" -m length --length 200 -m comment --comment carrier-received
  iptables -A BENCHRTP -d "$agents" -p udp --dport 6000 -m length --length 200 -m comment --comment agent-received
  iptables -A BENCHRTP -s "$agents" -p udp --sport 6000 -m length --length 200 -m comment --comment agent-echoed
}
cap_counters() {   # "<carrier-sent> <carrier-received> <agent-received> <agent-echoed>"
  # (a list of addresses is one rule per address: summed by the rule's comment)
  iptables -L BENCHRTP -n -v -x | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^(carrier|agent)-/) sum[$i] += $1 }
    END { print sum["carrier-sent"] + 0, sum["carrier-received"] + 0, sum["agent-received"] + 0, sum["agent-echoed"] + 0 }'
}
cpu_ticks() {      # utime+stime of a process and its threads, clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}
postgres_ticks() { # $POSTMASTER_PID, the bench's cluster: its postmaster and every process it started
  local total=0 pid
  for pid in $POSTMASTER_PID $(ps -o pid= --ppid "$POSTMASTER_PID"); do total=$((total + $(cpu_ticks "$pid"))); done
  echo "$total"
}
