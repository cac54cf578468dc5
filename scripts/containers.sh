#!/usr/bin/env bash
# The container path: the images in docker/ and docker/compose.yaml, with Docker where an engine exists and with
# podman (Debian's package) elsewhere. The same Dockerfiles and compose file serve both; only the base images
# differ when no image registry is reachable: then they are built here from Debian root filesystems (mmdebstrap)
# and passed to the Dockerfiles as build arguments.
#
# Usage: scripts/containers.sh install|bases|build|up|down|sizes|check|testcontainers
#   install  podman, runc, docker-compose and mmdebstrap, and podman's settings for these machines (idempotent)
#   bases    the local base images (callcenter-debian trixie and sid, callcenter-maven, callcenter-temurin), once
#   build    the project's images: callcenter-postgres, callcenter-asterisk, callcenter-app
#   up/down  the compose stack (down also removes its volumes only with WIPE=1)
#   check    install, bases, build, up, `make first-call` against the stack, image sizes, down with volumes:
#            nothing is left running (`make container-check`)
#   backup <dir>, restore <dir>  the database and the recordings of the stack (README, "Backup and restore")
#   testcontainers [ITs]  integration tests (default PermissionsIT) with Testcontainers' PostgreSQL from the
#            project's image through podman's Docker-compatible API (`make test-containers`)
# Env:   CALLCENTER_RUN_DIR   (default <repo>/.run-compose) secrets of the stack: database, ARI, demo passwords,
#                             token key, and the Asterisk site files; never inside an image
#        CONTAINER_ENGINE     docker or podman (default: docker when `docker info` answers, else podman)
#        BASE_REGISTRY=1      use the public base images (debian, maven, eclipse-temurin) instead of local ones
#        DEMO=1               up with the demo data (profile dev); otherwise production (profile prod), which needs
#                             CALLCENTER_RECORDING_RETENTION and takes README's "Production" variables
#        TLS_CERTIFICATE / TLS_PRIVATE_KEY  the app's and Asterisk's certificate (default: a development CA's,
#                             scripts/dev-certs.sh, in $CALLCENTER_RUN_DIR/tls)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CALLCENTER_RUN_DIR=${CALLCENTER_RUN_DIR:-$REPO/.run-compose}
RUN_DIR=$CALLCENTER_RUN_DIR
JAVA_HOME_25=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
PROJECT=callcenter
COMPOSE_FILE=$REPO/docker/compose.yaml

die() { echo "containers.sh: $*" >&2; exit 1; }
say() { echo "containers.sh: $*" >&2; }

engine() {
  if [ -n "${CONTAINER_ENGINE:-}" ]; then echo "$CONTAINER_ENGINE"
  elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then echo docker
  else echo podman; fi
}
ENGINE=$(engine)

# podman serves Docker's API; Debian's docker-compose (1.29) drives it. (podman-compose 1.0 adds a network of
# its own to services on the host network, which podman then uses instead.) The API service runs for the length
# of one command, on a private socket: other users of this machine's podman keep theirs, and the containers it
# starts live on without it.
API_SOCK=
api_start() {
  [ "$ENGINE" = podman ] || return 0
  [ -n "$API_SOCK" ] && return 0
  API_SOCK=$(mktemp -u /tmp/callcenter-podman-XXXXXX.sock)
  mkdir -p "$RUN_DIR"
  # Its log holds podman's complaint, on machines without systemd, that it cannot schedule health checks.
  podman system service --time=0 "unix://$API_SOCK" 2>>"$RUN_DIR/podman-api.log" &
  API_PID=$!
  for _ in $(seq 1 50); do [ -S "$API_SOCK" ] && return 0; sleep 0.2; done
  die "podman's API socket $API_SOCK did not appear"
}
api_stop() {
  [ -n "$API_SOCK" ] || return 0
  kill "$API_PID" 2>/dev/null || true
  wait "$API_PID" 2>/dev/null || true
  rm -f "$API_SOCK"
  API_SOCK=
}
trap api_stop EXIT

compose() {
  if [ "$ENGINE" = docker ]; then docker compose -p "$PROJECT" -f "$COMPOSE_FILE" "$@"
  else api_start; DOCKER_HOST=unix://$API_SOCK docker-compose --ansi never -p "$PROJECT" -f "$COMPOSE_FILE" "$@"; fi
}

