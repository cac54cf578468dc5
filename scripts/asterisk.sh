#!/usr/bin/env bash
# Native Asterisk 22 for machines without a Docker engine.
#
# Debian 12 has no asterisk package; Debian sid has Asterisk 22. We build a sid root filesystem once with
# mmdebstrap (cached outside the repository, keyed by the package list that docker/Dockerfile.asterisk uses too)
# and run /usr/sbin/asterisk -f inside it with chroot. All mounts live in a private mount namespace (unshare), so
# they disappear with the Asterisk process and never leak into the cached root filesystem.
#
# Usage: scripts/asterisk.sh build|start|stop|restart|kill|status|cli '<command>'|logs|rootfs|render-site
# Env:   CALLCENTER_RUN_DIR (default <repo>/.run)  run state: logs, spool (recordings), astdb, secrets
#        ASTERISK_ROOTFS    (default /var/cache/callcenter/asterisk-rootfs-<hash of package list>)
#        ARI_PASSWORD       (default: generated once into $CALLCENTER_RUN_DIR/secrets/ari-password)
#        TRUNK_HOST         carrier address (default 127.0.0.2, the development stand-in carrier)
#        TRUNK_IDENTIFY     addresses/CIDRs the carrier calls from (default TRUNK_HOST)
#        TELNYX_SIP_USERNAME / TELNYX_SIP_PASSWORD  credentials: outbound auth and a registration
#        TRUNK_TRANSPORT    udp (default) or tls: SIP to and from the carrier over TLS (Telnyx: port 5061)
#        TRUNK_MEDIA_ENCRYPTION  no (default) or sdes: SRTP with the carrier, keys in the SDP (needs TLS)
#        SIP_TLS_BIND       where the SIP TLS transport listens (default 127.0.0.1:5061)
#        AGENT_NETWORKS     addresses/CIDRs agents' phones (desk phones and browsers) may use, comma-separated;
#                           set, SIP is accepted only from these and TRUNK_IDENTIFY (default: from anywhere)
#        WSS_BIND           where the WebRTC websocket (and ARI) answers over TLS (default 127.0.0.1:8089)
#        TLS_CERTIFICATE / TLS_PRIVATE_KEY  PEM files for WSS and SIP TLS (default: the development CA's, made by
#                           scripts/dev-certs.sh into $CALLCENTER_RUN_DIR/tls)
#        ASTERISK_NODE      1..9: one media node of a cluster behind the SIP edge (scripts/kamailio.sh, issue 17)
#                           instead of the single Asterisk: its own address (NODE_ADDRESS, default 127.0.0.1<N>)
#                           for SIP 5060, ARI 8088 and WSS 8089, its own run state ($CALLCENTER_RUN_DIR/asterisk-node<N>:
#                           logs, astdb, recordings) and site files, its own entity id (the asterisk_id of its ARI
#                           events); it takes SIP from the edge only (EDGE_ADDRESS, 127.0.0.10: a PJSIP ACL), its trunk
#                           is what the edge sends from its port EDGE_PORT (5060; TRUNK_IDENTIFY overrides) and reaches
#                           the carrier through it, and what the edge sends from its agents' port is an agent's
#                           (kamailio-config/README.md, "Agents"). The ARI password and TLS files are shared by all nodes.
#        RECORDINGS_STORE   the directory Asterisk writes recordings and voicemail into (its spool's recording/):
#                           the one store every node shares and the app reads (CALLCENTER_RECORDINGS_DIR). Default
#                           for a node: $CALLCENTER_RUN_DIR/recordings (every node of the run directory alike); for
#                           the single Asterisk: its own spool. In production an NFS mount, the same path on every
#                           node and app machine (README, "Cluster").
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN_DIR=${CALLCENTER_RUN_DIR:-$REPO/.run}
PACKAGES_FILE=$REPO/docker/asterisk-packages.txt
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
PACKAGES_HASH=$(sha256sum "$PACKAGES_FILE" | cut -c1-12)
ROOTFS=${ASTERISK_ROOTFS:-/var/cache/callcenter/asterisk-rootfs-$PACKAGES_HASH}
die() { echo "asterisk.sh: $*" >&2; exit 1; }
NODE=${ASTERISK_NODE:-}
if [ -n "$NODE" ]; then
  [[ $NODE =~ ^[1-9]$ ]] || die "ASTERISK_NODE must be 1..9, not '$NODE'"
  NODE_ADDRESS=${NODE_ADDRESS:-127.0.0.$((10 + NODE))}
  EDGE_ADDRESS=${EDGE_ADDRESS:-127.0.0.10}
  STATE_DIR=$RUN_DIR/asterisk-node$NODE
  SITE_DIR=$RUN_DIR/secrets/asterisk-node$NODE
  # One store for all nodes: a call recorded on any node is found, played and expired where the app looks.
  RECORDINGS_STORE=${RECORDINGS_STORE:-$RUN_DIR/recordings}
