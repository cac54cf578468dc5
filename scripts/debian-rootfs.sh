# Sourced by scripts/asterisk.sh, scripts/kamailio.sh and scripts/security-tools.sh: builds a cached Debian sid root
# filesystem with mmdebstrap, atomically (an interrupted build never leaves a half root filesystem under the cache
# name). Needs MIRROR and a die function from the caller.

# debian_rootfs_build <rootfs> <packages, comma-separated> [directories to create inside]
debian_rootfs_build() {
  local rootfs=$1 packages=$2 tmp dir
  shift 2
  mkdir -p "$(dirname "$rootfs")"
  tmp=$(mktemp -d "$rootfs.tmp.XXXXXX")
  # sid's Release file can be past Valid-Until on mirrors; Recommends would pull in hundreds of MB we do not use.
  mmdebstrap --quiet --variant=apt \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    --aptopt='APT::Install-Recommends "false"' \
    --include="$packages" sid "$tmp" "$MIRROR" >&2 \
    || { rm -rf "$tmp"; die "mmdebstrap failed"; }
  # Mount points, created once so that runs need no writes into the shared root filesystem.
  for dir in "$@"; do mkdir -p "$tmp/$dir"; done
  mv -T "$tmp" "$rootfs"
}

# running_pid: the pid in the caller's PID_FILE if that process is alive (the daemons run from such a root filesystem).
running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid=$(cat "$PID_FILE")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}
