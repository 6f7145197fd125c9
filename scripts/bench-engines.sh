#!/usr/bin/env bash
# `make bench-engines`, and step 10 of `make bench`: the server's write and
# read figures on SQLite and on PostgreSQL, side by side (issue 17).
#
#   LOPHOC_SERVER_BIN=target/server/lophoc-server bash scripts/bench-engines.sh [--section FILE]
#
# With --section, the BENCHMARKS.md section is written to FILE (bench.sh
# appends it to the report it writes); without, it replaces the section of
# the same title in BENCHMARKS.md, or goes right after "## Class matrix
# (issue 5)" when there is none yet.
#
# What is measured, on each engine:
# - push throughput: the release server (`--demo`, the demo content) on a
#   fresh database, `sync_load --ops OPS --devices N` for N = 1, 4, 16,
#   RUNS runs each, each on a fresh database; the median is reported with the
#   runs. Runs alternate between the engines (SQLite, PostgreSQL, SQLite, …)
#   so that load from elsewhere on a shared machine falls on both alike;
# - the class matrix (e2e/bench/class-matrix.mjs: 200 trainees × 12 modules,
#   50,000 events) without Chromium: only the server's figure, the median
#   request time of GET /api/classes/{id}/matrix;
# - on PostgreSQL only, a live session of LIVE_PLAYERS players over two
#   instances of one database (`--instance-url` each): the session opened on
#   the first, every other player connecting through the second, which relays
#   its socket (`live_load --relay-url`).
#
# SQLite: a fresh file in the work folder, as bench.sh has it (WAL,
# synchronous=FULL). PostgreSQL: a throwaway cluster of scripts/pg-cluster.sh
# started `--durable` (fsync, synchronous_commit, full_page_writes on: a
# commit waits for its flush, as SQLite's does; the tests' cluster skips
# flushes and would flatter PostgreSQL), a fresh database per run made with
# its createdb, then a CHECKPOINT so that no run starts with another's dirty
# pages to write.
#
# Knobs (environment): BENCH_ENGINES_RUNS (runs per figure, default 3),
# BENCH_SYNC_OPS (ops per device, default 10000), BENCH_ENGINES_DEVICES
# (default "1 4 16"), BENCH_MATRIX_SERVER_RUNS (matrix requests timed,
# default 5), BENCH_LIVE_PLAYERS (default 2000), BENCH_KEEP=1 (keep the work folder with the outputs and logs).
# About 6½ minutes on 2 cores at the defaults (measured under a load average
# of 3 to 5).
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

BIN=${LOPHOC_SERVER_BIN:-target/server/lophoc-server}
RUNS=${BENCH_ENGINES_RUNS:-3}
SYNC_OPS=${BENCH_SYNC_OPS:-10000}
DEVICES=${BENCH_ENGINES_DEVICES:-1 4 16}
MATRIX_RUNS=${BENCH_MATRIX_SERVER_RUNS:-5}
LIVE_PLAYERS=${BENCH_LIVE_PLAYERS:-2000}
SYNC_LOAD=${CARGO_TARGET_DIR:-target}/server/examples/sync_load
LIVE_LOAD=${CARGO_TARGET_DIR:-target}/server/examples/live_load
OUT=BENCHMARKS.md
TITLE='## SQLite and PostgreSQL side by side (issue 17)'
AFTER='## Class matrix (issue 5)'
ENGINES=(sqlite postgres)

say() { printf '\033[1m[bench-engines]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[bench-engines] FAILED:\033[0m %s\n' "$*" >&2; exit 1; }

SECTION=
case "${1:-}" in
--section) SECTION=${2:?--section needs a file} ;;
'') ;;
*) die "usage: $0 [--section FILE]" ;;
esac

