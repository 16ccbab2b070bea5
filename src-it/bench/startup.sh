#!/bin/sh
# Startup of a ~2.5 MB module, compiled at startup vs precompiled at build time (docs/performance.md#startup).
# Generates the module's C source (big_module.py: header_filter.c plus 5200 generated functions), builds it with
# clang, precompiles it with chicory-compiler-maven-plugin (profile big-module), then starts it RUNS times each
# way in fresh JVMs, alternating, and prints every run and the medians.
#   src-it/bench/startup.sh            RUNS=5 INSTANCES=2 src-it/bench/startup.sh
set -e
RUNS=${RUNS:-5}
INSTANCES=${INSTANCES:-2}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
module="$root/src-it/benchmarks"
big="$module/target/big"
mkdir -p "$big"
if [ ! -f "$big/big_filter.wasm" ]; then
  python3 src-it/bench/big_module.py "$big/generated.c"
  (cd filters/c && clang --target=wasm32-wasi -O2 -mexec-model=reactor -Wl,--strip-all \
    -o "$big/big_filter.wasm" header_filter.c "$big/generated.c")
fi
echo "module: $(wc -c <"$big/big_filter.wasm") bytes"
start=$(date +%s)
"$root/src-it/bench/build.sh" -Dbench.bigModule="$big/big_filter.wasm"
echo "build with the precompile step: $(( $(date +%s) - start )) s"
cp="$module/target/classes:$(cat "$module/target/classpath.txt")"
run() {
  java -XX:-DontCompileHugeMethods -cp "$cp" io.wasmgateway.bench.startup.StartupBenchmark "$big/big_filter.wasm" \
    "$INSTANCES" "$@" 2>/dev/null | grep -E '^(runtime-compiled|precompiled) '
}
: >"$big/runs"
for i in $(seq 1 "$RUNS"); do
  run | tee -a "$big/runs"
  run io.wasmgateway.bench.startup.BigFilterModule | tee -a "$big/runs"
done
python3 - "$big/runs" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    mode, rest = line.split(" ", 1)
    values = dict((k, float(v)) for k, v in re.findall(r"([\w-]+)=([\d.]+)", rest))
    rows.setdefault(mode, []).append(values)
print("medians (ms)        load  plugin  first-request  jvm-to-first-response  runs")
for mode, runs in rows.items():
    m = lambda key: statistics.median(r[key] for r in runs)
    print("%-17s %6.0f %7.0f %14.1f %22.0f %5d" % (mode, m("load"), m("plugin"), m("first-request"),
                                                  m("jvm-to-first-response"), len(runs)))
PY
