#!/usr/bin/env bash
# Builds the pinned kwok (Go module sigs.k8s.io/kwok, command cmd/kwok) from source with the local
# Go toolchain, the same way k8s-binaries.sh builds the test cluster, and installs
#
#   $MTASTS_CACHE/bin/kwok                     fake kubelets: takes Nodes and their Pods to Ready
#   $MTASTS_CACHE/kwok/<version>/stages/       the Stage definitions the module ships (kustomize/stage/)
#
# kwok has no built-in behaviour: without stages (`kwok -c FILE_OR_DIR`, repeatable) it exits with
# "no stages found". stages/fast is upstream's default set (node-initialize, node-heartbeat-with-lease,
# pod-ready, pod-complete, pod-delete) as a kustomize directory that `-c` reads whole; stages/pod/fast,
# stages/node/fast etc. are its parts, copied unchanged. The real-stack tests take the node stages from
# here and bring their own pod stages (operator/src/test/resources/kwok/pod-stages.yaml).
# The version comes from versions.env (KWOK_VERSION); module checksums from kwok-build/ (committed).
#
# Run as (tried against kube-apiserver + kube-controller-manager + kube-scheduler of k8s-binaries.sh):
#   kwok --kubeconfig KUBECONFIG -c "$(test-infra/kwok.sh --print-stages)/fast" \
#     --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
#     --cidr 10.42.0.0/16 --node-ip 127.0.0.1 --node-lease-duration-seconds 40
# --node-lease-duration-seconds: without a config file it is 0, kwok then keeps no node Lease and the fast
# stages refresh node status only every 10 to 20 minutes: after ~50 s node-lifecycle-controller marks the node
# NotReady and its pods Ready=False, and they stay so (pod-ready only acts on Pending pods). --cidr: pod IPs must not be loopback (127/8), the API server refuses them in EndpointSlices.
#
# Usage: test-infra/kwok.sh [--force | --bump | --print-stages | --help]
#   (none)          build + install, unless the install stamp already matches (quick no-op)
#   --force         rebuild + reinstall even when the stamp matches
#   --bump          regenerate kwok-build/ (go.mod + go.sum) from versions.env
#   --print-stages  print the installed stages directory of the pinned version and exit
#
# Environment:
#   MTASTS_CACHE       caches + bin/ (default ${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator)
#   MTASTS_BUILD_JOBS  parallel compile jobs, `go build -p` (default: number of CPUs)
set -Eeuo pipefail

readonly SCRIPT_NAME=kwok.sh
HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
# Bump when build flags, the stage copy or the install layout change, so the install gets redone.
readonly RECIPE_REV=2
readonly MODULE=sigs.k8s.io/kwok

# shellcheck source=script-lib.sh
source "$HERE/script-lib.sh"

read_mode build force bump print-stages -- "$@"

