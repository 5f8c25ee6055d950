#!/usr/bin/env bash
# Builds the pinned external-dns (Go module sigs.k8s.io/external-dns) from source and installs it as
#
#   $MTASTS_CACHE/bin/external-dns
#
# with its DNSEndpoint CRD (config/crd/standard/ of the module) as
#
#   $MTASTS_CACHE/external-dns/<EXTERNAL_DNS_VERSION>/dnsendpoint-crd.yaml
#
# for the tests that run the real external-dns (crd and ingress sources; coredns, pdns and rfc2136 providers)
# against the test API server, CoreDNS's etcd, PowerDNS and Knot. The version and the module's h1: checksum come
# from versions.env (EXTERNAL_DNS_VERSION, EXTERNAL_DNS_MODULE_SUM); every dependency is pinned by the module's own
# go.sum.
#
# The module is copied out of the Go module cache into $MTASTS_CACHE/external-dns/<version>/src and that copy is
# edited before the build:
# - Four of its dependencies cannot be downloaded here (github.com/openshift/api, github.com/openshift/client-go,
#   github.com/civo/civogo, github.com/exoscale/egoscale/v3): the OpenShift route source goes (its files, its
#   imports and cases in source/store.go), the civo and exoscale providers with the others below.
# - Only the providers the tests run are built (KEPT_PROVIDERS: coredns, pdns, rfc2136): the other 18 that
#   provider/factory/provider.go imports (the cloud ones with their SDKs, inmemory, webhook) lose their imports,
#   their registrations and their folders; the webhook provider's api/ package stays, the controller imports it.
#   The dynamodb registry goes with them (it imports the aws provider). The other sources stay: they are one
#   package, source/, whose edit would be long for about a tenth of the compiled code.
# Their flags stay (plain settings, nothing uses them); --source=openshift-route, --registry=dynamodb and any
# other --provider then fail at start ("unknown dns provider: aws"). go.mod keeps the requires nothing imports
# any more, the four above among them: with the module graph pruned (go >= 1.17), `go build` fetches neither the
# sources nor the go.mod files of modules that provide no package it builds. Each edit checks that it hits
# exactly the lines it expects and stops otherwise, so a new upstream version fails here rather than building
# something else.
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
readonly RECIPE_REV=2
# The providers the tests run (operator/src/test/java/dev/mtasts/testing/stack/ExternalDns.java); the build
# keeps only these. The counts are what v0.23.0's provider/factory/provider.go holds besides them: imports
# (civo and exoscale among them, whose modules cannot be downloaded here) and registrations (azure has three,
# coredns two: coredns and skydns).
readonly KEPT_PROVIDERS=(coredns pdns rfc2136)
readonly REMOVED_PROVIDERS=18 REMOVED_REGISTRATIONS=20 KEPT_REGISTRATIONS=4

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
  remove source/openshift_route.go
  rm -f "$SRC"/source/openshift_route*_test.go

  drop source/store.go 1 '\#^\topenshift "github.com/openshift/client-go/route/clientset/versioned"$#'
  drop source/store.go 1 '/^\tOpenShiftClient() (openshift.Interface, error)$/'
  drop source/store.go 1 '/^\topenshiftClient  *openshift.Interface$/'
  drop source/store.go 2 '/^\tcase types.OpenShiftRoute:$/,/^\t\treturn buildOpenShiftRouteSource(ctx, p, cfg)$/'
  drop source/store.go 16 '\#^// OpenShiftClient generates an openshift client#,/^}$/'
  drop source/store.go 7 '/^func buildOpenShiftRouteSource(/,/^}$/'
}

