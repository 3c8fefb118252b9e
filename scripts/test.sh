#!/usr/bin/env bash
# Installs what the tests need and runs the whole suite: lint, types, then every test on SQLite and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh test
source .venv/bin/activate
export HF_HUB_OFFLINE=1

# System packages the end-to-end tests drive: a real IMAP server and a headless browser.
need=()
command -v chromium >/dev/null || need+=(chromium chromium-driver)
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
if [ ${#need[@]} -gt 0 ]; then
  (apt-get install -y -q "${need[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "${need[@]}" >/dev/null; })
fi

# PostgreSQL must be up: the suite runs on it too, never skipped.
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

ruff check .
mypy vectoros_pipelines dashboard
python -c "import dagster_postgres, vectoros_pipelines.definitions"  # import smoke test (STACK.md)
dagster definitions validate -w workspace.yaml >/dev/null  # the code location loads as `dagster dev` loads it

echo "== tests on SQLite"
VECTOROS_TEST_DB=sqlite python -m pytest -q -n 2 "$@"
echo "== tests on PostgreSQL"
VECTOROS_TEST_DB=postgresql python -m pytest -q -n 2 "$@"
