#!/usr/bin/env bash
# Run the test suite in the course's environment (make test, make test-fast; .ci/run).
#
#   bash scripts/test.sh            every tier: the slow one (book build, browser) in one pytest process and the
#                                   fast and plumbing tiers in another, at the same time (two cores), then both
#                                   reports; fails when either fails
#   bash scripts/test.sh ARGS...    one pytest process with ARGS (make test-fast: -m fast)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
if [ $# -gt 0 ]; then
    exec .venv/bin/python -m pytest "$@"
fi
mkdir -p test-artifacts
slow_log=test-artifacts/slow-tier.log
start=$(date +%s)
.venv/bin/python -m pytest -m slow -p no:cacheprovider > "$slow_log" 2>&1 &
slow=$!
status=0
.venv/bin/python -m pytest -m "not slow" || status=$?
echo "fast and plumbing tiers: $(( $(date +%s) - start )) s; waiting for the slow tier"
wait "$slow" || status=$?
echo "===== slow tier (book build under another BLAS kernel, browser): $slow_log ====="
cat "$slow_log"
echo "all tiers: $(( $(date +%s) - start )) s"
exit "$status"
