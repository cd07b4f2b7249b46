#!/usr/bin/env bash
# Install everything the tests need, then run them all: `bash tests/run.sh [pytest args]`.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test]'

# Real Chromium for the browser tests (Debian's; Playwright's own download is not used).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: no /usr/bin/chromium; browser tests will skip (sudo apt-get install chromium)" >&2
  fi
fi

# Ghostscript, an independent reader for the PDF/X preflight tests (ink coverage per plate).
if ! command -v gs >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ghostscript >/dev/null
  else
    echo "note: no gs; the Ghostscript preflight checks will skip (sudo apt-get install ghostscript)" >&2
  fi
fi

# LibreOffice Calc, headless, an independent reader for the export round-trip tests (CSV and XLSX).
if ! command -v soffice >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libreoffice-calc-nogui >/dev/null
  else
    echo "note: no soffice; the export round-trip tests will skip (sudo apt-get install libreoffice-calc-nogui)" >&2
  fi
fi

# Real PostgreSQL for the hub's scale path (127.0.0.1:5432, database test).
if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
fi

# Real Redis for the shared rate-limit storage tests (127.0.0.1:6379).
if ! (command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1); then
  if ! command -v redis-server >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  if command -v redis-server >/dev/null; then
    redis-server --daemonize yes --bind 127.0.0.1 --save "" >/dev/null
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done
  fi
fi

.venv/bin/ruff check .
.venv/bin/mypy  # kiosk, print and sync, as configured in pyproject.toml
exec .venv/bin/python -m pytest "$@"
