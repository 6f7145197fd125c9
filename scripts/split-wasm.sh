#!/usr/bin/env bash
# Cuts a client build's .wasm into a main module and the groups of pages of
# src/split.rs (README, "Code split by page"). Trunk's post_build hook runs it
# (Trunk.toml) in Trunk's staging folder, after Trunk's own wasm-bindgen and
# before scripts/sw-precache.sh lists the files.
#
# Trunk has no step for this, so the script redoes the end of Trunk's rust
# pipeline from the module cargo linked (with --emit-relocs, .cargo/config.toml):
#   1. wasm-split-cli (crate wasm_split_cli_support) cuts it at the
#      #[leptos::lazy] functions: the main module, one module per group and
#      chunks of code shared by several groups, and __wasm_split.js, which
#      fetches a group when its function is first called;
#   2. wasm-bindgen (--keep-lld-exports, which the groups import from the main
#      module) writes the JS glue of the main module;
#   3. wasm-opt -Oz each module (release builds; Trunk's own wasm-opt is off,
#      data-wasm-opt="0" in index.html and staff.html);
#   4. lists in index.html, for each group, the files it needs (its module and
#      the chunks it imports, transitively), as LOPHOC_GROUPS: the start script
#      fetches a deep link's group beside the main module (Trunk.toml), and
#      scripts/sw-precache.sh keeps the visitor's group at once;
#   5. names: the files replace Trunk's lophoc-<hash>.js / _bg.wasm (the names
#      index.html loads), and every other file is named after them,
#      lophoc-<hash>-split.js and lophoc-<hash>-<module>.wasm, so that a page
#      of one build never fetches a group of another (the groups fit only the
#      main module they were cut from) and the server may cache them forever.
set -euo pipefail

stage="${TRUNK_STAGING_DIR:?split-wasm: run as a Trunk post_build hook}"
source_dir="${TRUNK_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
profile="${TRUNK_PROFILE:-release}"
say() { echo "split-wasm: $*"; }

shopt -s nullglob
js_files=("$stage"/lophoc-*.js)
if [[ ${#js_files[@]} != 1 ]]; then
  say "expected one lophoc-<hash>.js in $stage, found ${#js_files[@]}" >&2
  exit 1
fi
stem="$(basename "${js_files[0]}" .js)"
[[ -f "$stage/${stem}_bg.wasm" ]] || { say "no ${stem}_bg.wasm in $stage" >&2; exit 1; }

case "$profile" in
  release) profile_dir=release ;;
  debug | dev) profile_dir=debug ;;
  *) profile_dir="$profile" ;;
esac
target_dir="${CARGO_TARGET_DIR:-$source_dir/target}"
input="$target_dir/wasm32-unknown-unknown/$profile_dir/lophoc.wasm"
[[ -f "$input" ]] || { say "no module at $input" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. Cut.
wasm-split-cli --out-name "$stem" "$input" "$work/split" >/dev/null
[[ -f "$work/split/$stem.wasm" && -f "$work/split/__wasm_split.js" ]] \
  || { say "wasm-split-cli wrote no main module" >&2; exit 1; }

# 2. The main module's glue.
wasm-bindgen "$work/split/$stem.wasm" --out-dir "$work/bindgen" --out-name "$stem" \
  --target web --keep-lld-exports
mv "$work/bindgen/${stem}_bg.wasm" "$work/split/$stem.wasm"

# 3. Optimise.
if [[ "$profile_dir" == release ]]; then
  pids=()
  for module in "$work/split"/*.wasm; do
    wasm-opt -Oz --converge --strip-debug --strip-producers --enable-reference-types \
      --enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-multivalue "$module" -o "$module" 2> "$module.log" &
    pids+=($!)
  done
  failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  # wasm-opt does not know the name subsection the split writes; it drops it.
  cat "$work/split"/*.log | grep -v "unknown name subsection" >&2 || true
  [[ $failed == 0 ]] || { say "wasm-opt failed" >&2; exit 1; }
fi

# 4. Name and place. The loader asks for "./<module>.wasm" next to itself and
# the glue imports "./__wasm_split.js".
rm -f "$stage/${stem}_bg.wasm" "$stage/$stem.js"
groups=0
for module in "$work/split"/*.wasm; do
  name="$(basename "$module" .wasm)"
  if [[ "$name" == "$stem" ]]; then
    cp "$module" "$stage/${stem}_bg.wasm"
  else
    cp "$module" "$stage/$stem-$name.wasm"
    groups=$((groups + 1))
  fi
done
# A module's fetch is started beside its dependencies'; when one of those
# fails first (offline), nobody awaits it: mark its failure as handled (the
# load still fails, through the dependency).
sed -e "s|new URL(\"\\./|new URL(\"./$stem-|g" \
  -e 's|^\( *\)const src = \(fetch(.*)\);$|\1const src = \2;\n\1src.catch(() => {});|' \
  "$work/split/__wasm_split.js" > "$stage/$stem-split.js"
# Only the JS import paths: the import object's keys stay the module names
# the .wasm imports.
sed "s|from \"\\./__wasm_split\\.js\"|from \"./$stem-split.js\"|" "$work/bindgen/$stem.js" > "$stage/$stem.js"
if grep -q '__wasm_split_placeholder__\|from "\./__wasm_split\.js"' "$stage/$stem.js"; then
  say "the glue still imports the unsplit placeholders" >&2
  exit 1
fi
if ! grep -q "new URL(\"./$stem-" "$stage/$stem-split.js"; then
  say "the loader names no module" >&2
  exit 1
fi
# 4. Each group's files, read from the loader (lines `const __chunk_5 =
# makeLoad(` / `new URL("./<file>"` / `, [__chunk_6, …]));`).
declare -A module_file=() module_deps=()
name=""
while read -r kind value; do
  case "$kind" in
    N) name="$value" ;;
    F) module_file[$name]="$value" ;;
    D) module_deps[$name]="${value//,/}" ;;
  esac
done < <(sed -n -E \
  -e 's/^(export )?const (__[A-Za-z0-9_]+) = .*/N \2/p' \
  -e 's/.*new URL\("\.\/([^"]+)".*/F \1/p' \
  -e 's/^, \[(.*)\]\)+;$/D \1/p' "$stage/$stem-split.js")
base="${TRUNK_PUBLIC_URL:-/}"
[[ "$base" == */ ]] || base="$base/"
json=""
for loader in $(printf '%s\n' "${!module_file[@]}" | LC_ALL=C sort); do
  [[ "$loader" == __wasm_split_load_* ]] || continue
  declare -A seen=()
  files=""
  pending=("$loader")
  while [[ ${#pending[@]} -gt 0 ]]; do
    name="${pending[0]}"
    pending=("${pending[@]:1}")
    file="${module_file[$name]:-}"
    [[ -n "$file" ]] || { say "the loader names no file for $name" >&2; exit 1; }
    [[ -n "${seen[$file]:-}" ]] && continue
    seen[$file]=1
    files+="${files:+,}\"$base$file\""
    for dep in ${module_deps[$name]:-}; do pending+=("$dep"); done
  done
  unset seen
  json+="${json:+,}\"${loader#__wasm_split_load_}\":[$files]"
done
[[ -n "$json" ]] || { say "the loader names no group" >&2; exit 1; }
script="<script>var LOPHOC_GROUPS = {$json};</script>"
grep -q '</head>' "$stage/index.html" || { say "no </head> in $stage/index.html" >&2; exit 1; }
sed -i "s|</head>|$script</head>|" "$stage/index.html"

say "$stem: main module $(wc -c < "$stage/${stem}_bg.wasm") B and $groups fetched later"
