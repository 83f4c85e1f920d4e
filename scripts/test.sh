#!/usr/bin/env bash
# `make test`: the whole suite, as CI runs it.
#
#   1. venv, assets, translations   set-up; the run stops if one fails
#   2. lint                         ruff check, the import contracts (lint-imports), mypy
#   3. pytest -m "not e2e"          on SQLite, then on PostgreSQL (pytest-xdist, one worker
#                                   per core)
#   4. bench/run --size tiny        the load bench on a tiny generated data set, to prove it
#                                   works (its timings are not judged here)
#   5. pytest -m e2e                browser tests in Debian's Chromium, once, on PostgreSQL
#
# The budget (docs/testing.md): the whole run stays under 40 minutes on a 2-core machine
# (it is about 15 today); CI's hard limit is 90.
#
# PostgreSQL: PONTIO_TEST_PG_URL names the server, without a database
# (default postgres://postgres@127.0.0.1:5432). A fresh database pontio_ci_<pid> is created
# for this run and dropped at the end, with pytest-django's test_pontio_ci_<pid> (one per
# xdist worker: test_pontio_ci_<pid>_gw0, ...). With nothing listening on the default
# address, a local Debian cluster is started, and installed first (apt-get) when run as
# root; otherwise the exact commands to run are printed.
# Every stage runs even if an earlier test stage failed; the exit status is non-zero if any
# stage failed. A pytest stage in which not one test passed (nothing collected, or everything
# skipped, e.g. browser tests without a browser) counts as failed.
# shellcheck disable=SC2317,SC2012  # functions run indirectly (stage, trap); ls of a fixed dir
set -euo pipefail
cd "$(dirname "$0")/.."

export PONTIO_ENV=test
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
unset DATABASE_URL
PY=.venv/bin/python
PYTHON=${PYTHON:-python3}
DEFAULT_PG_URL=postgres://postgres@127.0.0.1:5432
PG_URL=${PONTIO_TEST_PG_URL:-$DEFAULT_PG_URL}
PG_URL=${PG_URL%/}
PG_URL_SHOWN=$(sed -E 's#(//[^:/@]+):[^@]*@#\1:***@#' <<<"$PG_URL")  # no password in logs
PG_DB=pontio_ci_$$
# One pytest worker per core (pytest-xdist); PONTIO_TEST_WORKERS=0 runs in one process.
WORKERS=${PONTIO_TEST_WORKERS:-auto}
RUN_STARTED=$SECONDS
REPORTS=$(mktemp -d "${TMPDIR:-/tmp}/pontio-test.XXXXXX")

STAGES=()
RESULTS=()
TIMES=()
DETAILS=()
FAILED=0
PG_CREATED=0

banner() { printf '\n========== %s ==========\n' "$*"; }

# record NAME RESULT SECONDS [DETAIL]
record() {
    STAGES+=("$1"); RESULTS+=("$2"); TIMES+=("$3"); DETAILS+=("${4:-}")
    [[ $2 == PASS || $2 == SKIP ]] || FAILED=1
}

# junit_counts FILE: "P F S" (passed, failed incl. errors, skipped) from pytest's JUnit XML.
junit_counts() {
    [[ -s $1 ]] || { echo "0 0 0"; return; }
    "$PY" - "$1" <<'EOF'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
t = f = s = 0
for suite in suites:
    t += int(suite.get("tests", 0))
    f += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    s += int(suite.get("skipped", 0))
print(t - f - s, f, s)
EOF
}

# stage NAME COMMAND...: run one stage and record its result; returns the command's status
# (callers decide whether to go on).
stage() {
    local name=$1; shift
    banner "$name"
    echo "\$ $(printf '%q ' "$@")"
    local start=$SECONDS rc=0
    "$@" || rc=$?
    local took=$((SECONDS - start))
    if ((rc == 0)); then
        record "$name" PASS "$took"
    else
        record "$name" FAIL "$took" "exit status $rc"
    fi
    return "$rc"
}

