#!/usr/bin/env bash
# Builds pinned kube-apiserver, kubectl, kube-controller-manager and kube-scheduler (Go module
# k8s.io/kubernetes) and etcd (Go module go.etcd.io/etcd/server/v3) from source with the local Go
# toolchain, and installs them where Fabric8 kube-api-test looks for them (it would otherwise try
# to download release binaries, which this environment cannot reach):
#
#   ${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/<K8S_VERSION>-<os>-<arch>/{kube-apiserver,kubectl,etcd,
#                                                                     kube-controller-manager,kube-scheduler}
#
# and symlinks them into $MTASTS_CACHE/bin so that other scripts can put kubectl on PATH.
# kube-api-test itself only runs kube-apiserver and etcd; the controller manager and scheduler
# (with kwok.sh's fake nodes) are for tests that need Deployments to roll out.
# Versions come from versions.env; module checksums from k8s-build/ and etcd-build/.
#
# Usage: test-infra/k8s-binaries.sh [--force | --bump | --print-dir | --help]
#   (none)       build + install, unless the install stamp already matches (quick no-op)
#   --force      rebuild + reinstall even when the stamp matches
#   --bump       regenerate k8s-build/ and etcd-build/ (go.mod + go.sum) from versions.env
#   --print-dir  print the kube-api-test binary directory of the pinned version and exit
#
# Environment:
#   MTASTS_CACHE       caches + bin/ (default ${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator)
#   KUBE_API_TEST_DIR  kube-api-test's directory (default $HOME/.kubeapitest, as kube-api-test)
#   MTASTS_BUILD_JOBS  parallel compile jobs, `go build -p` (default: number of CPUs)
set -Eeuo pipefail

readonly SCRIPT_NAME=k8s-binaries.sh
HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
# Bump when build flags or the install layout change, so installed binaries get rebuilt.
readonly RECIPE_REV=2
readonly BINARIES=(kube-apiserver kubectl kube-controller-manager kube-scheduler etcd)
# The k8s.io/kubernetes commands among them: BINARIES minus etcd, and the tool list of k8s-build/go.mod.
readonly K8S_COMMANDS=(kube-apiserver kubectl kube-controller-manager kube-scheduler)
# Same tags as upstream release builds (hack/lib/golang.sh, non-debug).
readonly K8S_TAGS=selinux,notest,grpcnotrace

# shellcheck source=script-lib.sh
source "$HERE/script-lib.sh"

# --- configuration -----------------------------------------------------------------------

read_mode build force bump print-dir -- "$@"

# shellcheck source=versions.env source-path=SCRIPTDIR
source "$HERE/versions.env"
semver='^[0-9]+\.[0-9]+\.[0-9]+$'
# kube-api-test parses its directory names as dot-separated integers: no "v", no suffix.
[[ ${K8S_VERSION:-} =~ $semver ]] || die "versions.env: K8S_VERSION must look like 1.37.2, got '${K8S_VERSION:-}'"
[[ ${ETCD_VERSION:-} =~ $semver ]] || die "versions.env: ETCD_VERSION must look like 3.6.16, got '${ETCD_VERSION:-}'"
readonly K8S_MODULE_VERSION="v$K8S_VERSION"
# Staging modules (k8s.io/api, ...) are published as v0.<minor>.<patch> of the same release.
readonly STAGING_VERSION="v0.${K8S_VERSION#*.}"
readonly ETCD_MODULE_VERSION="v$ETCD_VERSION"

KAT_DIR=${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}
set_build_jobs

# kube-api-test's OSInfo: lower-cased os.name, and arch "arm64" for aarch64, else "amd64".
case "$(uname -s)" in
  Linux) OS=linux ;;
  Darwin) OS=darwin ;;
  *) die "unsupported OS $(uname -s)" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) ARCH=amd64 ;;
  aarch64 | arm64) ARCH=arm64 ;;
  *) die "unsupported CPU $(uname -m) (kube-api-test would look for an amd64 directory)" ;;
esac