# ---------------------------------------------------------------- checks ---
[ -x "$BIN" ] || die "no server binary at $BIN (run \`make server\`, or set LOPHOC_SERVER_BIN)"
command -v cargo >/dev/null || PATH=$HOME/.cargo/bin:$PATH
for tool in node npm cargo python3; do
  command -v "$tool" >/dev/null || die "$tool is missing (run \`make setup\`)"
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_ENGINES_RUNS must be a positive number"
[[ $SYNC_OPS =~ ^[1-9][0-9]*$ ]] || die "BENCH_SYNC_OPS must be a positive number"
[[ $MATRIX_RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_MATRIX_SERVER_RUNS must be a positive number"
for n in $DEVICES; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "BENCH_ENGINES_DEVICES must list positive numbers"; done
if [ -z "$SECTION" ] && ! grep -qxF "$TITLE" "$OUT" && ! grep -qxF "$AFTER" "$OUT"; then
  die "$OUT has neither \"$TITLE\" nor \"$AFTER\" to place the section after"
fi

# -------------------------------------------------------- work folder, trap ---
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lophoc-bench-engines.XXXXXX")
mkdir -p "$WORK/tmp"
SERVER_PID=
RELAY_PID=
FACTS=$WORK/facts.env
: >"$FACTS"
fact() { printf '%s=%s\n' "$1" "$2" >>"$FACTS"; }
LOPHOC_PG_DIR=

is_running() { # true while the process exists and is not a zombie
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  local pid=$SERVER_PID i
  SERVER_PID=
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    is_running "$pid" || break
    nap 0.025
  done
  if is_running "$pid"; then
    printf '[bench-engines] server %s ignored SIGTERM for 5 s; killing it\n' "$pid" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_server
  if [ -n "$RELAY_PID" ]; then SERVER_PID=$RELAY_PID RELAY_PID= stop_server; fi
  if [ -n "$LOPHOC_PG_DIR" ]; then bash scripts/pg-cluster.sh stop "$LOPHOC_PG_DIR"; fi
  if [ "${BENCH_KEEP:-}" = 1 ]; then
    say "kept the work folder $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A descriptor that never becomes readable: `read -t` on it sleeps without
# forking a process, so the readiness poll can run every 5 ms.
exec {SLEEP_FD}<> <(:)
nap() { read -rt "$1" -u "$SLEEP_FD" || true; }
now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

# ------------------------------------------------------------ dependencies ---
# class-matrix.mjs loads the end-to-end harness (playwright-core), even when
# it leaves Chromium out.
if [ ! -f e2e/node_modules/playwright-core/package.json ]; then
  say "installing the end-to-end test packages (playwright-core)"
  npm ci --silent --no-audit --no-fund --prefix e2e
fi
say "building the load generators (cargo build --profile server -p lophoc-server --example sync_load --example live_load)"
cargo build --quiet --profile server -p lophoc-server --example sync_load --example live_load \
  || die "could not build crates/server/examples/sync_load.rs and live_load.rs"
[ -x "$SYNC_LOAD" ] || die "no sync load generator at $SYNC_LOAD"
[ -x "$LIVE_LOAD" ] || die "no live load generator at $LIVE_LOAD"

# ------------------------------------------------------------- PostgreSQL ---
say "starting a throwaway PostgreSQL cluster with durable commits (scripts/pg-cluster.sh start --durable)"
# Captured first: `eval "$(…)"` would hide the script's failure.
pg_env=$(bash scripts/pg-cluster.sh start --durable) || die "could not start a PostgreSQL cluster"
eval "$pg_env"
# postgres://lophoc@HOST:PORT, for the databases made below.
PG_BASE=${LOPHOC_TEST_POSTGRES%/*}
PG_HOST_PORT=${PG_BASE##*@}
pg() { "$LOPHOC_PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 "$LOPHOC_TEST_POSTGRES" -c "$1"; }
fact PG_VERSION "$(pg 'SHOW server_version')"
settings=
for name in fsync synchronous_commit full_page_writes wal_sync_method shared_buffers max_wal_size checkpoint_timeout; do
  settings+="${settings:+, }\`$name\` $(pg "SHOW $name")"
done
fact PG_SETTINGS "$settings"
# Refuse to compare against a cluster that does not flush its commits.
[ "$(pg 'SHOW fsync')" = on ] && [ "$(pg 'SHOW synchronous_commit')" = on ] \
  || die "the cluster does not flush its commits (fsync or synchronous_commit off)"
pg_tool() { "$LOPHOC_PG_BIN/$1" -h "${PG_HOST_PORT%:*}" -p "${PG_HOST_PORT##*:}" -U lophoc "${@:2}"; }
PG_DB_SEQ=0
fresh_pg_database() { # sets PG_URL to a new empty database
  local name=bench_$((++PG_DB_SEQ))
  pg_tool createdb "$name" || die "createdb $name failed"
  pg CHECKPOINT || die "CHECKPOINT failed"
  PG_URL=$PG_BASE/$name
}
drop_pg_database() { pg_tool dropdb "${1##*/}" || die "dropdb ${1##*/} failed"; }

# SQLite as the server has it: bundled by libsqlite3-sys (sqlx's `sqlite`).
SQLITE_SYS=$(awk '/^name = "libsqlite3-sys"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
SQLITE_VERSION=$(sed -n 's/^#define SQLITE_VERSION *"\(.*\)"/\1/p' \
  "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"libsqlite3-sys-$SQLITE_SYS"/sqlite3/sqlite3.h 2>/dev/null | head -n1)
fact SQLITE_SYS "${SQLITE_SYS:-?}"
fact SQLITE_VERSION "${SQLITE_VERSION:-?}"

# ---------------------------------------------------------------- server ---
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start_server() { # $1: port, $2: database URL, then any more arguments. Sets SERVER_PID to the server's own PID.
  "$BIN" --listen "127.0.0.1:$1" --database "$2" --content content --dist dist --demo "${@:3}" \
    >>"$WORK/server.log" 2>&1 {SLEEP_FD}>&- &
  SERVER_PID=$!
}

health_ok() { # true when GET /api/health on 127.0.0.1:$1 answers 200
  local fd line
  { exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$1" \
    >&"$fd" 2>/dev/null || { exec {fd}>&-; return 1; }
  IFS= read -r -t 2 line <&"$fd" || line=
  exec {fd}>&-
  [[ $line == "HTTP/1.1 200"* ]]
}

wait_ready() { # $1: port
  local deadline=$(($(now_us) + 60000000))
  until health_ok "$1"; do
    if ! is_running "$SERVER_PID"; then
      tail -n 30 "$WORK/server.log" >&2 || true
      die "the server exited before answering /api/health (log above)"
    fi
    if (($(now_us) > deadline)); then
      tail -n 30 "$WORK/server.log" >&2 || true
      die "the server did not answer /api/health within 60 s (log above)"
    fi
    nap 0.005
  done
}

# ------------------------------------------------------ machine and commit ---
fact DATE "$(date -u)"
fact NPROC "$(nproc)"
fact CPU "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
fact MEM_KB "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
fact KERNEL "$(uname -r)"
fact LOADAVG_START "$(cut -d' ' -f1-3 /proc/loadavg)"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- . ':(exclude)BENCHMARKS.md' 2>/dev/null)" ]; then
  commit="$commit+dirty"
fi
fact COMMIT "$commit"
fact SYNC_OPS "$SYNC_OPS"
STARTED=$(now_us)
RESULTS=$WORK/sync.tsv # engine devices run ops/s drain-ms p50 p95 max load1
: >"$RESULTS"

# --------------------------------------------------------- push throughput ---
# $1: engine, $2: devices, $3: run. A fresh database, one server start (it
# migrates and seeds the demo), the drain, then the database is thrown away.
sync_run() {
  local engine=$1 devices=$2 run=$3 url port out=$WORK/sync-$1-$2-$3.out load1
  case $engine in
  sqlite) url=sqlite://$WORK/sync.db ;;
  postgres) fresh_pg_database && url=$PG_URL ;;
  esac
  port=$(free_port)
  start_server "$port" "$url"
  wait_ready "$port"
  load1=$(cut -d' ' -f1 /proc/loadavg)
  "$SYNC_LOAD" --url "http://127.0.0.1:$port" --ops "$SYNC_OPS" --devices "$devices" >"$out" 2>"$out.err" \
    || { cat "$out.err" >&2; die "sync_load with $devices device(s) on $engine (run $run) failed"; }
  stop_server
  val() { sed -n "s/^$1=//p" "$out"; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "$devices" "$run" "$(val OPS_PER_S)" "$(val DRAIN_MS)" \
    "$(val PUSH_MS_P50)" "$(val PUSH_MS_P95)" "$(val PUSH_MS_MAX)" "$load1" >>"$RESULTS"
  printf '  %-8s %2s device(s), run %s: %s ops/s (%s ms; push p50 %s ms, p95 %s ms; load %s)\n' "$engine" "$devices" \
    "$run" "$(val OPS_PER_S)" "$(val DRAIN_MS)" "$(val PUSH_MS_P50)" "$(val PUSH_MS_P95)" "$load1"
  case $engine in
  sqlite) rm -f "$WORK/sync.db" "$WORK/sync.db-wal" "$WORK/sync.db-shm" ;;
  postgres) drop_pg_database "$url" ;;
  esac
}

say "push throughput: $SYNC_OPS ops per device, devices: $DEVICES; $RUNS runs each on a fresh database, engines alternating"
for ((run = 1; run <= RUNS; run++)); do
  for n in $DEVICES; do
    for engine in "${ENGINES[@]}"; do sync_run "$engine" "$n" "$run"; done
  done
done

# ------------------------------------------------------------ class matrix ---
say "class matrix (200 × 12, 50,000 events), server figure only, on each engine"
for engine in "${ENGINES[@]}"; do
  db=
  if [ "$engine" = postgres ]; then fresh_pg_database && db=$PG_URL; fi
  say "  on $engine"
  TMPDIR=$WORK/tmp LOPHOC_SERVER_BIN=$BIN LOPHOC_BENCH_DATABASE=$db \
    BENCH_MATRIX_CLIENT_RUNS=0 BENCH_MATRIX_SERVER_RUNS=$MATRIX_RUNS \
    node e2e/bench/class-matrix.mjs "$WORK/matrix-$engine.json" \
    || die "the class matrix could not be measured on $engine"
  if [ -n "$db" ]; then drop_pg_database "$db"; fi
done

# ---------------------------------------------- live session, two instances ---
say "live session: $LIVE_PLAYERS players over two instances of one PostgreSQL database"
fresh_pg_database
live_db=$PG_URL
port_b=$(free_port)
start_server "$port_b" "$live_db" --instance-url "http://127.0.0.1:$port_b"
wait_ready "$port_b"
RELAY_PID=$SERVER_PID
port_a=$(free_port)
start_server "$port_a" "$live_db" --instance-url "http://127.0.0.1:$port_a"
wait_ready "$port_a"
# Each player its own socket, on both ends of the relay: well past the
# default of 1,024 open files.
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fact LIVE_NOFILE "$(ulimit -n)"
"$LIVE_LOAD" --url "http://127.0.0.1:$port_a" --relay-url "http://127.0.0.1:$port_b" \
  --pid "$SERVER_PID" --relay-pid "$RELAY_PID" --players "$LIVE_PLAYERS" \
  >"$WORK/live-two.out" 2>"$WORK/live-two.err" \
  || { cat "$WORK/live-two.err" >&2; die "live_load over two instances failed"; }
stop_server
SERVER_PID=$RELAY_PID RELAY_PID= stop_server
drop_pg_database "$live_db"
sed -n 's/^live_load: /  /p' "$WORK/live-two.err"

fact LOADAVG_END "$(cut -d' ' -f1-3 /proc/loadavg)"
fact ELAPSED_S "$((($(now_us) - STARTED) / 1000000))"

# ----------------------------------------------------------------- section ---
node e2e/bench/engines-report.mjs "$WORK" "$WORK/section.md" || die "could not write the section"
[ -s "$WORK/section.md" ] || die "e2e/bench/engines-report.mjs wrote no section"

if [ -n "$SECTION" ]; then
  cp "$WORK/section.md" "$SECTION"
  say "wrote the section to $SECTION"
elif grep -qxF "$TITLE" "$OUT"; then
  # Replace the section of that title, up to the next "## " heading.
  awk -v title="$TITLE" -v file="$WORK/section.md" '
    $0 == title { while ((getline line < file) > 0) print line; skip = 1; next }
    skip && /^## / { skip = 0 }
    !skip { print }
  ' "$OUT" >"$WORK/out.md" || die "could not place the section in $OUT"
  cp "$WORK/out.md" "$OUT"
  say "replaced the section in $OUT"
else
  # Insert it after the class matrix's section: before the next "## "
  # heading, or at the end.
  awk -v after="$AFTER" -v file="$WORK/section.md" '
    function section() { while ((getline line < file) > 0) print line; done = 1 }
    pending && /^## / { section(); pending = 0 }
    $0 == after { pending = 1 }
    { print }
    END { if (pending && !done) section() }
  ' "$OUT" >"$WORK/out.md" || die "could not place the section in $OUT"
  cp "$WORK/out.md" "$OUT"
  say "added the section to $OUT"
fi
say "done in $(sed -n 's/^ELAPSED_S=//p' "$FACTS") s"
