#!/usr/bin/env bash
# Builds a kind node image with no registry at all: every binary from the Go
# module proxy, every root filesystem from Debian packages, every image the
# cluster and its add-ons start preloaded into the node's containerd.
#
#   devenv-offline/kind-node:<k8s-version>   the node image (kind create cluster --image)
#   devenv-offline/<component>:<tag>         kube-apiserver, kube-controller-manager,
#                                            kube-scheduler, kube-proxy, etcd, coredns, pause,
#                                            local-path-provisioner, local-path-helper,
#                                            metrics-server (preloaded, pinned)
#
# Nothing is tagged with a public registry's name: the node image carries the
# local repository name in a label (dev.devenv.kind.image-repository), and
# devenv turns it into kubeadm's `imageRepository` when it creates the cluster;
# kind's storage manifest and devenv's metrics-server addon point at the local
# names. CNI: a static bridge config (kindnetd is not on the Go module proxy),
# enough for the single-node cluster devenv creates.
#
# The Kubernetes binaries come from scripts/k8s-test-control-plane.sh, so one
# build of k8s.io/kubernetes (and the same Go module and build caches) serves
# the control-plane tests and the node image. Everything else is cached by
# version under ${DEVENV_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/devenv}/kind-node/.
# A second run finds the node image built by the same recipe and returns at once.
#
# All progress goes to stderr. stdout carries only export lines:
#   eval "$(scripts/kind-node-image.sh)"
# sets DEVENV_KIND_NODE_IMAGE, DEVENV_METRICS_SERVER_IMAGE and KIND (a kind
# binary built from the proxy, the version scripts/kind.mjs pins).
#
# Usage: scripts/kind-node-image.sh [build|versions]
# Environment: DEVENV_CACHE_DIR, DEVENV_DEBIAN_MIRROR, DEVENV_CP_JOBS, DEVENV_CP_NICE.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CP_SCRIPT="$HERE/k8s-test-control-plane.sh"

# Pinned versions: what kubeadm v1.34 asks for (`kubeadm config images list`),
# except etcd, which is the control plane's own v3.6.4 (the version the
# Kubernetes client pins; kubeadm takes any tag through imageTag).
K8S_VERSION="$(bash "$CP_SCRIPT" versions | awk '$1 == "kubernetes" {print $2}')"
ETCD_VERSION="$(bash "$CP_SCRIPT" versions | awk '$1 == "etcd" {print $2}')"
KIND_VERSION="$(sed -n "s/^export const KIND_VERSION = '\(v[0-9.]*\)';/\1/p" "$HERE/kind.mjs")"
readonly COREDNS_VERSION=v1.12.1
readonly PAUSE_VERSION=3.10.1
readonly LOCAL_PATH_VERSION=v0.0.30
readonly CRICTL_VERSION=v1.34.0
readonly METRICS_SERVER_VERSION=v0.8.0
readonly REPO=devenv-offline
readonly NODE_TAG="$REPO/kind-node:$K8S_VERSION"
readonly RECIPE_LABEL=dev.devenv.kind-node-recipe
# Debian packages: the node (what kind's base image installs, Debian's
# containerd 1.6, runc and CNI plugins) and kube-proxy's iptables base (which
# also gives the local-path helper its static busybox).
readonly NODE_PACKAGES=systemd,systemd-sysv,dbus,conntrack,iptables,nftables,iproute2,ethtool,util-linux,mount,kmod,libseccomp2,pigz,bash,ca-certificates,curl,jq,procps,containerd,runc,containernetworking-plugins,socat,ebtables,ipset,libcap2-bin,psmisc,less
readonly IPTABLES_PACKAGES=iptables,conntrack,ipset,iproute2,kmod,busybox-static

CACHE_DIR="${DEVENV_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/devenv}"
DIR="$CACHE_DIR/kind-node/$K8S_VERSION"
BIN="$DIR/bin"
SRC="$DIR/src"
NICE="${DEVENV_CP_NICE:-10}"
JOBS="${DEVENV_CP_JOBS:-$(nproc 2>/dev/null || echo 2)}"