else
  NODE_ADDRESS=127.0.0.1
  STATE_DIR=$RUN_DIR/asterisk
  SITE_DIR=$RUN_DIR/secrets/asterisk
  RECORDINGS_STORE=${RECORDINGS_STORE:-$STATE_DIR/spool/recording}
fi
PID_FILE=$STATE_DIR/asterisk.pid
ARI_URL=http://$NODE_ADDRESS:8088/ari
# shellcheck source=scripts/debian-rootfs.sh
. "$REPO/scripts/debian-rootfs.sh"

preflight() {
  [ "$(id -u)" = 0 ] || die "must run as root (chroot and mount namespaces need it); try: sudo $0 $*"
  command -v apt-get >/dev/null || die "needs a Debian-like host (apt-get); elsewhere use docker/compose.yaml"
  for tool in unshare nsenter chroot mount curl sha256sum; do
    command -v "$tool" >/dev/null || die "missing $tool (apt-get install util-linux coreutils curl)"
  done
}

build() {
  [ -x "$ROOTFS/usr/sbin/asterisk" ] && return 0
  if ! command -v mmdebstrap >/dev/null; then
    echo "asterisk.sh: installing mmdebstrap" >&2
    apt-get update -qq && apt-get install -y -qq mmdebstrap >/dev/null
  fi
  local packages
  packages=$(grep -v '^\s*\(#\|$\)' "$PACKAGES_FILE" | paste -sd, -)
  echo "asterisk.sh: building Debian sid root filesystem with $packages (about 30 s, 340 MB)" >&2
  # /etc/asterisk-site: the mount point of the site files.
  debian_rootfs_build "$ROOTFS" "$packages" etc/asterisk-site
}

# A secret from the environment, or generated once into .run/secrets/<name> (never in the repository).
# $1: the environment variable's value, $2: the file's name.
secret() {
  if [ -n "$1" ]; then
    echo "$1"
    return
  fi
  local file=$RUN_DIR/secrets/$2
  if [ ! -s "$file" ]; then
    mkdir -p "$RUN_DIR/secrets" && chmod 700 "$RUN_DIR/secrets"
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$file")
  fi
  cat "$file"
}

ari_password() { secret "${ARI_PASSWORD:-}" ari-password; }

# The manager interface's secret (MixMonitor, call/recording): its own, never the ARI password.
ami_password() { secret "${AMI_PASSWORD:-}" ami-password; }

