#!/usr/bin/env bash
# Fetches Argo CD's own Application CRD (manifests/crds/application-crd.yaml of the Go module
# github.com/argoproj/argo-cd/v3) at the pinned version and caches it as
#
#   $MTASTS_CACHE/argocd/<ARGOCD_VERSION>/application-crd.yaml
#
# for ArgoCdExamplesIT, which installs it into the test API server and dry-runs
# examples/argocd/application.yaml against it. The version and the module's checksum (the h1: hash
# that go.sum would hold) come from versions.env (ARGOCD_VERSION, ARGOCD_MODULE_SUM): the download
# is refused when the module is not exactly the pinned one. Nothing is built.
#
# Usage: test-infra/argocd-crd.sh [--force | --help]
#   (none)   fetch, unless the cached file already matches the pin (quick no-op)
#   --force  fetch again even when it matches
#
# Environment:
#   MTASTS_CACHE  caches (default ${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator)
set -Eeuo pipefail

readonly SCRIPT_NAME=argocd-crd.sh
HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
readonly MODULE=github.com/argoproj/argo-cd/v3
readonly CRD_IN_MODULE=manifests/crds/application-crd.yaml

# shellcheck source=script-lib.sh
source "$HERE/script-lib.sh"

read_mode fetch force -- "$@"

# shellcheck source=versions.env source-path=SCRIPTDIR
source "$HERE/versions.env"
[[ ${ARGOCD_VERSION:-} =~ ^3\.[0-9]+\.[0-9]+$ ]] ||
  die "versions.env: ARGOCD_VERSION must look like 3.6.1 (Go module $MODULE), got '${ARGOCD_VERSION:-}'"
[[ ${ARGOCD_MODULE_SUM:-} == h1:* ]] || die "versions.env: ARGOCD_MODULE_SUM must be the module's h1: checksum"

readonly TARGET_DIR="$CACHE/argocd/$ARGOCD_VERSION"
readonly TARGET="$TARGET_DIR/application-crd.yaml"
readonly STAMP="$TARGET_DIR/.stamp"

expected_stamp() { printf 'module=%s@v%s\nsum=%s\n' "$MODULE" "$ARGOCD_VERSION" "$ARGOCD_MODULE_SUM"; }

is_installed() { [[ -s $TARGET && -f $STAMP && "$(<"$STAMP")" == "$(expected_stamp)" ]]; }

install_crd() {
  local source="$module_dir/$CRD_IN_MODULE"
  [[ -f $source ]] || die "$MODULE@v$ARGOCD_VERSION has no $CRD_IN_MODULE"
  grep -q '^  name: applications.argoproj.io$' "$source" ||
    die "$source is not the CRD applications.argoproj.io"
  mkdir -p "$TARGET_DIR"
  cp "$source" "$TARGET.partial"
  chmod 644 "$TARGET.partial"
  mv -f "$TARGET.partial" "$TARGET"
  expected_stamp >"$STAMP"
  log "    installed $TARGET ($(wc -c <"$TARGET") bytes)"
}

main() {
  local t0
  t0=$(now_ms)
  if [[ $mode == fetch ]] && is_installed; then
    log "up to date: Argo CD $ARGOCD_VERSION Application CRD in $TARGET"
    return 0
  fi
  mkdir -p "$CACHE"
  setup_go
  timed "download module $MODULE@v$ARGOCD_VERSION" download_pinned_module "$MODULE" "v$ARGOCD_VERSION" ARGOCD_MODULE_SUM
  timed "install $CRD_IN_MODULE" install_crd
  log "total: $(fmt_ms $(($(now_ms) - t0)))"
}

main