log() { printf '[kind-node-image %ss] %s\n' "$SECONDS" "$*" >&2; }
# set -e stops at the first failing command; say where, so a build that ends
# early is never silent.
trap 'printf "[kind-node-image] error: line %s: %s (exit %s)\n" "$LINENO" "$BASH_COMMAND" "$?" >&2' ERR
die() { printf '[kind-node-image] error: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is not installed${2:+ ($2)}"; }

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/devenv-kind-node.XXXXXX")"
cleanup() { rm -rf "$WORK_DIR"; }
trap cleanup EXIT

# shellcheck source=lib/debian-rootfs.sh
source "$HERE/lib/debian-rootfs.sh"

print_exports() {
  printf 'export DEVENV_KIND_NODE_IMAGE=%s\n' "$NODE_TAG"
  printf 'export DEVENV_METRICS_SERVER_IMAGE=%s\n' "$REPO/metrics-server:$METRICS_SERVER_VERSION"
  printf 'export KIND=%s\n' "$BIN/kind"
}

# The recipe: this script, the rootfs library and every pinned version. An
# image built by another recipe is rebuilt; one built by this one is reused.
recipe_hash() {
  { cat "$0" "$HERE/lib/debian-rootfs.sh"
    echo "$K8S_VERSION $ETCD_VERSION $KIND_VERSION $COREDNS_VERSION $PAUSE_VERSION $LOCAL_PATH_VERSION $CRICTL_VERSION $METRICS_SERVER_VERSION"
  } | sha256sum | cut -c1-16
}

image_label() { # IMAGE LABEL
  docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true
}

# --- Go binaries ---------------------------------------------------------

gorun() {
  env GOWORK=off GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod" GOTOOLCHAIN="${GOTOOLCHAIN:-local}" CGO_ENABLED=0 \
    nice -n "$NICE" go "$@"
}

# go_binary NAME VERSION DIR PACKAGE [LDFLAGS]: builds PACKAGE inside module
# directory DIR into $BIN/NAME unless the stamp says it is built at VERSION.
go_binary() {
  local name=$1 version=$2 dir=$3 pkg=$4 ld=${5:-}
  if [[ -x "$BIN/$name" && "$(cat "$BIN/.$name.stamp" 2>/dev/null)" == "$name $version" ]]; then return; fi
  rm -f "$BIN/.$name.stamp"
  log "go build $name $version"
  (cd "$dir" && gorun build -p "$JOBS" -trimpath -ldflags "-s -w $ld" -o "$BIN/$name" "$pkg")
  echo "$name $version" >"$BIN/.$name.stamp"
}

# module_copy NAME MODULE@VERSION: a writable copy of the module's source in
# $SRC/NAME (its own go.mod, so its replace directives apply; no vendor/).
module_copy() {
  local name=$1 mv=$2 dir
  if [[ ! -f "$SRC/$name/.complete" ]]; then
    rm -rf "${SRC:?}/$name"; mkdir -p "$SRC"
    dir="$(cd "$SRC" && gorun mod download -json "$mv" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
    [[ -d "$dir" ]] || die "go mod download $mv failed"
    cp -r "$dir" "$SRC/$name"; chmod -R u+w "$SRC/$name"; rm -rf "$SRC/$name/vendor"
    touch "$SRC/$name/.complete"
  fi
  printf '%s\n' "$SRC/$name"
}

write_pause_source() { # a 20-line pause: PID 1 of each pod sandbox, reaps zombies
  mkdir -p "$SRC/pause"
  printf 'module devenv.local/pause\n\ngo 1.24\n' >"$SRC/pause/go.mod"
  cat >"$SRC/pause/main.go" <<'GO'
// pause holds a pod's namespaces open: it sleeps until SIGINT/SIGTERM and
// reaps the zombies that end up parented to it.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	sig := make(chan os.Signal, 8)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range sig {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			var ws syscall.WaitStatus
			if pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil); pid <= 0 || err != nil {
				break
			}
		}
	}
}
GO
}

