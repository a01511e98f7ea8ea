#!/usr/bin/env bash
# Run every benchmark of docs/performance.md; figures go to $OUT (default /tmp/govlint-bench/<commit>/) and stdout.
# Usage: bash bench/run_all.sh [CORPUS_DIR]   (default: ../shared/corpus beside the checkout)
# Optional tools for the comparisons: pip install autocorrect-py 'govlint[fast]'
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus}"
out="${OUT:-${TMPDIR:-/tmp}/govlint-bench/$(git rev-parse --short HEAD)}"
mkdir -p "$out"
python bench/cold_start.py --runs "${RUNS:-11}" --json "$out/cold_start.json" | tee "$out/cold_start.txt"
python bench/throughput.py --corpus "$corpus" --repeat "${REPEAT:-2}" --json "$out/throughput.json" | tee "$out/throughput.txt"
python bench/compare_segmenters.py --corpus "$corpus" --json "$out/segmenters.json" | tee "$out/segmenters.txt"
python bench/check_token_edges.py --corpus "$corpus" | tee "$out/token_edges.txt"
python bench/profile_rules.py --corpus "$corpus" | tee "$out/profile_auto.txt"
python bench/profile_rules.py --corpus "$corpus" --profile self-eval | tee "$out/profile_self_eval.txt"
