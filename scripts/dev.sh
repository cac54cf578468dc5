#!/usr/bin/env bash
# The whole development system on this machine: PostgreSQL, Asterisk 22 and the app with demo data.
# Usage: scripts/dev.sh up|down|status|logs
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CALLCENTER_RUN_DIR=${CALLCENTER_RUN_DIR:-$REPO/.run}
RUN_DIR=$CALLCENTER_RUN_DIR
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=$REPO/app/target/callcenter-app.jar
APP_PID=$RUN_DIR/app.pid
APP_LOG=$RUN_DIR/app.log
HEALTH=http://127.0.0.1:8080/actuator/health

secret() {
  local file=$RUN_DIR/secrets/$1
  mkdir -p "$RUN_DIR/secrets" && chmod 700 "$RUN_DIR/secrets"
  [ -s "$file" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$file")
  cat "$file"
}

ari_up() {
  curl -sf "$HEALTH" 2>/dev/null | python3 -c \
    'import json,sys; sys.exit(0 if json.load(sys.stdin)["components"]["ari"]["status"] == "UP" else 1)' 2>/dev/null
}

app_running() {
  [ -f "$APP_PID" ] && kill -0 "$(cat "$APP_PID")" 2>/dev/null
}

up() {
  bash "$REPO/scripts/install-deps.sh"
  if [ ! -f "$JAR" ] || [ -n "$(find "$REPO/app/src/main" "$REPO/migrations" -newer "$JAR" -type f | head -n 1)" ]; then
    echo "dev.sh: building the app"
    (cd "$REPO" && mvn -B -q -Dmaven.test.skip=true package)
  fi
  bash "$REPO/scripts/postgres.sh" start
  bash "$REPO/scripts/asterisk.sh" start
  if app_running; then
    echo "dev.sh: app already running (pid $(cat "$APP_PID"))"
  else
    CALLCENTER_DB_URL=jdbc:postgresql://127.0.0.1:5433/callcenter \
    CALLCENTER_DB_USER=callcenter \
    CALLCENTER_DB_PASSWORD=$(cat "$RUN_DIR/secrets/db-password") \
    CALLCENTER_ARI_PASSWORD=${ARI_PASSWORD:-$(cat "$RUN_DIR/secrets/ari-password")} \
    CALLCENTER_DEMO_AGENT_PASSWORD=$(secret demo-agent-password) \
    SPRING_PROFILES_ACTIVE=${SPRING_PROFILES_ACTIVE:-dev} \
      nohup "$JAVA_HOME/bin/java" -jar "$JAR" > "$APP_LOG" 2>&1 < /dev/null &
    echo $! > "$APP_PID"
  fi
  for _ in $(seq 1 90); do
    if ari_up; then
      break
    fi
    app_running || { echo "dev.sh: the app exited; last log lines:" >&2; tail -n 50 "$APP_LOG" >&2; exit 1; }
    sleep 1
  done
  ari_up || { echo "dev.sh: the app is not healthy after 90 s; see $APP_LOG" >&2; tail -n 50 "$APP_LOG" >&2; exit 1; }
  cat <<MSG

The call center is up.
  App (REST, health):   http://127.0.0.1:8080/api/calls   http://127.0.0.1:8080/actuator/health
  Asterisk:             SIP udp 127.0.0.1:5060, ARI http://127.0.0.1:8088   (scripts/asterisk.sh cli '...')
  PostgreSQL:           127.0.0.1:5433 database callcenter   (scripts/postgres.sh psql)
  Demo:                 team Psychology, DID +15550100; agents 1001 and 1002,
                        SIP password in $RUN_DIR/secrets/demo-agent-password
  Carrier stand-in:     send calls from 127.0.0.2:5060 (the trunk is identified by that address)
  First call:           make first-call
  Logs:                 $APP_LOG, $RUN_DIR/asterisk/log/messages.log
  Stop:                 make down
MSG
}

down() {
  if app_running; then
    kill "$(cat "$APP_PID")" 2>/dev/null || true
    for _ in $(seq 1 30); do app_running || break; sleep 0.5; done
    app_running && kill -9 "$(cat "$APP_PID")" 2>/dev/null || true
  fi
  rm -f "$APP_PID"
  echo "dev.sh: app stopped"
  bash "$REPO/scripts/asterisk.sh" stop || true
  bash "$REPO/scripts/postgres.sh" stop || true
}

status() {
  if app_running; then echo "app: running (pid $(cat "$APP_PID"))"; else echo "app: stopped"; fi
  bash "$REPO/scripts/asterisk.sh" status || true
  bash "$REPO/scripts/postgres.sh" status || true
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  logs) tail -n 100 -f "$APP_LOG" ;;
  *) echo "usage: $0 up|down|status|logs" >&2; exit 2 ;;
esac
