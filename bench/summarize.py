#!/usr/bin/python3
"""Collects the metrics of benchmark runs into summary.json and summary.md."""
import json
import os
import platform
import sys

# SimBlock (Java; latency and bandwidth per hop, no sharing), 10,000 nodes x 144
# blocks on the same 2-core machine, as stated in the foundation issue.
SIMBLOCK_10K = {"wall_time_s": 65.0, "peak_rss_mb": 710.0}


def markdown_table(header, rows):
    """A Markdown table's lines: the header, its rule, a line per row (cells as given)."""
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + \
        ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]


def main(out_dir, labels):
    rows = []
    for label in labels:
        with open(os.path.join(out_dir, label, "metrics.json")) as f:
            m = json.load(f)
        rows.append({
            "run": label,
            "nodes": m["nodes"],
                # Committee runs count batches (PBFT) or blocks (HotStuff) instead of mined blocks.
            "blocks": m["blocks"]["mined"] if "blocks" in m
            else m["consensus"].get("committed_batches", m["consensus"].get("committed_blocks")),
            "wall_time_s": round(m["wall_time_s"], 2),
            "peak_rss_mb": round(m["peak_rss_mb"], 1),
            "messages": m["messages"],
            "messages_per_wall_s": round(m["messages_per_wall_s"]),
            "flows": m["engine"]["flows"],
            "events": m["engine"]["events"],
            "stale_rate": m.get("stale_rate"),
            "propagation_p50_s": m.get("propagation_s", {}).get("p50"),
            "committed_requests": m.get("consensus", {}).get("committed_requests"),
            "attack_trials": m.get("attack", {}).get("trials"),
            # Runs with a cloud deployment (cloud.hosts > 0) also report what the cloud layer did.
            "cloud": {
                "hosts": m["cloud"]["hosts"],
                "vms": m["nodes"] + m["cloud"]["hosts"] * m["cloud"]["co_tenants"],
                "migrations": m["cloud"]["migrations"],
                "energy_kwh": round(m["cloud"]["energy_kwh"], 3),
                "utilization": round(m["cloud"]["utilization"], 4),
                "provisioning_p50_s": m["cloud"].get("provisioning_s", {}).get("p50"),
            } if m.get("cloud", {}).get("hosts", 0) > 0 else None,
            # Runs with an allocation experiment: the optimum's size and each mechanism's efficiency.
            "allocation": {
                "requests": m["allocation"]["requests"],
                "hosts": m["allocation"]["hosts"],
                "reference": m["allocation"]["reference"].get("bound", m["allocation"]["reference"]["kind"]),
                "transactions": m["allocation"].get("chain", {}).get("transactions"),
                "gas": m["allocation"].get("chain", {}).get("gas_used"),
                "efficiency": {k: round(v["efficiency"], 4) for k, v in m["allocation"]["mechanisms"].items()
                               if "efficiency" in v},
            } if "allocation" in m else None,
        })
    summary = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
               "simblock_10000_nodes": SIMBLOCK_10K, "runs": rows}
    with open(os.path.join(out_dir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    lines = markdown_table(
        ["run", "nodes", "blocks (committee: batches)", "attack trials", "wall time (s)", "peak memory (MB)",
         "messages", "messages/s", "SimGrid flows"],
        [[r["run"], r["nodes"], r["blocks"], r["attack_trials"] if r["attack_trials"] is not None else "",
          r["wall_time_s"], r["peak_rss_mb"], f"{r['messages']:,}", f"{r['messages_per_wall_s']:,}", f"{r['flows']:,}"]
         for r in rows]
        + [["SimBlock (reference)", 10000, 144, "", SIMBLOCK_10K["wall_time_s"], SIMBLOCK_10K["peak_rss_mb"], "", "", ""]])
    cloud_rows = [r for r in rows if r["cloud"] is not None]
    if cloud_rows:
        # Node VMs plus co-tenant VMs; utilization is the hosts' (co-tenants included) while on.
        lines += [""] + markdown_table(
            ["cloud run", "hosts", "VMs", "wall time (s)", "peak memory (MB)", "migrations", "energy (kWh)",
             "host utilization", "provisioning p50 (s)"],
            [[r["run"], f"{r['cloud']['hosts']:,}", f"{r['cloud']['vms']:,}", r["wall_time_s"], r["peak_rss_mb"],
              f"{r['cloud']['migrations']:,}", r["cloud"]["energy_kwh"], f"{r['cloud']['utilization']:.1%}",
              r["cloud"]["provisioning_p50_s"] if r["cloud"]["provisioning_p50_s"] is not None else ""]
             for r in cloud_rows])
    allocation_rows = [r for r in rows if r["allocation"] is not None]
    if allocation_rows:
        # Wall time includes the chain run beside it (small here) and the optimum's integer program.
        # Contract transactions and gas: executed by the chain (every replica applies every call).
        lines += [""] + markdown_table(
            ["allocation run", "requests", "hosts", "reference", "contract transactions", "gas", "wall time (s)",
             "peak memory (MB)", "efficiency"],
            [[r["run"], r["allocation"]["requests"], r["allocation"]["hosts"], r["allocation"]["reference"],
              f"{r['allocation']['transactions']:,}" if r["allocation"]["transactions"] is not None else "",
              f"{r['allocation']['gas']:,}" if r["allocation"]["gas"] is not None else "",
              r["wall_time_s"], r["peak_rss_mb"],
              ", ".join(f"{k} {v}" for k, v in sorted(r["allocation"]["efficiency"].items()))]
             for r in allocation_rows])
    evm_file = os.path.join(out_dir, "evm.jsonl")
    if os.path.exists(evm_file):
        # The EVM benchmark (bench/evm_bench.cpp): one JSON object per line.
        with open(evm_file) as f:
            evm = [json.loads(line) for line in f if line.strip()]
        summary["evm"] = evm
        with open(os.path.join(out_dir, "summary.json"), "w") as f:
            json.dump(summary, f, indent=2)
        lines += [""] + markdown_table(
            ["EVM workload", "Mgas/s", "transfers/s"],
            [[e["workload"], f"{e['mgas_per_s']:.0f}" if "mgas_per_s" in e else "",
              f"{e['transfers_per_s']:,.0f}" if "transfers_per_s" in e else ""] for e in evm])
    with open(os.path.join(out_dir, "summary.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
