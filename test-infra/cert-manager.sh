#!/usr/bin/env bash
# Builds a cert-manager controller for the tests from the pinned Go module github.com/cert-manager/cert-manager
# and installs it, with the module's CRDs, as
#
#   $MTASTS_CACHE/bin/cert-manager-controller
#   $MTASTS_CACHE/cert-manager/<CERT_MANAGER_VERSION>/crds.yaml
#
# The main is our own (cert-manager-build/main.go): upstream's lives in a module of its own that cannot be
# fetched here, and its imports reach the Venafi issuer, whose module cannot be fetched either. It runs the
# Certificate, CertificateRequest (approver, CA, SelfSigned) and Issuer/ClusterIssuer controllers; no webhook,
# no leader election. Run it as
#
#   cert-manager-controller --kubeconfig FILE [--cluster-resource-namespace NS] [--namespace NS] [--v 2]
#
# crds.yaml is the module's deploy/crds/*.yaml, one document per CRD (the plain controller-gen output; the
# Helm chart's templates carry the same specs), for `kubectl apply -f` (the largest last-applied annotation,
# issuers', is 146 kB, under the 256 KiB limit).
# The version comes from versions.env (CERT_MANAGER_VERSION); module checksums from cert-manager-build/
# (go.mod + go.sum, committed).
#
# Usage: test-infra/cert-manager.sh [--force | --bump | --help]
#   (none)   build + install, unless the install stamp already matches (quick no-op)
#   --force  rebuild + reinstall even when the stamp matches
#   --bump   regenerate cert-manager-build/go.mod + go.sum from versions.env (main.go stays)
#
# Environment:
#   MTASTS_CACHE       caches + bin/ (default ${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator)
#   MTASTS_BUILD_JOBS  parallel compile jobs, `go build -p` (default: number of CPUs)
set -Eeuo pipefail

readonly SCRIPT_NAME=cert-manager.sh
HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
readonly MODULE=github.com/cert-manager/cert-manager
readonly BUILD_DIR="$HERE/cert-manager-build"
# Bump when build flags or the install layout change, so the installed binary gets rebuilt.
readonly RECIPE_REV=1
# The CRDs crds.yaml must hold, one each.
readonly CRD_NAMES=(certificaterequests.cert-manager.io certificates.cert-manager.io
  challenges.acme.cert-manager.io clusterissuers.cert-manager.io issuers.cert-manager.io
  orders.acme.cert-manager.io)

# shellcheck source=script-lib.sh
source "$HERE/script-lib.sh"

read_mode build force bump -- "$@"

# shellcheck source=versions.env source-path=SCRIPTDIR
source "$HERE/versions.env"
[[ ${CERT_MANAGER_VERSION:-} =~ ^1\.[0-9]+\.[0-9]+$ ]] ||
  die "versions.env: CERT_MANAGER_VERSION must look like 1.21.2, got '${CERT_MANAGER_VERSION:-}'"
readonly MODULE_VERSION="v$CERT_MANAGER_VERSION"

set_build_jobs
readonly BIN_DIR="$CACHE/bin"
readonly TARGET="$BIN_DIR/cert-manager-controller"
readonly STAMP="$BIN_DIR/.cert-manager-controller-build-stamp"
readonly CRD_DIR="$CACHE/cert-manager/$CERT_MANAGER_VERSION"
readonly CRDS="$CRD_DIR/crds.yaml"

expected_stamp() {
  printf 'cert-manager=%s\nrecipe=%s\n' "$CERT_MANAGER_VERSION" "$RECIPE_REV"
  (cd "$HERE" && sha256sum cert-manager-build/go.mod cert-manager-build/go.sum cert-manager-build/main.go)
}

is_installed() {
  [[ -x $TARGET && -s $CRDS && -f $STAMP && "$(<"$STAMP")" == "$(expected_stamp)" ]]
}

check_module() {
  local got
  got=$(awk '{ sub(/^require[ \t]+/, "") } $1 == "github.com/cert-manager/cert-manager" && $2 ~ /^v/ { print $2; exit }' \
    "$BUILD_DIR/go.mod")
  [[ $got == "$MODULE_VERSION" ]] ||
    die "cert-manager-build/go.mod pins $MODULE '${got:-nothing}' but versions.env says $MODULE_VERSION: run $0 --bump"
}

module_dir=""
download_module() {
  (cd "$BUILD_DIR" && go mod download)
  module_dir=$(cd "$BUILD_DIR" && go list -m -f '{{.Dir}}' "$MODULE")
  [[ -d $module_dir/deploy/crds ]] || die "$MODULE@$MODULE_VERSION has no deploy/crds in the module cache ($module_dir)"
}

