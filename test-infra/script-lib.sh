# Shared by the build scripts of test-infra/: one-line errors that name the failed step, and step timings.
# Source it after setting SCRIPT_NAME; it sets `step` and an ERR trap.
# shellcheck shell=bash

step=setup
log() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}
on_err() {
  # Only the main shell reports: a failing $(...) would otherwise print a second line.
  if [[ $BASHPID == "$$" ]]; then
    log "ERROR: step '$step' failed (exit $1, line $2); see the output above"
  fi
  exit "$1"
}
trap 'on_err $? $LINENO' ERR

now_ms() {
  if [[ -n ${EPOCHREALTIME:-} ]]; then
    local t=${EPOCHREALTIME/[.,]/}
    echo $((10#$t / 1000))
  else
    echo $(($(date +%s) * 1000))
  fi
}
fmt_ms() { printf '%d.%ds' $(($1 / 1000)) $((($1 % 1000) / 100)); }

# timed LABEL CMD...: runs one step and prints how long it took.
timed() {
  step=$1
  shift
  log "==> $step"
  local t0
  t0=$(now_ms)
  "$@"
  log "    $step: done in $(fmt_ms $(($(now_ms) - t0)))"
}

# setup_go: the Go environment of every build here; needs CACHE and JOBS. Caches are shared between the
# scripts (many modules are common) and live outside the repository, apart from the user's own.
setup_go() {
  command -v go >/dev/null || die "go not found on PATH"
  export GOPATH="$CACHE/go"
  export GOMODCACHE="$CACHE/go/pkg/mod"
  export GOCACHE="$CACHE/go-build"
  # Never switch toolchains (nothing to download them from) and ignore any go.work above.
  export GOTOOLCHAIN=local GOWORK=off
  # Static binaries, as upstream ships kube-apiserver, kubectl and etcd.
  export CGO_ENABLED=0
  # readonly: a build never rewrites the committed go.mod/go.sum (a mismatch fails);
  # modcacherw: the module cache stays deletable with a plain rm -rf.
  export GOFLAGS="-mod=readonly -modcacherw -buildvcs=false"
  unset GOOS GOARCH GOBIN GOEXPERIMENT
  mkdir -p "$GOMODCACHE" "$GOCACHE"
  log "$(go version); GOMODCACHE=$GOMODCACHE GOCACHE=$GOCACHE; go build -p $JOBS"
}
