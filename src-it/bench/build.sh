#!/bin/sh
# Builds the benchmarks module (profile benchmarks) and what it needs, offline when the local Maven repository
# already holds every jar, otherwise online once (a fresh clone has never downloaded JMH or
# proxy-wasm-java-host). Extra arguments go to Maven. Run by the other bench scripts.
#   src-it/bench/build.sh [-Dbench.bigModule=...]
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if ! ./mvnw -B -q -o -Pbenchmarks -pl src-it/benchmarks -am package -DskipTests "$@" >/dev/null 2>&1; then
  echo "bench: offline build failed (jars not downloaded yet?); building online" >&2
  ./mvnw -B -q -Pbenchmarks -pl src-it/benchmarks -am package -DskipTests "$@"
fi
