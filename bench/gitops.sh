#!/usr/bin/env bash
# Plan and apply of 10, 100 and 1,000 workflows against an emulated portal enforcing
# the standard plan's rate limit, beside a naive one-request-per-template strategy.
# Prints a Markdown table (REST calls, wall time, the portal's floor).
# Usage: bench/gitops.sh [SIZES...]   e.g. bench/gitops.sh 10 100
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --quiet --bench gitops -- "$@"