install() {
  [ "$ENGINE" = docker ] && return 0
  [ "$(id -u)" = 0 ] || die "run as root (apt-get; podman runs rootful here)"
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || missing+=(runc)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # crun (podman's default runtime) cannot set the default rlimits nor handle the hybrid cgroups of these
  # machines; runc with cgroupfs can. No systemd here, so events go to a file, not the journal.
  local conf=/etc/containers/containers.conf.d/callcenter.conf
  if [ ! -f "$conf" ]; then
    mkdir -p "$(dirname "$conf")"
    printf '%s\n' '# Written by the call center'"'"'s scripts/containers.sh.' '[containers]' 'default_ulimits = []' \
      '[engine]' 'runtime = "runc"' 'cgroup_manager = "cgroupfs"' 'events_logger = "file"' > "$conf"
    say "wrote $conf (runc, cgroupfs, no default ulimits)"
  fi
}

have_image() { "$ENGINE" image exists "$1" 2>/dev/null || "$ENGINE" image inspect "$1" >/dev/null 2>&1; }

# A Debian root filesystem as an image; extra mmdebstrap arguments add packages and hooks.
import_rootfs() { # import_rootfs <image> <suite> [mmdebstrap args...] -- [import --change args...]
  local image=$1 suite=$2 mm=() changes=()
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do mm+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  changes=("$@")
  have_image "$image" && return 0
  say "building base image $image from Debian $suite (mmdebstrap)"
  local started=$SECONDS
  # sid's Release file can be past Valid-Until; Recommends would pull in hundreds of MB nobody uses.
  local tar
  tar=$(mktemp /var/tmp/callcenter-rootfs-XXXXXX.tar)
  # Through a file, not a pipe: a failed mmdebstrap must not leave an empty image under the name.
  # As Debian's own -slim images: no manuals, docs or translations, and apt keeps no downloaded packages (without
  # that, every apt-get install in a Dockerfile leaves its .deb files in the layer). man1 stays as a directory:
  # Java's postinst links its manual pages there through update-alternatives.
  mmdebstrap --quiet --variant=apt --format=tar \
    --aptopt='Acquire::Check-Valid-Until "false"' --aptopt='APT::Install-Recommends "false"' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/cache/apt/archives/*.deb' \
    --customize-hook='printf "%s\n" "APT::Keep-Downloaded-Packages \"false\";" \
      "DPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true\"; };" \
      > "$1/etc/apt/apt.conf.d/docker-clean"' \
    "${mm[@]}" "$suite" "$tar" "$MIRROR" || { rm -f "$tar"; die "mmdebstrap failed for $image"; }
  podman import "${changes[@]/#/--change=}" "$tar" "$image" >/dev/null || { rm -f "$tar"; die "podman import failed"; }
  rm -f "$tar"
  say "$image ready in $((SECONDS - started)) s"
}

# Stand-ins for the public images the Dockerfiles name, for machines that reach no image registry. Java 25 is
# not a Debian package: the build image gets this machine's Temurin 25 JDK, the runtime image a jlink'ed runtime
# of it (the modules of a JRE, no debug symbols), both at /opt/java/openjdk as in the eclipse-temurin images.
bases() {
  [ -n "${BASE_REGISTRY:-}" ] && return 0
  [ "$ENGINE" = podman ] || die "local base images are built with podman; with Docker set BASE_REGISTRY=1"
  [ -x "$JAVA_HOME_25/bin/jlink" ] || die "needs the Temurin 25 JDK at $JAVA_HOME_25"
  local java_env=('ENV JAVA_HOME=/opt/java/openjdk' 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
  import_rootfs localhost/callcenter-debian:trixie-slim trixie -- 'CMD ["bash"]'
  import_rootfs localhost/callcenter-debian:sid-slim sid -- 'CMD ["bash"]'
  import_rootfs localhost/callcenter-maven:3-temurin-25 bookworm --include=maven,ca-certificates \
    --customize-hook="mkdir -p \"\$1/opt/java\" && cp -a $JAVA_HOME_25 \"\$1/opt/java/openjdk\"" \
    -- "${java_env[@]}" 'CMD ["mvn"]'
  import_rootfs localhost/callcenter-temurin:25-jre bookworm --include=ca-certificates \
    --customize-hook="mkdir -p \"\$1/opt/java\" && $JAVA_HOME_25/bin/jlink --add-modules $(jre_modules) \
      --strip-debug --no-man-pages --no-header-files --output \"\$1/opt/java/openjdk\"" \
    -- "${java_env[@]}" 'CMD ["java", "-version"]'
}

# The JDK's modules without its development tools (compiler, jshell, jlink, packager): roughly a JRE.
jre_modules() {
  "$JAVA_HOME_25/bin/java" --list-modules | sed 's/@.*//' \
    | grep -v -x -e jdk.compiler -e jdk.jshell -e jdk.jlink -e jdk.jpackage -e jdk.javadoc -e jdk.jdeps \
      -e jdk.jartool -e jdk.editpad -e jdk.internal.ed -e jdk.internal.le -e jdk.internal.opt -e jdk.hotspot.agent \
    | paste -sd, -
}

