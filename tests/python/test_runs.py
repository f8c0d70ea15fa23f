"""cbsim.run, cbsim.resolve, RunResult and the re-exported model helpers."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import SMALL, simulated

import cbsim

RESULT_FILES = {"metrics.json", "scenario.resolved.json", "blocks.csv", "propagation.csv",
                "transactions.csv", "nodes.csv"}


def _assert_small_run(result: cbsim.RunResult) -> None:
    assert result.metrics["nodes"] == 40
    assert result.metrics["blocks"]["mined"] == 3
    assert RESULT_FILES <= {p.name for p in result.out_dir.iterdir()}


@pytest.mark.parametrize("as_type", [str, Path])
def test_run_from_path(quickstart: Path, as_type: type, tmp_path: Path) -> None:
    result = cbsim.run(as_type(quickstart), SMALL, out=tmp_path / "r")
    _assert_small_run(result)
    assert result.out_dir == tmp_path / "r"
    assert result.metrics["scenario"] == "quickstart"  # named after the file
    assert result.scenario["nodes"]["count"] == 40


def test_run_from_json_string_and_dict(quickstart: Path) -> None:
    text = quickstart.read_text()
    from_text = cbsim.run(text, SMALL, out="text")
    from_dict = cbsim.run(json.loads(text), SMALL, out="dict")
    _assert_small_run(from_text)
    assert from_text.metrics["scenario"] == "scenario"  # no file to be named after
    assert simulated(from_text.metrics) == simulated(from_dict.metrics)


def test_relative_out_is_made_absolute(quickstart: Path, tmp_path: Path) -> None:
    result = cbsim.run(quickstart, SMALL, out="rel/dir")
    assert result.out_dir == tmp_path / "rel" / "dir"


def test_overrides_as_dict_and_list_are_equivalent(quickstart: Path) -> None:
    as_dict = cbsim.run(quickstart, {**SMALL, "network.model": "latency"}, out="d")
    as_list = cbsim.run(quickstart, ["nodes.count=40", "duration.blocks=3", 'network.model="latency"'], out="l")
    assert as_dict.scenario["network"]["model"] == "latency"
    assert as_dict.scenario == as_list.scenario
    assert simulated(as_dict.metrics) == simulated(as_list.metrics)


def test_same_seed_reproduces_and_other_seed_differs(quickstart: Path) -> None:
    a = cbsim.run(quickstart, SMALL, seed=7, out="a")
    b = cbsim.run(quickstart, SMALL, seed=7, out="b")
    c = cbsim.run(quickstart, SMALL, seed=8, out="c")
    assert a.metrics["seed"] == a.scenario["seed"] == 7
    assert simulated(a.metrics) == simulated(b.metrics)
    pd.testing.assert_frame_equal(a.blocks, b.blocks)
    assert c.metrics["seed"] == 8
    assert list(a.blocks["hash"]) != list(c.blocks["hash"])


def test_tables_have_expected_columns_and_rows(quickstart: Path) -> None:
    result = cbsim.run(quickstart, SMALL, out="r")
    m = result.metrics
    assert {"hash", "height", "parent_id", "miner", "mined_s", "main_chain", "t50_s", "t90_s"} <= set(result.blocks)
    assert len(result.blocks) == m["blocks"]["mined"]
    assert result.blocks["hash"].str.len().eq(64).all()  # read as text, not numbers
    assert list(result.propagation.columns) == ["block_id", "fraction", "delay_s"]
    assert set(result.propagation["block_id"]) == set(result.blocks["block_id"])
    assert {"txid", "origin", "created_s", "block_id", "confirmation_latency_s"} <= set(result.transactions)
    assert len(result.transactions) == m["transactions"]["created"]
    assert {"node", "region", "hash_share", "degree", "tip_height", "blocks_mined"} <= set(result.nodes)
    assert len(result.nodes) == m["nodes"]
    assert result.nodes["blocks_mined"].sum() == m["blocks"]["mined"]


def test_disabled_tables_are_empty_even_in_a_reused_folder(quickstart: Path) -> None:
    cbsim.run(quickstart, SMALL, out="r")  # leaves blocks.csv behind
    result = cbsim.run(quickstart, {**SMALL, "output.per_block_csv": False, "output.per_transaction_csv": False},
                       out="r")
    assert result.blocks.empty and result.propagation.empty and result.transactions.empty
    assert len(result.nodes) == 40


def test_default_out_is_a_fresh_temporary_folder(quickstart: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    first, second = cbsim.run(quickstart, SMALL), cbsim.run(quickstart, SMALL)
    assert first.out_dir != second.out_dir
    for result in (first, second):
        assert result.out_dir.parent == tmp_path and result.out_dir.name.startswith("cbsim-")
    with pytest.raises(cbsim.ScenarioError):
        cbsim.run(quickstart, {"nodes.count": 1})
    # A rejected scenario leaves no empty folder behind.
    assert sorted(tmp_path.glob("cbsim-*")) == sorted([first.out_dir, second.out_dir])


@pytest.mark.parametrize("scenario, overrides, path", [
    ("file", {"nodes.count": 1}, "nodes.count"),
    ({"nodes": {"cont": 5}}, None, "nodes.cont"),
    ("file", ["network.model=\"carrier-pigeon\""], "network.model"),
])
def test_bad_field_raises_scenario_error_naming_the_path(quickstart: Path, scenario: object,
                                                         overrides: object, path: str) -> None:
    with pytest.raises(cbsim.ScenarioError) as caught:
        cbsim.run(quickstart if scenario == "file" else scenario, overrides, out="r")
    assert caught.value.path == path
    assert path in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert not Path("r", "metrics.json").exists()


def test_missing_file_raises_os_error() -> None:
    with pytest.raises(FileNotFoundError):
        cbsim.run("no-such-scenario.json")


def test_hundred_runs_in_one_process_leak_nothing(quickstart: Path) -> None:
    overrides = {"nodes.count": 20, "duration.blocks": 1, "network.model": "ideal"}

    def open_fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    def rss_mb() -> float:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024

    def children() -> set[int]:
        # Not os.waitpid(-1): that could reap the children of other tests (Dask, kernels).
        found = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            if int(fields[1]) == os.getpid():
                found.add(int(stat.parent.name))
        return found

    cbsim.run(quickstart, overrides, out="warm-up")
    fds_before, rss_before, children_before = open_fds(), rss_mb(), children()
    for i in range(100):
        result = cbsim.run(quickstart, overrides, out=f"r{i % 4}")
        assert result.metrics["blocks"]["mined"] == 1
    assert open_fds() == fds_before
    assert rss_mb() - rss_before < 20  # a leak of the metrics or the child's pipe would grow without bound
    assert children() <= children_before  # every forked child was reaped


def test_resolve_fills_defaults_and_applies_overrides(quickstart: Path) -> None:
    resolved = cbsim.resolve(quickstart, {"nodes.count": 33}, seed=9)
    assert resolved["nodes"]["count"] == 33 and resolved["seed"] == 9
    assert resolved["name"] == "quickstart"
    assert resolved["duration"]["drain_s"] == 60.0  # a default the file does not set
    with pytest.raises(cbsim.ScenarioError, match="nodes.count"):
        cbsim.resolve(quickstart, ["nodes.count=0"])


def test_result_reloads_from_its_folder_and_summarises(quickstart: Path) -> None:
    result = cbsim.run(quickstart, SMALL, out="r")
    again = cbsim.RunResult.load("r")
    assert again.metrics == result.metrics and again.scenario == result.scenario
    assert result.flat_metrics["blocks.mined"] == 3
    summary = result.summary()
    assert "quickstart (seed 42)" in summary and "3 (main chain" in summary
    assert "quickstart" in repr(result)


def test_model_helpers_are_reexported() -> None:
    # Nakamoto 2008, section 11: q = 0.1, z = 5 gives P = 0.0009137.
    assert cbsim.nakamoto_double_spend(0.1, 5) == pytest.approx(0.0009137, rel=1e-3)
    assert 0 < cbsim.rosenfeld_double_spend(0.1, 5) < 1
    assert cbsim.selfish_mining_threshold(0.0) == pytest.approx(1 / 3)
    assert cbsim.fork_probability(0.0, 600) == 0
    assert "simblock-2019" in cbsim.region_table_names()
    assert {"name", "regions", "latency_s"} <= set(cbsim.region_table())
    assert len(cbsim.generate_topology("random-regular", 10, 1, degree=4)) == 10
    assert isinstance(cbsim.__version__, str) and cbsim.__version__


def test_import_does_not_load_plotting_or_dask() -> None:
    code = ("import sys, cbsim; heavy = {'matplotlib', 'distributed', 'dask', 'pandas'} & set(sys.modules); "
            "print(sorted(heavy)); print(callable(cbsim.plot.plot_results_dir))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["[]", "True"]


def test_attack_models_are_exposed_and_agree_with_the_closed_forms():
    assert cbsim.double_spend_success(0.3, 6) == pytest.approx(cbsim.rosenfeld_double_spend(0.3, 6), abs=1e-10)
    assert cbsim.double_spend_success(0.3, 6, give_up_deficit=5) < cbsim.rosenfeld_double_spend(0.3, 6)
    chain = cbsim.selfish_mining_markov(0.3, 0.5)
    assert chain["relative_revenue"] == pytest.approx(cbsim.selfish_mining_revenue(0.3, 0.5), abs=1e-9)


def test_committee_run_has_requests_table_and_summary() -> None:
    pbft = Path(__file__).resolve().parents[2] / "scenarios" / "pbft-4.json"
    result = cbsim.run(pbft, {"committee.requests": 100, "nodes.count": 7})
    assert result.metrics["consensus"]["committed_requests"] == 100
    assert result.flat_metrics["pbft.messages_per_batch.prepare"] == 36.0  # (n - 1)^2
    requests = result.requests
    assert len(requests) == 100 and (requests["latency_s"] > 0).all()
    assert requests["latency_s"].median() == pytest.approx(result.metrics["consensus"]["latency_s"]["p50"])
    summary = result.summary()
    assert "replicas / clients" in summary and "7 / 4 (f = 2)" in summary


def test_allocation_run_has_a_table_per_mechanism_and_the_decisions() -> None:
    faults = Path(__file__).resolve().parents[2] / "scenarios" / "allocation-under-faults.json"
    result = cbsim.run(faults, {"allocation.optimum_max_binaries": 0,
                                "allocation.mechanisms": ["first_fit", "contract_first_fit"]})
    table = result.allocation_mechanisms
    assert set(table.index) == {"first_fit", "contract_first_fit"}
    assert (table["efficiency"] <= 1.0).all()
    assert table.loc["contract_first_fit", "sustainable.limited_by"] == "replica_cpu"
    # The central allocator's outage costs first fit requests the contract serves.
    assert table.loc["first_fit", "late"] > 0 and table.loc["contract_first_fit", "late"] == 0
    decisions = result.allocations
    assert len(decisions) == result.metrics["allocation"]["requests"]
    assert (decisions["contract_first_fit_host"] >= 0).sum() == table.loc["contract_first_fit", "accepted"]
    assert "contract_first_fit" in result.summary()
