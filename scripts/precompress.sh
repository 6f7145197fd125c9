#!/usr/bin/env bash
# Writes .br and .gz beside each text or wasm file of the built client, so the
# server sends compressed files without compressing on every request.
set -euo pipefail
dir="${1:-dist}"
find "$dir" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.json' -o -name '*.webmanifest' \) -print0 |
  while IFS= read -r -d '' f; do
    brotli -f -k -q 11 -o "$f.br" "$f"
    gzip -f -k -9 "$f"
  done
