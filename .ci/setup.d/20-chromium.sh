#!/usr/bin/env bash
# Headless Chromium for tests/test_review.py (the HTML review list is loaded in a real browser).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  SUDO="sudo -E"
fi
$SUDO apt-get update
$SUDO apt-get install -y chromium
