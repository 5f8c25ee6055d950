# Shared by the build scripts of test-infra/: one-line errors that name the failed step, step timings, the
# command line, the cache folder, the lock and the Go environment.
# Source it after setting SCRIPT_NAME; it sets `step`, CACHE and an ERR trap.
# shellcheck shell=bash

step=setup
# Every script caches outside the repository, in one folder (many Go modules are common to them).
CACHE=${MTASTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator}
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

# The script's header comment, between the shebang and `set -Eeuo`.
usage() { sed -n '2,/^set -Eeuo/{/^set/d;s/^# \{0,1\}//;p}' "$0"; }

# read_mode DEFAULT OPTION... -- ARGS...: sets `mode` to DEFAULT, or to OPTION when ARGS is --OPTION;
# --help prints the usage; anything else, or more than one argument, is an error.
# shellcheck disable=SC2034 # mode is read by the script that sources this file
read_mode() {
  mode=$1
  shift
  local options=()
  while [[ $1 != -- ]]; do
    options+=("$1")
    shift
  done
  shift
  [[ $# -le 1 ]] || die "at most one argument expected (try --help)"
  case "${1:-}" in
    "") return 0 ;;
    -h | --help)
      usage
      exit 0
      ;;
  esac
  local option
  for option in "${options[@]}"; do
    if [[ $1 == "--$option" ]]; then
      mode=$option
      return 0
    fi
  done
  die "unknown argument '$1' (try --help)"
}

# set_build_jobs: JOBS, the parallel compile jobs (`go build -p`), from MTASTS_BUILD_JOBS or the CPU count.
set_build_jobs() {
  JOBS=${MTASTS_BUILD_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
  [[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "MTASTS_BUILD_JOBS must be a positive integer, got '$JOBS'"
}

# lock NAME: serialises concurrent runs (e.g. two test jobs) on the same cache; waits for the other one.
lock() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/$1.lock"
  if command -v flock >/dev/null && ! flock -n 9; then
    log "waiting for another $SCRIPT_NAME run to finish"
    flock 9
  fi
}

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

# setup_go: the Go environment of every build here (JOBS, when set, is the build's parallelism). Caches are
# shared between the scripts and live outside the repository, apart from the user's own.
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
  log "$(go version); GOMODCACHE=$GOMODCACHE GOCACHE=$GOCACHE${JOBS:+; go build -p $JOBS}"
}

# build_main LOCK UP_TO_DATE [BUMP_STEP]: the main of a build script that defines is_installed and build_all (and
# bump, when BUMP_STEP names it): a quick no-op when the install stamp matches (UP_TO_DATE says what is there),
# else one run at a time under LOCK, looking again after the wait, since the run waited for may have installed it.
build_main() {
  local t0
  t0=$(now_ms)
  if [[ $mode == build ]] && is_installed; then
    log "up to date: $2"
    return 0
  fi
  lock "$1"
  case $mode in
    bump) timed "$3" bump ;;
    *)
      if [[ $mode == build ]] && is_installed; then
        log "up to date (installed by a concurrent run)"
        return 0
      fi
      build_all
      ;;
  esac
  log "total: $(fmt_ms $(($(now_ms) - t0)))"
}

# Downloads MODULE@VERSION into the Go module cache and sets module_dir to its folder, after checking the module's
# h1: checksum against the pin, named by SUM_NAME in versions.env: any other download is refused.
# Usage: download_pinned_module MODULE VERSION SUM_NAME   (VERSION with its "v")
module_dir=""
download_pinned_module() {
  local module=$1 version=$2 sum_name=$3 json sum
  local pinned=${!sum_name}
  # Outside any module: `go mod download` then fetches exactly module@version.
  json=$(cd "$CACHE" && go mod download -json "$module@$version")
  sum=$(sed -n 's/^[[:space:]]*"Sum": "\(.*\)",*$/\1/p' <<<"$json")
  module_dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p' <<<"$json")
  [[ -n $sum && -d $module_dir ]] || die "go mod download gave no checksum or folder for $module@$version:
$json"
  [[ $sum == "$pinned" ]] ||
    die "$module@$version has checksum $sum, but versions.env pins $sum_name=$pinned"
}
