#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests: initdb in a temporary
# folder, a free loopback port, trust authentication for loopback only.
# Prints `export HUDUMA_TEST_PG_URL=...; export HUDUMA_TEST_PG_DIR=...` for eval;
# `scripts/pg-throwaway.sh stop DIR` stops and removes it.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-}" = stop ]; then
  dir=$2
  as "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi

dir=$(mktemp -d /tmp/huduma-pg.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
as "$bin/initdb" -D "$dir/data" -U huduma --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
# Tuned for a test machine: fsync stays on (the fault tests kill servers), more connections for parallel test files.
as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300 -c shared_buffers=128MB" start >/dev/null
echo "export HUDUMA_TEST_PG_URL=postgres://huduma@127.0.0.1:$port/postgres; export HUDUMA_TEST_PG_DIR=$dir"
