#!/usr/bin/env bash
# Runs the test suite: all of it for `make test`, the quick tier for `make test-snel` (its -m argument).
# pytest exits 5 when it collected no tests: that is a broken suite, not a pass.
# One pytest-xdist worker per core; each test file runs on one worker, so a module's fixtures are made once.
set -uo pipefail
cd "$(dirname "$0")/.."
# The suite starts ~100 Python processes (workers, zygotes, commands) that all import the package: compile it
# once, in parallel, before they start and each compile it at the same moment.
.venv/bin/python -m compileall -q -j 0 plugins/kennisbank >/dev/null || exit 1
# pytest keeps its assertion-rewritten test modules in __pycache__ only where bytecode may be written; without
# that, every worker rewrites all of them at every start (4 s of collection instead of 1.4 s on a second run).
unset PYTHONDONTWRITEBYTECODE
bash scripts/run-js-tests.sh || exit 1  # the JavaScript side of the search specification (node --test)
# The tests copy repositories and build sites (about 1 GB in all). On a disk, rewriting those files costs half
# the suite's system time; in memory (tmpfs) it costs nothing, so use /dev/shm when it has room.
temp=()
shm_free_kb=$(df -Pk /dev/shm 2>/dev/null | awk 'NR==2 {print $4}')
if [ -z "${KENNISBANK_TEST_ON_DISK:-}" ] && [ -w /dev/shm ] && [ "${shm_free_kb:-0}" -gt 4000000 ]; then
    scratch=$(mktemp -d /dev/shm/kennisbank-tests.XXXXXX)
    trap 'rm -rf "$scratch"' EXIT
    mkdir "$scratch/tmp"
    export TMPDIR="$scratch/tmp"  # Chromium profiles, LibreOffice, subprocess builds
    temp=(--basetemp "$scratch/pytest")
fi
.venv/bin/python -m pytest -n "${KENNISBANK_TEST_WORKERS:-auto}" --dist loadfile "${temp[@]}" "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
    echo "Geen tests gevonden: de testsuite is stuk." >&2
    exit 1
fi
exit "$rc"
