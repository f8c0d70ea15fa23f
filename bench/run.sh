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
  local label=$1 scenario=$2; shift 2
  echo "bench: $label" >&2
  "$CBSIM" run "scenarios/$scenario" "$@" --out "$OUT/$label" --quiet --no-progress
}

run bitcoin-2019-1000-tcp bitcoin-2019.json --set duration.blocks=144 --set nodes.count=1000
run bitcoin-2019-10000-tcp bitcoin-2019.json --set duration.blocks=144 --set nodes.count=10000
run bitcoin-2019-10000-latency bitcoin-2019.json --set duration.blocks=144 --set nodes.count=10000 \
    --set network.model=latency
# Attacks: 10,000 double-spend trials (q = 0.3, z = 6, give-up 20) on the ideal
# network and on the 1,000-node bitcoin-2019 network. The 10,000 network trials
# (about 470,000 blocks, 5 simulated years) run without background transactions:
# at bitcoin-2019's 2.2 tx/s they would be 600 million transactions. 100 trials
# with that load show what it costs per trial.
run double-spend-ideal-10000 double-spend.json --set attack.trials=10000
run double-spend-bitcoin-2019-1000-no-load bitcoin-2019.json --set attack.kind=double-spend --set attack.trials=10000 \
    --set attack.confirmations=6 --set attack.attacker_share=0.3 --set transactions.rate_per_s=0 \
    --set output.per_transaction_csv=false
run double-spend-bitcoin-2019-1000 bitcoin-2019.json --set attack.kind=double-spend --set attack.trials=100 \
    --set attack.confirmations=6 --set attack.attacker_share=0.3 --set output.per_transaction_csv=false
run selfish-mining-ideal selfish-mining.json
# Committees: PBFT with 64 replicas and 10,000 committed requests (latency model:
# with the tcp model and SimBlock's home-connection bandwidths the primary's
# uplink saturates at this size; datacenter networks come with the cloud issue).
run pbft-64-latency pbft-4.json --set nodes.count=64 --set committee.requests=10000 \
    --set committee.request_rate_per_s=500 --set network.model=latency
run pbft-16-tcp pbft-4.json --set nodes.count=16 --set committee.requests=10000 \
    --set committee.request_rate_per_s=100
# HotStuff with 128 replicas, same load; batches of up to 100 requests (one block
# per two message delays: with 10 per block HotStuff could not keep up).
run hotstuff-128-latency pbft-4.json --set consensus.protocol=hotstuff --set nodes.count=128 \
    --set committee.requests=10000 --set committee.request_rate_per_s=500 --set committee.batch_max_requests=100 \
    --set network.model=latency

# The cloud at scale: bitcoin-on-kvm (a simulated day, 144 blocks, bitcoin-2019's 2.2 tx/s) with
# 10,000 node VMs of 1 vCPU on 1,000 hosts, each host also running 2 co-tenant VMs at 50 % load
# (12,000 VMs in all). It measures what the cloud layer costs on top of the chain: placing and
# provisioning 10,000 VMs (100 control-plane operations at a time), the co-tenants' load steps and
# CPU sharing on every host, consolidation rounds with live migrations, and the per-host energy and
# SLA accounting.
run cloud-1000-hosts-10000-vms bitcoin-on-kvm.json --set nodes.count=10000 --set cloud.hosts=1000 \
    --set cloud.vm_vcpus=1 --set cloud.co_tenants=2 --set cloud.provisioning_parallel=100

# Allocation (issue 8): about 200 VM requests on 20 hosts of 16 vCPUs, all
# overlapping (12 minutes of arrivals at 1,000 per hour, windows of an hour
# on average): the central mechanisms and the optimum's integer program (CBC),
# beside a small committee run.
run allocation-optimum-200x20 pbft-4.json --set committee.requests=10 --set network.model=latency \
    --set 'allocation.mechanisms=["first_fit","best_fit","worst_fit","auction","optimum"]' \
    --set allocation.requests_per_hour=1000 --set allocation.horizon_s=720 --set allocation.hosts=20 \
    --set allocation.host_vcpus=16 --set allocation.host_ram_mb=65536
# A day of 1,000 VM requests an hour through the CloudAllocator contract (first
# fit and auction: 48,615 transactions) on a 16-replica PBFT committee, every
# replica executing every call, beside the central mechanisms.
run allocation-market-day allocation-market.json

# The EVM interpreter's Mgas/s on fixed workloads (bench/evm_bench.cpp).
echo "bench: evm" >&2
build/cbsim_evm_bench > "$OUT/evm.jsonl"

/usr/bin/python3 bench/summarize.py "$OUT" bitcoin-2019-1000-tcp bitcoin-2019-10000-tcp bitcoin-2019-10000-latency \
    double-spend-ideal-10000 double-spend-bitcoin-2019-1000-no-load double-spend-bitcoin-2019-1000 selfish-mining-ideal \
    pbft-64-latency pbft-16-tcp hotstuff-128-latency allocation-optimum-200x20 allocation-market-day cloud-1000-hosts-10000-vms