readonly INSTALL_DIR="$KAT_DIR/k8s/$K8S_VERSION-$OS-$ARCH"
# Same parent as INSTALL_DIR so the final rename is atomic; the suffix keeps kube-api-test
# from taking it for a version directory (it lists names ending in -<os>-<arch>).
readonly STAGE_DIR="$INSTALL_DIR.partial"
readonly STAMP="$INSTALL_DIR/.mta-sts-build-stamp"
readonly BIN_DIR="$CACHE/bin"

if [[ $mode == print-dir ]]; then
  echo "$INSTALL_DIR"
  exit 0
fi

# What the installed binaries were built from; any change triggers a rebuild.
expected_stamp() {
  printf 'k8s=%s\netcd=%s\nos-arch=%s-%s\nrecipe=%s\n' \
    "$K8S_VERSION" "$ETCD_VERSION" "$OS" "$ARCH" "$RECIPE_REV"
  (cd "$HERE" && sha256sum k8s-build/go.mod k8s-build/go.sum etcd-build/go.mod etcd-build/go.sum)
}

is_installed() {
  [[ -f $STAMP && "$(<"$STAMP")" == "$(expected_stamp)" ]] || return 1
  local b
  for b in "${BINARIES[@]}"; do
    [[ -x $INSTALL_DIR/$b && $BIN_DIR/$b -ef $INSTALL_DIR/$b ]] || return 1
  done
}

# required_version MODULE GOMOD: the version GOMOD requires MODULE at (block or one-line form).
required_version() {
  [[ -f $2 ]] || return 0
  awk -v m="$1" '{ sub(/^require[ \t]+/, "") } $1 == m && $2 ~ /^v/ { print $2; exit }' "$2"
}

# Fails when go.mod does not pin what versions.env says (forgotten --bump).
check_modules() {
  local got
  got=$(required_version k8s.io/kubernetes "$HERE/k8s-build/go.mod")
  [[ $got == "$K8S_MODULE_VERSION" ]] ||
    die "k8s-build/go.mod pins k8s.io/kubernetes '${got:-nothing}' but versions.env says $K8S_MODULE_VERSION: run $0 --bump"
  local bad
  bad=$(awk -v want="$STAGING_VERSION" '$1 ~ /^k8s\.io\// && $2 == "=>" && $4 != want {print $1 " " $4}' "$HERE/k8s-build/go.mod")
  [[ -z $bad ]] || die "k8s-build/go.mod replaces staging modules with other versions than $STAGING_VERSION ($(echo "$bad" | head -n1) ...): run $0 --bump"
  local c
  for c in "${K8S_COMMANDS[@]}"; do
    grep -qE "^(tool)?[[:space:]]+k8s\.io/kubernetes/cmd/$c\$" "$HERE/k8s-build/go.mod" ||
      die "k8s-build/go.mod has no tool line for k8s.io/kubernetes/cmd/$c (built since recipe 2): run $0 --bump"
  done
  got=$(required_version go.etcd.io/etcd/server/v3 "$HERE/etcd-build/go.mod")
  [[ $got == "$ETCD_MODULE_VERSION" ]] ||
    die "etcd-build/go.mod pins go.etcd.io/etcd/server/v3 '${got:-nothing}' but versions.env says $ETCD_MODULE_VERSION: run $0 --bump"
}

# --- build -------------------------------------------------------------------------------

download_modules() {
  # Checks every download against the committed go.sum.
  (cd "$HERE/k8s-build" && go mod download)
  (cd "$HERE/etcd-build" && go mod download)
}

