#!/usr/bin/env bash
# Installs the pinned parsedmarc (the Python package, from the package index through pip) into its own
# virtual environment,
#
#   $MTASTS_CACHE/parsedmarc-<PARSEDMARC_VERSION>/bin/python
#
# for ParsedmarcCrossCheckIT, which reads the TLS-RPT fixtures with parsedmarc's SMTP TLS report parser, an
# independent one, and compares what it finds with ReportParser. The version comes from versions.env
# (PARSEDMARC_VERSION). Nothing is built; a venv per version, so a bump never mixes two.
#
# Usage: test-infra/parsedmarc.sh [--force | --print-python | --help]
#   (none)          install, unless the install stamp already matches (quick no-op)
#   --force         install again even when the stamp matches
#   --print-python  print the venv's python (installed or not) and exit
#
# Environment:
#   MTASTS_CACHE  caches (default ${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator)
#   PYTHON        the interpreter the venv is made from (default python3; parsedmarc 11 needs 3.10 or newer)
set -Eeuo pipefail

readonly SCRIPT_NAME=parsedmarc.sh
HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
# Bump when the install layout changes, so that existing venvs are made again.
readonly RECIPE_REV=1

# shellcheck source=script-lib.sh
source "$HERE/script-lib.sh"

read_mode build force print-python -- "$@"

# shellcheck source=versions.env source-path=SCRIPTDIR
source "$HERE/versions.env"
[[ ${PARSEDMARC_VERSION:-} =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
  die "versions.env: PARSEDMARC_VERSION must look like 11.1.0, got '${PARSEDMARC_VERSION:-}'"

readonly VENV="$CACHE/parsedmarc-$PARSEDMARC_VERSION"
readonly STAMP="$VENV/.stamp"
readonly BASE_PYTHON=${PYTHON:-python3}

if [[ $mode == print-python ]]; then
  echo "$VENV/bin/python"
  exit 0
fi

expected_stamp() {
  printf 'parsedmarc=%s\nrecipe=%s\npython=%s\n' "$PARSEDMARC_VERSION" "$RECIPE_REV" \
    "$("$BASE_PYTHON" -c 'import sys; print(sys.version.split()[0])')"
}

is_installed() {
  [[ -x $VENV/bin/python && -f $STAMP && "$(<"$STAMP")" == "$(expected_stamp)" ]]
}

check_python() {
  command -v "$BASE_PYTHON" >/dev/null || die "$BASE_PYTHON not found on PATH (set PYTHON)"
  "$BASE_PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' ||
    die "$BASE_PYTHON is $("$BASE_PYTHON" --version 2>&1); parsedmarc $PARSEDMARC_VERSION needs Python 3.10 or newer"
  "$BASE_PYTHON" -c 'import venv, ensurepip' 2>/dev/null ||
    die "$BASE_PYTHON has no venv/ensurepip module (Debian: apt-get install python3-venv)"
}

make_venv() {
  # A half-made venv from an interrupted run is thrown away, never reused.
  rm -rf "$VENV"
  "$BASE_PYTHON" -m venv "$VENV"
}

install_parsedmarc() {
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    "parsedmarc==$PARSEDMARC_VERSION"
}

verify_and_stamp() {
  local got
  got=$("$VENV/bin/python" -c 'import importlib.metadata as m; import parsedmarc; print(m.version("parsedmarc"))')
  [[ $got == "$PARSEDMARC_VERSION" ]] || die "the venv holds parsedmarc '$got', expected '$PARSEDMARC_VERSION'"
  "$VENV/bin/python" -c 'from parsedmarc import parse_smtp_tls_report_json, parse_report_file' ||
    die "parsedmarc $got has no parse_smtp_tls_report_json/parse_report_file, which ParsedmarcCrossCheckIT calls"
  expected_stamp >"$STAMP"
  log "    installed parsedmarc $got in $VENV"
}

build_all() {
  timed "make the venv" make_venv
  timed "install parsedmarc $PARSEDMARC_VERSION" install_parsedmarc
  timed "verify the version and stamp" verify_and_stamp
}

check_python
build_main parsedmarc "parsedmarc $PARSEDMARC_VERSION in $VENV"
