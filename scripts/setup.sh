#!/usr/bin/env bash
# Install what cityprofiles needs. `scripts/setup.sh` installs the package;
# `scripts/setup.sh test` also installs the test tools: Debian's chromium (for
# the browser tests), a Java runtime (for the Nu Html Checker) and hugo (for the
# benchmark), then the Python test dependencies. Never downloads a browser build.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

if [ "${1:-}" = "test" ]; then
  need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
  command -v hugo >/dev/null 2>&1 || need+=(hugo)
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    elif command -v sudo >/dev/null 2>&1; then
      sudo apt-get update -qq
      sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    else
      echo "setup: please install with apt: ${need[*]} (browser and validator tests need them)" >&2
    fi
  fi
  "$PY" -m pip install -q --disable-pip-version-check -e ".[test,search]"
else
  "$PY" -m pip install -q --disable-pip-version-check -e .
fi
