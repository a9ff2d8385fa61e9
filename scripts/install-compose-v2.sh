#!/usr/bin/env bash
# Builds Docker Compose v2 from the Go module proxy and installs it as the
# `docker compose` CLI plugin. For machines (like CI here) where the only
# packaged Compose is v1. Skips the build when the plugin already answers.
# Usage: bash scripts/install-compose-v2.sh [plugin-dir]
set -euo pipefail

version="${COMPOSE_V2_VERSION:-v2.40.3}"
plugin_dir="${1:-${DOCKER_CLI_PLUGIN_DIR:-/usr/local/lib/docker/cli-plugins}}"
cache="${DEVENV_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/devenv}/compose/${version}"

if docker compose version --short >/dev/null 2>&1; then
  echo "docker compose $(docker compose version --short) already installed" >&2
  exit 0
fi
command -v go >/dev/null || { echo "go is not installed: cannot build Compose v2; devenv will use docker-compose v1" >&2; exit 1; }

if [ ! -x "$cache/docker-compose" ]; then
  echo "building docker compose ${version} from the Go module proxy (about 2 minutes cold)..." >&2
  # `go install module/cmd@version` refuses modules whose go.mod has
  # exclude/replace directives (compose has them), so build inside a copy of
  # the module, where they apply as in the main module.
  src_dir=$(go mod download -json "github.com/docker/compose/v2@${version}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$src_dir" ] || { echo "go mod download of compose ${version} failed" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cp -r "$src_dir/." "$work/"
  chmod -R u+w "$work"
  mkdir -p "$cache"
  (cd "$work" && GOFLAGS=-buildvcs=false nice go build -trimpath \
      -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=${version}" \
      -o "$cache/docker-compose.tmp" ./cmd)
  mv "$cache/docker-compose.tmp" "$cache/docker-compose"
fi
mkdir -p "$plugin_dir"
install -m 0755 "$cache/docker-compose" "$plugin_dir/docker-compose"
docker compose version >&2
