#!/usr/bin/env bash
# `make bench`: measures Lophoc as built (dist/ and the release server) and
# writes BENCHMARKS.md. Run by `make bench` after `make build`:
#
#   LOPHOC_SERVER_BIN=target/server/lophoc-server bash scripts/bench.sh
#
# Only loopback traffic: the server listens on 127.0.0.1 on a free port with a
# fresh temporary database; Debian's Chromium (never a downloaded browser)
# loads the pages. A figure over its budget does not fail the run (benchmarks
# are not tests); a measurement that could not be taken does.
#
# Knobs (environment): BENCH_LIGHTHOUSE_RUNS (runs per page, default 3; the
# median run is reported), BENCH_SYNC_OPS (ops each device queues and pushes,
# default 10000), BENCH_OFFLINE_RUNS (offline reloads, default 5; the median is
# reported), BENCH_LIVE_SIZES (players per live session run, default
# "200 1000 2000"; the last size also runs with every answer at once),
# BENCH_KEEP=1 (keep the work folder with the Lighthouse reports and
# the server log), CHROME_PATH (default /usr/bin/chromium).
#
# The trainee pages (issue 15, e2e/bench/pages.mjs: first visit and returning
# device under Lighthouse's mobile profile, then a Lighthouse run on each
# first visit): BENCH_PAGES_RUNS (runs per page, default 3; medians),
# BENCH_PAGES (the pages to measure by name, default all; `node
# e2e/bench/pages.mjs --list` names them), BENCH_PAGES_LIGHTHOUSE_RUNS
# (Lighthouse runs per page, default 3 — one run's score moves by 5 points
# and more with the machine, so a single run could flip a verdict — 0 for
# none; the lesson's are the Lighthouse runs above), BENCH_PAGES_THROTTLING (simulated, the default, or
# devtools: see pages-lib.mjs), BENCH_PAGES_MARK=0 (first visits without the
# device's signed-in mark, as Lighthouse has them). At the defaults they take about 9 minutes
# on 2 cores (3¾ for pages.mjs, 21 Lighthouse runs of about 15 s).
#
# The offline, sync and live figures need cargo: the load generators are
# crates/server/examples/sync_load.rs and live_load.rs, built here with the
# server's profile. The class matrix (e2e/bench/class-matrix.mjs) starts a
# server of its own on a synthetic course; its knobs are
# BENCH_MATRIX_SERVER_RUNS (default 5) and BENCH_MATRIX_CLIENT_RUNS (default 3).
# Last, scripts/bench-engines.sh measures push throughput and the class
# matrix's server figure on SQLite and on a throwaway PostgreSQL cluster
# side by side (issue 17; its knobs are in the script, about 6½ minutes more).
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

BIN=${LOPHOC_SERVER_BIN:-target/server/lophoc-server}
CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
LIGHTHOUSE_VERSION=12.2.3
LH_RUNS=${BENCH_LIGHTHOUSE_RUNS:-3}
SYNC_OPS=${BENCH_SYNC_OPS:-10000}
SYNC_DEVICES=4
OFFLINE_RUNS=${BENCH_OFFLINE_RUNS:-5}
PAGES_RUNS=${BENCH_PAGES_RUNS:-3}
PAGES_LH_RUNS=${BENCH_PAGES_LIGHTHOUSE_RUNS:-3}
SYNC_LOAD=${CARGO_TARGET_DIR:-target}/server/examples/sync_load
LIVE_LOAD=${CARGO_TARGET_DIR:-target}/server/examples/live_load
LIVE_SIZES=${BENCH_LIVE_SIZES:-200 1000 2000}
START_RUNS=5
EXTRA_LOGINS=8
COURSE=can-bo-co-so
LESSON=nhan-dien-tham-nhung
LESSON_PATH=/courses/$COURSE/lessons/$LESSON
LOGIN_JSON='{"username":"hocvien","password":"hocvien123"}'
CHROME_FLAGS='--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-quic'
OUT=BENCHMARKS.md

