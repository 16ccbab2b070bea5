#!/bin/sh
# Rate limiting over Redis (docs/performance.md): Spring Cloud Gateway's RequestRateLimiter with RedisRateLimiter
# (route /scg) against redis_rate_limit_filter.wasm over proxy_redis_call (route /wasm), on one redis-server,
# same load (wrk, one key in x-api-key, limits never reached), ROUNDS rounds in rotating order; /plain has no
# limiter. Prints medians and the wasm/scg ratio.
#   src-it/bench/ratelimit.sh
#   ROUNDS=5 DURATION=10s CONNECTIONS=32 THREADS=1 WARMUP=10s src-it/bench/ratelimit.sh
# Needs wrk and redis-server (Debian packages). Ports 18080, 18081 and 18379 must be free.
set -e
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
GATEWAY_PORT=18080
UPSTREAM_PORT=18081
REDIS_PORT=18379
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
command -v wrk >/dev/null || { echo "ratelimit.sh: needs wrk (apt-get install -y wrk)" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "ratelimit.sh: needs redis-server (apt-get install -y redis-server)" >&2; exit 1; }
./mvnw -B -q -o -Pbenchmarks -pl src-it/benchmarks -am package -DskipTests
module="$root/src-it/benchmarks"
cp="$module/target/classes:$(cat "$module/target/classpath.txt")"
out=$(mktemp -d)
redis-server --port $REDIS_PORT --bind 127.0.0.1 --save "" --appendonly no --dir "$out" >"$out/redis.log" 2>&1 &
redis_pid=$!
java -Xms256m -Xmx256m -cp "$cp" io.wasmgateway.bench.load.FastUpstream $UPSTREAM_PORT >"$out/upstream.log" 2>&1 &
upstream_pid=$!
java -XX:-DontCompileHugeMethods -Xms512m -Xmx512m -cp "$cp" io.wasmgateway.bench.ratelimit.RateLimitBenchApplication \
  --server.port=$GATEWAY_PORT --bench.upstream=http://127.0.0.1:$UPSTREAM_PORT --bench.redis-port=$REDIS_PORT \
  $GATEWAY_ARGS >"$out/gateway.log" 2>&1 &
gateway_pid=$!
trap 'kill $gateway_pid $upstream_pid $redis_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$out"' EXIT INT TERM

for i in $(seq 1 120); do
  curl -fs -o /dev/null "http://127.0.0.1:$GATEWAY_PORT/plain/x" && break
  sleep 1
done

# variant name, URL, header the response must carry
variants="plain http://127.0.0.1:$GATEWAY_PORT/plain/x -
scg http://127.0.0.1:$GATEWAY_PORT/scg/x x-ratelimit-remaining
wasm http://127.0.0.1:$GATEWAY_PORT/wasm/x -"
echo "$variants" | while read -r name url header; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H 'x-api-key: bench' "$url")
  if [ "$status" != 200 ]; then
    echo "ratelimit.sh: $name ($url) answers $status; see the gateway log:" >&2
    cat "$out/gateway.log" >&2
    exit 1
  fi
  if [ "$header" != - ] && ! curl -si -H 'x-api-key: bench' "$url" | grep -qi "^$header: "; then
    echo "ratelimit.sh: $name ($url) does not add $header" >&2
    exit 1
  fi
  echo "$name $url"
done >"$out/variants"
# the wasm limiter ran once per check: Redis holds its count
redis-cli -p $REDIS_PORT get bench:bench | grep -q '^[0-9]' || { echo "ratelimit.sh: no wasm count in Redis" >&2; exit 1; }

echo "conditions: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION -H 'x-api-key: bench', $ROUNDS rounds in rotating order, after a $WARMUP warm-up of each"
while read -r name url; do
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H 'x-api-key: bench' "$url" >/dev/null
done <"$out/variants"
count=$(wc -l <"$out/variants")
gateway_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$gateway_pid/stat"; }
for round in $(seq 1 "$ROUNDS"); do
  shift_by=$(( (round - 1) % count ))
  { tail -n +$((shift_by + 1)) "$out/variants"; head -n "$shift_by" "$out/variants"; } | while read -r name url; do
    before=$(gateway_cpu_ticks)
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H 'x-api-key: bench' "$url" >"$out/wrk.$name.$round"
    echo $(( $(gateway_cpu_ticks) - before )) >"$out/cpu.$name.$round"
  done
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$root/src-it/bench/wrk_table.py" "$out" "$(getconf CLK_TCK)" $(cut -d' ' -f1 "$out/variants")
python3 - "$out" <<'PY'
import glob, re, statistics, sys
def median_rps(name):
    return statistics.median(float(re.search(r"Requests/sec:\s+([\d.]+)", open(p).read()).group(1))
                             for p in glob.glob("%s/wrk.%s.*" % (sys.argv[1], name)))
print("wasm / scg throughput: %.2f" % (median_rps("wasm") / median_rps("scg")))
PY
