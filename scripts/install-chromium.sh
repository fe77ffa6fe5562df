#!/usr/bin/env bash
# Installs Debian's chromium for the timeline browser test (tests/timeline-browser.test.ts) when
# /usr/bin/chromium is missing. Idempotent and quiet: prints nothing when chromium is already there.
# PD_CJK_FONTS=1 also installs a small CJK font, so that Chinese stage titles render in screenshots.
set -euo pipefail
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
if [ "${PD_CJK_FONTS:-0}" = "1" ] && ! fc-list 2>/dev/null | grep -qi "wqy\|noto sans cjk"; then packages+=(fonts-wqy-microhei); fi
[ "${#packages[@]}" -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
/usr/bin/chromium --version >/dev/null
