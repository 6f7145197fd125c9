#!/usr/bin/env bash
# `make test-postgres`: the server's integration tests (crates/server/tests/it)
# again with PostgreSQL as the store's engine, on a throwaway cluster of our
# own (scripts/pg-cluster.sh), each test on a fresh database of it.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/pg-cluster.sh start)"
trap 'bash scripts/pg-cluster.sh stop "$LOPHOC_PG_DIR"' EXIT
LOPHOC_TEST_POSTGRES="$LOPHOC_TEST_POSTGRES" cargo test -p lophoc-server --test it --test blocking "$@"
