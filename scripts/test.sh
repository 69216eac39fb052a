#!/usr/bin/env bash
# Runs every test of styr: starts a throwaway PostgreSQL server (the store's suite runs on
# SQLite and on PostgreSQL), runs the workspace's tests, and removes the server after.
# Extra arguments are passed to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    echo "PostgreSQL server binaries not found (initdb, pg_ctl): install Debian's postgresql" >&2
    exit 1
fi

work=$(mktemp -d /tmp/styr-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# PostgreSQL refuses to run as root: use an unprivileged user when we are root.
as_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
    id -u styrpg >/dev/null 2>&1 || useradd --system --no-create-home styrpg
    chown styrpg "$work"
    as_pg() { su styrpg -s /bin/sh -c "$(printf '%q ' "$@")"; }
fi

stop_pg() {
    as_pg "$pg_bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap stop_pg EXIT

as_pg "$pg_bin/initdb" -D "$work/data" -U styr --auth=trust --encoding=UTF8 --locale=C >"$work/initdb.log"
as_pg "$pg_bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
    -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
export STYR_TEST_POSTGRES_URL="postgres://styr@127.0.0.1:$port/postgres"
# `styr backup` / `styr restore` on PostgreSQL call pg_dump, pg_restore and psql: the server's own.
export STYR_PG_BIN="$pg_bin"
echo "PostgreSQL $("$pg_bin/pg_ctl" --version | awk '{print $3}') on port $port for the tests"

# The Python tools some tests call (openpyxl, frictionless): `.ci/run` installs them into .venv.
# Tests that need them skip with a message when STYR_TEST_PYTHON is unset (and fail when CI is
# set: tests/tool.rs); the whole suite insists on them.
if [ -x .venv/bin/python ]; then
    export STYR_TEST_PYTHON="$PWD/.venv/bin/python"
elif [ "$#" -eq 0 ]; then
    echo "the tests need their Python tools: python3 -m venv .venv && .venv/bin/pip install -r scripts/requirements-test.txt" >&2
    exit 1
fi

# `--workspace` with `-p CRATE` would run every crate's tests of that name: a narrowed run names
# its crates instead.
scope=(--workspace)
for arg in "$@"; do
    case "$arg" in -p|--package|-p*|--package=*) scope=() ;; esac
done
cargo test "${scope[@]}" "$@"

# The browser tests (Playwright driving Debian's chromium, axe-core) of the web application, on
# the binary the tests above built. Only for the whole suite: a run narrowed by arguments skips
# them. `.ci/run` installs their npm packages (`npm ci` in crates/web/e2e); nothing is
# downloaded here.
if [ "$#" -eq 0 ]; then
    if [ ! -d crates/web/e2e/node_modules/playwright-core ] || [ ! -d crates/web/e2e/node_modules/axe-core ]; then
        echo "the browser tests need their npm packages: npm ci --prefix crates/web/e2e" >&2
        exit 1
    fi
    cargo build --quiet -p styr-cli
    node crates/web/e2e/run.mjs target/debug/styr
fi
