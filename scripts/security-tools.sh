#!/usr/bin/env bash
# Debian's fail2ban and sipvicious for the SIP hardening test (SipHardeningIT), without installing either on the
# machine: fail2ban's package would start a daemon with Debian's default jails (sshd) on a CI host. Like the Asterisk
# root filesystem (scripts/asterisk.sh), a Debian root filesystem is built once with mmdebstrap, cached outside the
# repository and keyed by its package list; the tools run in it with chroot, in a private mount namespace that
# holds one directory of the caller's as /work (logs to read, filters to try).
#
# Usage: scripts/security-tools.sh build
#        scripts/security-tools.sh run <dir> <command...>     e.g. run /tmp/x fail2ban-regex /work/a.log /work/f.conf
# Env:   SECURITY_TOOLS_ROOTFS (default /var/cache/callcenter/security-tools-<hash of the package list>)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Debian installs sipvicious's scanners as svmap and svwar (upstream: sipvicious_svmap, sipvicious_svwar).
PACKAGES="fail2ban sipvicious"
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
HASH=$(printf '%s\n' "$PACKAGES" | sha256sum | cut -c1-12)
ROOTFS=${SECURITY_TOOLS_ROOTFS:-/var/cache/callcenter/security-tools-$HASH}

die() { echo "security-tools.sh: $*" >&2; exit 1; }
# shellcheck source=scripts/debian-rootfs.sh
. "$REPO/scripts/debian-rootfs.sh"

build() {
  [ -x "$ROOTFS/usr/bin/fail2ban-regex" ] && [ -x "$ROOTFS/usr/bin/svwar" ] && return 0
  [ "$(id -u)" = 0 ] || die "must run as root (mmdebstrap, chroot)"
  command -v mmdebstrap >/dev/null || die "missing mmdebstrap (scripts/install-deps.sh installs it)"
  echo "security-tools.sh: building a Debian root filesystem with $PACKAGES (once, about 1 min)" >&2
  # Without Recommends: no iptables, nftables, whois or systemd bindings, which fail2ban-regex does not need.
  debian_rootfs_build "$ROOTFS" "${PACKAGES// /,}" work
}

run() { # run <dir> <command...>
  local dir=$1
  shift
  [ -d "$dir" ] || die "no directory $dir"
  build
  unshare --mount --propagation private /bin/bash -euc '
    rootfs=$1 dir=$2
    shift 2
    mount -t proc proc "$rootfs/proc"
    mount --rbind /dev "$rootfs/dev"
    mount --bind "$dir" "$rootfs/work"
    cd / && exec chroot "$rootfs" /usr/bin/env HOME=/work "$@"
  ' _ "$ROOTFS" "$(cd "$dir" && pwd)" "$@"
}

cmd=${1:-}
shift || true
case "$cmd" in
  build) build; echo "security-tools.sh: root filesystem ready at $ROOTFS" ;;
  run) [ $# -ge 2 ] || die "usage: $0 run <dir> <command...>"; run "$@" ;;
  rootfs) echo "$ROOTFS" ;;
  *) echo "usage: $0 build|run <dir> <command...>|rootfs" >&2; exit 2 ;;
esac