# pytest_stage NAME [VAR=VALUE...] -- PYTEST ARGS...: a stage whose detail is the test counts.
pytest_stage() {
    local name=$1; shift
    local envs=()
    while [[ $1 != -- ]]; do envs+=("$1"); shift; done
    shift
    local xml="$REPORTS/${#STAGES[@]}.xml"
    banner "$name"
    echo "\$ ${envs[*]} pytest $(printf '%q ' "$@")"
    local start=$SECONDS rc=0
    env "${envs[@]}" "$PY" -m pytest --junitxml="$xml" "$@" || rc=$?
    local took=$((SECONDS - start)) counts p f s
    counts=$(junit_counts "$xml" 2>/dev/null) || counts="0 0 0"
    read -r p f s <<<"$counts"
    TOTAL_PASSED=$((TOTAL_PASSED + p)); TOTAL_FAILED=$((TOTAL_FAILED + f))
    TOTAL_SKIPPED=$((TOTAL_SKIPPED + s))
    local detail="$p passed, $f failed, $s skipped"
    if ((rc == 0 && p == 0)); then
        record "$name" FAIL "$took" "$detail: not one test ran"
    elif ((rc == 0)); then
        record "$name" PASS "$took" "$detail"
    elif ((rc == 5)); then
        record "$name" FAIL "$took" "no tests collected"
    else
        record "$name" FAIL "$took" "$detail (exit status $rc)"
    fi
}
TOTAL_PASSED=0
TOTAL_FAILED=0
TOTAL_SKIPPED=0

summary() {
    banner "Summary"
    local i
    for i in "${!STAGES[@]}"; do
        printf '  %-4s  %-32s %5ss  %s\n' "${RESULTS[$i]}" "${STAGES[$i]}" "${TIMES[$i]}" \
            "${DETAILS[$i]}"
    done
    echo
    printf '  %-4s  %-32s %5ss\n' "" "whole run" "$((SECONDS - RUN_STARTED))"
    echo
    if ((FAILED)); then echo "make test: FAILED"; else echo "make test: all stages passed"; fi
    echo "Tests: $TOTAL_PASSED passed, $TOTAL_FAILED failed, $TOTAL_SKIPPED skipped"
}

pg_admin() {
    PGOPTIONS="-c client_min_messages=warning" psql "$PG_URL/postgres" -v ON_ERROR_STOP=1 -q -X "$@"
}

drop_pg_databases() {
    ((PG_CREATED)) || return 0
    echo "Dropping PostgreSQL databases $PG_DB and test_$PG_DB"
    local name
    for name in $(pg_admin -At -c "SELECT datname FROM pg_database WHERE datname LIKE 'test_${PG_DB}%'" 2>/dev/null); do
        pg_admin -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" || true
    done
    pg_admin -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" || true
}

