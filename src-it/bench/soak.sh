#!/bin/sh
# Soak test (docs/operations.md; not part of verify): starts FastUpstream and the soak gateway (profiles bench and
# soak: a header filter, a body filter, an outbound-call filter, the hostile filter trapping on 1 % of requests),
# runs a mixed load for DURATION seconds, and prints the requests, the outcomes by cause (route and status, or the
# connection error), and the gateway's heap after GC and live threads at the start and at the end.
#   src-it/bench/soak.sh
#   DURATION=600 CONCURRENCY=64 HEAP=512m src-it/bench/soak.sh
# Needs a JDK with jcmd (to run a GC in the gateway) and curl. Ports 18080 (gateway) and 18081 (upstream) must be
# free.
set -e
DURATION=${DURATION:-60}
CONCURRENCY=${CONCURRENCY:-64}
HEAP=${HEAP:-512m}
GATEWAY_PORT=18080
UPSTREAM_PORT=18081
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. "$root/src-it/bench/lib.sh"
command -v jcmd >/dev/null || { echo "soak.sh: needs jcmd (a JDK)" >&2; exit 1; }
bench_build
out=$(mktemp -d)
bench_start_upstream
bench_start_gateway io.wasmgateway.bench.load.BenchGatewayApplication $HEAP --spring.profiles.active=soak $GATEWAY_ARGS
trap 'kill $gateway_pid $upstream_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$out"' EXIT INT TERM

bench_wait_for_gateway /soak-headers/x
for route in soak-headers soak-body soak-call; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GATEWAY_PORT/$route/x" || true)
  [ "$status" = 200 ] || { echo "soak.sh: /$route answers $status; see the gateway log" >&2; cat "$out/gateway.log" >&2; exit 1; }
done

metric() { # the value of a gateway metric (name, then tag as key:value or nothing)
  curl -fs "http://127.0.0.1:$GATEWAY_PORT/actuator/metrics/$1${2:+?tag=$2}" \
    | sed 's/.*"measurements":\[{"statistic":"VALUE","value":\([0-9.E]*\)}.*/\1/'
}
state() { # heap after GC (MB) and live threads
  jcmd $gateway_pid GC.run >/dev/null
  sleep 1
  heap=$(metric jvm.memory.used area:heap)
  threads=$(metric jvm.threads.live)
  python3 -c "print('heap after GC %.1f MB, threads %d' % (float('$heap') / 1048576, float('$threads')))"
}

# a short warm-up, so that the start figures are those of a warm gateway
java -cp "$cp" io.wasmgateway.bench.load.SoakClient $GATEWAY_PORT 20 $CONCURRENCY >/dev/null
echo "conditions: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), gateway -Xmx$HEAP, concurrency $CONCURRENCY"
echo "start: $(state)"
java -cp "$cp" io.wasmgateway.bench.load.SoakClient $GATEWAY_PORT "$DURATION" $CONCURRENCY
echo "end: $(state)"
echo "gateway log: $(grep -c ' ERROR ' "$out/gateway.log" || true) ERROR lines, $(grep -c 'is broken' "$out/gateway.log" || true) broken instances"
