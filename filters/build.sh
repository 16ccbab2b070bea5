#!/usr/bin/env bash
# Rebuilds the example Proxy-Wasm filters into filters/wasm/ (packaged under classpath:filters/).
#
#   filters/build.sh           rebuild every module into filters/wasm/, then smoke-test them
#   filters/build.sh --check   rebuild into a temporary directory and fail, naming the files, if any
#                              differs from (or is missing in) the committed filters/wasm/*.wasm
#
# Sources: c/*_filter.c (clang, wasm32-wasi reactor), wat/*.wat (wat2wasm), assemblyscript/
# (npm ci, then asc) and extism/ (Extism plugins: npm ci, then asc with @extism/as-pdk). The build is deterministic: the same sources and toolchain give the same bytes.
# Toolchain (Debian): clang lld wasi-libc libclang-rt-14-dev-wasm32 wabt, plus node and npm.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode=build
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  -h | --help)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "usage: $0 [--check]" >&2
    exit 2
    ;;
esac

for tool in clang wat2wasm node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build.sh: '$tool' not found; install: apt-get install -y clang lld wasi-libc libclang-rt-14-dev-wasm32 wabt nodejs npm" >&2
    exit 1
  fi
done

if [ "$mode" = check ]; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
else
  out="$here/wasm"
  mkdir -p "$out"
fi

# Reproducible output: no timestamps, no absolute paths, one locale.
export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=0

# C filters. Exports are declared in the sources (export_name attributes in proxy_wasm.h and the
# filters); the reactor model adds _initialize. Compiled from inside c/ so no path leaks in.
for src in "$here"/c/*_filter.c; do
  name="$(basename "$src" .c)"
  echo "build.sh: c/$name.c -> $name.wasm"
  (cd "$here/c" && clang --target=wasm32-wasi -O2 -Wall -Wextra -mexec-model=reactor \
    -Wl,--strip-all -o "$out/$name.wasm" "$name.c")
done

# WAT fixtures.
for src in "$here"/wat/*.wat; do
  name="$(basename "$src" .wat)"
  echo "build.sh: wat/$name.wat -> $name.wasm"
  case "$name" in
    *_named) wat2wasm --debug-names "$src" -o "$out/$name.wasm" ;; # keeps a name section
    *) wat2wasm "$src" -o "$out/$name.wasm" ;;
  esac
done

# AssemblyScript filter, with the exact toolchain pinned in package-lock.json.
echo "build.sh: assemblyscript/assembly/index.ts -> as_header_filter.wasm"
(
  cd "$here/assemblyscript"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  # (asc warns AS201 about a usize->u32 conversion inside the SDK's own code: harmless.)
  npx --no-install asc assembly/index.ts -b "$out/as_header_filter.wasm" \
    --use abort=abort_proc_exit --optimize
)

# Extism plugins (for WasmRewrite / WasmContent), with the AssemblyScript PDK pinned in package-lock.json.
(
  cd "$here/extism"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  for src in api_key_check json_content fetch_plugin test_plugin; do
    echo "build.sh: extism/assembly/$src.ts -> extism_$src.wasm"
    npx --no-install asc "assembly/$src.ts" -o "$out/extism_$src.wasm" \
      --use abort=assembly/envelope/abort --optimize 2>/dev/null
  done
)

# Smoke tests: run the modules against a small mock host (node, WebAssembly API).
node "$here/test/smoke.mjs" "$out"

if [ "$mode" = check ]; then
  stale=()
  for built in "$out"/*.wasm; do
    name="$(basename "$built")"
    if ! cmp -s "$built" "$here/wasm/$name"; then
      stale+=("filters/wasm/$name")
    fi
  done
  for committed in "$here"/wasm/*.wasm; do
    [ -e "$committed" ] || continue
    name="$(basename "$committed")"
    if [ ! -e "$out/$name" ]; then
      stale+=("filters/wasm/$name (no source builds it)")
    fi
  done
  if [ "${#stale[@]}" -gt 0 ]; then
    echo "build.sh --check: these binaries do not match their sources; run filters/build.sh and commit:" >&2
    printf '  %s\n' "${stale[@]}" >&2
    exit 1
  fi
  echo "build.sh --check: all $(ls "$out"/*.wasm | wc -l) binaries match their sources"
else
  echo "build.sh: built into filters/wasm/:"
  (cd "$out" && sha256sum ./*.wasm | sed 's#\./##')
fi
