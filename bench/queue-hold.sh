#!/usr/bin/env bash
# Queue hold benchmark (`make bench-queue`): N callers waiting at once, held by plain dialplan MusicOnHold(), by
# app_queue's Queue() (both baselines) and by the app's queue (its holding bridge with music, position
# announcements), on one Asterisk in one run; CPU of Asterisk and the app, RTP and music energy at the callers; then
# agents made available one at a time (app_queue: a member unpaused; the app: PUT /api/me/state AVAILABLE) and the
# time to their phone ringing. The measuring is bench/queue_hold.py's; this sets up the rig the way
# bench/call-setup.sh does (PostgreSQL, Asterisk, the app with load agents 2001.., their answering SIPp).
# Needs root and the dev system down; run it in a network namespace of its own (see bench/README.md).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export CALLCENTER_RUN_DIR=$REPO/.run/bench-queue
RUN=$CALLCENTER_RUN_DIR
AGENTS=${BENCH_AGENTS:-200}
UAS_COUNT=${BENCH_UAS:-4}
UAS_ADDRESSES=(127.0.0.5 127.0.0.7 127.0.0.8 127.0.0.9 127.0.0.10 127.0.0.11 127.0.0.12 127.0.0.13)
CALLERS=${BENCH_QUEUE_CALLERS:-200}
RATE=${BENCH_QUEUE_RATE:-20}
HOLD=${BENCH_QUEUE_HOLD:-60}
SAMPLES=${BENCH_QUEUE_SAMPLES:-60}
ANNOUNCE=${BENCH_QUEUE_ANNOUNCE:-30}
JAR=${BENCH_JAR:-$REPO/app/target/callcenter-app.jar}
JAVA_OPTS=${BENCH_JAVA_OPTS:-}
HTTP_PORT=8091
DB_PORT=5544
SIPP=$RUN/sipp

[ "$SAMPLES" -le "$AGENTS" ] && [ "$SAMPLES" -le "$CALLERS" ] \
  || { echo "bench-queue: BENCH_QUEUE_SAMPLES must not exceed the agents or the callers" >&2; exit 1; }
if (exec 3<>/dev/tcp/127.0.0.1/8088) 2>/dev/null; then
  echo "bench-queue: port 8088 is in use: an Asterisk is running (run 'make down' first)" >&2
  exit 1
fi
bash "$REPO/scripts/install-deps.sh"
[ -f "$JAR" ] || (cd "$REPO" && mvn -B -q -Dmaven.test.skip=true package)

rm -rf "$RUN"
mkdir -p "$RUN/secrets/asterisk" "$SIPP"
chmod 700 "$RUN/secrets"
APP_PID=
UAS_PIDS=()
stop_all() {
  for pid in "${UAS_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  bash "$REPO/scripts/asterisk.sh" stop >/dev/null 2>&1 || true
  CALLCENTER_DB_PORT=$DB_PORT bash "$REPO/scripts/postgres.sh" stop >/dev/null 2>&1 || true
}
trap stop_all EXIT

# The baseline's callers come from a second stand-in carrier (127.0.0.6) whose context holds them with
# MusicOnHold() of the same class the queue plays.
cat > "$RUN/secrets/asterisk/pjsip-extra.conf" <<'CONF'
[bench-carrier]
type = endpoint
transport = transport-udp
context = bench-hold
disallow = all
allow = ulaw
direct_media = no
rtp_symmetric = yes

[bench-carrier-identify]
type = identify
endpoint = bench-carrier
match = 127.0.0.6
CONF
cat > "$RUN/secrets/asterisk/extensions-extra.conf" <<'CONF'
[bench-hold]
exten => moh,1,Answer()
 same => n,MusicOnHold(default)
 same => n,Hangup()
exten => queue,1,Answer()
 same => n,Queue(benchq,,,,3600)
 same => n,Hangup()
CONF
# app_queue as the app's queue is set up: the same music class, position announcements as often, a ring timeout
# of 15 s, an agent rung only while not in use; callers join and stay whether or not a member is free.
cat > "$RUN/secrets/asterisk/queues-extra.conf" <<CONF
[benchq]
musicclass = default
strategy = rrmemory
timeout = 15
retry = 1
ringinuse = no
joinempty = yes
leavewhenempty = no
announce-frequency = $ANNOUNCE
announce-position = yes
announce-holdtime = no
CONF

CALLCENTER_DB_PORT=$DB_PORT bash "$REPO/scripts/postgres.sh" start >/dev/null
bash "$REPO/scripts/asterisk.sh" start >/dev/null
# Not in modules.conf (the platform does not use it): loaded for the baseline only.
bash "$REPO/scripts/asterisk.sh" cli 'module load app_queue.so' > /dev/null
bash "$REPO/scripts/asterisk.sh" cli 'module show like app_queue.so' | grep -q 'Running' \
  || { echo "bench-queue: app_queue did not load" >&2; exit 1; }
