#!/usr/bin/env bash
# Make sure the browser tests can run: Debian's chromium (driven by playwright-core) and a CJK
# system font, so Chinese text renders in screenshots instead of empty boxes. Idempotent and
# quiet: does nothing when both are present. Debian packages only; nothing else is downloaded.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if ! fc-list 2>/dev/null | grep -qi 'CJK'; then need+=(fonts-noto-cjk); fi
[ ${#need[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure-chromium: need root to install ${need[*]}" >&2; exit 1
  fi
fi

echo "ensure-chromium: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Another apt run (e.g. one started in the background) holds the lock: wait for it, up to 10 min.
for _ in $(seq 1 120); do
  if ! fuser /var/lib/dpkg/lock-frontend >/dev/null 2>&1 && ! fuser /var/lib/apt/lists/lock >/dev/null 2>&1; then break; fi
  sleep 5
done
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
[ -x /usr/bin/chromium ] || { echo "ensure-chromium: /usr/bin/chromium still missing" >&2; exit 1; }
echo "ensure-chromium: done" >&2
