# Lophoc — the README's commands. Each installs what is missing first
# (scripts/setup.sh, idempotent).
#   make run    build the client and the server, start it with the demo data
#   make test   formatting, lints, native tests (the server's also on PostgreSQL),
#               browser tests, end-to-end tests
#   make bench  measure sizes, page load and server figures into BENCHMARKS.md
#   make bench-engines  only the SQLite/PostgreSQL comparison, into BENCHMARKS.md

SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c

TOOLS ?= $(HOME)/.cache/lophoc/tools
export PATH := $(TOOLS)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH):$(TOOLS)/caddy/usr/bin
export TRUNK_SKIP_VERSION_CHECK := true
export CHROMEDRIVER := /usr/bin/chromedriver
export CARGO_TERM_COLOR := never
CARGO_TARGET_DIR ?= target
export CARGO_TARGET_DIR

LISTEN ?= 127.0.0.1:8080
DATABASE ?= sqlite://data/lophoc.db
SERVER_RELEASE := $(CARGO_TARGET_DIR)/server/lophoc-server

.PHONY: setup client server build run test lint test-native test-postgres test-browser test-e2e bench bench-engines clean

setup:
	@bash scripts/setup.sh

## The client, built by Trunk, twice: dist/ without the staff pages (what
## trainees' phones load) and dist/staff/ with them (what the server sends for
## staff pages); then the service worker over both, and .br and .gz copies the
## server sends as they are. The trainee build must come first: Trunk empties
## its dist folder, dist/staff/ included.
client: setup
	trunk build --release
	trunk build staff.html --release --dist dist/staff --public-url /staff/
	bash scripts/sw-precache.sh dist
	scripts/precompress.sh dist

server: setup
	cargo build --profile server -p lophoc-server

build: client server

run: build
	@echo
	@echo "  Lophoc: http://$(LISTEN)"
	@echo "  Tài khoản thử / demo logins (tên đăng nhập / mật khẩu — username / password):"
	@echo "    học viên / trainee:            hocvien   / hocvien123   (và / and hocvien2 / hocvien123)"
	@echo "    giảng viên / lecturer:         giangvien / giangvien123"
	@echo "    quản trị trung tâm / centre admin: quantri / quantri123"
	@echo "    quản trị cấp tỉnh / province admin: quantritinh / quantri123"
	@echo "  Dừng / stop: Ctrl+C"
	@echo
	$(SERVER_RELEASE) --listen $(LISTEN) --database $(DATABASE) --content content --dist dist --demo

lint: setup
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p lophoc --target wasm32-unknown-unknown --all-targets -- -D warnings
	cargo clippy -p lophoc --target wasm32-unknown-unknown --no-default-features --features split -- -D warnings
	cargo clippy -p lophoc --target wasm32-unknown-unknown --features split -- -D warnings

test-native: setup
	cargo test --workspace

## The server's integration tests again with PostgreSQL as the store's
## engine: a throwaway cluster of our own, a fresh database per test.
test-postgres: setup
	bash scripts/test-postgres.sh

## wasm-bindgen-test of client components in headless Chromium.
test-browser: setup
	cargo test -p lophoc --target wasm32-unknown-unknown

## Playwright (playwright-core) driving Debian's Chromium against the real
## server on a free port with a fresh database.
test-e2e: client
	cargo build -p lophoc-server
	LOPHOC_SERVER_BIN=$(CARGO_TARGET_DIR)/debug/lophoc-server node --test --test-concurrency=1 e2e/tests/

test: lint test-native test-postgres test-browser test-e2e

bench: build
	LOPHOC_SERVER_BIN=$(SERVER_RELEASE) bash scripts/bench.sh

## Push throughput and the class matrix on SQLite and on a throwaway
## PostgreSQL cluster, side by side: its section of BENCHMARKS.md replaced
## (the rest left as it is). Needs the release server only, not the client.
bench-engines: server
	LOPHOC_SERVER_BIN=$(SERVER_RELEASE) bash scripts/bench-engines.sh

clean:
	rm -rf dist
