#!/usr/bin/env bash
# Builds the pinned external-dns (Go module sigs.k8s.io/external-dns) from source and installs it as
#
#   $MTASTS_CACHE/bin/external-dns
#
# with its DNSEndpoint CRD (config/crd/standard/ of the module) as
#
#   $MTASTS_CACHE/external-dns/<EXTERNAL_DNS_VERSION>/dnsendpoint-crd.yaml
#
# for the tests that run the real external-dns (crd source, rfc2136 provider) against the test API
# server and Knot. The version and the module's h1: checksum come from versions.env (EXTERNAL_DNS_VERSION,
# EXTERNAL_DNS_MODULE_SUM); every dependency is pinned by the module's own go.sum.
#
# Four of its dependencies cannot be downloaded here (github.com/openshift/api, github.com/openshift/client-go,
# github.com/civo/civogo, github.com/exoscale/egoscale/v3), so the module is copied out of the Go module cache
# into $MTASTS_CACHE/external-dns/<version>/src and that copy loses, before the build, the OpenShift route
# source and the civo and exoscale providers: their files, their imports and registrations, and their
# requires in go.mod. Their flags stay (plain settings, nothing uses them); --source=openshift-route and
# --provider=civo|exoscale then fail at start. Each edit checks that it hits exactly the lines it expects
# and stops otherwise, so a new upstream version fails here rather than building something else.
#
# Usage: test-infra/external-dns.sh [--force | --help]
#   (none)   build + install, unless the install stamp already matches (quick no-op)
#   --force  rebuild + reinstall even when the stamp matches
#
# Environment:
#   MTASTS_CACHE       caches + bin/ (default ${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator)
#   MTASTS_BUILD_JOBS  parallel compile jobs, `go build -p` (default: number of CPUs)
set -Eeuo pipefail

readonly SCRIPT_NAME=external-dns.sh
HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
readonly MODULE=sigs.k8s.io/external-dns
# external-dns 0.23 asks for go >= 1.27; this toolchain comes through the Go module proxy.
readonly GO_TOOLCHAIN=go1.27.3
readonly CRD_IN_MODULE=config/crd/standard/dnsendpoints.externaldns.k8s.io.yaml
# Bump when the edits, build flags or the install layout change, so the installed binary gets rebuilt.
readonly RECIPE_REV=1

# shellcheck source=script-lib.sh
source "$HERE/script-lib.sh"

read_mode build force -- "$@"

# shellcheck source=versions.env source-path=SCRIPTDIR
source "$HERE/versions.env"
[[ ${EXTERNAL_DNS_VERSION:-} =~ ^0\.[0-9]+\.[0-9]+$ ]] ||
  die "versions.env: EXTERNAL_DNS_VERSION must look like 0.23.0 (Go module $MODULE), got '${EXTERNAL_DNS_VERSION:-}'"
[[ ${EXTERNAL_DNS_MODULE_SUM:-} == h1:* ]] || die "versions.env: EXTERNAL_DNS_MODULE_SUM must be the module's h1: checksum"
readonly MODULE_VERSION="v$EXTERNAL_DNS_VERSION"

set_build_jobs
readonly BIN_DIR="$CACHE/bin"
readonly TARGET="$BIN_DIR/external-dns"
readonly STAMP="$BIN_DIR/.external-dns-build-stamp"
readonly WORK_DIR="$CACHE/external-dns/$EXTERNAL_DNS_VERSION"
readonly SRC="$WORK_DIR/src"
readonly CRD="$WORK_DIR/dnsendpoint-crd.yaml"

expected_stamp() {
  printf 'external-dns=%s\nsum=%s\ntoolchain=%s\nrecipe=%s\n' \
    "$EXTERNAL_DNS_VERSION" "$EXTERNAL_DNS_MODULE_SUM" "$GO_TOOLCHAIN" "$RECIPE_REV"
}

is_installed() {
  [[ -x $TARGET && -s $CRD && -f $STAMP && "$(<"$STAMP")" == "$(expected_stamp)" ]]
}

# The module's source folder in the shared Go module cache, after checking its checksum against the pin.
module_dir=""
download_module() {
  local json sum
  # Outside any module: `go mod download` then fetches exactly module@version.
  json=$(cd "$CACHE" && go mod download -json "$MODULE@$MODULE_VERSION")
  sum=$(sed -n 's/^[[:space:]]*"Sum": "\(.*\)",*$/\1/p' <<<"$json")
  module_dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p' <<<"$json")
  [[ -n $sum && -d $module_dir ]] || die "go mod download gave no checksum or folder for $MODULE@$MODULE_VERSION:
$json"
  [[ $sum == "$EXTERNAL_DNS_MODULE_SUM" ]] ||
    die "$MODULE@$MODULE_VERSION has checksum $sum, but versions.env pins EXTERNAL_DNS_MODULE_SUM=$EXTERNAL_DNS_MODULE_SUM"
}

copy_source() {
  rm -rf "$SRC" "$SRC.partial"
  mkdir -p "$WORK_DIR"
  cp -R "$module_dir" "$SRC.partial"
  chmod -R u+w "$SRC.partial"
  mv "$SRC.partial" "$SRC"
}

