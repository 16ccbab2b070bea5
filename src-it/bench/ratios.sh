#!/bin/sh
# Interleaved request-lifecycle ratios (host/floor, proxy-wasm-java-host/floor) for the C and AssemblyScript
# header filters, the C filter with no rules (the fixed cost), and the Go, Rust and C++ SDK filters of
# ../shared/conformance (skipped with the reason when absent): rotating 100 ms slices after a warm-up, medians
# and per-round ranges. See docs/performance.md.
#   src-it/bench/ratios.sh [warm-up seconds per filter, default 20] [rounds, default 30]
#                          [comma-separated: C,AS,C_NO_RULES,GO_HTTP_HEADERS,RUST_METADATA,CPP_HEADERS; default all]
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
"$root/src-it/bench/build.sh"
module="$root/src-it/benchmarks"
exec java -XX:-DontCompileHugeMethods -Xms512m -Xmx512m \
  -cp "$module/target/classes:$(cat "$module/target/classpath.txt")" \
  io.wasmgateway.bench.lifecycle.LifecycleRatios "$@"
