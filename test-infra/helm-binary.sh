#!/usr/bin/env bash
# Builds the pinned helm (Go module helm.sh/helm/v3) from source with the local Go toolchain,
# the same way k8s-binaries.sh builds the test cluster, and installs it as
#
#   $MTASTS_CACHE/bin/helm
#
# for the chart tests (HelmChartIT, ValuesSchemaIT). The version comes from versions.env
# (HELM_VERSION); module checksums from helm-build/ (go.mod + go.sum, committed).
#
# Usage: test-infra/helm-binary.sh [--force | --bump | --help]
#   (none)   build + install, unless the install stamp already matches (quick no-op)
#   --force  rebuild + reinstall even when the stamp matches
#   --bump   regenerate helm-build/ (go.mod + go.sum) from versions.env
#
# Environment:
#   MTASTS_CACHE       caches + bin/ (default ${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator)
#   MTASTS_BUILD_JOBS  parallel compile jobs, `go build -p` (default: number of CPUs)
set -Eeuo pipefail

readonly SCRIPT_NAME=helm-binary.sh
HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
# Bump when build flags or the install layout change, so the installed helm gets rebuilt.
readonly RECIPE_REV=1

# shellcheck source=script-lib.sh
source "$HERE/script-lib.sh"

usage() { sed -n '2,/^set -Eeuo/{/^set/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

mode=build
case "${1:-}" in
  "") ;;
  --force) mode=force ;;
  --bump) mode=bump ;;
  -h | --help)
    usage
    exit 0
    ;;
  *) die "unknown argument '$1' (try --help)" ;;
