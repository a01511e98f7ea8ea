#!/usr/bin/env bash
# LibreOffice Writer (headless, no GUI) and poppler's pdftotext for the reader tests
# (tests/test_readers_formats.py): .doc/.wps/.rtf/.odt are converted by soffice, PDFs are read
# with pdftotext, and the tests make their .doc/.pdf samples by converting a .docx with soffice.
# A CJK font so LibreOffice's PDF export carries the Chinese text.
set -euo pipefail
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
# Calc prints the Excel review list to PDF (tests/test_review_print.py)
dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; then
  :
else
  need+=(fonts-noto-cjk)
fi
if [ "${#need[@]}" -eq 0 ]; then
  echo "libreoffice, pdftotext and a CJK font already installed"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  SUDO="sudo -E"
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${need[@]}" >/dev/null
command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1
