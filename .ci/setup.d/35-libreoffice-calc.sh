#!/usr/bin/env bash
# LibreOffice Calc (headless, no GUI) so tests/test_review_print.py can print the Excel review
# list to PDF; Writer and poppler-utils for the Word list and `govlint fix` tracked changes
# (30-libreoffice.sh installs them too when it is present; installing twice is a no-op).
set -euo pipefail
need=()
dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ "${#need[@]}" -eq 0 ]; then
  echo "libreoffice calc already installed"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  SUDO="sudo -E"
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${need[@]}" >/dev/null
