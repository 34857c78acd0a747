#!/usr/bin/env bash
# Browser tests use Debian's Chromium (Playwright cannot download browsers here). Installs it when missing.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x "${KENNISBANK_CHROMIUM:-/usr/bin/chromium}" ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "Chromium ontbreekt. Installeer het met: sudo apt-get install -y chromium" >&2
    exit 1
fi
echo "Chromium installeren (Debian-pakket) ..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
