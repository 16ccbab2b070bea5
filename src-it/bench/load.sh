#!/bin/sh
# Loopback load benchmark (docs/performance.md): starts FastUpstream and the benchmark gateway, checks each
# route, then runs wrk on each variant in rotating order, ROUNDS times, and prints medians and ratios.
#   src-it/bench/load.sh
#   ROUNDS=5 DURATION=10s CONNECTIONS=32 THREADS=1 WARMUP=10s src-it/bench/load.sh
#   GATEWAY_ARGS=--management.observations.enable.wasm.filter=false src-it/bench/load.sh   (extra gateway arguments)
# Needs wrk (Debian: apt-get install -y wrk). Ports 18080 (gateway) and 18081 (upstream) must be free.
set -e
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
GATEWAY_PORT=18080
UPSTREAM_PORT=18081
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. "$root/src-it/bench/lib.sh"
command -v wrk >/dev/null || { echo "load.sh: needs wrk (apt-get install -y wrk)" >&2; exit 1; }
bench_build
out=$(mktemp -d)
# the Go SDK route (proxy-wasm-go-sdk http_headers) when ../shared/conformance has the binary and it matches
# MANIFEST.tsv; otherwise the run goes on without it
conformance=$(cd "$root/.." && pwd)/shared/conformance
go_wasm="$conformance/go/http_headers.wasm"
go_args=""
if [ -f "$conformance/MANIFEST.tsv" ] && [ -f "$go_wasm" ] \
    && [ "$(sha256sum "$go_wasm" | cut -d' ' -f1)" = "$(awk -F'\t' '$1 == "go/http_headers.wasm" { print $2 }' "$conformance/MANIFEST.tsv")" ]; then
  go_args="--bench.go-route=true --wasm.gateway.modules.go-headers.location=file:$go_wasm"
else
  echo "skip wasm-go: $go_wasm is absent or does not match ../shared/conformance/MANIFEST.tsv" >&2
fi
bench_start_upstream
bench_start_gateway io.wasmgateway.bench.load.BenchGatewayApplication 512m $go_args $GATEWAY_ARGS
trap 'kill $gateway_pid $upstream_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$out"' EXIT INT TERM

bench_wait_for_gateway /plain/x

# variant name, URL, header the response must carry (- for none), word its body must contain (- for any)
variants="direct http://127.0.0.1:$UPSTREAM_PORT/x - -
plain http://127.0.0.1:$GATEWAY_PORT/plain/x - -
java http://127.0.0.1:$GATEWAY_PORT/java/x x-bench -
wasm-c http://127.0.0.1:$GATEWAY_PORT/wasm-c/x x-bench -
wasm-as http://127.0.0.1:$GATEWAY_PORT/wasm-as/x x-wasm-as-response -
wasm-go http://127.0.0.1:$GATEWAY_PORT/wasm-go/x x-proxy-wasm-go-sdk-example -
wasm-body http://127.0.0.1:$GATEWAY_PORT/wasm-body/x x-body-rewrites wasm-gateway"
checked=""
echo "$variants" | while read -r name url header word; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)
  if [ "$status" != 200 ]; then
    echo "skip $name: $url answers $status" >&2
    continue
  fi
  if [ "$header" != - ] && ! curl -si "$url" | grep -qi "^$header: "; then
    echo "load.sh: $name ($url) does not add $header" >&2
    exit 1
  fi
  if [ "$word" != - ] && ! curl -s "$url" | grep -q "$word"; then
    echo "load.sh: $name ($url) answers a body without '$word'" >&2
    exit 1
  fi
  echo "$name $url"
done >"$out/variants"
[ -s "$out/variants" ] || { echo "load.sh: no route answers; see the gateway log" >&2; cat "$out/gateway.log" >&2; exit 1; }

bench_conditions
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS rounds in rotating order, after a $WARMUP warm-up of each"
bench_rounds
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$root/src-it/bench/wrk_table.py" "$out" "$(getconf CLK_TCK)" $(cut -d' ' -f1 "$out/variants")
