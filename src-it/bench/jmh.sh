#!/bin/sh
# JMH request-lifecycle benchmark: our host vs the raw-Chicory floor vs proxy-wasm-java-host 0.0.5, on the C
# and AssemblyScript header filters and the Go, Rust and C++ SDK filters of ../shared/conformance (their setup
# fails with the reason when absent; JMH goes on), with allocations per operation (-prof gc).
# See docs/performance.md.
#   src-it/bench/jmh.sh                  # full run (~4 minutes)
#   src-it/bench/jmh.sh -p filter=C      # extra arguments go to JMH
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
"$root/src-it/bench/build.sh"
module="$root/src-it/benchmarks"
cp="$module/target/classes:$(cat "$module/target/classpath.txt")"
# AS and Go need ~10 s of warm-up before the JIT settles (see docs/performance.md); each fork warms 10 x 2 s
exec java -cp "$cp" org.openjdk.jmh.Main LifecycleBenchmark -w 2 -r 2 -f 1 -prof gc \
  -rf json -rff "$module/target/jmh-result.json" ${JMH_ARGS:--wi 10 -i 5} "$@"