# The providers the factory imports, minus KEPT_PROVIDERS: their imports, their registrations and their folders
# go, and with them the dynamodb registry, the one other package that imports a provider (aws). The webhook
# provider goes too, but not its api/ package: the controller serves any provider over it (--webhook-server).
# provider/blueprint (a zone cache the aws and azure providers shared) and provider/fakes stay: they are no
# providers, and nothing built imports them any more.
strip_providers() {
  local factory=provider/factory/provider.go removed=() name
  [[ -f $SRC/$factory ]] || die "edit: $factory is missing in $MODULE@$MODULE_VERSION"
  for name in $(sed -n 's#^\t"sigs.k8s.io/external-dns/provider/\([a-z0-9]*\)"$#\1#p' "$SRC/$factory"); do
    [[ " ${KEPT_PROVIDERS[*]} " == *" $name "* ]] || removed+=("$name")
  done
  [[ ${#removed[@]} -eq $REMOVED_PROVIDERS ]] ||
    die "edit: $factory imports ${#removed[@]} providers besides ${KEPT_PROVIDERS[*]} (${removed[*]}), expected $REMOVED_PROVIDERS (upstream changed: update $SCRIPT_NAME)"
  # The package names as alternatives: gone for sed (basic regular expressions), *_ere for grep -E.
  local gone_ere gone kept_ere
  gone_ere=$(IFS='|' && echo "${removed[*]}")
  gone=${gone_ere//|/\\|}
  kept_ere=$(IFS='|' && echo "${KEPT_PROVIDERS[*]}")
  drop "$factory" "$REMOVED_PROVIDERS" "\\#^\\t\"sigs.k8s.io/external-dns/provider/\\($gone\\)\"\$#"
  drop "$factory" "$REMOVED_REGISTRATIONS" "/^\\t\\texternaldns\\.Provider[A-Za-z0-9]*: *\\($gone\\)\\.New[A-Za-z]*,\$/"
  # What is left of the map: the kept providers' registrations and nothing else.
  local left
  left=$(sed -n '/^\tm := map\[string\]ProviderConstructor{$/,/^\t}$/p' "$SRC/$factory" | sed '1d;$d')
  [[ $(wc -l <<<"$left") -eq $KEPT_REGISTRATIONS ]] &&
    ! grep -qvE "^[[:space:]]+externaldns\.Provider[A-Za-z0-9]+: +($kept_ere)\.New," <<<"$left" ||
    die "edit: $factory should register only ${KEPT_PROVIDERS[*]} ($KEPT_REGISTRATIONS lines) now, but has:
$left"

  for name in "${removed[@]}"; do
    if [[ $name == webhook ]]; then
      remove provider/webhook/webhook.go provider/webhook/webhook_test.go
      [[ $(ls "$SRC/provider/webhook") == api ]] || die "edit: provider/webhook holds more than webhook.go, its test and api/"
    else
      remove "provider/$name"
    fi
  done

  remove registry/dynamodb
  drop registry/factory/registry.go 1 '\#^\t"sigs.k8s.io/external-dns/registry/dynamodb"$#'
  drop registry/factory/registry.go 1 '/^\t\texternaldns.RegistryDynamoDB: *dynamodb.New,$/'

  # Nothing the binary is built from may still name them (tests and the docs generators may: they are not built).
  left=$(cd "$SRC" && grep -rlE --include='*.go' --exclude='*_test.go' \
    "github.com/(openshift/(api|client-go)|civo/civogo|exoscale/egoscale)|external-dns/(provider/($gone_ere)|registry/dynamodb)\"|OpenShiftClient\(|NewOcpRouteSource|buildOpenShiftRouteSource" \
    . | grep -vE '^\./(internal/(testutils|gen)|tests|e2e)/' || true)
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
  timed "download module $MODULE@$MODULE_VERSION" download_pinned_module "$MODULE" "$MODULE_VERSION" EXTERNAL_DNS_MODULE_SUM
  timed "copy module to $SRC" copy_source
  timed "remove the OpenShift route source" strip_unavailable
  timed "remove all providers but ${KEPT_PROVIDERS[*]}, and the dynamodb registry" strip_providers
  timed "build external-dns" build_external_dns
  timed "verify version and install" verify_and_install
}

build_main external-dns "external-dns $MODULE_VERSION in $TARGET"