k8s_ldflags() {
  # What hack/lib/version.sh sets for a release build; /version and `kubectl version` show
  # it, and gitMajor/gitMinor feed the apiserver's binary (emulation) version. buildDate is
  # the release's module timestamp, so that rebuilds give identical binaries.
  local build_date major=${K8S_VERSION%%.*} minor
  minor=${K8S_VERSION#*.}
  minor=${minor%%.*}
  build_date=$(cd "$HERE/k8s-build" && go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' k8s.io/kubernetes)
  local flags="-s -w" pkg
  for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    flags+=" -X $pkg.gitVersion=$K8S_MODULE_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.buildDate=$build_date"
  done
  echo "$flags"
}

set_k8s_ldflags() { K8S_LDFLAGS=$(k8s_ldflags); }

build_k8s() { # build_k8s NAME PACKAGE
  (cd "$HERE/k8s-build" &&
    go build -p "$JOBS" -trimpath -tags "$K8S_TAGS" -ldflags "$K8S_LDFLAGS" -o "$STAGE_DIR/$1" "$2")
}

build_etcd() {
  # etcd's version is a constant in go.etcd.io/etcd/api/v3/version; only GitSHA is set at
  # link time upstream, and a module download has no git hash to put there.
  (cd "$HERE/etcd-build" &&
    go build -p "$JOBS" -trimpath \
      -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=module-$ETCD_MODULE_VERSION" \
      -o "$STAGE_DIR/etcd" go.etcd.io/etcd/server/v3)
}

# Refuses to install binaries that do not report the pinned versions.
verify_stage() {
  local out
  local b
  for b in kube-apiserver kube-controller-manager kube-scheduler; do
    out=$("$STAGE_DIR/$b" --version)
    [[ $out == "Kubernetes $K8S_MODULE_VERSION" ]] || die "$b --version says '$out', expected 'Kubernetes $K8S_MODULE_VERSION'"
  done
  out=$("$STAGE_DIR/kubectl" version --client)
  [[ $out == *"Client Version: $K8S_MODULE_VERSION"* ]] || die "kubectl version --client says '$out'"
  out=$("$STAGE_DIR/etcd" --version)
  [[ $out == *"etcd Version: $ETCD_VERSION"* ]] || die "etcd --version says '$out'"
  log "    $("$STAGE_DIR/kube-apiserver" --version): kube-apiserver, kubectl, kube-controller-manager, kube-scheduler; etcd $ETCD_VERSION"
}

install_stage() {
  expected_stamp >"$STAGE_DIR/.mta-sts-build-stamp"
  chmod 0755 "$STAGE_DIR"/*
  # Swap directories so kube-api-test never sees a half-filled version directory.
  rm -rf "$INSTALL_DIR.old"
  if [[ -e $INSTALL_DIR ]]; then mv "$INSTALL_DIR" "$INSTALL_DIR.old"; fi
  mv "$STAGE_DIR" "$INSTALL_DIR"
  rm -rf "$INSTALL_DIR.old"
  mkdir -p "$BIN_DIR"
  local b
  for b in "${BINARIES[@]}"; do ln -sfn "$INSTALL_DIR/$b" "$BIN_DIR/$b"; done
  log "    installed into $INSTALL_DIR"
  log "    linked from $BIN_DIR (add it to PATH for kubectl)"
}

build_all() {
  setup_go
  timed "check go.mod against versions.env" check_modules
  timed "download modules (k8s.io/kubernetes $K8S_MODULE_VERSION, etcd $ETCD_MODULE_VERSION)" download_modules
  timed "compute version ldflags" set_k8s_ldflags
  rm -rf "$STAGE_DIR"
  mkdir -p "$STAGE_DIR"
  local c
  for c in "${K8S_COMMANDS[@]}"; do timed "build $c" build_k8s "$c" "k8s.io/kubernetes/cmd/$c"; done
  timed "build etcd" build_etcd
  timed "verify versions" verify_stage
  timed "install" install_stage
}

# --- bump: regenerate the build modules from versions.env -----------------------------------

# module_gomod MODULE@VERSION: prints the path of that module's go.mod in the module cache.
module_gomod() {
  (cd "$CACHE" && go mod download -json "$1") | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p'
}

# The godebug line/block of a go.mod (k8s.io/kubernetes sets "default=go1.NN"); godebug of a
# dependency does not apply to us, so copy it to build with the settings upstream uses.
godebug_of() { awk '/^godebug \(/{b=1} b||/^godebug /{print} b&&/^\)/{b=0}' "$1"; }

# new_module DIR: generate into DIR.new from stdin (go.mod), tidy, then replace DIR.
new_module() {
  local dir=$1
  rm -rf "$dir.new"
  mkdir -p "$dir.new"
  cat >"$dir.new/go.mod"
  # tidy adds every module the tools need and writes go.sum (checked against the checksum DB).
  (cd "$dir.new" && GOFLAGS="-modcacherw -buildvcs=false" go mod tidy)
  rm -rf "$dir"
  mv "$dir.new" "$dir"
}

gen_k8s_module() {
  local gomod staging m
  gomod=$(module_gomod "k8s.io/kubernetes@$K8S_MODULE_VERSION")
  [[ -f $gomod ]] || die "could not resolve k8s.io/kubernetes@$K8S_MODULE_VERSION"
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with
  # ./staging/src/k8s.io/...; replaces do not apply to dependents, so we must add them.
  staging=$(awk '$2 == "=>" && $3 ~ /^\.\/staging\/src\// {print $1}' "$gomod")
  [[ -n $staging ]] || die "no staging replaces found in $gomod"
  {
    echo "// Generated by test-infra/k8s-binaries.sh --bump from versions.env; do not edit."
    echo "module mta-sts-operator/test-infra/k8s-build"
    echo
    grep -E '^go [0-9]' "$gomod"
    echo
    godebug_of "$gomod"
    echo
    echo "tool ("
    printf '\tk8s.io/kubernetes/cmd/%s\n' "${K8S_COMMANDS[@]}"
    echo ")"
    echo
    echo "require k8s.io/kubernetes $K8S_MODULE_VERSION"
    echo
    echo "// k8s.io/kubernetes requires these at v0.0.0 and points them at ./staging/src; use"
    echo "// the published releases of the same Kubernetes version instead."
    echo "replace ("
    for m in $staging; do printf '\t%s => %s %s\n' "$m" "$m" "$STAGING_VERSION"; done
    echo ")"
  } | new_module "$HERE/k8s-build"
}

gen_etcd_module() {
  local gomod
  gomod=$(module_gomod "go.etcd.io/etcd/server/v3@$ETCD_MODULE_VERSION")
  [[ -f $gomod ]] || die "could not resolve go.etcd.io/etcd/server/v3@$ETCD_MODULE_VERSION"
  {
    echo "// Generated by test-infra/k8s-binaries.sh --bump from versions.env; do not edit."
    echo "// Separate from k8s-build so etcd can be pinned independently of the version"
    echo "// k8s.io/kubernetes itself requires (one module would force the higher one)."
    echo "module mta-sts-operator/test-infra/etcd-build"
    echo
    grep -E '^go [0-9]' "$gomod"
    echo
    echo "tool go.etcd.io/etcd/server/v3"
    echo
    echo "require go.etcd.io/etcd/server/v3 $ETCD_MODULE_VERSION"
  } | new_module "$HERE/etcd-build"
}

bump() {
  setup_go
  timed "generate k8s-build (k8s.io/kubernetes $K8S_MODULE_VERSION)" gen_k8s_module
  timed "generate etcd-build (go.etcd.io/etcd/server/v3 $ETCD_MODULE_VERSION)" gen_etcd_module
  step="bump"
  log "regenerated test-infra/k8s-build and test-infra/etcd-build: commit their go.mod and go.sum,"
  log "then run $0 to build."
}

# --- main --------------------------------------------------------------------------------

main() {
  local t0
  t0=$(now_ms)
  if [[ $mode == build ]] && is_installed; then
    log "up to date: ${K8S_COMMANDS[*]} $K8S_MODULE_VERSION, etcd $ETCD_MODULE_VERSION in $INSTALL_DIR"
    return 0
  fi
  mkdir -p "$CACHE" "$KAT_DIR/k8s"
  lock k8s-binaries
  case $mode in
    bump) bump ;;
    build | force)
      # The run we waited for may have installed the same versions already.
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
