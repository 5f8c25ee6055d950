#!/usr/bin/env bash
# Builds the pinned Traefik (Go module github.com/traefik/traefik/v3, cmd/traefik) from source and installs it as
#
#   $MTASTS_CACHE/bin/traefik
#
# for the tests that need a real Gateway API implementation: its kubernetesGateway provider programs Gateways and
# HTTPRoutes (it implements Gateway API v1.6.1; it does not implement ListenerSet) and writes their status, and its
# entry points serve the routes. The version and the module's h1: checksum come from versions.env (TRAEFIK_VERSION,
# TRAEFIK_MODULE_SUM); every dependency is pinned by the module's own go.sum.
#
# The module is copied out of the Go module cache into $MTASTS_CACHE/traefik/<version>/src and that copy is edited
# before the build, each time to take out something that cannot be built from the modules served here:
# - The ACME DNS-01 challenge: pkg/provider/acme imports github.com/go-acme/lego/v5/providers/dns, the registry of
#   all of lego's DNS providers, and 14 of their SDKs are refused (github.com/akamai/AkamaiOPEN-edgegrid-golang/v13,
#   github.com/aziontech/azionapi-go-sdk, github.com/dnsimple/dnsimple-go/v9, github.com/go-acme/alidns-20150109/v5,
#   github.com/go-acme/esa-20240910/v3, github.com/go-acme/tencentclouddnspod, github.com/go-acme/tencentedgdeone,
#   github.com/huaweicloud/huaweicloud-sdk-go-v3, github.com/nrdcg/oci-go-sdk/common/v1065 and dns/v1065,
#   github.com/regfish/regfish-dnsapi-go, github.com/sacloud/sacloud-sdk-go, github.com/ucloud/ucloud-sdk-go,
#   github.com/yandex-cloud/go-sdk/services/dns). The import goes and the provider lookup becomes the error "DNS-01
#   challenge providers are not built into this test binary"; the HTTP-01 and TLS-ALPN-01 challenges stay.
# - The BasicAuth and DigestAuth middlewares: go.mod replaces github.com/abbot/go-http-auth by Traefik's fork
#   github.com/containous/go-http-auth, which is refused, and upstream v0.4.0 lacks the fork's CheckSecret and
#   RequireAuthStale. Their two files go and building either middleware fails with "the BasicAuth (DigestAuth)
#   middleware is not built into this test binary", as a middleware with a bad configuration fails; the other
#   auth middlewares (ForwardAuth) stay. The other fork, github.com/containous/mux, is served and used as is.
# - github.com/traefik/traefik/dynamic/ext, a nested module (pkg/config/dynamic/ext, its own go.mod) that go.mod
#   replaces by that folder, which the module zip therefore does not hold. It holds two empty structs that
#   dynamic.HTTPConfiguration and dynamic.Router embed as extension points; the import, the two embedded fields
#   and their two deep-copy lines go. Nothing is read from them.
# go.mod keeps its requires and replaces: with the module graph pruned (go >= 1.17), `go build` fetches neither
# the sources nor the go.mod files of modules that provide no package it builds. Each edit checks that it hits
# exactly the lines it expects and stops otherwise, so a new upstream version fails here rather than building
# something else.
#
# Usage: test-infra/traefik.sh [--force | --help]
#   (none)   build + install, unless the install stamp already matches (quick no-op)
#   --force  rebuild + reinstall even when the stamp matches
#
# Environment:
#   MTASTS_CACHE       caches + bin/ (default ${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator)
#   MTASTS_BUILD_JOBS  parallel compile jobs, `go build -p` (default: number of CPUs)
set -Eeuo pipefail

readonly SCRIPT_NAME=traefik.sh
HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
readonly MODULE=github.com/traefik/traefik/v3
# Bump when the edits, build flags or the install layout change, so the installed binary gets rebuilt.
readonly RECIPE_REV=1

# shellcheck source=script-lib.sh
source "$HERE/script-lib.sh"

read_mode build force -- "$@"

# shellcheck source=versions.env source-path=SCRIPTDIR
source "$HERE/versions.env"
[[ ${TRAEFIK_VERSION:-} =~ ^3\.[0-9]+\.[0-9]+$ ]] ||
  die "versions.env: TRAEFIK_VERSION must look like 3.7.13 (Go module $MODULE), got '${TRAEFIK_VERSION:-}'"
[[ ${TRAEFIK_MODULE_SUM:-} == h1:* ]] || die "versions.env: TRAEFIK_MODULE_SUM must be the module's h1: checksum"
readonly MODULE_VERSION="v$TRAEFIK_VERSION"

set_build_jobs
readonly BIN_DIR="$CACHE/bin"
readonly TARGET="$BIN_DIR/traefik"
readonly STAMP="$BIN_DIR/.traefik-build-stamp"
readonly WORK_DIR="$CACHE/traefik/$TRAEFIK_VERSION"
readonly SRC="$WORK_DIR/src"

expected_stamp() {
  printf 'traefik=%s\nsum=%s\nrecipe=%s\n' "$TRAEFIK_VERSION" "$TRAEFIK_MODULE_SUM" "$RECIPE_REV"
}

is_installed() {
  [[ -x $TARGET && -f $STAMP && "$(<"$STAMP")" == "$(expected_stamp)" ]]
}

copy_source() {
  rm -rf "$SRC" "$SRC.partial"
  mkdir -p "$WORK_DIR"
  cp -R "$module_dir" "$SRC.partial"
  chmod -R u+w "$SRC.partial"
  mv "$SRC.partial" "$SRC"
}

