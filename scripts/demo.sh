#!/usr/bin/env bash
# `make demo`: set up everything and run Pontio at http://127.0.0.1:8000 with its task worker.
# Safe to run again: migrations, demo data and static files are only added to.
set -euo pipefail
cd "$(dirname "$0")/.."

export PONTIO_ENV=demo
PY=.venv/bin/python

say() { printf '\n==> %s\n' "$*"; }

say "Python environment (.venv)"
make --no-print-directory venv
say "System libraries for the PDF notices (WeasyPrint)"
bash scripts/ensure_weasyprint.sh
say "Front-end assets (GOV.UK Frontend)"
make --no-print-directory assets
say "Welsh translations"
make --no-print-directory translations

say "Database (${DATABASE_URL:-SQLite file var/pontio.sqlite3})"
"$PY" manage.py migrate --noinput
say "Demo data"
"$PY" manage.py seed_demo
say "Static files"
"$PY" manage.py collectstatic --noinput --verbosity 0

say "Task worker (manage.py db_worker, in the background)"
"$PY" manage.py db_worker &
worker_pid=$!

stop_worker() {
    if kill -0 "$worker_pid" 2>/dev/null; then
        echo "Stopping the task worker (pid $worker_pid)"
        kill "$worker_pid" 2>/dev/null || true
        wait "$worker_pid" 2>/dev/null || true
    fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "Pontio demo: open http://127.0.0.1:8000 (Ctrl-C stops the server and the worker)"
"$PY" manage.py runserver 127.0.0.1:8000
