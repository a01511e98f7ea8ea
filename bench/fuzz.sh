#!/usr/bin/env bash
# Long fuzzing runs (issue #19). CI runs tests/fuzz/ briefly (GOVLINT_FUZZ_EXAMPLES=60 per test,
# derandomised); this script runs it long with fresh random seeds, then the hostile-input corpus.
#
# Usage: bash bench/fuzz.sh [EXAMPLES] [MAX_CHARS]
#   EXAMPLES   examples per property (default 2000)
#   MAX_CHARS  longest generated text (default 20000; long paragraphs stress NUM/FUND rules)
# Environment: OUT (default /tmp/govlint-fuzz/<commit>), JOBS for the hostile corpus (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${1:-2000}"
max_chars="${2:-20000}"
out="${OUT:-${TMPDIR:-/tmp}/govlint-fuzz/$(git rev-parse --short HEAD)}"
mkdir -p "$out"
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"
GOVLINT_FUZZ_EXAMPLES="$examples" GOVLINT_FUZZ_MAX_CHARS="$max_chars" GOVLINT_FUZZ_RANDOM=1 \
  python -m pytest -q tests/fuzz/test_fuzz.py -p no:cacheprovider --hypothesis-show-statistics \
  2>&1 | tee "$out/hypothesis.txt"
python bench/hostile_corpus.py --jobs "${JOBS:-2}" --fuzz "${HOSTILE_FUZZ:-300}" --json "$out/hostile.json" \
  | tee "$out/hostile.txt"
echo "results in $out"