build_args() {
  # A TLS-intercepting proxy (its certificate added to this host's store): the build's Maven and npm trust what
  # the host trusts. Build secrets, so the certificates never become part of an image.
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null && [ -s /etc/ssl/certs/java/cacerts ]; then
    printf '%s\n' --secret=id=build_truststore,src=/etc/ssl/certs/java/cacerts \
      --secret=id=build_ca_bundle,src=/etc/ssl/certs/ca-certificates.crt
  fi
  [ -n "${BASE_REGISTRY:-}" ] && return 0
  printf '%s\n' --build-arg=DEBIAN_IMAGE=localhost/callcenter-debian:trixie-slim \
    --build-arg=DEBIAN_SID_IMAGE=localhost/callcenter-debian:sid-slim \
    --build-arg=BUILD_IMAGE=localhost/callcenter-maven:3-temurin-25 \
    --build-arg=RUNTIME_IMAGE=localhost/callcenter-temurin:25-jre
}

build() {
  local args started=$SECONDS name
  mapfile -t args < <(build_args)
  # The build steps fetch Debian packages, Maven Central and the npm registry: host network, as the native build.
  # Docker format: OCI images drop HEALTHCHECK.
  local engine_args=(--network=host)
  [ "$ENGINE" = podman ] && engine_args+=(--format=docker)
  for name in postgres asterisk app; do
    say "building localhost/callcenter-$name"
    "$ENGINE" build -q "${engine_args[@]}" "${args[@]}" -f "$REPO/docker/Dockerfile.$name" \
      -t "localhost/callcenter-$name:latest" "$REPO" >/dev/null
  done
  say "images built in $((SECONDS - started)) s"
}

sizes() {
  "$ENGINE" images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '/callcenter-' | sort
}

