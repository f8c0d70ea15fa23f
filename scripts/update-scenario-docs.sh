#!/usr/bin/env bash
# Regenerates scenarios/schema.json and the field reference in
# scenarios/README.md from the field table (sim/scenario/field_table.cpp).
# The unit test DocsUpToDate fails until this has been run after a change.
set -euo pipefail
cd "$(dirname "$0")/.."
CBSIM=${CBSIM:-build/cbsim}
"$CBSIM" schema > scenarios/schema.json
fields=$(mktemp)
"$CBSIM" fields > "$fields"
/usr/bin/python3 - "$fields" <<'PY'
import sys
fields = open(sys.argv[1]).read()
path = "scenarios/README.md"
text = open(path).read()
begin, end = "<!-- fields:begin -->", "<!-- fields:end -->"
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(path, "w").write(head + begin + "\n" + fields + end + tail)
PY
rm -f "$fields"
echo "updated scenarios/schema.json and scenarios/README.md"
