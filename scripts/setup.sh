#!/usr/bin/env bash
# Install what cityprofiles needs, into the virtual environment $VENV (made here from
# $PYTHON when it does not exist yet).
#
#   setup.sh venv     only make the environment
#   setup.sh site     cityprofiles and what it needs to run, at the versions of the lock
#   setup.sh test     also the test tools: Debian's chromium (browser tests), a Java
#                     runtime (Nu Html Checker) and hugo (benchmark) from apt, and the
#                     Python test dependencies at the versions of the lock
#   setup.sh latest   like test, but the newest releases pyproject.toml allows (no lock)
#
# Never downloads a browser build. A stamp file in the environment remembers what
# was installed from which lock, so a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=${VENV:-.venv}
LOCK=requirements/lock.txt
what=${1:-site}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else return 1
  fi
}

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

make_venv() {
  [ -x "$VENV/bin/python" ] && return 0
  if ! "$PY" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    # Debian and Ubuntu ship venv's pip in a separate package.
    if command -v apt-get >/dev/null 2>&1 && apt_install python3-venv; then
      "$PY" -m venv "$VENV"
    else
      echo "setup: '$PY -m venv' failed; install Python's venv module (Debian: apt install python3-venv)" >&2
      exit 2
    fi
  fi
  echo "setup: made a virtual environment in $VENV/" >&2
}

test_tools() {
  local need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
  command -v hugo >/dev/null 2>&1 || need+=(hugo)
  if [ ${#need[@]} -gt 0 ] && ! apt_install "${need[@]}"; then
    echo "setup: please install with apt: ${need[*]} (browser and validator tests need them)" >&2
  fi
}

pip_install() {  # stamp, then pip's arguments
  local stamp="$VENV/.cityprofiles-$1"; shift
  local key
  key=$(cat pyproject.toml "$LOCK" | sha256sum | cut -c1-16)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then return 0; fi
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$@"
  echo "$key" >"$stamp"
}

make_venv
case "$what" in
  venv) ;;
  site) pip_install site -c "$LOCK" -e . ;;
  test) test_tools; pip_install test -c "$LOCK" -e ".[test]" ;;
  latest)
    test_tools
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade \
      --upgrade-strategy eager -e ".[test]" ;;
  *) echo "setup: unknown target '$what' (venv, site, test or latest)" >&2; exit 2 ;;
esac
