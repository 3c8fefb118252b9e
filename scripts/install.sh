#!/usr/bin/env bash
# Installs VectorOS into ./.venv with the pins that work on a 2-core CPU machine (see docs/architecture.md).
# Usage: bash scripts/install.sh [extra]    e.g. `bash scripts/install.sh test`
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-}"
if [ ! -x .venv/bin/python ]; then
  python3.11 -m venv .venv 2>/dev/null || python3 -m venv .venv
fi
# torch is pinned in pyproject.toml and installed in this same pip command: the CPU wheel, never a CUDA build.
.venv/bin/python -m pip install --quiet --upgrade pip
spec="."
[ -n "$extra" ] && spec=".[${extra}]"
.venv/bin/python -m pip install --quiet -e "$spec"
if .venv/bin/python -m pip freeze | grep -qi '^nvidia'; then
  echo "error: a CUDA build of torch was installed; install torch==2.13.0 (CPU) first" >&2
  exit 1
fi
