#!/usr/bin/env bash
# Fetches the standard-channel Gateway API CRDs (config/crd/standard/*.yaml of the Go module
# sigs.k8s.io/gateway-api) at the pinned version and caches them as
#
#   $MTASTS_CACHE/gateway-api/<GATEWAY_API_VERSION>/crds/gateway.networking.k8s.io_<plural>.yaml
#
# for the tests that install them on the test API server: the HTTPRoutes and ListenerSets the operator renders
# must pass the real schemas under strict server-side apply, and the real-stack gateway scenarios run a Gateway
# API implementation on them. The module ships one more file there, a ValidatingAdmissionPolicy that guards CRD
# upgrades (gateway.networking.k8s.io_vap_safeupgrades.yaml); it is left out: it is no CRD, and the test API
# server only ever installs this one bundle. The version and the module's checksum (the h1: hash that go.sum would
# hold) come from versions.env (GATEWAY_API_VERSION, GATEWAY_API_MODULE_SUM): the download is refused when the
# module is not exactly the pinned one. Nothing is built.
#
# Usage: test-infra/gateway-api.sh [--force | --help]
#   (none)   fetch, unless the cached files already match the pin (quick no-op)
#   --force  fetch again even when they match
#
# Environment:
#   MTASTS_CACHE  caches (default ${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator)
set -Eeuo pipefail

readonly SCRIPT_NAME=gateway-api.sh
HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
readonly MODULE=sigs.k8s.io/gateway-api
readonly CRDS_IN_MODULE=config/crd/standard
# The CRDs the operator writes or reads; the bundle must hold them, whatever else it holds.
readonly REQUIRED=(gateways httproutes listenersets gatewayclasses referencegrants)

# shellcheck source=script-lib.sh
source "$HERE/script-lib.sh"

read_mode fetch force -- "$@"

# shellcheck source=versions.env source-path=SCRIPTDIR
source "$HERE/versions.env"
[[ ${GATEWAY_API_VERSION:-} =~ ^1\.[0-9]+\.[0-9]+$ ]] ||
  die "versions.env: GATEWAY_API_VERSION must look like 1.6.3 (Go module $MODULE), got '${GATEWAY_API_VERSION:-}'"
[[ ${GATEWAY_API_MODULE_SUM:-} == h1:* ]] || die "versions.env: GATEWAY_API_MODULE_SUM must be the module's h1: checksum"

readonly TARGET_DIR="$CACHE/gateway-api/$GATEWAY_API_VERSION/crds"
readonly STAMP="$TARGET_DIR/.stamp"

expected_stamp() { printf 'module=%s@v%s\nsum=%s\n' "$MODULE" "$GATEWAY_API_VERSION" "$GATEWAY_API_MODULE_SUM"; }

is_installed() { [[ -f $STAMP && "$(<"$STAMP")" == "$(expected_stamp)" ]]; }

install_crds() {
  local source="$module_dir/$CRDS_IN_MODULE" plural file count=0
  [[ -d $source ]] || die "$MODULE@v$GATEWAY_API_VERSION has no $CRDS_IN_MODULE"
  for plural in "${REQUIRED[@]}"; do
    grep -q "^  name: $plural.gateway.networking.k8s.io$" "$source/gateway.networking.k8s.io_$plural.yaml" ||
      die "$source has no CRD $plural.gateway.networking.k8s.io"
  done
  rm -rf "$TARGET_DIR.partial"
  mkdir -p "$TARGET_DIR.partial"
  for file in "$source"/gateway.networking.k8s.io_*.yaml; do
    grep -q '^kind: CustomResourceDefinition$' "$file" || continue
    grep -q '^    gateway.networking.k8s.io/channel: standard$' "$file" || die "$file is not of the standard channel"
    cp "$file" "$TARGET_DIR.partial/"
    count=$((count + 1))
  done
  chmod 644 "$TARGET_DIR.partial"/*.yaml
  expected_stamp >"$TARGET_DIR.partial/.stamp"
  rm -rf "$TARGET_DIR"
  mv "$TARGET_DIR.partial" "$TARGET_DIR"
  log "    installed $count CRDs in $TARGET_DIR"
}

main() {
  local t0
  t0=$(now_ms)
  if [[ $mode == fetch ]] && is_installed; then
    log "up to date: Gateway API $GATEWAY_API_VERSION standard CRDs in $TARGET_DIR"
    return 0
  fi
  mkdir -p "$CACHE"
  setup_go
  timed "download module $MODULE@v$GATEWAY_API_VERSION" download_pinned_module "$MODULE" "v$GATEWAY_API_VERSION" GATEWAY_API_MODULE_SUM
  timed "install $CRDS_IN_MODULE" install_crds
  log "total: $(fmt_ms $(($(now_ms) - t0)))"
}

main