say() { printf '\033[1m[bench]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[bench] FAILED:\033[0m %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- checks ---
[ -x "$BIN" ] || die "no server binary at $BIN (run \`make build\`, or set LOPHOC_SERVER_BIN)"
[ -f dist/index.html ] || die "dist/ is not built (run \`make build\`)"
[ -f dist/sw.js ] || die "dist/ has no service worker sw.js (stale dist/? run \`make build\`)"
shopt -s nullglob
wasm=(dist/*_bg.wasm)
# The groups of pages cut from it, fetched when first opened (README, "Code
# split by page"), and the same for the staff build.
groups=(dist/lophoc-*-split_*.wasm dist/lophoc-*-chunk_*.wasm)
staff_groups=(dist/staff/lophoc-*-split_*.wasm dist/staff/lophoc-*-chunk_*.wasm)
# The staff build (dist/staff/, see Makefile): lecturers' and admins' pages.
staff_wasm=(dist/staff/*_bg.wasm)
js=()
for f in dist/*.js; do js+=("$f"); done
css=(dist/*.css)
shopt -u nullglob
[ ${#wasm[@]} -eq 1 ] || die "expected exactly one dist/*_bg.wasm, found ${#wasm[@]} (stale dist/? run \`make build\`)"
[ ${#js[@]} -ge 1 ] || die "no JS glue in dist/"
command -v cargo >/dev/null || PATH=$HOME/.cargo/bin:$PATH
for tool in node npm curl gzip brotli git cargo; do
  command -v "$tool" >/dev/null || die "$tool is missing (run \`make setup\`)"
done
[ -x "$CHROME_PATH" ] || die "no Chromium at $CHROME_PATH (run \`make setup\`)"
[[ $LH_RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_LIGHTHOUSE_RUNS must be a positive number"
[[ $SYNC_OPS =~ ^[1-9][0-9]*$ ]] || die "BENCH_SYNC_OPS must be a positive number"
[[ $OFFLINE_RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_OFFLINE_RUNS must be a positive number"
[[ $PAGES_RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_PAGES_RUNS must be a positive number"
[[ $PAGES_LH_RUNS =~ ^[0-9]+$ ]] || die "BENCH_PAGES_LIGHTHOUSE_RUNS must be a number (0 for none)"
# The trainee pages to measure, "name path" a line (fails on an unknown name
# in BENCH_PAGES).
PAGE_LIST=$(node e2e/bench/pages.mjs --list) || die "BENCH_PAGES names a page e2e/bench/pages.mjs does not know"

# -------------------------------------------------------- work folder, trap ---
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lophoc-bench.XXXXXX")
mkdir -p "$WORK/tmp" "$WORK/xdg"
SERVER_PID=
FACTS=$WORK/facts.env
: >"$FACTS"
fact() { printf '%s=%s\n' "$1" "$2" >>"$FACTS"; }

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
    read -rt 0.025 -u "$SLEEP_FD" || true
  done
  if is_running "$pid"; then
    printf '[bench] server %s ignored SIGTERM for 5 s; killing it\n' "$pid" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_server
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

# -------------------------------------------------- 1. bench dependencies ---
lh_installed=$(node -p "require('./e2e/bench/node_modules/lighthouse/package.json').version" 2>/dev/null || true)
if [ "$lh_installed" != "$LIGHTHOUSE_VERSION" ] \
  || [ e2e/bench/package-lock.json -nt e2e/bench/node_modules/.package-lock.json ]; then
  say "installing lighthouse $LIGHTHOUSE_VERSION into e2e/bench/node_modules"
  npm ci --silent --no-audit --no-fund --prefix e2e/bench
fi
lh_installed=$(node -p "require('./e2e/bench/node_modules/lighthouse/package.json').version")
[ "$lh_installed" = "$LIGHTHOUSE_VERSION" ] || die "lighthouse $lh_installed installed, expected $LIGHTHOUSE_VERSION"
# playwright-core and the harness are shared with the end-to-end tests.
if [ ! -f e2e/node_modules/playwright-core/package.json ]; then
  say "installing the end-to-end test packages (playwright-core)"
  npm ci --silent --no-audit --no-fund --prefix e2e
fi
LIGHTHOUSE=e2e/bench/node_modules/.bin/lighthouse
# The sync load generator, built before anything is measured (a no-op when
# it is up to date).
say "building the load generators (cargo build --profile server -p lophoc-server --example sync_load --example live_load)"
cargo build --quiet --profile server -p lophoc-server --example sync_load --example live_load \
  || die "could not build crates/server/examples/sync_load.rs and live_load.rs"
[ -x "$SYNC_LOAD" ] || die "no sync load generator at $SYNC_LOAD"
[ -x "$LIVE_LOAD" ] || die "no live session load generator at $LIVE_LOAD"

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
fact CHROMIUM "$("$CHROME_PATH" --version 2>/dev/null | head -n1)"
fact NODE "$(node --version)"
fact LIGHTHOUSE "$lh_installed"
fact SERVER_BIN "$BIN"
fact LH_RUNS "$LH_RUNS"
fact CHROME_FLAGS "$CHROME_FLAGS"
fact LESSON_PATH "$LESSON_PATH"
fact SYNC_OPS "$SYNC_OPS"
fact SYNC_DEVICES "$SYNC_DEVICES"
fact OFFLINE_RUNS "$OFFLINE_RUNS"
fact PAGES_RUNS "$PAGES_RUNS"
fact PAGES_LH_RUNS "$PAGES_LH_RUNS"

# ------------------------------------------------------ 2. release sizes ---
say "sizes of the release client (gzip -9, brotli -q 11)"
: >"$WORK/sizes.tsv"
for f in "${wasm[@]}" "${groups[@]}" "${js[@]}" "${css[@]}" dist/index.html "${staff_wasm[@]}" "${staff_groups[@]}"; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  br=$(brotli -q 11 -c "$f" | wc -c)
  served=-
  [ -f "$f.br" ] && served=$(wc -c <"$f.br")
  printf '%s\t%s\t%s\t%s\t%s\n' "$f" "$raw" "$gz" "$br" "$served" >>"$WORK/sizes.tsv"
  printf '  %-40s %8s raw %8s gzip %8s brotli\n' "$f" "$raw" "$gz" "$br"
done

# ------------------------------------------------------------- 3. server ---
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

DB="sqlite://$WORK/lophoc.db"
start_server() { # $1: port, [$2: database URL, default $DB]. Sets SERVER_PID to the server's own PID.
  "$BIN" --listen "127.0.0.1:$1" --database "${2:-$DB}" --content content --dist dist --demo \
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

wait_ready() { # $1: port. Polls /api/health every 5 ms (no process forked per poll).
  local deadline=$(($(now_us) + 30000000))
  until health_ok "$1"; do
    if ! is_running "$SERVER_PID"; then
      tail -n 30 "$WORK/server.log" >&2 || true
      die "the server exited before answering /api/health (log above)"
    fi
    if (($(now_us) > deadline)); then
      tail -n 30 "$WORK/server.log" >&2 || true
      die "the server did not answer /api/health within 30 s (log above)"
    fi
    nap 0.005
  done
}

say "seeding a fresh database (first start, not measured)"
port=$(free_port)
start_server "$port"
wait_ready "$port"
stop_server

say "server start to first 200 with the demo data ($START_RUNS starts)"
starts=()
for ((i = 1; i <= START_RUNS; i++)); do
  port=$(free_port)
  t0=$(now_us)
  start_server "$port"
  wait_ready "$port"
  t1=$(now_us)
  starts+=($((t1 - t0)))
  printf '  start %d: %d.%03d ms\n' "$i" $(((t1 - t0) / 1000)) $(((t1 - t0) % 1000))
  stop_server
done
fact START_US "${starts[*]}"

say "starting the server for the page measurements"
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
start_server "$PORT"
wait_ready "$PORT"
[ "$(cat "/proc/$SERVER_PID/comm")" = "$(basename "$BIN" | cut -c1-15)" ] \
  || die "PID $SERVER_PID is not the server ($(cat "/proc/$SERVER_PID/comm"))"

http_get() { # $1: path; $2: cookie. Fails unless 200.
  local code
  code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $2" "$BASE$1") || die "GET $1 failed"
  [ "$code" = 200 ] || die "GET $1 answered $code"
}
login() { # [$1: login JSON, default $LOGIN_JSON]. Prints the session cookie (name=value)
  local code cookie
  code=$(curl -sS -o /dev/null -D "$WORK/login.headers" -w '%{http_code}' \
    -H 'Content-Type: application/json' --data "${1:-$LOGIN_JSON}" "$BASE/api/auth/login") \
    || die "POST /api/auth/login failed"
  [ "$code" = 200 ] || die "POST /api/auth/login answered $code"
  cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: *\(lophoc_session=[^;[:space:]]*\).*/\1/p' "$WORK/login.headers" | head -n1)
  [ -n "$cookie" ] || die "the login answered no lophoc_session cookie"
  printf '%s' "$cookie"
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status"; }

COOKIE=$(login)
http_get /api/courses "$COOKIE"
http_get "/api/courses/$COURSE" "$COOKIE"
http_get "/api/courses/$COURSE/lessons/$LESSON" "$COOKIE"
nap 2
rss=$(rss_kb)
[[ $rss =~ ^[0-9]+$ ]] || die "could not read VmRSS of PID $SERVER_PID"
fact RSS_IDLE_KB "$rss"
say "server idle RSS after a login, the course list and a lesson: $rss kB"

# ---------------------------------------------------- 4. cold load bytes ---
say "cold load of / in Chromium (fresh profile)"
TMPDIR=$WORK/tmp CHROME_PATH=$CHROME_PATH node e2e/bench/cold-load.mjs "$BASE/" "$WORK/cold.json" \
  || die "the cold load of / could not be measured"

# ---------------------------------------------------------- 5. Lighthouse ---
printf '{"Cookie": "%s"}\n' "$COOKIE" >"$WORK/lesson-headers.json"
lighthouse_run() { # $1: name, $2: path, $3: run number, [$4: extra headers file]
  local out="$WORK/lh-$1-$3.json"
  local extra=()
  [ -n "${4:-}" ] && extra=(--extra-headers="$4")
  XDG_CONFIG_HOME=$WORK/xdg TMPDIR=$WORK/tmp CHROME_PATH=$CHROME_PATH \
    "$LIGHTHOUSE" "$BASE$2" --quiet --no-enable-error-reporting \
    --only-categories=performance --output=json --output-path="$out" \
    --chrome-flags="$CHROME_FLAGS" "${extra[@]}" \
    || die "lighthouse could not measure $2 (run $3)"
  [ -s "$out" ] || die "lighthouse wrote no report for $2 (run $3)"
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const a = r.audits;
    console.log(`  ${process.argv[2]} run ${process.argv[3]}: score ${Math.round(r.categories.performance.score * 100)}, ` +
      `LCP ${Math.round(a["largest-contentful-paint"].numericValue)} ms, ` +
      `final URL ${r.finalDisplayedUrl}`);
  ' "$out" "$1" "$3" || die "lighthouse report for $2 (run $3) is unreadable or has no performance score"
}
say "Lighthouse $lh_installed mobile, performance only: / ($LH_RUNS runs)"
for ((i = 1; i <= LH_RUNS; i++)); do lighthouse_run home / "$i"; done
say "Lighthouse $lh_installed mobile, performance only: $LESSON_PATH, signed in ($LH_RUNS runs)"
for ((i = 1; i <= LH_RUNS; i++)); do lighthouse_run lesson "$LESSON_PATH" "$i" "$WORK/lesson-headers.json"; done

# ------------------------------------------ informational server figures ---
fact RSS_AFTER_PAGES_KB "$(rss_kb)"
# Spread over the demo accounts: each account may log in 10 times at once,
# then once a minute (crates/server/src/throttle.rs).
DEMO_LOGINS=('{"username":"hocvien2","password":"hocvien123"}' '{"username":"giangvien","password":"giangvien123"}'
  '{"username":"quantri","password":"quantri123"}' '{"username":"quantritinh","password":"quantri123"}')
for ((i = 1; i <= EXTRA_LOGINS; i++)); do login "${DEMO_LOGINS[i % ${#DEMO_LOGINS[@]}]}" >/dev/null; done
nap 2
fact EXTRA_LOGINS "$EXTRA_LOGINS"
fact RSS_AFTER_LOGINS_KB "$(rss_kb)"

# ------------------------------------- 6. offline reload from the worker ---
say "reload to interactive offline, from the service worker ($OFFLINE_RUNS reloads)"
TMPDIR=$WORK/tmp CHROME_PATH=$CHROME_PATH node e2e/bench/offline-reload.mjs "$BASE/" "$WORK/offline.json" "$OFFLINE_RUNS" \
  || die "the offline reload could not be measured"

# -------------------------------- 6b. trainee pages on a slow phone (issue 15) ---
say "trainee pages under the mobile profile, first visit and returning device ($PAGES_RUNS runs each)"
TMPDIR=$WORK/tmp CHROME_PATH=$CHROME_PATH BENCH_PAGES_RUNS=$PAGES_RUNS \
  node e2e/bench/pages.mjs "$BASE" "$WORK/pages.json" \
  || die "the trainee pages could not be measured"
if ((PAGES_LH_RUNS > 0)); then
  say "Lighthouse $lh_installed mobile, performance only: each trainee page, signed in ($PAGES_LH_RUNS run(s) each; the lesson's are above)"
  while read -r name path; do
    [ "$name" = lesson ] && continue
    for ((i = 1; i <= PAGES_LH_RUNS; i++)); do lighthouse_run "page-$name" "$path" "$i" "$WORK/lesson-headers.json"; done
  done <<<"$PAGE_LIST"
fi
stop_server

# ------------------------------------------------- 7. draining the outbox ---
db_bytes() { # $1: SQLite file. Its size with its WAL, if one is left.
  local total=0 f
  for f in "$1" "$1-wal"; do
    [ -f "$f" ] && total=$((total + $(stat -c %s "$f")))
  done
  echo "$total"
}

# $1: fact prefix, $2: devices, [$3: file for the first full push body].
# A fresh database: seeded by a first start (not measured), then measured
# after the shutdown checkpoint, before and after the drain.
sync_drain() {
  local name=$1 devices=$2 file=$WORK/$1.db port extra=()
  [ -n "${3:-}" ] && extra=(--sample-batch "$3")
  port=$(free_port)
  start_server "$port" "sqlite://$file"
  wait_ready "$port"
  stop_server
  fact "${name}_DB_BEFORE_BYTES" "$(db_bytes "$file")"
  port=$(free_port)
  start_server "$port" "sqlite://$file"
  wait_ready "$port"
  "$SYNC_LOAD" --url "http://127.0.0.1:$port" --ops "$SYNC_OPS" --devices "$devices" "${extra[@]}" \
    >"$WORK/$name.out" || die "the sync drain with $devices device(s) failed"
  grep -E '^[A-Z0-9_]+=' "$WORK/$name.out" | sed "s/^/${name}_/" >>"$FACTS"
  fact "${name}_RSS_KB" "$(rss_kb)"
  SYNC_PORT=$port
}

say "draining $SYNC_OPS queued ops from one device into a fresh database (batches of MAX_BATCH)"
sync_drain SYNC1 1 "$WORK/sync-batch.json"
[ -s "$WORK/sync-batch.json" ] || die "sync_load wrote no push body"
fact SYNC_BATCH_GZIP_BYTES "$(gzip -6 -c "$WORK/sync-batch.json" | wc -c)"

say "IndexedDB bytes per op in Chromium ($SYNC_OPS ops laid out as the client stores them)"
TMPDIR=$WORK/tmp CHROME_PATH=$CHROME_PATH node e2e/bench/idb-bytes.mjs "http://127.0.0.1:$SYNC_PORT/" \
  "$WORK/sync-batch.json" "$WORK/idb.json" "$SYNC_OPS" || die "the IndexedDB bytes could not be measured"
stop_server
fact SYNC1_DB_AFTER_BYTES "$(db_bytes "$WORK/SYNC1.db")"

say "draining $SYNC_OPS queued ops from each of $SYNC_DEVICES devices at once into a fresh database"
sync_drain SYNC4 "$SYNC_DEVICES"
stop_server
fact SYNC4_DB_AFTER_BYTES "$(db_bytes "$WORK/SYNC4.db")"

# ------------------------------------------------------- 8. live session ---
# One process holds every player's socket and the server as many: raise the
# soft limit on open files if it is low (the hard limit permitting).
live_max=${LIVE_SIZES##* }
need_fds=$((live_max * 2 + 256))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need_fds" ]; then
  ulimit -n "$need_fds" 2>/dev/null || die "ulimit -n is $(ulimit -n); $live_max players need $need_fds (raise the hard limit)"
fi
fact LIVE_NOFILE "$(ulimit -n)"
fact LIVE_SIZES "$LIVE_SIZES"
live_run() { # $1: fact prefix, $2: players, then extra arguments
  local name=$1 players=$2 port
  shift 2
  port=$(free_port)
  start_server "$port" "sqlite://$WORK/$name.db"
  wait_ready "$port"
  "$LIVE_LOAD" --url "http://127.0.0.1:$port" --players "$players" --pid "$SERVER_PID" --clk-tck "$(getconf CLK_TCK)" "$@" \
    >"$WORK/$name.out" || die "the live session run with $players players failed"
  grep -E '^[A-Z0-9_]+=' "$WORK/$name.out" | sed "s/^/${name}_/" >>"$FACTS"
  stop_server
}
for players in $LIVE_SIZES; do
  say "live session: $players players answer 3 questions (answers spread over 3 s)"
  live_run "LIVE$players" "$players"
done
say "live session: $live_max players all answering at once"
live_run LIVEBURST "$live_max" --answer-spread-ms 1

# ------------------------------------------------------- 9. class matrix ---
# Issue 5: a class of 200 trainees × 12 modules with 50,000 events. The
# script starts its own server (the same binary) on a synthetic course in a
# temporary content folder, with a fresh database, and writes its section of
# BENCHMARKS.md, appended below after the report.
say "class matrix: 200 trainees × 12 modules, 50,000 events (server compute, Chromium render)"
TMPDIR=$WORK/tmp CHROME_PATH=$CHROME_PATH LOPHOC_SERVER_BIN=$BIN \
  node e2e/bench/class-matrix.mjs "$WORK/class-matrix.json" "$WORK/class-matrix.md" \
  || die "the class matrix could not be measured"
[ -s "$WORK/class-matrix.md" ] || die "e2e/bench/class-matrix.mjs wrote no BENCHMARKS.md section"
fact LOADAVG_END "$(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------- 10. SQLite and PostgreSQL side by side ---
# Issue 17: the same server figures on both engines. The script starts its
# own servers (the same binary) and a throwaway PostgreSQL cluster with
# durable commits, and writes its section of BENCHMARKS.md, appended below
# after the class matrix's.
say "SQLite and PostgreSQL side by side: push throughput for 1, 4 and 16 devices, the class matrix (scripts/bench-engines.sh)"
LOPHOC_SERVER_BIN=$BIN BENCH_SYNC_OPS=$SYNC_OPS bash scripts/bench-engines.sh --section "$WORK/engines.md" \
  || die "the engines could not be compared"
[ -s "$WORK/engines.md" ] || die "scripts/bench-engines.sh wrote no BENCHMARKS.md section"

# ------------------------------------------------------- 11. BENCHMARKS.md ---
node e2e/bench/report.mjs "$WORK" "$OUT" || die "could not write $OUT"
cat "$WORK/class-matrix.md" >>"$OUT" || die "could not append the class matrix to $OUT"
cat "$WORK/engines.md" >>"$OUT" || die "could not append the engine comparison to $OUT"
say "wrote $OUT"
