# shellcheck shell=bash
# Sourced by scripts/offline-images.sh and scripts/kind-node-image.sh: one
# place that debootstraps a Debian root filesystem and caches it as a tarball.
#
# Needs from the caller: log, die, need (functions) and CACHE_DIR, WORK_DIR.
# Environment: DEVENV_DEBIAN_MIRROR (default http://deb.debian.org/debian).

readonly DEBIAN_SUITE=bookworm
readonly DEBIAN_MIRROR="${DEVENV_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

# rootfs_tarball NAME [PACKAGES]: prints the path of a cached tarball holding a
# minbase bookworm root filesystem with PACKAGES (comma list) installed. The
# tarball name carries a hash of the package list, so a changed list builds a
# new one instead of reusing a stale tree.
rootfs_tarball() {
  local name="$1" include="${2:-}"
  local key=""
  [[ -z "$include" ]] || key="-$(printf '%s' "$include" | sha256sum | cut -c1-8)"
  local tarball="$CACHE_DIR/rootfs-$DEBIAN_SUITE-$name$key.tar"
  if [[ -s "$tarball" ]]; then
    log "using cached root filesystem $tarball"
    printf '%s\n' "$tarball"
    return
  fi
  need debootstrap "apt-get install debootstrap"
  [[ "$(id -u)" == 0 ]] || die "debootstrap needs root to build $tarball (run with sudo once; later runs use the cache)"
  mkdir -p "$CACHE_DIR/debs"
  # One debootstrap at a time per cache: two runs downloading into the same
  # package cache break each other's files (seen when CI started the kind
  # node image and the offline images together). Whoever waited may find the
  # tarball built.
  local lock_fd
  exec {lock_fd}>"$CACHE_DIR/debs/.lock"
  flock "$lock_fd"
  if [[ -s "$tarball" ]]; then
    exec {lock_fd}>&-
    log "using cached root filesystem $tarball"
    printf '%s\n' "$tarball"
    return
  fi
  local root="$WORK_DIR/rootfs-$name"
  rm -rf "$root"
  log "debootstrap --variant=minbase $DEBIAN_SUITE ($name${include:+, with $include}) from $DEBIAN_MIRROR"
  # Checked explicitly: callers may run this where set -e does not apply
  # (a function in an && list), and a half-built tree must never be cached.
  if ! debootstrap --variant=minbase ${include:+--include="$include"} --cache-dir="$CACHE_DIR/debs" \
    "$DEBIAN_SUITE" "$root" "$DEBIAN_MIRROR" >&2; then
    rm -rf "$root"
    die "debootstrap of the $name root filesystem failed (its output is above); nothing was cached"
  fi
  [[ -x "$root/usr/bin/sh" || -x "$root/bin/sh" ]] || die "the $name root filesystem has no /bin/sh after debootstrap; nothing was cached"
  # What a runtime image never needs: package caches, docs, manuals, locales.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/* \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
  tar --numeric-owner -C "$root" -cf "$tarball.partial" . || die "could not write $tarball.partial"
  mv "$tarball.partial" "$tarball"
  rm -rf "$root"
  exec {lock_fd}>&-
  log "cached root filesystem $tarball ($(du -h "$tarball" | cut -f1))"
  printf '%s\n' "$tarball"
}