build_binaries() {
  log "Kubernetes binaries (scripts/k8s-test-control-plane.sh)"
  bash "$CP_SCRIPT" build etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kubeadm kubectl kube-proxy >&2
  CP_BIN="$(bash "$CP_SCRIPT" path)"
  mkdir -p "$BIN"
  local d
  d="$(module_copy kind "sigs.k8s.io/kind@$KIND_VERSION")"
  go_binary kind "$KIND_VERSION" "$d" .
  write_pause_source
  go_binary pause "$PAUSE_VERSION" "$SRC/pause" .
  d="$(module_copy coredns "github.com/coredns/coredns@$COREDNS_VERSION")"
  # Only the plugins kubeadm's Corefile (and everyday debugging) uses: the
  # cloud DNS backends pull in the AWS, Azure and GCP SDKs, most of the build.
  local zp="$d/core/plugin/zplugin.go"
  if grep -q 'plugin/route53' "$zp"; then
    awk '!/^\t_ "/ || /\/(errors|health|ready|kubernetes|metrics|forward|cache|loop|reload|loadbalance|log|debug|whoami|hosts|rewrite|template|root|bind|any|chaos|erratic|onevent)"$/' "$zp" >"$zp.new"
    mv "$zp.new" "$zp"
    (cd "$d" && gorun mod tidy >/dev/null 2>&1) || log "go mod tidy in coredns failed; building with the full go.mod"
  fi
  go_binary coredns "$COREDNS_VERSION" "$d" . "-X github.com/coredns/coredns/coremain.GitCommit=$COREDNS_VERSION"
  d="$(module_copy local-path-provisioner "github.com/rancher/local-path-provisioner@$LOCAL_PATH_VERSION")"
  go_binary local-path-provisioner "$LOCAL_PATH_VERSION" "$d" . "-X main.VERSION=$LOCAL_PATH_VERSION"
  d="$(module_copy cri-tools "sigs.k8s.io/cri-tools@$CRICTL_VERSION")"
  go_binary crictl "$CRICTL_VERSION" "$d" ./cmd/crictl "-X sigs.k8s.io/cri-tools/pkg/version.Version=$CRICTL_VERSION"
  d="$(module_copy metrics-server "sigs.k8s.io/metrics-server@$METRICS_SERVER_VERSION")"
  go_binary metrics-server "$METRICS_SERVER_VERSION" "$d" ./cmd/metrics-server \
    "-X k8s.io/client-go/pkg/version.gitVersion=$METRICS_SERVER_VERSION -X k8s.io/client-go/pkg/version.buildDate=1970-01-01T00:00:00Z"
  KIND_SRC="$SRC/kind"
}

# --- component images ----------------------------------------------------

# image TAG CONTEXT: docker build of CONTEXT (a directory with a Dockerfile).
image() {
  log "docker build $1"
  DOCKER_BUILDKIT=0 docker build -q --label "$RECIPE_LABEL=$RECIPE" -t "$1" "$2" >/dev/null
}

# static_image TAG BINARY PATH-IN-IMAGE [USER]: FROM scratch, one static binary.
static_image() {
  local tag=$1 bin=$2 path=$3 user=${4:-} d
  d="$WORK_DIR/img-$(basename "$bin")"; mkdir -p "$d"; cp "$bin" "$d/"
  { echo 'FROM scratch'
    echo 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    echo "COPY $(basename "$bin") $path"
    [[ -z "$user" ]] || echo "USER $user"
    echo "ENTRYPOINT [\"$path\"]"
  } >"$d/Dockerfile"
  image "$tag" "$d"
}

