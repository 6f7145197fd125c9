#!/usr/bin/env bash
# Writes the service worker of one client build: Trunk's post_build hook
# (Trunk.toml) runs it once the build is complete in Trunk's staging folder,
# before that folder becomes dist/.
#
# It reads the template public/sw.js and writes <staging>/sw.js with:
#   - PRECACHE: every file of the build, as a root-relative path: index.html,
#     the hashed .js/.wasm/.css/.svg Trunk wrote, icons/, the manifest; but
#     not sw.js itself, nor .br/.gz copies or source maps;
#   - VERSION: the first 16 hex digits of a SHA-256 over that list, each
#     file's own SHA-256 and the template, so a new build of the shell (even
#     one that only changes index.html or an icon, whose names carry no hash)
#     gives a new sw.js and a new cache name, and an unchanged shell gives a
#     byte-identical sw.js (no needless update).
#
# The trainees' build is cut into a main module and groups of pages fetched
# when first opened (scripts/split-wasm.sh, src/split.rs). A visitor needs
# only the main module and the group of the pages anyone may open (settings,
# certificate check): those are PRECACHE. The other groups and the chunks only
# they use are APP, cached once someone signs in on the device (the page
# posts {type: "CACHE_APP"}, see public/sw.js), so a visitor's first load is
# not followed by the whole app in the background.
#
# Usage: run by Trunk (TRUNK_STAGING_DIR set), or by hand on a built folder:
#   scripts/sw-precache.sh dist
set -euo pipefail

# The staff build (staff.html) gets no worker of its own: `make client`
# writes the one sw.js over both builds once the second is done.
if [[ -z "${1:-}" && "${TRUNK_HTML_FILE:-}" == *staff.html ]]; then
  echo "sw-precache: staff build, sw.js is written over both builds by make client"
  exit 0
fi
out_dir="${1:-${TRUNK_STAGING_DIR:-}}"
if [[ -z "$out_dir" || ! -d "$out_dir" ]]; then
  echo "sw-precache: give the build folder, or run as a Trunk post_build hook" >&2
  exit 2
fi
source_dir="${TRUNK_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
template="$source_dir/public/sw.js"
[[ -f "$template" ]] || { echo "sw-precache: no template at $template" >&2; exit 1; }
[[ -f "$out_dir/index.html" ]] || { echo "sw-precache: $out_dir has no index.html" >&2; exit 1; }

for marker in __LOPHOC_SW_VERSION__ __LOPHOC_SW_PRECACHE__ __LOPHOC_SW_APP__ __LOPHOC_SW_STAFF__; do
  if [[ "$(grep -c "$marker" "$template")" != 1 ]]; then
    echo "sw-precache: $template must have exactly one line with $marker" >&2
    exit 1
  fi
done

# The build's files, sorted bytewise so the result does not depend on the locale.
mapfile -t files < <(cd "$out_dir" && find . -type f \
  ! -name sw.js ! -name 'sw.js.*' ! -name '*.br' ! -name '*.gz' ! -name '*.map' ! -name '.*' \
  | sed 's|^\./|/|' | LC_ALL=C sort)

# Paths go into JavaScript string literals: accept only plain names.
for path in "${files[@]}"; do
  if [[ ! "$path" =~ ^/[A-Za-z0-9._/-]+$ ]]; then
    echo "sw-precache: unexpected file name $path" >&2
    exit 1
  fi
done

version="$(
  {
    sha256sum < "$template"
    for path in "${files[@]}"; do
      printf '%s %s\n' "$path" "$(sha256sum < "$out_dir$path" | cut -d' ' -f1)"
    done
  } | sha256sum | cut -c1-16
)"

# The modules a visitor's pages need: the "open" group and, transitively, the
# chunks it imports, read from the loader split-wasm.sh wrote (lines
# `const __chunk_5 = makeLoad(` / `new URL("./<file>"` / `, [__chunk_6, …]));`).
declare -A module_file=() module_deps=() visitor=()
loaders=("$out_dir"/lophoc-*-split.js)
if [[ -f "${loaders[0]}" ]]; then
  name=""
  while read -r kind value; do
    case "$kind" in
      N) name="$value" ;;
      F) module_file[$name]="/$value" ;;
      D) module_deps[$name]="${value//,/}" ;;
    esac
  done < <(sed -n -E \
    -e 's/^(export )?const (__[A-Za-z0-9_]+) = .*/N \2/p' \
    -e 's/.*new URL\("\.\/([^"]+)".*/F \1/p' \
    -e 's/^, \[(.*)\]\)+;$/D \1/p' "${loaders[0]}")
  [[ -n "${module_file[__wasm_split_load_open]:-}" ]] \
    || { echo "sw-precache: ${loaders[0]} has no loader for the open group" >&2; exit 1; }
  pending=(__wasm_split_load_open)
  while [[ ${#pending[@]} -gt 0 ]]; do
    name="${pending[0]}"
    pending=("${pending[@]:1}")
    [[ -n "${visitor[${module_file[$name]}]:-}" ]] && continue
    visitor[${module_file[$name]}]=1
    for dep in ${module_deps[$name]:-}; do pending+=("$dep"); done
  done
fi
is_group_module() { [[ "$1" =~ ^/lophoc-[0-9a-f]+-(split_|chunk_)[A-Za-z0-9_]+\.wasm$ ]]; }

# The staff build (dist/staff/, see Makefile) is cached only for lecturers
# and administrators: its files form a third list.
list="const PRECACHE = ["$'\n'
app="const APP = ["$'\n'
staff="const STAFF = ["$'\n'
app_count=0
staff_count=0
for path in "${files[@]}"; do
  if [[ "$path" == /staff/* ]]; then
    staff+="  '$path',"$'\n'
    staff_count=$((staff_count + 1))
  elif is_group_module "$path" && [[ -z "${visitor[$path]:-}" ]]; then
    app+="  '$path',"$'\n'
    app_count=$((app_count + 1))
  else
    list+="  '$path',"$'\n'
  fi
done
list+="];"
app+="];"
staff+="];"

tmp="$out_dir/sw.js.tmp"
{
  echo "// Generated by scripts/sw-precache.sh from public/sw.js for this build: edit the template."
  VERSION="const VERSION = '$version';" LIST="$list" APP="$app" STAFF="$staff" awk '
    /__LOPHOC_SW_VERSION__/ { print ENVIRON["VERSION"]; next }
    /__LOPHOC_SW_PRECACHE__/ { print ENVIRON["LIST"]; next }
    /__LOPHOC_SW_APP__/ { print ENVIRON["APP"]; next }
    /__LOPHOC_SW_STAFF__/ { print ENVIRON["STAFF"]; next }
    { print }
  ' "$template"
} > "$tmp"
mv "$tmp" "$out_dir/sw.js"
echo "sw-precache: sw.js version $version, $((${#files[@]} - app_count - staff_count)) files precached, $app_count once signed in, $staff_count for staff"
