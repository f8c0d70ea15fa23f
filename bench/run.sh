#!/usr/bin/env bash
# `make bench`: the benchmarks of the README (not timed tests).
# Runs bitcoin-2019 for 144 blocks (one simulated day) at 1,000 and 10,000
# nodes with the default flow-level TCP model, and at 10,000 nodes with the
# latency-only model (SimBlock's model, no bandwidth sharing), then writes
# results/bench/summary.md and summary.json.
set -euo pipefail
cd "$(dirname "$0")/.."
CBSIM=${CBSIM:-build/cbsim}
OUT=results/bench
mkdir -p "$OUT"

run() {
  local label=$1; shift
  echo "bench: $label" >&2
  "$CBSIM" run scenarios/bitcoin-2019.json --set duration.blocks=144 "$@" --out "$OUT/$label" --quiet --no-progress
}

run bitcoin-2019-1000-tcp --set nodes.count=1000
run bitcoin-2019-10000-tcp --set nodes.count=10000
run bitcoin-2019-10000-latency --set nodes.count=10000 --set network.model=latency

/usr/bin/python3 bench/summarize.py "$OUT" bitcoin-2019-1000-tcp bitcoin-2019-10000-tcp bitcoin-2019-10000-latency