build_component_images() {
  static_image "$REPO/kube-apiserver:$K8S_VERSION" "$CP_BIN/kube-apiserver" /usr/local/bin/kube-apiserver
  static_image "$REPO/kube-controller-manager:$K8S_VERSION" "$CP_BIN/kube-controller-manager" /usr/local/bin/kube-controller-manager
  static_image "$REPO/kube-scheduler:$K8S_VERSION" "$CP_BIN/kube-scheduler" /usr/local/bin/kube-scheduler
  static_image "$REPO/etcd:${ETCD_VERSION#v}-0" "$CP_BIN/etcd" /usr/local/bin/etcd
  static_image "$REPO/coredns:$COREDNS_VERSION" "$BIN/coredns" /coredns
  static_image "$REPO/pause:$PAUSE_VERSION" "$BIN/pause" /pause 65535:65535
  static_image "$REPO/local-path-provisioner:$LOCAL_PATH_VERSION" "$BIN/local-path-provisioner" /usr/local/bin/local-path-provisioner
  static_image "$REPO/metrics-server:$METRICS_SERVER_VERSION" "$BIN/metrics-server" /metrics-server 65534:65534

  # kube-proxy programs iptables: Debian's iptables behind a wrapper that picks
  # legacy or nft by which one already holds rules, as the node does.
  local d="$WORK_DIR/img-kube-proxy" tarball
  tarball="$(rootfs_tarball iptables "$IPTABLES_PACKAGES")"
  mkdir -p "$d"; cp "$CP_BIN/kube-proxy" "$d/"
  if [[ "$(image_label "$REPO/iptables-base:$DEBIAN_SUITE" "$RECIPE_LABEL")" != "$RECIPE" ]]; then
    log "importing $REPO/iptables-base:$DEBIAN_SUITE"
    docker import --change "LABEL $RECIPE_LABEL=$RECIPE" "$tarball" "$REPO/iptables-base:$DEBIAN_SUITE" >/dev/null
  fi
  cat >"$d/iptables-wrapper" <<'SH'
#!/bin/sh
nft=$( (iptables-nft-save; ip6tables-nft-save) 2>/dev/null | grep -c '^-')
legacy=$( (iptables-legacy-save; ip6tables-legacy-save) 2>/dev/null | grep -c '^-')
if [ "${legacy:-0}" -gt "${nft:-0}" ]; then mode=legacy; else mode=nft; fi
for x in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
  ln -sf "xtables-$mode-multi" "/usr/sbin/$x"
done
exec "/usr/sbin/$(basename "$0")" "$@"
SH
  cat >"$d/Dockerfile" <<DF
FROM $REPO/iptables-base:$DEBIAN_SUITE
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY iptables-wrapper /usr/sbin/iptables-wrapper
RUN chmod 0755 /usr/sbin/iptables-wrapper && for x in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do ln -sf iptables-wrapper /usr/sbin/\$x; done
COPY kube-proxy /usr/local/bin/kube-proxy
ENTRYPOINT ["/usr/local/bin/kube-proxy"]
DF
  image "$REPO/kube-proxy:$K8S_VERSION" "$d"

  # The local-path helper runs the provisioner's setup/teardown shell scripts:
  # Debian's static busybox.
  d="$WORK_DIR/img-local-path-helper"; mkdir -p "$d/bb" "$d/root/bin"
  tar -xf "$tarball" -C "$d/bb" --wildcards './bin/busybox' './usr/bin/busybox' 2>/dev/null || true
  local bb="" f
  for f in "$d/bb/usr/bin/busybox" "$d/bb/bin/busybox"; do [[ -f "$f" && ! -L "$f" ]] && bb=$f; done
  [[ -n "$bb" ]] || die "no static busybox in $tarball"
  cp "$bb" "$d/root/bin/busybox"
  cat >"$d/Dockerfile" <<'DF'
FROM scratch
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY root/ /
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN ["/bin/busybox", "mkdir", "-p", "/tmp", "/usr/bin", "/usr/sbin", "/sbin", "/etc"]
CMD ["/bin/sh"]
DF
  image "$REPO/local-path-helper:$LOCAL_PATH_VERSION" "$d"
}

