#!/usr/bin/env bash
# Copies the conformance table the last test run wrote (src-it/target/conformance.md, by ConformanceReport)
# into docs/abi-support.md, between <!-- conformance:begin --> and <!-- conformance:end -->.
#
#   ./mvnw -B -o verify -pl src-it -am -Dtest='*ConformanceTest' -Dsurefire.failIfNoSpecifiedTests=false
#   src-it/conformance-table.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
table="$here/target/conformance.md"
doc="$here/../docs/abi-support.md"
[[ -f "$table" ]] || { echo "conformance-table.sh: $table is missing: run the conformance tests first" >&2; exit 1; }
grep -q '<!-- conformance:begin -->' "$doc" && grep -q '<!-- conformance:end -->' "$doc" \
  || { echo "conformance-table.sh: $doc has no conformance markers" >&2; exit 1; }
python3 - "$table" "$doc" <<'PY'
import sys
table, doc = open(sys.argv[1]).read(), sys.argv[2]
text = open(doc).read()
begin, end = "<!-- conformance:begin -->", "<!-- conformance:end -->"
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(doc, "w").write(head + begin + "\n" + table.rstrip("\n") + "\n" + end + tail)
PY
echo "conformance-table.sh: $(grep -c '^| `' "$table") rows copied into docs/abi-support.md"
