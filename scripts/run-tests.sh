#!/usr/bin/env bash
# Runs the whole test suite. pytest exits 5 when it collected no tests: that is a broken suite, not a pass.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/run-js-tests.sh || exit 1  # the JavaScript side of the search specification (node --test)
.venv/bin/python -m pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
    echo "Geen tests gevonden: de testsuite is stuk." >&2
    exit 1
fi
exit "$rc"
