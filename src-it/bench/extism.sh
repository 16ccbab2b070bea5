#!/bin/sh
# Extism routes of the sample app under wrk (docs/performance.md, "Extism plugins"): WasmContent (no upstream),
# WasmRewrite (the API-key plugin, then the in-app upstream) and ProxyWasm with the C header filter (the same
# upstream), warmed, then three alternating rounds. Needs the sample app built (./mvnw -pl sample-app -am package)
# and wrk; port 18090 must be free.
set -e
jar=$(cd "$(dirname "$0")/../.." && pwd)/sample-app/target/wasm-gateway-sample-app-0.1.0-SNAPSHOT-exec.jar
java -XX:-DontCompileHugeMethods -Xms512m -Xmx512m -jar $jar --server.port=18090 --logging.level.root=WARN > /tmp/bench-gw.log 2>&1 &
pid=$!
for i in $(seq 1 120); do curl -fs -o /dev/null http://127.0.0.1:18090/hello/x && break; sleep 1; done
curl -s http://127.0.0.1:18090/hello/x; echo
for v in "content /hello/world" "rewrite /keyed/hello" "proxywasm-c /c/hello"; do set -- $v; wrk -t1 -c16 -d10s -H 'x-api-key: demo-key' http://127.0.0.1:18090$2 > /dev/null; done
for r in 1 2 3; do
  for v in "content /hello/world" "rewrite /keyed/hello" "proxywasm-c /c/hello"; do
    set -- $v
    echo "$r $1 $(wrk -t1 -c16 -d10s -H 'x-api-key: demo-key' http://127.0.0.1:18090$2 | grep -E 'Requests/sec|Non-2xx' | tr '\n' ' ')"
  done
done
kill $pid
