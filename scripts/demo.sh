#!/usr/bin/env bash
# Installs everything and runs the demo: a generated company's mailbox and calendar through the whole pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export HF_HUB_OFFLINE=1
exec .venv/bin/vectoros demo "$@"