build_controller() {
  mkdir -p "$BIN_DIR"
  # AppVersion goes into the user agent and the field manager, as in upstream's release builds.
  (cd "$BUILD_DIR" &&
    go build -p "$JOBS" -trimpath \
      -ldflags "-s -w -X $MODULE/pkg/util.AppVersion=$MODULE_VERSION" \
      -o "$TARGET.partial" .)
}

# deploy/crds/*.yaml, joined into one file of six documents. They are plain YAML today; a release whose files
# turn into templates must fail here, not at `kubectl apply`.
extract_crds() {
  local src="$module_dir/deploy/crds" f name
  mkdir -p "$CRD_DIR"
  : >"$CRDS.partial"
  for f in "$src"/*.yaml; do
    if grep -q '{{' "$f"; then
      die "$f holds template directives ({{ ... }}); teach extract_crds to render them"
    fi
    # Each file begins with its own `---`; make sure of it, so the documents stay apart.
    head -n1 "$f" | grep -qx -- '---' || echo '---' >>"$CRDS.partial"
    cat "$f" >>"$CRDS.partial"
  done
  for name in "${CRD_NAMES[@]}"; do
    [[ $(grep -c "^  name: $name\$" "$CRDS.partial") == 1 ]] || die "$src does not hold exactly one CRD $name"
  done
  [[ $(grep -c '^kind: CustomResourceDefinition$' "$CRDS.partial") == "${#CRD_NAMES[@]}" ]] ||
    die "$src holds other CRDs than the ${#CRD_NAMES[@]} expected: ${CRD_NAMES[*]}"
  chmod 644 "$CRDS.partial"
  mv -f "$CRDS.partial" "$CRDS"
  log "    wrote $CRDS (${#CRD_NAMES[@]} CRDs, $(wc -c <"$CRDS") bytes)"
}

verify_and_install() {
  local out
  out=$("$TARGET.partial" --version)
  [[ $out == "cert-manager-controller $MODULE_VERSION "* ]] ||
    die "cert-manager-controller --version says '$out', expected $MODULE_VERSION"
  mv -f "$TARGET.partial" "$TARGET"
  expected_stamp >"$STAMP"
  log "    installed $out as $TARGET"
}

build_all() {
  setup_go
  timed "check go.mod against versions.env" check_module
  timed "download modules ($MODULE $MODULE_VERSION)" download_module
  timed "build cert-manager-controller" build_controller
  timed "extract CRDs from deploy/crds" extract_crds
  timed "verify version and install" verify_and_install
}

bump() {
  setup_go
  local gomod dir="$BUILD_DIR"
  gomod=$( (cd "$CACHE" && go mod download -json "$MODULE@$MODULE_VERSION") |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')
  [[ -f $gomod ]] || die "could not resolve $MODULE@$MODULE_VERSION"
  rm -rf "$dir.new"
  mkdir -p "$dir.new"
  cp "$dir/main.go" "$dir.new/main.go"
  {
    echo "// The cert-manager controller for the tests: our own main (main.go) over the controller packages of"
    echo "// $MODULE, pinned here; test-infra/cert-manager.sh builds it. Regenerate with"
    echo "// test-infra/cert-manager.sh --bump after changing CERT_MANAGER_VERSION in versions.env."
    echo "module mta-sts-operator/test-infra/cert-manager-build"
    echo
    grep -E '^go [0-9]' "$gomod"
    echo
    echo "require $MODULE $MODULE_VERSION"
  } >"$dir.new/go.mod"
  (cd "$dir.new" && GOFLAGS="-modcacherw -buildvcs=false" go mod tidy)
  # The point of our own main: no package it links may reach the Venafi client, whose module cannot be
  # fetched (tidy would fail first; this names the reason).
  if (cd "$dir.new" && go list -mod=mod -deps .) | grep -q '^github.com/Venafi/vcert'; then
    die "main.go's imports now reach github.com/Venafi/vcert (the Venafi issuer): drop the package that pulls it in"
  fi
  rm -rf "$dir"
  mv "$dir.new" "$dir"
  step=bump
  log "regenerated test-infra/cert-manager-build: commit its go.mod and go.sum, then run $0 to build."
}

build_main cert-manager "cert-manager $MODULE_VERSION in $TARGET, CRDs in $CRDS" "generate cert-manager-build ($MODULE $MODULE_VERSION)"
