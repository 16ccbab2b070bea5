#!/usr/bin/env bash
# Tries the test kit as a filter author would: publishes wasm-gateway's artifacts (the kit, the starter and
# what they need) to a file repository, then runs this project's tests, which resolve io.wasmgateway:* only
# from there. Third-party artifacts come from ~/.m2 (read-only, as a tail) and Maven Central; nothing is
# installed into ~/.m2: both builds write to local repositories under target/.
#
#   examples/filter-author/run.sh            # MAVEN_OFFLINE=1 for the test step without network
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
repo="$here/target/wasm-gateway-repo"
user_repo="${MAVEN_USER_REPO:-$HOME/.m2/repository}"

rm -rf "$repo" "$here/target/m2"
mkdir -p "$repo"

echo "filter-author: publishing wasm-gateway to $repo"
# deploy refuses offline mode; with ~/.m2 filled it needs no network. No install: -Dmaven.install.skip.
"$root/mvnw" -B -q -f "$root/pom.xml" deploy -pl wasm-gateway-test -am -DskipTests -Dmaven.install.skip=true \
  -DaltDeploymentRepository="published::file://$repo" \
  -Dmaven.repo.local="$root/target/publish-m2" -Dmaven.repo.local.tail="$user_repo"

# the SDK-built filter under test (never copied here); without it the tests skip, under CI they must not
conformance="${CONFORMANCE_DIR:-$root/../shared/conformance}"
if [ ! -f "$conformance/go/http_headers.wasm" ]; then
  if [ "${CI:-}" = true ]; then
    echo "filter-author: $conformance/go/http_headers.wasm is missing (CONFORMANCE_DIR)" >&2
    exit 1
  fi
  echo "filter-author: $conformance/go/http_headers.wasm is missing: the tests will be skipped"
fi

offline=()
if [ "${MAVEN_OFFLINE:-0}" = 1 ]; then
  # offline, but the file repository stays reachable
  offline=(-o -Daether.offline.protocols=file)
fi

echo "filter-author: mvn test in $here"
"$here/mvnw" -B "${offline[@]}" test \
  -Dwasm-gateway.repository="file://$repo" -Dconformance.dir="$conformance" \
  -Dmaven.repo.local="$here/target/m2" -Dmaven.repo.local.tail="$user_repo"

# io.wasmgateway:* came from the published repository (the tail has none; the resolver records the origin)
origin="$here/target/m2/io/wasmgateway/wasm-gateway-test/0.1.0-SNAPSHOT/_remote.repositories"
if ! grep -q '>wasm-gateway-published=' "$origin" 2>/dev/null; then
  echo "filter-author: wasm-gateway-test was not resolved from the published repository ($origin)" >&2
  exit 1
fi
echo "filter-author: OK (io.wasmgateway:* resolved from $repo)"