preload_images() {
  printf '%s\n' \
    "$REPO/kube-apiserver:$K8S_VERSION" "$REPO/kube-controller-manager:$K8S_VERSION" \
    "$REPO/kube-scheduler:$K8S_VERSION" "$REPO/kube-proxy:$K8S_VERSION" \
    "$REPO/etcd:${ETCD_VERSION#v}-0" "$REPO/coredns:$COREDNS_VERSION" "$REPO/pause:$PAUSE_VERSION" \
    "$REPO/local-path-provisioner:$LOCAL_PATH_VERSION" "$REPO/local-path-helper:$LOCAL_PATH_VERSION" \
    "$REPO/metrics-server:$METRICS_SERVER_VERSION"
}

# --- the node image ------------------------------------------------------

# kind's default storage manifest (what `kind build node-image` writes to
# /kind/manifests/default-storage.yaml), with the provisioner and helper
# images swapped for the local ones.
write_storage_manifest() { # OUT
  python3 - "$KIND_SRC/pkg/build/nodeimage/const_storage.go" "$1" \
    "$REPO/local-path-provisioner:$LOCAL_PATH_VERSION" "$REPO/local-path-helper:$LOCAL_PATH_VERSION" <<'PY'
import re, sys
src, out, provisioner, helper = sys.argv[1:]
text = open(src).read()
body = re.search(r"^const defaultStorageManifest = `(.*?)^`[ \t]*$", text, re.M | re.S).group(1)
body = body.replace("` + storageProvisionerImage + `", provisioner).replace("` + storageHelperImage + `", helper)
assert "`" not in body and provisioner in body and helper in body, "kind's storage manifest changed shape"
open(out, "w").write(body)
PY
}

