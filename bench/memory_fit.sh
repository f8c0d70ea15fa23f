#!/usr/bin/env bash
# Measures cbsim's peak memory at a few sizes of each thing that grows with
# the input, for the per-unit costs of sim/runner/memory_estimate.cpp. Each
# run is small (seconds, well under 1 GB); the costs are the slopes between
# sizes. Prints one line per run: label, peak RSS in MB (/usr/bin/time's
# maximum resident set, which includes writing the results), wall seconds.
#   bench/memory_fit.sh                 all groups
#   bench/memory_fit.sh nodes edges     only these groups
set -euo pipefail
cd "$(dirname "$0")/.."
CBSIM=${CBSIM:-build/cbsim}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

measure() {
  local label=$1 scenario=$2; shift 2
  local start end rss
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$OUT/rss" "$CBSIM" run "scenarios/$scenario" "$@" --out "$OUT/run" --quiet --no-progress
  end=$(date +%s.%N)
  rss=$(tail -1 "$OUT/rss")
  printf '%-40s %8.1f MB %6.1f s\n' "$label" "$(echo "$rss / 1024" | bc -l)" "$(echo "$end - $start" | bc -l)"
  rm -rf "$OUT/run"
}

# Nakamoto without transactions, on the ideal network: what nodes and edges cost.
bare=(--set network.model=ideal --set network.latency_jitter=none --set transactions.rate_per_s=0
      --set duration.blocks=2 --set output.per_transaction_csv=false)

group_base() {
  measure base-2-nodes quickstart.json "${bare[@]}" --set nodes.count=2 --set network.topology=random-regular \
    --set network.degree=1
}
group_nodes() {
  for n in 10000 50000 100000; do
    measure "nodes-$n-rr8" quickstart.json "${bare[@]}" --set nodes.count=$n --set network.topology=random-regular
  done
}
group_edges() {
  for d in 8 64 256; do
    measure "edges-20000x$d" quickstart.json "${bare[@]}" --set nodes.count=20000 \
      --set network.topology=random-regular --set network.degree=$d
  done
  measure "edges-20000-bitcoin" quickstart.json "${bare[@]}" --set nodes.count=20000
  measure "edges-20000-ba32" quickstart.json "${bare[@]}" --set nodes.count=20000 \
    --set network.topology=barabasi-albert --set network.degree=32
}
group_tcp() {
  for n in 2000 8000; do
    measure "tcp-$n" quickstart.json --set transactions.rate_per_s=0 --set duration.blocks=2 --set nodes.count=$n \
      --set network.topology=random-regular
  done
}
group_blocks() {
  for b in 2000 8000; do
    measure "blocks-$b-x2000-nodes" quickstart.json "${bare[@]}" --set nodes.count=2000 \
      --set network.topology=random-regular --set duration.blocks=$b --set duration.drain_s=0
  done
}
group_transactions() {
  # Blocks large enough that every transaction is confirmed, as in a normal run.
  local tx=(--set network.model=ideal --set nodes.count=20 --set network.topology=random-regular
            --set transactions.rate_per_s=20 --set consensus.block_size_bytes=20000000)
  for b in 10 40; do
    measure "tx-20ps-$b-blocks" quickstart.json "${tx[@]}" --set duration.blocks=$b
    measure "tx-20ps-$b-blocks-nocsv" quickstart.json "${tx[@]}" --set duration.blocks=$b \
      --set output.per_transaction_csv=false
  done
}
group_trials() {
  for t in 10 40; do
    measure "double-spend-$t-trials" quickstart.json --set network.model=ideal --set attack.kind=double-spend \
      --set attack.trials=$t
  done
}
group_committee() {
  # The latency model: tcp's per-endpoint cost is the tcp group's.
  local committee=(pbft-4.json --set network.model=latency)
  for protocol in pbft hotstuff; do
    for n in 16 64 128; do
      measure "$protocol-$n-replicas" "${committee[@]}" --set consensus.protocol=$protocol --set nodes.count=$n \
        --set committee.requests=2000
    done
  done
  measure "pbft-64-replicas-window-32" "${committee[@]}" --set nodes.count=64 --set committee.requests=2000 \
    --set committee.checkpoint_interval=16 --set committee.log_window=32
  for n in 4 16; do
    for r in 20000 80000; do
      measure "pbft-$n-$r-requests" "${committee[@]}" --set nodes.count=$n --set committee.requests=$r \
        --set committee.request_rate_per_s=2000
    done
  done
}
group_cloud() {
  for h in 100000 400000; do
    measure "cloud-$h-hosts" quickstart.json "${bare[@]}" --set nodes.count=100 --set network.topology=random-regular \
      --set cloud.hosts=$h
  done
  measure "cloud-100000-hosts-40-steps" quickstart.json "${bare[@]}" --set nodes.count=100 \
    --set network.topology=random-regular --set cloud.hosts=100000 --set duration.blocks=20
  measure "cloud-100000-hosts-7-cotenants" quickstart.json "${bare[@]}" --set nodes.count=100 \
    --set network.topology=random-regular --set cloud.hosts=100000 --set cloud.co_tenants=7
}
group_allocation() {
  # Central mechanisms only (the contract ones run the chain), without the optimum's program.
  for r in 20000 80000; do
    measure "allocation-$r-requests" allocation-market.json \
      --set 'allocation.mechanisms=["first_fit","best_fit","worst_fit","auction"]' \
      --set allocation.requests_per_hour=$r --set allocation.horizon_s=3600 --set allocation.optimum_max_nonzeros=0
  done
  # The optimum's LP and integer program: requests x hosts x (1 + 2 x concurrency) nonzeros.
  for r in 200 400; do
    measure "optimum-$r-requests-x20-hosts" allocation-market.json --set 'allocation.mechanisms=["optimum"]' \
      --set allocation.requests_per_hour=$r --set allocation.horizon_s=3600 --set allocation.mean_duration_s=600 \
      --set allocation.hosts=20
  done
  measure "optimum-lp-only-400-requests-x20-hosts" allocation-market.json --set 'allocation.mechanisms=["optimum"]' \
    --set allocation.requests_per_hour=400 --set allocation.horizon_s=3600 --set allocation.mean_duration_s=600 \
    --set allocation.hosts=20 --set allocation.optimum_max_binaries=0
}
group_integrity() {
  for o in 100000 400000; do
    measure "integrity-$o-objects" data-integrity.json --set integrity.objects=$o --set integrity.trials=10
  done
}
group_contracts() {
  for a in 2000 8000; do
    measure "token-$a-accounts" token-transfers.json --set contracts.accounts=$a
  done
}

groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(base nodes edges tcp blocks transactions trials committee cloud allocation integrity contracts)
for g in "${groups[@]}"; do "group_$g"; done