esac
[[ $# -le 1 ]] || die "at most one argument expected (try --help)"

# shellcheck source=versions.env source-path=SCRIPTDIR
source "$HERE/versions.env"
[[ ${HELM_VERSION:-} =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "versions.env: HELM_VERSION must look like 3.22.0, got '${HELM_VERSION:-}'"
[[ $HELM_VERSION == 3.* ]] || die "versions.env: HELM_VERSION $HELM_VERSION is not helm 3 (this script builds helm.sh/helm/v3)"
readonly HELM_MODULE_VERSION="v$HELM_VERSION"

CACHE=${MTASTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator}
JOBS=${MTASTS_BUILD_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "MTASTS_BUILD_JOBS must be a positive integer, got '$JOBS'"
readonly BIN_DIR="$CACHE/bin"
readonly TARGET="$BIN_DIR/helm"
readonly STAMP="$BIN_DIR/.helm-build-stamp"

expected_stamp() {
  printf 'helm=%s\nrecipe=%s\n' "$HELM_VERSION" "$RECIPE_REV"
  (cd "$HERE" && sha256sum helm-build/go.mod helm-build/go.sum)
}

is_installed() {
  [[ -x $TARGET && -f $STAMP && "$(<"$STAMP")" == "$(expected_stamp)" ]]
}

setup_go() {
  command -v go >/dev/null || die "go not found on PATH"
  # Shares k8s-binaries.sh's caches: many modules (k8s.io/client-go, ...) are the same.
  export GOPATH="$CACHE/go"
  export GOMODCACHE="$CACHE/go/pkg/mod"
  export GOCACHE="$CACHE/go-build"
  export GOTOOLCHAIN=local GOWORK=off
  export CGO_ENABLED=0
  export GOFLAGS="-mod=readonly -modcacherw -buildvcs=false"
  unset GOOS GOARCH GOBIN GOEXPERIMENT
  mkdir -p "$GOMODCACHE" "$GOCACHE"
  log "$(go version); GOMODCACHE=$GOMODCACHE GOCACHE=$GOCACHE; go build -p $JOBS"
}

check_module() {
  local got
  got=$(awk '{ sub(/^require[ \t]+/, "") } $1 == "helm.sh/helm/v3" && $2 ~ /^v/ { print $2; exit }' "$HERE/helm-build/go.mod")
  [[ $got == "$HELM_MODULE_VERSION" ]] ||
    die "helm-build/go.mod pins helm.sh/helm/v3 '${got:-nothing}' but versions.env says $HELM_MODULE_VERSION: run $0 --bump"
}

download_module() { (cd "$HERE/helm-build" && go mod download); }

helm_ldflags() {
  # What helm's Makefile sets for a release: the version, and the Kubernetes version that
  # `helm template` and `helm lint` assume (client-go v0.N.x is Kubernetes 1.N).
  local client_go minor
  client_go=$(cd "$HERE/helm-build" && go list -m -f '{{.Version}}' k8s.io/client-go)
  minor=${client_go#v0.}
  minor=${minor%%.*}
  local flags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_MODULE_VERSION"
  flags+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  local pkg
  for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
    flags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$minor"
  done
  echo "$flags"
}

build_helm() {
  local ldflags
  ldflags=$(helm_ldflags)
  mkdir -p "$BIN_DIR"
  (cd "$HERE/helm-build" &&
    go build -p "$JOBS" -trimpath -ldflags "$ldflags" -o "$TARGET.partial" helm.sh/helm/v3/cmd/helm)
}

verify_and_install() {
  local out
  out=$("$TARGET.partial" version --template '{{.Version}}')
  [[ $out == "$HELM_MODULE_VERSION" ]] || die "helm version says '$out', expected '$HELM_MODULE_VERSION'"
  mv -f "$TARGET.partial" "$TARGET"
  expected_stamp >"$STAMP"
  log "    installed helm $out as $TARGET"
}

build_all() {
  setup_go
  timed "check go.mod against versions.env" check_module
  timed "download modules (helm.sh/helm/v3 $HELM_MODULE_VERSION)" download_module
  timed "build helm" build_helm
  timed "verify version and install" verify_and_install
}

bump() {
  setup_go
  local gomod dir="$HERE/helm-build"
  gomod=$( (cd "$CACHE" && go mod download -json "helm.sh/helm/v3@$HELM_MODULE_VERSION") |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')
  [[ -f $gomod ]] || die "could not resolve helm.sh/helm/v3@$HELM_MODULE_VERSION"
  rm -rf "$dir.new"
  mkdir -p "$dir.new"
  {
    echo "// Generated by test-infra/helm-binary.sh --bump from versions.env; do not edit."
    echo "module mta-sts-operator/test-infra/helm-build"
    echo
    grep -E '^go [0-9]' "$gomod"
    echo
    echo "tool helm.sh/helm/v3/cmd/helm"
    echo
    echo "require helm.sh/helm/v3 $HELM_MODULE_VERSION"
  } >"$dir.new/go.mod"
  (cd "$dir.new" && GOFLAGS="-modcacherw -buildvcs=false" go mod tidy)
  rm -rf "$dir"
  mv "$dir.new" "$dir"
  step=bump
  log "regenerated test-infra/helm-build: commit its go.mod and go.sum, then run $0 to build."
}

main() {
  local t0
  t0=$(now_ms)
  if [[ $mode == build ]] && is_installed; then
    log "up to date: helm $HELM_MODULE_VERSION in $TARGET"
    return 0
  fi
  mkdir -p "$CACHE"
  exec 9>"$CACHE/helm-binary.lock"
  if command -v flock >/dev/null && ! flock -n 9; then
    log "waiting for another $SCRIPT_NAME run to finish"
    flock 9
  fi
  case $mode in
    bump) timed "generate helm-build (helm.sh/helm/v3 $HELM_MODULE_VERSION)" bump ;;
    build | force)
      if [[ $mode == build ]] && is_installed; then
        log "up to date (installed by a concurrent run)"
        return 0
      fi
      build_all
      ;;
  esac
  log "total: $(fmt_ms $(($(now_ms) - t0)))"
}

main
