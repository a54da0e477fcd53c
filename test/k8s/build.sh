#!/usr/bin/env bash
# Builds the real-apiserver test environment (issue 7) into a per-machine cache outside the work tree:
#   etcd and kube-apiserver from their Go modules (wrapper modules in build/, committed go.sum), and the Go modules
#   whose CRD YAML the harness installs (CAPI, CAPO, Prow). Binaries are built only when missing, so a second run
#   costs seconds. Needs Go (GOTOOLCHAIN=local: a too-old Go fails fast instead of fetching a toolchain) and the
#   Go module proxy; nothing else from the network.
# Env: DECKHAND_TEST_CACHE (default ~/.cache/deckhand-test), DECKHAND_BUILD_JOBS (go build -p; default: cores).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=build/versions.env
. "$here/build/versions.env"

cache=${DECKHAND_TEST_CACHE:-$HOME/.cache/deckhand-test}
export GOTOOLCHAIN=local CGO_ENABLED=0
# -mod=readonly: the committed go.mod/go.sum are the pins; a build must never rewrite them.
export GOFLAGS="-trimpath -buildvcs=false -mod=readonly"
export GOMODCACHE="$cache/gomod" GOCACHE="$cache/gobuild"
jobs=${DECKHAND_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}

t_all=$(date +%s)
phase_start=$t_all
phase() { # phase NAME: prints how long the previous step took
  local now; now=$(date +%s)
  printf 'build.sh: %-28s %4ss\n' "$1" "$((now - phase_start))"
  phase_start=$now
}
die() { echo "build.sh: $*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "Go is required (go1.24+; the machines carry go1.26) to build etcd and kube-apiserver"
echo "build.sh: $(go version), cache $cache, -p $jobs"
mkdir -p "$cache/bin" "$GOMODCACHE" "$GOCACHE"

# Two runs at once (a developer and CI on one machine) would race on the same output files.
exec 9>"$cache/build.lock"
flock -w 3600 9 || die "could not lock $cache/build.lock"

# The wrapper go.mod files pin the same versions as versions.env; refuse to build a mix.
grep -q "^tool go.etcd.io/etcd/server/v3" "$here/build/etcd/go.mod" || die "build/etcd/go.mod lacks the tool line"
grep -Eq "go.etcd.io/etcd/server/v3 $ETCD_VERSION( |$)" "$here/build/etcd/go.mod" \
  || die "build/etcd/go.mod does not pin etcd $ETCD_VERSION (versions.env)"
grep -Eq "k8s.io/kubernetes $KUBE_VERSION( |$)" "$here/build/apiserver/go.mod" \
  || die "build/apiserver/go.mod does not pin k8s.io/kubernetes $KUBE_VERSION (versions.env)"

# Builds into a temporary name and renames, so an interrupted build never leaves a binary that looks complete.
build() { # build DIR OUT PKG [go build args...]
  local dir=$1 out=$2 pkg=$3; shift 3
  mkdir -p "$(dirname "$out")"
  (cd "$dir" && go build -p "$jobs" "$@" -o "$out.tmp" "$pkg")
  mv -f "$out.tmp" "$out"
}

etcd_bin="$cache/bin/$ETCD_VERSION/etcd"
if [ -x "$etcd_bin" ]; then
  echo "build.sh: etcd $ETCD_VERSION cached at $etcd_bin"
else
  (cd "$here/build/etcd" && go mod download)
  phase "etcd module download"
  # -s -w: no symbol table/DWARF; smaller binary and a shorter link, which is the slow single-threaded step.
  build "$here/build/etcd" "$etcd_bin" go.etcd.io/etcd/server/v3 -ldflags "-s -w"
  phase "etcd build"
fi

api_bin="$cache/bin/$KUBE_VERSION/kube-apiserver"
if [ -x "$api_bin" ]; then
  echo "build.sh: kube-apiserver $KUBE_VERSION cached at $api_bin"
else
  (cd "$here/build/apiserver" && go mod download)
  phase "apiserver module download"
  minor=$(echo "$KUBE_VERSION" | cut -d. -f2)
  # Tags and flags as upstream hack/lib/golang.sh; the -X values make /version report the real version
  # instead of v0.0.0-master+$Format:%h$.
  build "$here/build/apiserver" "$api_bin" k8s.io/kubernetes/cmd/kube-apiserver -tags selinux,notest -ldflags "-s -w \
    -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION \
    -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor \
    -X k8s.io/component-base/version.gitTreeState=clean \
    -X k8s.io/client-go/pkg/version.gitVersion=$KUBE_VERSION"
  phase "apiserver build"
fi

# CRD YAML comes from the extracted modules; build/crds/go.sum carries every pinned version's hash, so the
# downloads are verified locally. `go mod download` is a no-op when the module is already in the cache.
for m in \
  "sigs.k8s.io/cluster-api@$CAPI_V1BETA1_VERSION" \
  "sigs.k8s.io/cluster-api@$CAPI_V1BETA2_VERSION" \
  "sigs.k8s.io/cluster-api-provider-openstack@$CAPO_V1ALPHA7_VERSION" \
  "sigs.k8s.io/cluster-api-provider-openstack@$CAPO_V1BETA1_VERSION" \
  "sigs.k8s.io/prow@$PROW_VERSION"; do
  (cd "$here/build/crds" && go mod download "$m") || die "could not download $m"
done
phase "CRD modules"

# Not `| head -1`: under pipefail, head exiting first can kill etcd with SIGPIPE and fail the build (exit 141).
etcd_version=$("$etcd_bin" --version)
echo "${etcd_version%%$'\n'*}"
"$api_bin" --version
echo "build.sh: done in $(( $(date +%s) - t_all ))s"