render_site_config() {
  mkdir -p "$SITE_DIR"
  chmod 700 "$RUN_DIR/secrets" "$SITE_DIR"
  local password trunk_host identify
  password=$(ari_password)
  trunk_host=${TRUNK_HOST:-127.0.0.2}
  # A node behind the edge trusts only the edge: the carrier's address is checked there (kamailio-config).
  identify=${TRUNK_IDENTIFY:-${NODE:+$EDGE_ADDRESS}}
  identify=${identify:-$trunk_host}
  local match=$identify entry
  if [ -n "$NODE" ]; then
    # The edge sends the carrier's requests from its SIP port and agents' calls from its agents' port
    # (EDGE_AGENT_PORT, kamailio-config): only the first are the trunk's; the others are identified by their From
    # user as the agent the edge authenticated. So every edge address is matched with that port (addr:port/mask).
    match=
    for entry in ${identify//,/ }; do
      [[ $entry =~ ^([0-9.]+)(/[0-9]+)?$ ]] || die "behind the edge TRUNK_IDENTIFY takes IPv4 addresses or CIDRs, not '$entry'"
      match+=${match:+,}${BASH_REMATCH[1]}:${EDGE_PORT:-5060}${BASH_REMATCH[2]}
    done
  fi
  (umask 077
  printf '[callcenter]\ntype = user\nread_only = no\npassword = %s\n' "$password" > "$SITE_DIR/ari-user.conf"
  # The app's AMI user: MixMonitor and its mute and stop need the write class "system" (app_mixmonitor registers
  # MixMonitor with EVENT_FLAG_SYSTEM alone); it reads no event class. Only from loopback (AMI_PERMIT otherwise).
  printf '[callcenter]\nsecret = %s\ndeny = 0.0.0.0/0.0.0.0\npermit = %s\nread =\nwrite = system\n' \
    "$(ami_password)" "${AMI_PERMIT:-127.0.0.0/255.0.0.0}" > "$SITE_DIR/manager-user.conf"
  render_tls
  render_sip_acl "$identify"
  render_node
  local transport=${TRUNK_TRANSPORT:-udp} media=${TRUNK_MEDIA_ENCRYPTION:-no} contact
  case "$transport" in
    udp) contact="sip:$trunk_host:5060" ;;
    tls) contact="sip:$trunk_host:5061;transport=tls" ;;
    *) die "TRUNK_TRANSPORT must be udp or tls, not '$transport'" ;;
  esac
  case "$media" in
    no) ;;
    sdes) [ "$transport" = tls ] || die "TRUNK_MEDIA_ENCRYPTION=sdes sends the SRTP keys in the SDP: it needs TRUNK_TRANSPORT=tls" ;;
    *) die "TRUNK_MEDIA_ENCRYPTION must be no or sdes, not '$media'" ;;
  esac
  {
    echo "; Generated by scripts/asterisk.sh from the environment; do not edit."
    if [ "$transport" = tls ]; then
      # The carrier's certificate is checked against the system's authorities (Telnyx's is a public one).
      printf '[transport-tls]\ntype = transport\nprotocol = tls\nbind = %s\n' "${SIP_TLS_BIND:-127.0.0.1:5061}"
      printf 'cert_file = /etc/asterisk-site/tls-cert.pem\npriv_key_file = /etc/asterisk-site/tls-key.pem\n'
      printf 'method = tlsv1_2\nverify_server = yes\nca_list_file = /etc/ssl/certs/ca-certificates.crt\n\n'
    fi
    printf '[telnyx]\ntype = aor\ncontact = %s\nqualify_frequency = 0\n\n' "$contact"
    printf '[telnyx-identify]\ntype = identify\nendpoint = telnyx\nmatch = %s\n\n' "$match"
    printf '[telnyx](telnyx-trunk)\n'
    [ "$transport" = tls ] && printf 'transport = transport-tls\n'
    # Behind the edge the carrier is reached through it, so the carrier sees one address whichever node calls.
    [ -n "$NODE" ] && printf 'outbound_proxy = sip:%s:5060\\;lr\n' "$EDGE_ADDRESS"
    [ "$media" = sdes ] && printf 'media_encryption = sdes\nmedia_encryption_optimistic = no\n'
    if [ -n "${TELNYX_SIP_USERNAME:-}" ]; then
      printf 'outbound_auth = telnyx-auth\n'
      printf '\n[telnyx-auth]\ntype = auth\nauth_type = userpass\nusername = %s\npassword = %s\n' \
        "$TELNYX_SIP_USERNAME" "${TELNYX_SIP_PASSWORD:?TELNYX_SIP_PASSWORD is required with TELNYX_SIP_USERNAME}"
      printf '\n[telnyx-registration]\ntype = registration\ntransport = transport-%s\noutbound_auth = telnyx-auth\n' "$transport"
      printf 'server_uri = %s\nclient_uri = sip:%s@%s\nretry_interval = 60\n' "$contact" "$TELNYX_SIP_USERNAME" "$trunk_host"
    fi
  } > "$SITE_DIR/pjsip-trunk.conf")
}