build_node_image() {
  local d="$WORK_DIR/node" tarball
  tarball="$(rootfs_tarball kind-node "$NODE_PACKAGES")"
  if [[ "$(image_label "$REPO/kind-node-rootfs:$DEBIAN_SUITE" "$RECIPE_LABEL")" != "$RECIPE" ]]; then
    log "importing $REPO/kind-node-rootfs:$DEBIAN_SUITE"
    docker import --change "LABEL $RECIPE_LABEL=$RECIPE" "$tarball" "$REPO/kind-node-rootfs:$DEBIAN_SUITE" >/dev/null
  fi
  mkdir -p "$d/rootfs/usr/bin" "$d/rootfs/usr/local/bin" "$d/rootfs/kind/manifests" "$d/rootfs/etc/cni/net.d"
  cp -r "$KIND_SRC/images/base/files/." "$d/rootfs/"
  cp "$CP_BIN/kubelet" "$CP_BIN/kubeadm" "$CP_BIN/kubectl" "$d/rootfs/usr/bin/"
  cp "$BIN/crictl" "$d/rootfs/usr/local/bin/"
  printf '%s' "$K8S_VERSION" >"$d/rootfs/kind/version"
  write_storage_manifest "$d/rootfs/kind/manifests/default-storage.yaml"
  # kind applies default-cni.yaml with `kubectl create`; the CNI here is the
  # static config below, so the manifest only says so in the cluster.
  cat >"$d/rootfs/kind/manifests/default-cni.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: devenv-static-cni
  namespace: kube-system
data:
  README: >-
    This kind node image (built by devenv's scripts/kind-node-image.sh) uses a
    static bridge CNI config, /etc/cni/net.d/10-devenv-bridge.conflist, on the
    pod subnet 10.244.0.0/16. It serves single-node clusters.
YAML
  cat >"$d/rootfs/etc/cni/net.d/10-devenv-bridge.conflist" <<'JSON'
{
  "cniVersion": "0.4.0",
  "name": "devenv-bridge",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "10.244.0.0/16" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
JSON
  # Hosts that cannot start privileged containers (see devenv doctor --k8s):
  # docker mounts the cgroup v1 hierarchies read-only into a container that is
  # not --privileged; re-bind them read-write before kind's fix_cgroup. A no-op
  # where they are already writable.
  python3 - "$d/rootfs/usr/local/bin/entrypoint" <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
fn = """fix_ro_cgroup_mounts() {
  local m
  for m in $(awk '$2 ~ "^/sys/fs/cgroup/" && $4 ~ "^ro" {print $2}' /proc/self/mounts); do
    log_info "re-binding $m read-write (container is not --privileged)"
    mount -o remount,bind,rw "$m"
  done
}

# validate state
"""
assert s.count("# validate state\n") == 1 and s.count("\nfix_cgroup\n") == 1, "kind's entrypoint changed shape"
s = s.replace("# validate state\n", fn).replace("\nfix_cgroup\n", "\nfix_ro_cgroup_mounts\nfix_cgroup\n")
open(p, "w").write(s)
PY
  chmod 0755 "$d"/rootfs/usr/local/bin/* "$d"/rootfs/kind/bin "$d"/rootfs/kind/bin/* "$d"/rootfs/usr/bin/*
  cat >"$d/setup.sh" <<SH
set -eux
# What kind's base image Dockerfile does to systemd.
find /lib/systemd/system/sysinit.target.wants/ -name "systemd-tmpfiles-setup.service" -delete
rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* \
      /lib/systemd/system/local-fs.target.wants/* /lib/systemd/system/sockets.target.wants/*udev* \
      /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/*
echo "ReadKMsg=no" >> /etc/systemd/journald.conf
ln -sf /lib/systemd/systemd /sbin/init
systemctl enable kubelet.service containerd.service undo-mount-hacks.service
systemctl mask systemd-binfmt.service
mkdir -p /etc/kubernetes/manifests /opt/cni/bin
# Debian's paths -> the ones kind's units and containerd's defaults expect.
ln -sf /usr/bin/containerd /usr/local/bin/containerd
ln -s /usr/lib/cni/* /opt/cni/bin/
ctr oci spec | jq '.hooks.createContainer[.hooks.createContainer| length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' \
  | jq 'del(.process.rlimits)' > /etc/containerd/cri-base.json
sed -i 's#sandbox_image = .*#sandbox_image = "$REPO/pause:$PAUSE_VERSION"#' /etc/containerd/config.toml
# Without CAP_SYS_RESOURCE nothing may lower oom_score_adj; containerd clamps
# it instead (what kind sets for rootless). Harmless where the capability exists.
sed -i 's/restrict_oom_score_adj = false/restrict_oom_score_adj = true/' /etc/containerd/config.toml
grep -q 'restrict_oom_score_adj = true' /etc/containerd/config.toml
grep -q 'sandbox_image = "$REPO/pause:$PAUSE_VERSION"' /etc/containerd/config.toml
containerd --version; runc --version; kubelet --version; crictl --version
SH
  cat >"$d/Dockerfile" <<DF
FROM $REPO/kind-node-rootfs:$DEBIAN_SUITE
COPY rootfs/ /
COPY setup.sh /tmp/setup.sh
RUN bash /tmp/setup.sh && rm /tmp/setup.sh
ENV container=docker
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]
DF
  local stage1="$REPO/kind-node-stage1:$K8S_VERSION"
  image "$stage1" "$d"

  # What `kind build node-image` does, without a registry: import every image
  # into containerd's k8s.io namespace inside a container of stage 1, pin
  # them (ctr 1.6 has no import --label), commit.
  log "preloading images into the node's containerd"
  local cid
  cid="$(docker run -d --entrypoint=sleep --security-opt seccomp=unconfined "$stage1" infinity)"
  trap 'docker rm -f -v "$cid" >/dev/null 2>&1 || true; cleanup' EXIT
  docker exec "$cid" bash -c 'nohup containerd > /tmp/containerd.log 2>&1 &'
  local i
  for i in $(seq 1 30); do docker exec "$cid" test -S /run/containerd/containerd.sock && break; sleep 1; done
  docker exec "$cid" ctr version >/dev/null || die "containerd did not start in the build container"
  local img
  while read -r img; do
    log "  import $img"
    docker save "$img" | docker exec -i "$cid" ctr --namespace=k8s.io images import --all-platforms --no-unpack --digests - >/dev/null
  done < <(preload_images)
  docker exec "$cid" ctr --namespace=k8s.io images ls -q | grep -v '@sha256' >"$WORK_DIR/preloaded.txt"
  while read -r img; do
    docker exec "$cid" ctr --namespace=k8s.io images label "$img" io.cri-containerd.pinned=pinned >/dev/null
  done <"$WORK_DIR/preloaded.txt"
  local want
  want="$(preload_images | wc -l)"
  [[ "$(wc -l <"$WORK_DIR/preloaded.txt")" -ge "$want" ]] || die "only $(wc -l <"$WORK_DIR/preloaded.txt") of $want images are in the node's containerd"
  docker exec "$cid" rm -f /tmp/containerd.log
  docker exec "$cid" pkill containerd || true
  sleep 2
  docker commit \
    --change 'ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]' \
    --change 'CMD []' \
    --change "LABEL $RECIPE_LABEL=$RECIPE" \
    --change "LABEL dev.devenv.kind.image-repository=$REPO" \
    --change "LABEL dev.devenv.kind.etcd-image-tag=${ETCD_VERSION#v}-0" \
    --change "LABEL dev.devenv.kind.metrics-server-image=$REPO/metrics-server:$METRICS_SERVER_VERSION" \
    "$cid" "$NODE_TAG" >/dev/null
  docker rm -f -v "$cid" >/dev/null
  trap cleanup EXIT
  docker image rm "$stage1" >/dev/null 2>&1 || true
  log "built $NODE_TAG ($(docker image inspect --format '{{.Size}}' "$NODE_TAG" | awk '{printf "%.0f MB", $1/1e6}'))"
}

main() {
  case "${1:-build}" in
    versions)
      printf 'kubernetes %s\netcd %s\nkind %s\ncoredns %s\npause %s\nlocal-path-provisioner %s\ncrictl %s\nmetrics-server %s\n' \
        "$K8S_VERSION" "$ETCD_VERSION" "$KIND_VERSION" "$COREDNS_VERSION" "$PAUSE_VERSION" "$LOCAL_PATH_VERSION" "$CRICTL_VERSION" "$METRICS_SERVER_VERSION"
      return ;;
    build) ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
  need go; need docker; need python3
  docker info >/dev/null 2>&1 || die "the Docker daemon is not reachable"
  RECIPE="$(recipe_hash)"
  mkdir -p "$DIR"
  exec 9>"$DIR/.lock"; flock 9
  if [[ "$(image_label "$NODE_TAG" "$RECIPE_LABEL")" == "$RECIPE" && -x "$BIN/kind" ]]; then
    log "$NODE_TAG is built by this recipe ($RECIPE), nothing to do"
    print_exports
    return
  fi
  # The root filesystems download while the Go builds compile (one after the
  # other: they share debootstrap's package cache).
  ( rootfs_tarball iptables "$IPTABLES_PACKAGES" >/dev/null && rootfs_tarball kind-node "$NODE_PACKAGES" >/dev/null ) &
  local rootfs_pid=$!
  build_binaries
  wait "$rootfs_pid" || die "building the Debian root filesystems failed (see the debootstrap output above)"
  build_component_images
  build_node_image
  print_exports
}

# On one line, so bash has read it whole before main runs: editing this file
# while a build is running cannot make bash execute a shifted remainder.
main "$@"; exit $?