cleanup() {
    local rc=$?
    drop_pg_databases
    rm -rf "$REPORTS"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Installs Debian's PostgreSQL server (as root), or prints the commands to do it.
install_postgres() {
    if [[ $(id -u) -ne 0 ]]; then
        echo "No PostgreSQL at 127.0.0.1:5432 and no local cluster to start. Install and start" >&2
        echo "one, then run make test again:" >&2
        echo "  sudo apt-get install postgresql" >&2
        echo "  sudo pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" >&2
        echo "or set PONTIO_TEST_PG_URL=postgres://user:password@host:port" >&2
        return 1
    fi
    echo "Installing Debian's postgresql package"
    apt-get update -q || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql || return 1
    # Trust local connections, as the tests expect of a throw-away server.
    local version hba
    version=$(ls /etc/postgresql | sort -V | tail -n 1) || return 1
    hba=/etc/postgresql/$version/main/pg_hba.conf
    sed -i -E 's/^(host[[:space:]]+all[[:space:]]+all[[:space:]]+(127\.0\.0\.1\/32|::1\/128)[[:space:]]+)[a-z0-9-]+/\1trust/' "$hba"
    sed -i -E 's/^(local[[:space:]]+all[[:space:]]+(postgres|all)[[:space:]]+)[a-z]+/\1trust/' "$hba"
    # The package may have started the cluster already: make it read the new rules.
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
}

# Starts the local cluster if needed (only for the default address), then creates the database.
# (Called as a stage, i.e. in a condition where `set -e` does not apply: every step checks.)
setup_postgres() {
    if ! command -v psql >/dev/null || ! command -v pg_isready >/dev/null; then
        if [[ $PG_URL != "$DEFAULT_PG_URL" ]]; then
            echo "psql and pg_isready are needed (Debian: apt-get install postgresql-client)." >&2
            return 1
        fi
        install_postgres || return 1
    fi
    if ! pg_isready -q -d "$PG_URL/postgres"; then
        if [[ $PG_URL != "$DEFAULT_PG_URL" ]]; then
            echo "PostgreSQL at $PG_URL_SHOWN (PONTIO_TEST_PG_URL) is not accepting connections." >&2
            return 1
        fi
        if ! command -v pg_ctlcluster >/dev/null || ! [[ -d /etc/postgresql ]] \
            || [[ -z $(ls /etc/postgresql 2>/dev/null) ]]; then
            install_postgres || return 1
        fi
        local version
        version=$(ls /etc/postgresql | sort -V | tail -n 1) || return 1
        echo "Starting PostgreSQL $version (cluster main)"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        local tries=0
        until pg_isready -q -h 127.0.0.1 -p 5432; do
            ((++tries <= 30)) || { echo "PostgreSQL did not start within 30 s." >&2; return 1; }
            sleep 1
        done
    fi
    pg_isready -q -d "$PG_URL/postgres" || return 1
    PG_CREATED=1
    drop_pg_databases >/dev/null
    pg_admin -c "CREATE DATABASE $PG_DB" || return 1
    echo "Created database $PG_DB on $PG_URL_SHOWN"
}

# Browser tests use Debian's Chromium (never a Playwright download).
ensure_chromium() {
    if command -v chromium >/dev/null; then
        chromium --version 2>/dev/null || true
        return 0
    fi
    if [[ $(id -u) -ne 0 ]]; then
        echo "Chromium is not installed. Install Debian's package, then run make test again:" >&2
        echo "  sudo apt-get install chromium" >&2
        return 1
    fi
    echo "Installing Debian's chromium package"
    apt-get update -q || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium || return 1
    command -v chromium >/dev/null && chromium --version
}

# bench/run loads the pages with wrk (Debian's package).
ensure_wrk() {
    if command -v wrk >/dev/null; then
        return 0
    fi
    if [[ $(id -u) -ne 0 ]]; then
        echo "wrk is not installed (Debian: sudo apt-get install wrk)." >&2
        return 1
    fi
    apt-get update -q || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk || return 1
}

# The test that the Welsh catalogue holds every string in the source extracts them with
# GNU gettext (xgettext), as `makemessages` does.
ensure_gettext() {
    if command -v xgettext >/dev/null; then
        return 0
    fi
    if [[ $(id -u) -ne 0 ]]; then
        echo "GNU gettext is not installed (Debian: sudo apt-get install gettext)." >&2
        return 1
    fi
    apt-get update -q || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q gettext || return 1
}

echo "Pontio test run: $("$PYTHON" --version 2>&1 || true), PostgreSQL server $PG_URL_SHOWN"

# --- 1. set-up: nothing else can run without it -------------------------------------------
for target in venv assets translations; do
    if ! stage "$target" make --no-print-directory "$target"; then
        summary
        exit 1
    fi
done

# --- 2. lint and types --------------------------------------------------------------------
stage "lint (ruff, imports, mypy)" make --no-print-directory lint || true

# --- 3. unit and integration tests --------------------------------------------------------
stage "gettext" ensure_gettext || true
# The custody PDFs (WeasyPrint) need Pango and fonts with ŵ and ŷ (installed when root).
stage "WeasyPrint libraries" bash scripts/ensure_weasyprint.sh || true
# loadgroup keeps each xdist_group on one worker (the durability tests share one private
# PostgreSQL cluster and gunicorn); every other test is spread as with the default.
pytest_stage "pytest on SQLite" PONTIO_ENV=test -- -m "not e2e" -n "$WORKERS" --dist loadgroup

pg_ready=0
if stage "PostgreSQL database" setup_postgres; then
    pg_ready=1
    PG_DATABASE_URL="$PG_URL/$PG_DB"
    pytest_stage "pytest on PostgreSQL" DATABASE_URL="$PG_DATABASE_URL" -- \
        -m "not e2e" --create-db -n "$WORKERS" --dist loadgroup
else
    record "pytest on PostgreSQL" FAIL 0 "no database"
fi

# --- 4. the bench at its tiny size, only to prove it works (timings mean nothing here) ---
if ((pg_ready)) && stage "wrk" ensure_wrk; then
    stage "bench/run (tiny)" env BENCH_IMPORT_REPEATS=1 bench/run --size tiny --seconds 1 \
        --users 1,10 --database "$PG_URL/pontio_bench_ci_$$" --generate \
        --out "$REPORTS/bench-results.json" || true
    pg_admin -c "DROP DATABASE IF EXISTS pontio_bench_ci_$$ WITH (FORCE)" >/dev/null 2>&1 || true
elif ((pg_ready)); then
    record "bench/run (tiny)" FAIL 0 "no wrk"
else
    record "bench/run (tiny)" FAIL 0 "no database"
fi

# --- 5. browser tests ---------------------------------------------------------------------
# Once, on PostgreSQL (what production runs); SQLite still runs every other test above.
if stage "Chromium" ensure_chromium; then
    if ((pg_ready)); then
        pytest_stage "browser tests on PostgreSQL" DATABASE_URL="$PG_DATABASE_URL" -- \
            -m e2e --create-db -n "$WORKERS"
    else
        record "browser tests on PostgreSQL" FAIL 0 "no database"
    fi
else
    record "browser tests on PostgreSQL" FAIL 0 "no Chromium"
fi

drop_pg_databases
PG_CREATED=0
summary  # last, so that its final line is the run's closing line
exit "$FAILED"