# shellcheck source=versions.env source-path=SCRIPTDIR
source "$HERE/versions.env"
[[ ${KWOK_VERSION:-} =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "versions.env: KWOK_VERSION must look like 0.8.0, got '${KWOK_VERSION:-}'"
readonly KWOK_MODULE_VERSION="v$KWOK_VERSION"

set_build_jobs
readonly BIN_DIR="$CACHE/bin"
readonly TARGET="$BIN_DIR/kwok"
readonly STAMP="$BIN_DIR/.kwok-build-stamp"
readonly STAGES="$CACHE/kwok/$KWOK_VERSION/stages"

if [[ $mode == print-stages ]]; then
  echo "$STAGES"
  exit 0
fi

expected_stamp() {
  printf 'kwok=%s\nrecipe=%s\n' "$KWOK_VERSION" "$RECIPE_REV"
  (cd "$HERE" && sha256sum kwok-build/go.mod kwok-build/go.sum)
}

is_installed() {
  [[ -x $TARGET && -f $STAGES/fast/kustomization.yaml && -f $STAMP && "$(<"$STAMP")" == "$(expected_stamp)" ]]
}

check_module() {
  local got
  got=$(awk -v m="$MODULE" '{ sub(/^require[ \t]+/, "") } $1 == m && $2 ~ /^v/ { print $2; exit }' "$HERE/kwok-build/go.mod")
  [[ $got == "$KWOK_MODULE_VERSION" ]] ||
    die "kwok-build/go.mod pins $MODULE '${got:-nothing}' but versions.env says $KWOK_MODULE_VERSION: run $0 --bump"
}

download_module() { (cd "$HERE/kwok-build" && go mod download); }

build_kwok() {
  # What hack/releases.sh sets for a release build (the module's own constant lacks the "v").
  mkdir -p "$BIN_DIR"
  (cd "$HERE/kwok-build" &&
    go build -p "$JOBS" -trimpath -ldflags "-s -w -X $MODULE/pkg/consts.Version=$KWOK_MODULE_VERSION" \
      -o "$TARGET.partial" "$MODULE/cmd/kwok")
}

# Copies kustomize/stage/ of the module (the YAML only: no Go, tests or test data).
copy_stages() {
  local src partial=$STAGES.partial
  src=$(cd "$HERE/kwok-build" && go list -m -f '{{.Dir}}' "$MODULE")
  [[ -f $src/kustomize/stage/fast/kustomization.yaml ]] || die "no kustomize/stage/fast in $src"
  rm -rf "$partial"
  mkdir -p "$partial"
  (cd "$src/kustomize/stage" && find . -name testdata -prune -o -name '*.yaml' -print |
    while read -r f; do install -D -m 0644 "$f" "$partial/$f"; done)
  rm -rf "$STAGES"
  mv "$partial" "$STAGES"
  log "    stages in $STAGES ($(find "$STAGES" -name '*.yaml' ! -name kustomization.yaml | wc -l) Stage files)"
}

verify_and_install() {
  local out
  out=$("$TARGET.partial" --version)
  [[ $out == "kwok version $KWOK_MODULE_VERSION "* ]] || die "kwok --version says '$out', expected 'kwok version $KWOK_MODULE_VERSION ...'"
  mv -f "$TARGET.partial" "$TARGET"
  expected_stamp >"$STAMP"
  log "    installed $out as $TARGET"
}

build_all() {
  setup_go
  timed "check go.mod against versions.env" check_module
  timed "download modules ($MODULE $KWOK_MODULE_VERSION)" download_module
  timed "build kwok" build_kwok
  timed "copy stages" copy_stages
  timed "verify version and install" verify_and_install
}

bump() {
  setup_go
  local gomod dir="$HERE/kwok-build"
  gomod=$( (cd "$CACHE" && go mod download -json "$MODULE@$KWOK_MODULE_VERSION") |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')
  [[ -f $gomod ]] || die "could not resolve $MODULE@$KWOK_MODULE_VERSION"
  rm -rf "$dir.new"
  mkdir -p "$dir.new"
  {
    echo "// Generated by test-infra/kwok.sh --bump from versions.env; do not edit."
    echo "module mta-sts-operator/test-infra/kwok-build"
    echo
    grep -E '^go [0-9]' "$gomod"
    echo
    echo "tool $MODULE/cmd/kwok"
    echo
    echo "require $MODULE $KWOK_MODULE_VERSION"
  } >"$dir.new/go.mod"
  (cd "$dir.new" && GOFLAGS="-modcacherw -buildvcs=false" go mod tidy)
  rm -rf "$dir"
  mv "$dir.new" "$dir"
  step=bump
  log "regenerated test-infra/kwok-build: commit its go.mod and go.sum, then run $0 to build."
}

build_main kwok "kwok $KWOK_MODULE_VERSION in $TARGET, stages in $STAGES" "generate kwok-build ($MODULE $KWOK_MODULE_VERSION)"
