#!/usr/bin/env bash
# Install everything the project needs from PyPI and npm, pinned, into the repository:
#   node_modules/ (anvil, forge, solc-js, OpenZeppelin, Solady) and .venv/ (hedgekeeper in editable mode).
# Idempotent: each step is skipped while the files it depends on are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
stamps=.stamps
mkdir -p "$stamps"

die() { echo "setup: $*" >&2; exit 1; }
digest() { cat "$@" | sha256sum | cut -d' ' -f1; }

command -v node >/dev/null || die "node is not installed (Node 20+ is needed for solc-js and the foundry binaries)"
command -v npm >/dev/null || die "npm is not installed (it ships with Node)"
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
"$PYTHON" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 13) else 1)' \
  || die "Python 3.11 or 3.12 is needed (found $("$PYTHON" --version 2>&1))"

# npm side
npm_digest=$(digest package.json package-lock.json)
if [ ! -d node_modules/solc ] || [ "$(cat $stamps/npm 2>/dev/null)" != "$npm_digest" ]; then
  echo "setup: installing npm packages (versions from package-lock.json)"
  # `npm install` rather than `npm ci`: the lock lists every platform's optional foundry binary, and
  # a registry that lacks one of the other platforms' packages must not fail this platform's install.
  npm install --no-save --no-audit --no-fund --loglevel=error
  echo "$npm_digest" > $stamps/npm
fi
[ -x node_modules/.bin/anvil ] || die "anvil missing after npm ci (node_modules/.bin/anvil)"
node_modules/.bin/anvil --version >/dev/null 2>&1 || die "anvil does not run: reinstall with 'rm -rf node_modules && make setup'"

# Python side
py_digest=$(digest pyproject.toml requirements.lock)
if [ ! -x .venv/bin/python ] || [ "$(cat $stamps/venv 2>/dev/null)" != "$py_digest" ]; then
  echo "setup: installing the Python environment in .venv"
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==26.3"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e .
  echo "$py_digest" > $stamps/venv
fi

# solc-js shim registered for py-solc-x (SOLCX_BINARY_PATH=.solcx) and forge (foundry.toml: solc = ...)
chmod +x tools/solc-shim.js .solcx/solc-v0.8.37
.solcx/solc-v0.8.37 --version | grep -q "Version: 0.8.37" || die "solc shim does not report 0.8.37"
