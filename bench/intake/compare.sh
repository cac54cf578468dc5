#!/usr/bin/env bash
# Before/after of the webhook intake in one sitting (bench/README.md, "make bench-intake-compare"): the same
# IntakeBenchIT and load generator (this checkout's) against the app's code at BEFORE (default: main's 7774d26) and
# against this checkout's (a snapshot of it), each variant a JVM of its own with its own flags, one after the other under one hold of
# the machine's benchmark lock, in one network namespace. Prints each variant's table and the load average around it.
#
#   bench/intake/compare.sh [BEFORE]    variants: INTAKE_VARIANTS="name|before-or-after|jvm flags;..."
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
BEFORE=${1:-7774d26}
JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
RATES=${INTAKE_RATES:-2000}
SECONDS_PER_STEP=${INTAKE_SECONDS:-15}
WARMUP=${INTAKE_WARMUP:-10}
# The production flags (docker/Dockerfile.app) against the JVM's defaults, which is how main's bench ran.
APP_FLAGS=$(sed -n 's/^ENV JDK_JAVA_OPTIONS="\(.*\)"$/\1/p' docker/Dockerfile.app)
VARIANTS=${INTAKE_VARIANTS:-"before (main, JVM defaults)|before|;after (JVM defaults)|after|;after (production flags)|after|$APP_FLAGS"}
OUT=${INTAKE_OUT:-$REPO/.run/bench/intake-compare}
mkdir -p "$OUT"

# The before tree: this checkout (the bench, the IT, the built frontend) with app/src/main as it was at BEFORE.
BEFORE_DIR=/tmp/intake-before-$BEFORE
if [[ ! -d $BEFORE_DIR ]]; then
  mkdir -p "$BEFORE_DIR"
  tar -C "$REPO" --exclude ./.git --exclude ./.run --exclude ./app/target -cf - . | tar -x -C "$BEFORE_DIR"
  rm -rf "$BEFORE_DIR/app/src/main/java" "$BEFORE_DIR/app/src/main/resources"
  git archive "$BEFORE" app/src/main/java app/src/main/resources | tar -x -m -C "$BEFORE_DIR"
fi

# The after tree: a snapshot of this checkout, so that editing it during the run changes nothing measured.
AFTER_DIR=/tmp/intake-after-$(date +%s)
mkdir -p "$AFTER_DIR"
tar -C "$REPO" --exclude ./.git --exclude ./.run --exclude ./app/target -cf - . | tar -x -C "$AFTER_DIR"

run_variant() {  # name tree flags
  local name=$1 tree=$2 flags=$3 log
  log="$OUT/$(echo "$name" | tr -c 'a-zA-Z0-9' '_').log"
  echo "== $name: $(date -u +%H:%M:%S) $(cat /proc/loadavg)"
  (cd "$tree" && JAVA_HOME=$JAVA_HOME mvn -o -B verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
      -Dit.test=IntakeBenchIT -Dcallcenter.bench=intake -Dbench.intake.rates="$RATES" \
      -Dbench.intake.seconds="$SECONDS_PER_STEP" -Dbench.intake.warmup-seconds="$WARMUP" \
      "-DargLine=$flags -Xlog:gc,safepoint:file=$log.gc" > "$log" 2>&1) || echo "   (failed or refused: see $log)"
  grep -h "IntakeBenchIT: |\|IntakeBenchIT: 64\|INVALID RUN" "$log" | sed 's/^IntakeBenchIT: /   /' | cut -c1-400
  # Every stop of the world (any collector's pauses, and the JVM's other safepoints), from reaching it to leaving it.
  grep -h 'Safepoint ".*Total: ' "$log.gc" | sed 's/.*Total: \([0-9]*\) ns.*/\1/' | awk '{v=$1/1e6; n++; s+=v; if (v>m) m=v; if (v>20) b++}
    END {printf "   stops of the world: %d, %.0f ms in all, longest %.1f ms, %d over 20 ms (whole run, start-up included)\n", n, s, m, b}'
}

export -f run_variant
export OUT JAVA_HOME RATES SECONDS_PER_STEP WARMUP
flock /tmp/bench.lock unshare -n bash -c '
  ip link set lo up
  IFS=";" read -ra variants <<< "$0"
  for v in "${variants[@]}"; do
    IFS="|" read -r name which flags <<< "$v"
    [[ $which == before ]] && tree=$1 || tree=$2
    run_variant "$name" "$tree" "$flags"
  done' "$VARIANTS" "$BEFORE_DIR" "$AFTER_DIR"
