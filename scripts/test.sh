#!/usr/bin/env bash
# Run the whole test suite in the course's environment (make test; .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$PWD/.venv/bin:$PATH" exec .venv/bin/python -m pytest "$@"
