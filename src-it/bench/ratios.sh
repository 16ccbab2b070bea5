#!/bin/sh
# Interleaved request-lifecycle ratios (host/floor, proxy-wasm-java-host/floor) for the C and AssemblyScript
# header filters and the C filter with no rules (the fixed cost): rotating 100 ms slices after a warm-up,
# medians. See docs/performance.md.
#   src-it/bench/ratios.sh [warm-up seconds per filter, default 20] [rounds, default 30]
#                          [C, AS or C_NO_RULES; default all three]
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
./mvnw -B -q -o -Pbenchmarks -pl src-it/benchmarks -am package -DskipTests
module="$root/src-it/benchmarks"
exec java -XX:-DontCompileHugeMethods -Xms512m -Xmx512m \
  -cp "$module/target/classes:$(cat "$module/target/classpath.txt")" \
  io.wasmgateway.bench.lifecycle.LifecycleRatios "$@"
