#!/usr/bin/env bash
# Queue hold benchmark (`make bench-queue`): N callers waiting at once, held by plain dialplan MusicOnHold(), by
# app_queue's Queue() (both baselines) and by the app's queue (its holding bridge with music, position
# announcements), on one Asterisk in one run; CPU of Asterisk and the app, RTP and music energy at the callers; then
# agents made available one at a time (app_queue: a member unpaused; the app: PUT /api/me/state AVAILABLE) and the
# time to their phone ringing. The measuring is bench/queue_hold.py's; the rig is bench/rig.sh's.
# Needs root and the dev system down; run it in a network namespace of its own (see bench/README.md).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export CALLCENTER_RUN_DIR=$REPO/.run/bench-queue
RUN=$CALLCENTER_RUN_DIR
SIPP=$RUN/sipp
AGENTS=${BENCH_AGENTS:-200}
UAS_COUNT=${BENCH_UAS:-4}
CALLERS=${BENCH_QUEUE_CALLERS:-200}
RATE=${BENCH_QUEUE_RATE:-20}
HOLD=${BENCH_QUEUE_HOLD:-60}
SAMPLES=${BENCH_QUEUE_SAMPLES:-60}
ANNOUNCE=${BENCH_QUEUE_ANNOUNCE:-30}
JAR=${BENCH_JAR:-$REPO/app/target/callcenter-app.jar}
JAVA_OPTS=${BENCH_JAVA_OPTS:-}
HTTP_PORT=8091
DB_PORT=5544
# shellcheck source=bench/rig.sh
. "$REPO/bench/rig.sh"

[ "$SAMPLES" -le "$AGENTS" ] && [ "$SAMPLES" -le "$CALLERS" ] \
  || { echo "bench-queue: BENCH_QUEUE_SAMPLES must not exceed the agents or the callers" >&2; exit 1; }
# The baselines' callers come from the second stand-in carrier (127.0.0.6): MusicOnHold() of the class the app's
# queue plays, or app_queue set up as the app's queue is: the same music, position announcements as often, a ring
# timeout of 15 s, an agent rung only while not in use; callers join and stay whether or not a member is free.
rig_prepare bench-hold
cat > "$RUN/secrets/asterisk/extensions-extra.conf" <<'CONF'
[bench-hold]
exten => moh,1,Answer()
 same => n,MusicOnHold(default)
 same => n,Hangup()
exten => queue,1,Answer()
 same => n,Queue(benchq,,,,3600)
 same => n,Hangup()
CONF
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
rig_start
# Not in modules.conf (the platform does not use it): loaded for the baseline only.
bash "$REPO/scripts/asterisk.sh" cli 'module load app_queue.so' > /dev/null
bash "$REPO/scripts/asterisk.sh" cli 'module show like app_queue.so' | grep -q 'Running' \
  || { echo "bench-queue: app_queue did not load" >&2; exit 1; }

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
rig_agents

ASTERISK_PID=$(cat "$RUN/asterisk/asterisk.pid")
[ "$(cat "/proc/$ASTERISK_PID/comm")" = asterisk ] \
  || { echo "bench-queue: pid $ASTERISK_PID is not Asterisk ($(cat "/proc/$ASTERISK_PID/comm"))" >&2; exit 1; }
echo "bench-queue: $CALLERS callers, held $HOLD s each phase; then $SAMPLES agents made available one at a time" >&2
python3 "$REPO/bench/queue_hold.py" --app "http://127.0.0.1:$HTTP_PORT" --password "$PASSWORD" --agents "$AGENTS" \
  --samples "$SAMPLES" --callers "$CALLERS" --rate "$RATE" --hold "$HOLD" --agent-logs "$SIPP/agents-*.log" \
  --pids "asterisk=$ASTERISK_PID,app=$APP_PID" --psql "$PSQL" --cli "bash $REPO/scripts/asterisk.sh cli" \
  --queue "$QUEUE_ID" --jcmd "$JAVA_HOME/bin/jcmd" --out "$RUN/queue-hold.json"