# expect_line FILE LINE: FILE (relative to the copy) holds LINE exactly once, as a whole line.
expect_line() {
  local file="$SRC/$1" got
  [[ -f $file ]] || die "edit: $1 is missing in $MODULE@$MODULE_VERSION"
  got=$(grep -cFx -- "$2" "$file" || true)
  [[ $got -eq 1 ]] ||
    die "edit: $1 holds the line '$2' $got times, expected once (upstream changed: update $SCRIPT_NAME)"
}

# drop_line FILE LINE: deletes LINE, which FILE must hold exactly once.
drop_line() {
  expect_line "$1" "$2"
  LINE=$2 awk '$0 != ENVIRON["LINE"]' "$SRC/$1" >"$SRC/$1.edited"
  mv "$SRC/$1.edited" "$SRC/$1"
}

# replace_line FILE LINE NEW: replaces LINE, which FILE must hold exactly once, by NEW.
replace_line() {
  expect_line "$1" "$2"
  LINE=$2 NEW=$3 awk '{ print ($0 == ENVIRON["LINE"] ? ENVIRON["NEW"] : $0) }' "$SRC/$1" >"$SRC/$1.edited"
  mv "$SRC/$1.edited" "$SRC/$1"
}

# remove PATH...: deletes files of the copy that must exist.
remove() {
  local path
  for path in "$@"; do
    [[ -e $SRC/$path ]] || die "edit: $path is missing in $MODULE@$MODULE_VERSION (upstream changed: update $SCRIPT_NAME)"
    rm -rf "${SRC:?}/$path"
  done
}

strip_dns_challenge() {
  local file=pkg/provider/acme/provider.go
  drop_line "$file" $'\t"github.com/go-acme/lego/v5/providers/dns"'
  # provider.go already imports errors; `provider` is a challenge.Provider, so nil fits.
  replace_line "$file" $'\t\tprovider, err = dns.NewDNSChallengeProviderByName(p.DNSChallenge.Provider)' \
    $'\t\tprovider, err = nil, errors.New("DNS-01 challenge providers are not built into this test binary")'
}

strip_basic_digest_auth() {
  local file=pkg/server/middleware/middlewares.go
  remove pkg/middlewares/auth/basic_auth.go pkg/middlewares/auth/digest_auth.go
  rm -f "$SRC"/pkg/middlewares/auth/{basic,digest}_auth*_test.go
  # middlewares.go already imports errors, and still imports the auth package for ForwardAuth.
  replace_line "$file" $'\t\t\treturn auth.NewBasic(ctx, next, *config.BasicAuth, middlewareName)' \
    $'\t\t\treturn nil, errors.New("the BasicAuth middleware is not built into this test binary")'
  replace_line "$file" $'\t\t\treturn auth.NewDigest(ctx, next, *config.DigestAuth, middlewareName)' \
    $'\t\t\treturn nil, errors.New("the DigestAuth middleware is not built into this test binary")'
}

strip_dynamic_ext() {
  local config=pkg/config/dynamic/http_config.go deepcopy=pkg/config/dynamic/zz_generated.deepcopy.go
  [[ ! -e $SRC/pkg/config/dynamic/ext ]] || die "edit: the module now ships pkg/config/dynamic/ext: drop strip_dynamic_ext"
  drop_line "$config" $'\t"github.com/traefik/traefik/dynamic/ext"'
  drop_line "$config" $'\text.HTTP `yaml:",inline"`'
  drop_line "$config" $'\text.Router `yaml:",inline"`'
  drop_line "$deepcopy" $'\tout.HTTP = in.HTTP'
  drop_line "$deepcopy" $'\tout.Router = in.Router'
}

# Nothing the binary is built from may still name what went (tests and the integration suite may: not built).
check_stripped() {
  local left
  left=$(cd "$SRC" && grep -rlE --include='*.go' --exclude='*_test.go' \
    'github.com/(abbot/go-http-auth|go-acme/lego/v5/providers/dns"|traefik/traefik/dynamic/ext")|auth\.New(Basic|Digest)\(' \
    . | grep -vE '^\./integration/' || true)
  [[ -z $left ]] || die "edit: still referring to a removed package: $(tr '\n' ' ' <<<"$left")"
}

build_traefik() {
  mkdir -p "$BIN_DIR"
  local ldflags="-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION"
  (cd "$SRC" && go build -p "$JOBS" -trimpath -ldflags "$ldflags" -o "$TARGET.partial" ./cmd/traefik)
}

verify_and_install() {
  local out
  out=$("$TARGET.partial" version 2>&1)
  grep -qE "^Version:[[:space:]]+$TRAEFIK_VERSION\$" <<<"$out" ||
    die "traefik version does not say $TRAEFIK_VERSION:
$out"
  mv -f "$TARGET.partial" "$TARGET"
  expected_stamp >"$STAMP"
  log "    installed traefik $TRAEFIK_VERSION as $TARGET"
}

build_all() {
  setup_go
  timed "download module $MODULE@$MODULE_VERSION" download_pinned_module "$MODULE" "$MODULE_VERSION" TRAEFIK_MODULE_SUM
  timed "copy module to $SRC" copy_source
  timed "remove the ACME DNS-01 challenge providers (lego's DNS SDKs)" strip_dns_challenge
  timed "remove the BasicAuth and DigestAuth middlewares (go-http-auth fork)" strip_basic_digest_auth
  timed "remove the dynamic/ext extension module (not in the module zip)" strip_dynamic_ext
  timed "check nothing built names what was removed" check_stripped
  timed "build traefik" build_traefik
  timed "verify version and install" verify_and_install
}

build_main traefik "traefik $MODULE_VERSION in $TARGET"
