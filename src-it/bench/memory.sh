#!/bin/sh
# Memory per VM instance of a Go SDK module and the pool size's trade for throughput (PoolMemory): linear
# memory of one instance, heap after GC with 1, 2, 4, 8 instances, requests/s from THREADS threads.
#   src-it/bench/memory.sh [filter, default GO_HTTP_HEADERS] [threads, default 2] [seconds, default 10]
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
"$root/src-it/bench/build.sh"
module="$root/src-it/benchmarks"
exec java -XX:-DontCompileHugeMethods -Xms1g -Xmx1g \
  -cp "$module/target/classes:$(cat "$module/target/classpath.txt")" \
  io.wasmgateway.bench.lifecycle.PoolMemory "$@"