# Secrets of the stack, generated once into the run directory (never into an image), as scripts/dev.sh does.
secret() {
  local file=$RUN_DIR/secrets/$1
  mkdir -p "$RUN_DIR/secrets" && chmod 700 "$RUN_DIR/secrets"
  [ -s "$file" ] || (umask 077; head -c 48 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' | cut -c1-24 > "$file")
  tr -d '\n' < "$file"
}

stack_env() {
  export DB_PASSWORD ARI_PASSWORD DEMO_AGENT_PASSWORD DEMO_USER_PASSWORD JWT_SECRET
  DB_PASSWORD=$(secret db-password)
  ARI_PASSWORD=$(secret ari-password)
  DEMO_AGENT_PASSWORD=$(secret demo-agent-password)
  DEMO_USER_PASSWORD=$(secret demo-user-password)
  [ -s "$RUN_DIR/secrets/jwt-secret" ] || (umask 077; head -c 32 /dev/urandom | base64 -w0 > "$RUN_DIR/secrets/jwt-secret")
  JWT_SECRET=$(cat "$RUN_DIR/secrets/jwt-secret")
  export ASTERISK_SITE_DIR=$RUN_DIR/secrets/asterisk
  # The ARI user, the trunk and the TLS certificate, exactly as the native path writes them.
  bash "$REPO/scripts/asterisk.sh" render-site >/dev/null
  # The app's copy of the certificate and key, owned by the app's uid (10001 in Dockerfile.app).
  export APP_TLS_DIR=$RUN_DIR/secrets/app-tls
  # `command`: this script has a function named install (podman and its tools), which would shadow the program.
  command install -d -m 700 -o 10001 "$APP_TLS_DIR"
  command install -m 600 -o 10001 "$ASTERISK_SITE_DIR/tls-cert.pem" "$APP_TLS_DIR/server.pem"
  command install -m 600 -o 10001 "$ASTERISK_SITE_DIR/tls-key.pem" "$APP_TLS_DIR/server.key"
  if [ -n "${DEMO:-}" ]; then
    export SPRING_PROFILES_ACTIVE=dev
  else
    export SPRING_PROFILES_ACTIVE=${SPRING_PROFILES_ACTIVE:-prod}
  fi
}

# The CA that signed the certificate: the development one unless the operator brought their own (then the system's).
app_healthy() {
  local ca=()
  [ -z "${TLS_CERTIFICATE:-}" ] && ca=(--cacert "$RUN_DIR/tls/ca.pem")
  curl -sf --max-time 2 "${ca[@]}" https://127.0.0.1:8080/actuator/health/readiness 2>/dev/null | grep -q '"status":"UP"'
}

up() {
  stack_env
  if [ "$SPRING_PROFILES_ACTIVE" = prod ] && [ -z "${CALLCENTER_RECORDING_RETENTION:-}" ]; then
    die "production profile: set CALLCENTER_RECORDING_RETENTION (e.g. 90d; 0 keeps recordings for ever) and README's" \
      "\"Production\" variables, or DEMO=1 for the demo data"
  fi
  compose up -d --no-build
  local deadline=$((SECONDS + ${HEALTH_TIMEOUT:-180}))
  until app_healthy; do
    if [ $SECONDS -ge $deadline ]; then
      compose ps >&2 || true
      "$ENGINE" logs --tail 40 "${PROJECT}_app_1" >&2 2>&1 || true
      die "the app is not healthy after ${HEALTH_TIMEOUT:-180} s"
    fi
    sleep 2
  done
  say "the stack is up ($SPRING_PROFILES_ACTIVE): app https://127.0.0.1:8080, Asterisk SIP 127.0.0.1:5060 and WSS 8089," \
    "PostgreSQL 127.0.0.1:5433"
}

down() {
  stack_env
  if [ -n "${WIPE:-}" ]; then compose down -v; else compose down; fi
}

check() {
  local started=$SECONDS rc=0
  install
  bases
  build
  local built=$SECONDS
  # PRIVATE_NETNS=1: the stack gets a network namespace of its own (loopback only, no network), so its Asterisk
  # and app may bind 5060/8080/8088 while another checkout's tests hold them. podman runs containers in the
  # namespace of its caller; a Docker daemon would not, so this is podman's only.
  if [ -n "${PRIVATE_NETNS:-}" ] && [ "$ENGINE" = podman ]; then
    # `make first-call` then runs Maven offline: compile its test phone (and the softphone bundle, from npm) and
    # resolve the exec plugin now, while there is a network. A fresh clone needs this once.
    (cd "$REPO" && JAVA_HOME=$JAVA_HOME_25 mvn -B -q -pl app -am test-compile >/dev/null \
      && JAVA_HOME=$JAVA_HOME_25 mvn -B -q -N exec:help >/dev/null) || die "the build for first-call failed"
    unshare -n bash -c 'ip link set lo up && exec bash "$0" stack-check' "$REPO/scripts/containers.sh" || rc=$?
  else
    stack_check || rc=$?
  fi
  say "check done in $((SECONDS - started)) s (images $((built - started)) s, stack and first call $((SECONDS - built)) s)"
  return $rc
}

# Up, a first call from the stand-in carrier to an agent through the stack, image sizes, down with the volumes.
stack_check() {
  local started=$SECONDS rc=0
  # Whatever happens from here on, the stack goes away with its volumes: a check leaves nothing behind.
  trap 'WIPE=1 down >/dev/null 2>&1 || true; api_stop' EXIT
  # The first call needs the demo users, teams and DIDs: the demo data on request.
  DEMO=1 up
  say "make first-call against the compose stack ($((SECONDS - started)) s to healthy)"
  # Offline: everything first-call needs was fetched by the build, and the stack may have no network at all.
  make -C "$REPO" --no-print-directory first-call CALLCENTER_RUN_DIR="$RUN_DIR" \
    MVN="JAVA_HOME=$JAVA_HOME_25 mvn -B -q -o" || rc=$?
  echo "--- images"
  sizes
  WIPE=1 down >/dev/null 2>&1 || true
  api_stop
  trap api_stop EXIT
  local left
  left=$("$ENGINE" ps -a --format '{{.Names}}' | grep "^${PROJECT}_" || true)
  [ -z "$left" ] || { say "containers left behind: $left"; rc=1; }
  return $rc
}

# Backup: the database (pg_dump, custom format) and the recordings (tar), both read from the running stack; the
# app may keep running (pg_dump reads one consistent snapshot; a recording still being written is copied as far
# as it is, and the next backup has it whole).
backup() { # backup <dir>
  local dir=${1:?usage: backup <dir>}
  stack_env
  mkdir -p "$dir"
  compose exec -T postgres pg_dump -Fc -U callcenter -d callcenter > "$dir/callcenter.dump"
  compose exec -T asterisk tar -C /var/spool/asterisk/recording -cf - . > "$dir/recordings.tar"
  say "backup in $dir: $(du -h "$dir/callcenter.dump" | cut -f1) database, $(tar -tf "$dir/recordings.tar" | grep -c '\.wav$') recordings"
}

# Restore into an empty stack: the database before the app first starts (its migrations would otherwise create
# a fresh schema and demo data there), the recordings into their volume, then the app.
restore() { # restore <dir>
  local dir=${1:?usage: restore <dir>}
  [ -s "$dir/callcenter.dump" ] && [ -f "$dir/recordings.tar" ] || die "no callcenter.dump and recordings.tar in $dir"
  stack_env
  compose up -d --no-build postgres asterisk
  for _ in $(seq 1 60); do compose exec -T postgres pg_isready -q -h /var/run/postgresql && break; sleep 1; done
  compose exec -T postgres pg_restore --no-owner --role=callcenter -U callcenter -d callcenter --exit-on-error \
    < "$dir/callcenter.dump"
  compose exec -T asterisk tar -C /var/spool/asterisk/recording -xf - < "$dir/recordings.tar"
  compose exec -T asterisk chown -R 10001 /var/spool/asterisk/recording
  up
}

# Testcontainers on podman's Docker-compatible API: a private API socket (other users of this machine's podman
# keep theirs), the project's PostgreSQL image, and integration tests that take their database from it.
testcontainers() { # testcontainers [IT classes, default PermissionsIT]
  local started=$SECONDS tests=${1:-PermissionsIT} rc=0
  install
  bases
  mapfile -t args < <(build_args)
  "$ENGINE" build -q --network=host --format=docker "${args[@]}" -f "$REPO/docker/Dockerfile.postgres" \
    -t localhost/callcenter-postgres:latest "$REPO" >/dev/null
  api_start
  say "integration tests $tests with PostgreSQL from Testcontainers (podman API at $API_SOCK)"
  # Ryuk (Testcontainers' reaper) needs an image from a registry; the test JVM stops its container itself.
  (cd "$REPO" && DOCKER_HOST=unix://$API_SOCK TESTCONTAINERS_RYUK_DISABLED=true CALLCENTER_IT_DOCKER=true \
    CALLCENTER_IT_POSTGRES_IMAGE=localhost/callcenter-postgres:latest JAVA_HOME=$JAVA_HOME_25 \
    mvn -o -B -q verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test="$tests") || rc=$?
  api_stop
  say "testcontainers run done in $((SECONDS - started)) s (exit $rc)"
  return $rc
}

cmd=${1:-}
case "$cmd" in
  install) install ;;
  bases) install; bases ;;
  build) install; bases; build ;;
  up) up ;;
  down) down ;;
  sizes) sizes ;;
  check) check ;;
  stack-check) stack_check ;;
  testcontainers) shift; testcontainers "$@" ;;
  backup) backup "${2:-}" ;;
  restore) restore "${2:-}" ;;
  *) echo "usage: $0 install|bases|build|up|down|sizes|check|testcontainers [ITs]|backup <dir>|restore <dir>" >&2; exit 2 ;;
esac
