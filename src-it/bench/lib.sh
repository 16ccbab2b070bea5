# Functions the loopback bench scripts share (sourced, not run). The caller sets root, GATEWAY_PORT and
# UPSTREAM_PORT and makes the temporary directory out; bench_build sets cp, bench_start_upstream upstream_pid,
# bench_start_gateway gateway_pid.

# Builds the benchmarks module (src-it/bench/build.sh) and sets cp to its classpath.
bench_build() {
  "$root/src-it/bench/build.sh"
  module="$root/src-it/benchmarks"
  cp="$module/target/classes:$(cat "$module/target/classpath.txt")"
}

# Starts FastUpstream on UPSTREAM_PORT, logging to $out/upstream.log.
bench_start_upstream() {
  java -Xms256m -Xmx256m -cp "$cp" io.wasmgateway.bench.load.FastUpstream $UPSTREAM_PORT >"$out/upstream.log" 2>&1 &
  upstream_pid=$!
}

# Starts a gateway application on GATEWAY_PORT, forwarding to the upstream, logging to $out/gateway.log.
#   bench_start_gateway <main class> <heap> [more arguments...]
bench_start_gateway() {
  gateway_main=$1
  gateway_heap=$2
  shift 2
  java -XX:-DontCompileHugeMethods -Xms$gateway_heap -Xmx$gateway_heap -cp "$cp" "$gateway_main" \
    --server.port=$GATEWAY_PORT --bench.upstream=http://127.0.0.1:$UPSTREAM_PORT "$@" >"$out/gateway.log" 2>&1 &
  gateway_pid=$!
}

# Waits (two minutes at the most) until the gateway answers a GET of path with a 2xx.
bench_wait_for_gateway() {
  for i in $(seq 1 120); do
    curl -fs -o /dev/null "http://127.0.0.1:$GATEWAY_PORT$1" && break
    sleep 1
  done
}

# Prints the machine's cores, CPU model and load.
bench_conditions() {
  echo "conditions: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# the gateway process's CPU time (user + system, all threads, GC included) in clock ticks
bench_gateway_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$gateway_pid/stat"; }

# Runs wrk on each variant of $out/variants ("name url" lines): a WARMUP run each, then ROUNDS rounds in rotating
# order, keeping wrk's output in $out/wrk.<name>.<round> and the gateway's CPU ticks in $out/cpu.<name>.<round>.
#   bench_rounds [more wrk arguments...]
bench_rounds() {
  while read -r name url; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$@" "$url" >/dev/null
  done <"$out/variants"
  count=$(wc -l <"$out/variants")
  for round in $(seq 1 "$ROUNDS"); do
    # rotate the order each round so that no variant always runs first or last
    shift_by=$(( (round - 1) % count ))
    { tail -n +$((shift_by + 1)) "$out/variants"; head -n "$shift_by" "$out/variants"; } | while read -r name url; do
      before=$(bench_gateway_cpu_ticks)
      wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$out/wrk.$name.$round"
      echo $(( $(bench_gateway_cpu_ticks) - before )) >"$out/cpu.$name.$round"
    done
  done
}
