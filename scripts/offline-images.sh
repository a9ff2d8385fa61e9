#!/usr/bin/env bash
# Builds local base images for machines that cannot pull from a registry:
#
#   devenv-offline/node:20   Debian bookworm (debootstrap minbase) + this machine's `node`
#   devenv-offline/redis:7   Debian bookworm (debootstrap minbase) + Debian's redis-server
#
# Only Debian packages (apt mirror) and the local node binary are used; nothing
# is ever tagged with a public image name. Images that already exist are
# skipped, and the debootstrap root filesystems are cached as tarballs under
# ${XDG_CACHE_HOME:-$HOME/.cache}/devenv/, so a second run is quick.
#
# All progress goes to stderr. stdout carries only the export lines, so
#   eval "$(scripts/offline-images.sh)"
# prepares a shell (NODE_IMAGE, REDIS_IMAGE) for devenv.
#
# Environment: DEVENV_DEBIAN_MIRROR (default http://deb.debian.org/debian),
# DEVENV_OFFLINE_NODE_BINARY (default: the `node` on PATH).
set -euo pipefail

readonly NODE_TAG=devenv-offline/node:20
readonly REDIS_TAG=devenv-offline/redis:7
readonly CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/devenv"

log() { printf 'offline-images: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is not installed${2:+ ($2)}"
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# Created up front: functions run in $(...) subshells, which cannot hand a
# lazily created directory back to the EXIT trap.
WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/devenv-offline.XXXXXX")"
cleanup() { rm -rf "$WORK_DIR"; }
trap cleanup EXIT

work_dir() { printf '%s\n' "$WORK_DIR"; }

# shellcheck source=lib/debian-rootfs.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/debian-rootfs.sh"

build_node_image() {
  if image_exists "$NODE_TAG"; then
    log "$NODE_TAG already exists, skipping"
    return
  fi
  local node_bin
  node_bin="$(readlink -f "${DEVENV_OFFLINE_NODE_BINARY:-$(command -v node || true)}")"
  [[ -x "$node_bin" ]] || die "no node binary found (set DEVENV_OFFLINE_NODE_BINARY)"
  local version
  version="$("$node_bin" --version)"
  [[ "$version" == v20.* ]] || log "warning: $node_bin is $version, not Node 20; the image is still tagged $NODE_TAG"
  local base
  base="$(rootfs_tarball minbase)"
  local dir
  dir="$(work_dir)"
  # The cached tarball stays pristine; the node binary goes into a copy.
  cp "$base" "$dir/node-rootfs.tar"
  mkdir -p "$dir/node-overlay/usr/local/bin"
  cp "$node_bin" "$dir/node-overlay/usr/local/bin/node"
  tar --numeric-owner --owner=0 --group=0 -C "$dir/node-overlay" -rf "$dir/node-rootfs.tar" ./usr/local/bin/node
  log "importing $NODE_TAG (node $version from $node_bin)"
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["node"]' \
    "$dir/node-rootfs.tar" "$NODE_TAG" >/dev/null
  rm -f "$dir/node-rootfs.tar"
  local got
  if ! got="$(docker run --rm --network none "$NODE_TAG" node --version 2>&1)" || [[ "$got" != "$version" ]]; then
    docker image rm "$NODE_TAG" >/dev/null 2>&1 || true
    die "node does not run inside $NODE_TAG: $got"
  fi
  log "$NODE_TAG ready: node $got, $(docker image inspect --format '{{.Size}}' "$NODE_TAG" | awk '{printf "%.0f MB", $1/1e6}')"
}

# Bumped whenever what an image holds changes, so an older local copy is
# rebuilt instead of reused (the tag stays the same).
readonly RECIPE_LABEL=dev.devenv.offline-recipe
readonly REDIS_RECIPE=3

image_current() { # TAG RECIPE -> true when TAG exists and was built by this recipe
  [[ "$(docker image inspect --format "{{ index .Config.Labels \"$RECIPE_LABEL\" }}" "$1" 2>/dev/null)" == "$2" ]]
}

build_redis_image() {
  if image_current "$REDIS_TAG" "$REDIS_RECIPE"; then
    log "$REDIS_TAG already exists, skipping"
    return
  fi
  local tarball
  tarball="$(rootfs_tarball redis redis-server,redis-tools)"
  # The contract of the official redis:7-alpine image, which the Compose file
  # and the manifests are written for: uid 999, gid 1000, WORKDIR /data (owned
  # by that user, where the manifests mount the PVC). No VOLUME: an anonymous
  # volume per container would outlive every `compose down`. Debian's own redis user and
  # /var/lib/redis would leave redis unable to open its working directory when
  # a pod runs it as 999.
  local dir="$WORK_DIR/redis"
  mkdir -p "$dir/overlay/data"
  cp "$tarball" "$dir/rootfs.tar"
  tar --numeric-owner --owner=999 --group=1000 -C "$dir/overlay" -rf "$dir/rootfs.tar" ./data
  log "importing $REDIS_TAG"
  # No config file: listen on every interface, no protected mode (other
  # containers connect without a password), and no RDB/AOF files.
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'USER 999:1000' \
    --change 'WORKDIR /data' \
    --change 'EXPOSE 6379' \
    --change "LABEL $RECIPE_LABEL=$REDIS_RECIPE" \
    --change 'CMD ["redis-server", "--bind", "0.0.0.0", "--port", "6379", "--protected-mode", "no", "--save", "", "--appendonly", "no", "--daemonize", "no"]' \
    "$dir/rootfs.tar" "$REDIS_TAG" >/dev/null
  rm -rf "$dir"
  local name="devenv-offline-redis-check-$$"
  docker run -d --rm --network none --name "$name" "$REDIS_TAG" >/dev/null
  local pong="" i
  for i in $(seq 1 50); do
    pong="$(docker exec "$name" redis-cli ping 2>/dev/null || true)"
    [[ "$pong" == PONG ]] && break
    sleep 0.2
  done
  docker rm -f -v "$name" >/dev/null 2>&1 || true
  if [[ "$pong" != PONG ]]; then
    docker image rm "$REDIS_TAG" >/dev/null 2>&1 || true
    die "redis-cli ping inside $REDIS_TAG did not answer PONG"
  fi
  log "$REDIS_TAG ready: $(docker image inspect --format '{{.Size}}' "$REDIS_TAG" | awk '{printf "%.0f MB", $1/1e6}')"
}

main() {
  need docker
  docker info >/dev/null 2>&1 || die "the Docker daemon is not reachable"
  mkdir -p "$CACHE_DIR"
  build_node_image
  build_redis_image
  printf 'export NODE_IMAGE=%s\n' "$NODE_TAG"
  printf 'export REDIS_IMAGE=%s\n' "$REDIS_TAG"
}

main "$@"