# drop FILE COUNT SED_ADDRESS: deletes the lines SED_ADDRESS selects in FILE (relative to the copy),
# which must be exactly COUNT lines.
drop() {
  local file="$SRC/$1" count=$2 address=$3 got
  [[ -f $file ]] || die "edit: $1 is missing in $MODULE@$MODULE_VERSION"
  got=$(sed -n "${address}p" "$file" | wc -l)
  [[ $got -eq $count ]] ||
    die "edit: '$address' selects $got lines of $1, expected $count (upstream changed: update $SCRIPT_NAME)"
  sed -i "${address}d" "$file"
}

# remove PATH...: deletes files or folders of the copy that must exist.
remove() {
  local path
  for path in "$@"; do
    [[ -e $SRC/$path ]] || die "edit: $path is missing in $MODULE@$MODULE_VERSION (upstream changed: update $SCRIPT_NAME)"
    rm -rf "${SRC:?}/$path"
  done
}

strip_unavailable() {
  remove provider/civo provider/exoscale source/openshift_route.go
  rm -f "$SRC"/source/openshift_route*_test.go

  drop provider/factory/provider.go 1 '\#^\t"sigs.k8s.io/external-dns/provider/civo"$#'
  drop provider/factory/provider.go 1 '\#^\t"sigs.k8s.io/external-dns/provider/exoscale"$#'
  drop provider/factory/provider.go 1 '/^\t\texternaldns.ProviderCivo: *civo.New,$/'
  drop provider/factory/provider.go 1 '/^\t\texternaldns.ProviderExoscale: *exoscale.New,$/'

  drop source/store.go 1 '\#^\topenshift "github.com/openshift/client-go/route/clientset/versioned"$#'
  drop source/store.go 1 '/^\tOpenShiftClient() (openshift.Interface, error)$/'
  drop source/store.go 1 '/^\topenshiftClient  *openshift.Interface$/'
  drop source/store.go 2 '/^\tcase types.OpenShiftRoute:$/,/^\t\treturn buildOpenShiftRouteSource(ctx, p, cfg)$/'
  drop source/store.go 16 '\#^// OpenShiftClient generates an openshift client#,/^}$/'
  drop source/store.go 7 '/^func buildOpenShiftRouteSource(/,/^}$/'

  local module
  for module in github.com/openshift/api github.com/openshift/client-go github.com/civo/civogo github.com/exoscale/egoscale/v3; do
    grep -q "^[[:space:]]*$module v" "$SRC/go.mod" || die "edit: go.mod of $MODULE@$MODULE_VERSION does not require $module"
    (cd "$SRC" && go mod edit -droprequire="$module")
  done

  # Nothing the binary is built from may still name them (tests may: they are not built).
  local left
  left=$(cd "$SRC" && grep -rlE --include='*.go' --exclude='*_test.go' \
    'github.com/(openshift/(api|client-go)|civo/civogo|exoscale/egoscale)|external-dns/provider/(civo|exoscale)"|OpenShiftClient\(|NewOcpRouteSource|buildOpenShiftRouteSource' \
    . | grep -vE '^\./(internal/testutils|tests|e2e)/' || true)
  [[ -z $left ]] || die "edit: still referring to a removed package: $(tr '\n' ' ' <<<"$left")"
}

build_external_dns() {
  mkdir -p "$BIN_DIR"
  local ldflags="-s -w -X sigs.k8s.io/external-dns/pkg/apis/externaldns.Version=$MODULE_VERSION"
  (cd "$SRC" && go build -p "$JOBS" -trimpath -ldflags "$ldflags" -o "$TARGET.partial" .)
}

verify_and_install() {
  local out
  out=$("$TARGET.partial" --version 2>&1)
  [[ $out == "$MODULE_VERSION" ]] || die "external-dns --version says '$out', expected '$MODULE_VERSION'"
  local source="$SRC/$CRD_IN_MODULE"
  [[ -f $source ]] || die "$MODULE@$MODULE_VERSION has no $CRD_IN_MODULE"
  grep -q '^  name: dnsendpoints.externaldns.k8s.io$' "$source" || die "$source is not the CRD dnsendpoints.externaldns.k8s.io"
  cp "$source" "$CRD.partial"
  chmod 644 "$CRD.partial"
  mv -f "$CRD.partial" "$CRD"
  mv -f "$TARGET.partial" "$TARGET"
  expected_stamp >"$STAMP"
  log "    installed external-dns $out as $TARGET, its DNSEndpoint CRD as $CRD"
}

build_all() {
  setup_go
  export GOTOOLCHAIN=$GO_TOOLCHAIN
  step="go toolchain $GO_TOOLCHAIN"
  [[ $(cd "$CACHE" && go env GOVERSION) == "$GO_TOOLCHAIN" ]] || die "could not switch to Go toolchain $GO_TOOLCHAIN"
  log "building with $(cd "$CACHE" && go version)"
  timed "download module $MODULE@$MODULE_VERSION" download_module
  timed "copy module to $SRC" copy_source
  timed "remove OpenShift route source, civo and exoscale providers" strip_unavailable
  timed "build external-dns" build_external_dns
  timed "verify version and install" verify_and_install
}

build_main external-dns "external-dns $MODULE_VERSION in $TARGET"
