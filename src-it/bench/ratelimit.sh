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
. "$root/src-it/bench/lib.sh"
command -v wrk >/dev/null || { echo "ratelimit.sh: needs wrk (apt-get install -y wrk)" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "ratelimit.sh: needs redis-server (apt-get install -y redis-server)" >&2; exit 1; }
bench_build
out=$(mktemp -d)
redis-server --port $REDIS_PORT --bind 127.0.0.1 --save "" --appendonly no --dir "$out" >"$out/redis.log" 2>&1 &
redis_pid=$!
bench_start_upstream
bench_start_gateway io.wasmgateway.bench.ratelimit.RateLimitBenchApplication 512m --bench.redis-port=$REDIS_PORT \
  $GATEWAY_ARGS
trap 'kill $gateway_pid $upstream_pid $redis_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$out"' EXIT INT TERM

bench_wait_for_gateway /plain/x

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

bench_conditions
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION -H 'x-api-key: bench', $ROUNDS rounds in rotating order, after a $WARMUP warm-up of each"
bench_rounds -H 'x-api-key: bench'
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$root/src-it/bench/wrk_table.py" "$out" "$(getconf CLK_TCK)" $(cut -d' ' -f1 "$out/variants")
python3 - "$out" <<'PY'
import glob, re, statistics, sys
def median_rps(name):
    return statistics.median(float(re.search(r"Requests/sec:\s+([\d.]+)", open(p).read()).group(1))
                             for p in glob.glob("%s/wrk.%s.*" % (sys.argv[1], name)))
print("wasm / scg throughput: %.2f" % (median_rps("wasm") / median_rps("scg")))
PY
