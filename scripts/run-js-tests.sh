#!/usr/bin/env bash
# Runs the JavaScript side of the search specification (tests/search_spec/) with Node's own test runner:
# the Python side builds the small fixed index first, then `node --test` searches it with the browser's
# modules. Needs Node 20 or newer and no npm package.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1; then
    echo "Node.js ontbreekt: de JavaScript-tests van het zoeken (tests/search_spec/) hebben Node 20 of nieuwer nodig." >&2
    echo "Installeer het (https://nodejs.org, of het pakket van je distributie als dat versie 20 of nieuwer is) en probeer opnieuw." >&2
    exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
    echo "Node.js $(node --version) is te oud: de JavaScript-tests van het zoeken hebben Node 20 of nieuwer nodig." >&2
    exit 1
fi
python=${PYTHON:-.venv/bin/python}
index=$(mktemp -d)
trap 'rm -rf "$index"' EXIT
"$python" tests/search_spec/build_index.py "$index"
SEARCH_SPEC_INDEX="$index" node --test tests/search_spec/spec.test.mjs
