#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (issue 17): `initdb` into a
# temporary folder, `pg_ctl` on a free port on 127.0.0.1 only, trust
# authentication (nothing else can reach it), no fsync (a test cluster need
# not survive a power cut). As root the server refuses to run, so the cluster
# belongs to the `postgres` user Debian's package creates.
#
#   eval "$(scripts/pg-cluster.sh start)"   # exports LOPHOC_TEST_POSTGRES=postgres://…
#   scripts/pg-cluster.sh stop "$LOPHOC_PG_DIR"
#
# `start --durable` (or LOPHOC_PG_DURABLE=1) leaves fsync, synchronous_commit
# and full_page_writes at PostgreSQL's defaults (on), for benchmarks
# (scripts/bench-engines.sh): a commit then waits for its WAL flush, as
# SQLite's `synchronous=FULL` waits for its fsync, so the two engines are
# compared doing the same work. It also exports LOPHOC_PG_BIN, the folder of
# psql, createdb and dropdb.
#
# PostgreSQL itself comes from Debian's packages (scripts/setup.sh installs
# it when missing).
set -euo pipefail

bin_dir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return; }
  echo "pg-cluster.sh: no initdb (apt-get install postgresql)" >&2
  exit 1
}

as_owner() { # runs "$@" as the cluster's owner
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
start)
  durable=${LOPHOC_PG_DURABLE:-0}
  [ "${2:-}" = --durable ] && durable=1
  # Tests: skip every flush (a crash loses a throwaway cluster anyway).
  speed='-c fsync=off -c synchronous_commit=off -c full_page_writes=off'
  [ "$durable" = 1 ] && speed=
  BIN=$(bin_dir)
  DIR=$(mktemp -d /tmp/lophoc-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_owner "$BIN/initdb" -D "$DIR/data" -U lophoc -A trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR $speed -c max_connections=300" \
    >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
  echo "export LOPHOC_PG_DIR=$DIR"
  echo "export LOPHOC_TEST_POSTGRES=postgres://lophoc@127.0.0.1:$PORT/postgres"
  echo "export LOPHOC_PG_BIN=$BIN"
  ;;
stop)
  DIR=${2:?the cluster folder}
  as_owner "$(bin_dir)/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
  ;;
*)
  echo "usage: $0 start [--durable] | stop DIR" >&2
  exit 2
  ;;
esac