# With AGENT_NETWORKS, a PJSIP ACL for every SIP request (pjsip.conf includes pjsip-acl.conf): agents' networks and
# the carrier's addresses only. Anyone else gets 403 whatever they ask for (res_pjsip_acl logs it to messages.log,
# not as a security event: those sources are refused anyway, fail2ban need not count them).
render_sip_acl() { # render_sip_acl <carrier addresses>
  local file=$SITE_DIR/pjsip-acl.conf entry
  if [ -n "$NODE" ]; then
    # A node behind the edge takes SIP from the edge only: agents' phones register and call there, and the node
    # trusts the agent the edge names (their endpoints have no challenge of their own), so nobody else may reach it.
    printf '; Generated by scripts/asterisk.sh for node %s: SIP from the edge only; do not edit.\n' "$NODE" > "$file"
    printf '[sip-networks]\ntype = acl\ndeny = 0.0.0.0/0\ndeny = ::/0\npermit = %s\n' "$EDGE_ADDRESS" >> "$file"
    return
  fi
  if [ -z "${AGENT_NETWORKS:-}" ]; then
    rm -f "$file"
    return
  fi
  for entry in ${1//,/ }; do
    [[ $entry =~ ^[0-9a-fA-F.:]+(/[0-9]+)?$ ]] \
      || die "AGENT_NETWORKS needs TRUNK_IDENTIFY as addresses or CIDRs (an ACL takes no host names): '$entry'"
  done
  {
    printf '; Generated by scripts/asterisk.sh from AGENT_NETWORKS and TRUNK_IDENTIFY; do not edit.\n'
    printf '[sip-networks]\ntype = acl\ndeny = 0.0.0.0/0\ndeny = ::/0\n'
    printf 'permit = %s\n' ${AGENT_NETWORKS//,/ } ${1//,/ }
  } > "$file"
}

# A cluster node's own address and identity (asterisk.conf, http.conf and pjsip.conf include these files last, so
# their values replace the single Asterisk's 127.0.0.1); without ASTERISK_NODE the files are removed.
render_node() {
  if [ -z "$NODE" ]; then
    rm -f "$SITE_DIR/asterisk-node.conf" "$SITE_DIR/http-node.conf" "$SITE_DIR/pjsip-node.conf" \
      "$SITE_DIR/rtp-node.conf" "$SITE_DIR/manager-node.conf"
    return
  fi
  # entityid is the asterisk_id of every ARI event: the app tells the nodes apart by it (on a host without network
  # cards every Asterisk would derive the same one). systemname prefixes the channel ids Asterisk makes, so two
  # nodes never name two channels alike.
  printf '; Generated by scripts/asterisk.sh for node %s; do not edit.\nentityid = 02:00:00:00:00:%02x\nsystemname = callcenter-n%s\n' \
    "$NODE" "$NODE" "$NODE" > "$SITE_DIR/asterisk-node.conf"
  printf '; Generated by scripts/asterisk.sh for node %s; do not edit.\nbindaddr = %s\n' "$NODE" "$NODE_ADDRESS" \
    > "$SITE_DIR/http-node.conf"
  printf '; Generated by scripts/asterisk.sh for node %s; do not edit.\nbindaddr = %s\n' "$NODE" "$NODE_ADDRESS" \
    > "$SITE_DIR/manager-node.conf"
  printf '; Generated by scripts/asterisk.sh for node %s; do not edit.\n[transport-udp](+)\nbind = %s:5060\n' \
    "$NODE" "$NODE_ADDRESS" > "$SITE_DIR/pjsip-node.conf"
  # Nodes on one machine (tests, CALLCENTER_NODES=2 make up) bind RTP to every address: 2,000 ports of their own
  # each (from 20000 up), clear of the single Asterisk's 10000-20000. On machines of their own, rtp.conf's range.
  printf '; Generated by scripts/asterisk.sh for node %s; do not edit.\nrtpstart = %s\nrtpend = %s\n' \
    "$NODE" $((18000 + 2000 * NODE)) $((19999 + 2000 * NODE)) > "$SITE_DIR/rtp-node.conf"
}

# Certificate and key for WSS (http.conf includes http-tls.conf) and SIP over TLS, copied into the site files so
# the container path (which mounts only those) has them too.
render_tls() {
  local cert=${TLS_CERTIFICATE:-} key=${TLS_PRIVATE_KEY:-}
  if [ -z "$cert" ]; then
    bash "$REPO/scripts/dev-certs.sh" "$RUN_DIR/tls"
    cert=$RUN_DIR/tls/server.pem key=$RUN_DIR/tls/server.key
  fi
  [ -r "$cert" ] && [ -r "${key:?TLS_PRIVATE_KEY is required with TLS_CERTIFICATE}" ] \
    || die "cannot read TLS_CERTIFICATE $cert or TLS_PRIVATE_KEY $key"
  (umask 077; cp "$cert" "$SITE_DIR/tls-cert.pem"; cp "$key" "$SITE_DIR/tls-key.pem")
  printf 'tlsenable = yes\ntlsbindaddr = %s\ntlscertfile = /etc/asterisk-site/tls-cert.pem\ntlsprivatekey = /etc/asterisk-site/tls-key.pem\n' \
    "${WSS_BIND:-$NODE_ADDRESS:8089}" > "$SITE_DIR/http-tls.conf"
}

start() {
  if running_pid >/dev/null; then
    status >/dev/null && { echo "asterisk.sh: already running"; return 0; }
  fi
  build
  mkdir -p "$STATE_DIR/log" "$STATE_DIR/spool/astdb" "$STATE_DIR/spool/recording" "$STATE_DIR/control" \
    "$RECORDINGS_STORE"
  render_site_config
  rm -f "$STATE_DIR/control/asterisk.ctl" "$STATE_DIR/control/asterisk.pid"
  mkdir -p "$ROOTFS/run/asterisk"
  # setsid: its own process group, so stop can end everything it started; unshare: private mounts.
  setsid unshare --mount --propagation private /bin/bash -euc '
    rootfs=$1 repo=$2 state=$3 site=$4 store=$5
    mount -t proc proc "$rootfs/proc"
    mount --rbind /dev "$rootfs/dev"
    mount --bind "$repo/asterisk-config" "$rootfs/etc/asterisk"
    mount -o remount,bind,ro "$rootfs/etc/asterisk"
    mount --bind "$site" "$rootfs/etc/asterisk-site"
    mount --bind "$state/log" "$rootfs/var/log/asterisk"
    mount --bind "$state/spool" "$rootfs/var/spool/asterisk"
    # Recordings and voicemail go straight into the store (a no-op for the single Asterisk: its own spool).
    mount --bind "$store" "$rootfs/var/spool/asterisk/recording"
    # The control socket per run directory: two Asterisks from the one cached root filesystem (each in its own
    # network namespace, e.g. two checkouts testing at once) must never answer each other'"'"'s "core stop".
    mount --bind "$state/control" "$rootfs/run/asterisk"
    exec chroot "$rootfs" /usr/sbin/asterisk -f
  ' _ "$ROOTFS" "$REPO" "$STATE_DIR" "$SITE_DIR" "$(cd "$RECORDINGS_STORE" && pwd)" > "$STATE_DIR/log/console.log" 2>&1 < /dev/null &
  echo $! > "$PID_FILE"
  local password
  password=$(ari_password)
  for _ in $(seq 1 120); do
    if curl -sf -u "callcenter:$password" "$ARI_URL/asterisk/info" >/dev/null 2>&1; then
      echo "asterisk.sh: Asterisk${NODE:+ node $NODE} is up (ARI on $ARI_URL, SIP on $NODE_ADDRESS:5060)"
      return 0
    fi
    running_pid >/dev/null || break
    sleep 0.5
  done
  echo "asterisk.sh: Asterisk did not come up; last log lines:" >&2
  tail -n 40 "$STATE_DIR/log/messages.log" "$STATE_DIR/log/console.log" >&2 2>/dev/null || true
  stop >/dev/null 2>&1 || true
  exit 1
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$PID_FILE"
    echo "asterisk.sh: not running"
    return 0
  fi
  in_asterisk_mounts "$pid" /usr/sbin/asterisk -rx 'core stop now' >/dev/null 2>&1 || true
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  echo "asterisk.sh: stopped"
}

# Simulates a crash (tests): no hangups are signalled, the app must find out on reconnect.
crash() {
  local pid
  pid=$(running_pid) || { echo "asterisk.sh: not running"; return 0; }
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  rm -f "$PID_FILE"
  echo "asterisk.sh: killed"
}

status() {
  local pid
  pid=$(running_pid) || { echo "asterisk.sh: not running"; return 1; }
  if curl -sf -u "callcenter:$(ari_password)" "$ARI_URL/asterisk/info" >/dev/null 2>&1; then
    echo "asterisk.sh: running (pid $pid), ARI answers"
  else
    echo "asterisk.sh: process $pid alive but ARI does not answer"
    return 1
  fi
}

cli() {
  local pid
  pid=$(running_pid) || die "not running"
  in_asterisk_mounts "$pid" /usr/sbin/asterisk -rx "$*"
}

# Runs a command in the running Asterisk's root filesystem as Asterisk sees it (its control socket is mounted there).
in_asterisk_mounts() { # in_asterisk_mounts <pid> <command...>
  local pid=$1
  shift
  nsenter --target "$pid" --mount chroot "$ROOTFS" "$@"
}

cmd=${1:-}
shift || true
case "$cmd" in
  build) preflight; build; echo "asterisk.sh: root filesystem ready at $ROOTFS" ;;
  start) preflight; start ;;
  stop) preflight; stop ;;
  restart) preflight; stop; start ;;
  kill) preflight; crash ;;
  status) status ;;
  cli) cli "$@" ;;
  logs) tail -n "${LINES:-100}" -f "$STATE_DIR/log/messages.log" ;;
  rootfs) echo "$ROOTFS" ;;
  render-site) render_site_config; echo "asterisk.sh: site files in $SITE_DIR" ;;
  *) echo "usage: $0 build|start|stop|restart|kill|status|cli '<command>'|logs|rootfs|render-site" >&2; exit 2 ;;
esac