PASSWORD=bench-agent-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
DB_PASSWORD=$(cat "$RUN/secrets/db-password")
CALLCENTER_DB_URL=jdbc:postgresql://127.0.0.1:$DB_PORT/callcenter CALLCENTER_DB_USER=callcenter \
CALLCENTER_DB_PASSWORD=$DB_PASSWORD CALLCENTER_ARI_PASSWORD=$(cat "$RUN/secrets/ari-password") \
CALLCENTER_HTTP_PORT=$HTTP_PORT SPRING_PROFILES_ACTIVE=dev CALLCENTER_DEMO_AGENT_PASSWORD=$PASSWORD \
CALLCENTER_DEMO_WRAP_UP=0s CALLCENTER_DEMO_USER_PASSWORD=$PASSWORD \
  "$JAVA_HOME/bin/java" $JAVA_OPTS -jar "$JAR" --callcenter.demo.extra-agents="$AGENTS" > "$RUN/app.log" 2>&1 &
APP_PID=$!
# Health is UP only once the app is connected to Asterisk and has pushed the agents (its details are for
# authorised callers only).
app_up() { curl -sf "http://127.0.0.1:$HTTP_PORT/actuator/health" 2>/dev/null | grep -q '^{[^}]*"status":"UP"}$'; }
for _ in $(seq 1 180); do
  app_up && break
  kill -0 "$APP_PID" 2>/dev/null || break
  sleep 1
done
app_up || { echo "bench-queue: the app did not connect to Asterisk; see $RUN/app.log" >&2; exit 1; }

PSQL="env PGPASSWORD=$DB_PASSWORD psql -h 127.0.0.1 -p $DB_PORT -U callcenter -d callcenter -tA -v ON_ERROR_STOP=1"
# The demo team's queue (its DID has no destination of its own, so its calls join the team's queue) and a login
# for every load agent (the demo gives them none; same password as the demo users), so each can choose its state.
QUEUE_ID=$($PSQL -c "insert into call_queue (id, team_id, name, max_wait_seconds, announce_every_seconds)
  select gen_random_uuid(), id, 'Bench', 3600, $ANNOUNCE from team where name = 'Psychology' returning id" | head -1)
$PSQL -c "insert into app_user (id, username, display_name, password_hash, role, permissions, team_id, agent_id)
  select gen_random_uuid(), 'load' || a.extension, a.display_name, m.password_hash, 'agent', al.permissions,
         a.team_id, a.id
    from agent a, app_user m, app_user al
   where m.username = 'maria' and al.username = 'alice' and a.extension between '2001' and '2999'" >/dev/null
[ -n "$($PSQL -c "select 1 from team_number where destination_kind is not null limit 1" 2>/dev/null || true)" ] \
  && { echo "bench-queue: a DID has a destination of its own; the demo DID must go to its team's queue" >&2; exit 1; }

# Agents register from the address and port their answering SIPp then takes (see bench/call-setup.sh for why).
cd "$SIPP"
uas_of() { echo "${UAS_ADDRESSES[$(( ($1 - 1) % UAS_COUNT ))]}"; }
REGISTERING=()
for k in $(seq 1 "$UAS_COUNT"); do
  (for i in $(seq "$k" "$UAS_COUNT" "$AGENTS"); do
    timeout 10 sipp -sf "$REPO/bench/sipp/register.xml" -au $((2000 + i)) -ap "$PASSWORD" -s $((2000 + i)) \
      -key contact_port 5070 -i "$(uas_of "$i")" -p 5070 -m 1 -nostdin 127.0.0.1:5060 > /dev/null 2>&1 || true
  done) &
  REGISTERING+=($!)
done
wait "${REGISTERING[@]}"
for k in $(seq 1 "$UAS_COUNT"); do
  sipp -sf "$REPO/bench/sipp/agent-uas.xml" -i "$(uas_of "$k")" -p 5070 -aa -nostdin -timeout 1800s \
    -trace_logs -log_file "$SIPP/agents-$k.log" > "uas-$k.log" 2>&1 &
  UAS_PIDS+=($!)
done
echo "bench-queue: waiting for $AGENTS agents to be reachable (next qualify, up to 45 s)" >&2
reachable=0
for _ in $(seq 1 90); do
  reachable=$(bash "$REPO/scripts/asterisk.sh" cli 'pjsip show contacts' | grep -c ' Avail ' || true)
  [ "$reachable" -ge "$AGENTS" ] && break
  sleep 0.5
done
[ "$reachable" -ge "$AGENTS" ] || { echo "bench-queue: only $reachable of $AGENTS agents reachable" >&2; exit 1; }

ASTERISK_PID=$(cat "$RUN/asterisk/asterisk.pid")
[ "$(cat "/proc/$ASTERISK_PID/comm")" = asterisk ] \
  || { echo "bench-queue: pid $ASTERISK_PID is not Asterisk ($(cat "/proc/$ASTERISK_PID/comm"))" >&2; exit 1; }
echo "bench-queue: $CALLERS callers, held $HOLD s each phase; then $SAMPLES agents made available one at a time" >&2
python3 "$REPO/bench/queue_hold.py" --app "http://127.0.0.1:$HTTP_PORT" --password "$PASSWORD" --agents "$AGENTS" \
  --samples "$SAMPLES" --callers "$CALLERS" --rate "$RATE" --hold "$HOLD" --agent-logs "$SIPP/agents-*.log" \
  --pids "asterisk=$ASTERISK_PID,app=$APP_PID" --psql "$PSQL" --cli "bash $REPO/scripts/asterisk.sh cli" \
  --queue "$QUEUE_ID" --jcmd "$JAVA_HOME/bin/jcmd" --out "$RUN/queue-hold.json"
