"""cbsim.sweep on Dask: the table, failed runs, resuming, an existing scheduler."""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Iterator

import pandas as pd
import pytest
from conftest import SMALL

import cbsim

GRID = {"nodes.count": [20, 30], "network.model": ["latency", "ideal"]}


def _scenario(quickstart: Path) -> dict:
    """The quickstart scenario, shortened in the scenario itself so that grids may vary any other path."""
    scenario = json.loads(quickstart.read_text())
    scenario.update(name="quickstart", duration={"blocks": SMALL["duration.blocks"]})
    return scenario


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """One local Dask cluster for the tests that do not test the default one (its start costs a second)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, silence_logs=logging.ERROR,
                      dashboard_address=None, scheduler_kwargs={"dashboard_address": ":0"}) as cluster:
        yield cluster.scheduler_address


def _journal(folder: Path) -> list[str]:
    return (folder / "runs.jsonl").read_text().splitlines()


def test_grid_times_seeds_on_a_local_cluster(quickstart: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    df = cbsim.sweep(_scenario(quickstart), GRID, seeds=[1, 2], workers=2)
    folder = tmp_path / "results" / "sweeps" / "quickstart"  # the default, under the current directory
    assert df.attrs["out"] == str(folder)
    assert len(df) == 8 and (df["status"] == "ok").all() and (df["error"] == "").all()
    columns = list(df.columns)
    assert columns[:3] == ["nodes.count", "network.model", "seed"]
    assert columns[-3:] == ["status", "error", "out_dir"]
    assert {"blocks.mined", "propagation_s.p50", "messages_by_kind.inv", "stale_rate"} <= set(columns)
    # Grid order, seeds varying fastest; each row is the run its values describe.
    assert list(df["seed"]) == [1, 2] * 4
    assert list(df["nodes.count"]) == [20, 20, 20, 20, 30, 30, 30, 30]
    assert list(df["network.model"]) == ["latency", "latency", "ideal", "ideal"] * 2
    assert (df["nodes"] == df["nodes.count"]).all() and (df["blocks.mined"] == 3).all()
    for _, row in df.iterrows():
        resolved = json.loads((Path(row["out_dir"]) / "scenario.resolved.json").read_text())
        assert (resolved["nodes"]["count"], resolved["network"]["model"], resolved["seed"]) == \
            (row["nodes.count"], row["network.model"], row["seed"])
    assert len(_journal(folder)) == 8
    on_disk = pd.read_csv(folder / "sweep.csv")
    assert list(on_disk.columns) == columns and len(on_disk) == 8
    assert "8/8" in capsys.readouterr().err  # the progress bar


def test_failed_run_is_an_error_row(quickstart: Path, scheduler: str) -> None:
    df = cbsim.sweep(quickstart, {"nodes.count": [20, 1]}, seeds=[3], out="s", scheduler=scheduler,
                     progress=False)
    ok, failed = df.iloc[0], df.iloc[1]
    assert ok["status"] == "ok" and ok["blocks.mined"] == 30
    assert failed["status"] == "error" and "nodes.count" in failed["error"]
    assert pd.isna(failed["blocks.mined"])
    assert [json.loads(line)["status"] for line in _journal(Path("s"))].count("error") == 1


def test_resume_runs_only_what_is_missing(quickstart: Path, scheduler: str) -> None:
    grid = {"consensus.block_interval_s": [300, 600]}
    first = cbsim.sweep(_scenario(quickstart), grid, seeds=[1, 2], out="s", scheduler=scheduler,
                        progress=False)
    lines = _journal(Path("s"))
    by_point = {(json.loads(line)["consensus.block_interval_s"], json.loads(line)["seed"]): line for line in lines}
    kept = [by_point[(300, 1)], by_point[(600, 2)]]
    failed = json.loads(by_point[(300, 2)])
    failed.update(status="error", error="RuntimeError: interrupted")
    # An interrupted sweep: two runs done, one failed, one cut off mid-line, one never written.
    Path("s", "runs.jsonl").write_text("\n".join([*kept, json.dumps(failed)]) + '\n{"consensus.block')
    shutil.rmtree("s/runs")  # what is rerun reappears; what is kept does not

    second = cbsim.sweep(_scenario(quickstart), grid, seeds=[1, 2], out="s", scheduler=scheduler,
                         progress=False)
    rerun = {(r["consensus.block_interval_s"], r["seed"]) for _, r in second.iterrows() if Path(r["out_dir"]).exists()}
    assert rerun == {(300, 2), (600, 1)}
    assert (second["status"] == "ok").all()
    assert list(second["out_dir"]) == list(first["out_dir"])
    assert second.drop(columns=["wall_time_s", "peak_rss_mb", "messages_per_wall_s"]).equals(
        first.drop(columns=["wall_time_s", "peak_rss_mb", "messages_per_wall_s"]))
    # The cut-off line is left alone, and the new rows start on lines of their own.
    assert len(_journal(Path("s"))) == 4 + 2


def test_extended_grid_runs_only_new_points_and_edited_scenario_reruns(quickstart: Path, scheduler: str) -> None:
    scenario = _scenario(quickstart)
    cbsim.sweep(scenario, {"nodes.count": [20]}, seeds=[1], out="s", scheduler=scheduler, progress=False)
    assert len(_journal(Path("s"))) == 1
    extended = cbsim.sweep(scenario, {"nodes.count": [20, 30]}, seeds=[1, 2], out="s", scheduler=scheduler,
                           progress=False)
    assert len(extended) == 4 and len(_journal(Path("s"))) == 4  # three new runs
    scenario["network"]["model"] = "ideal"
    edited = cbsim.sweep(scenario, {"nodes.count": [20, 30]}, seeds=[1, 2], out="s", scheduler=scheduler,
                         progress=False)
    assert len(_journal(Path("s"))) == 8  # none of the old rows stands in for the edited scenario
    assert set(edited["out_dir"]).isdisjoint(extended["out_dir"])


def test_nothing_left_to_run_starts_no_cluster(quickstart: Path, scheduler: str) -> None:
    grid = {"nodes.count": [20]}
    first = cbsim.sweep(quickstart, grid, out="s", scheduler=scheduler, progress=False)
    second = cbsim.sweep(quickstart, grid, out="s", scheduler="tcp://127.0.0.1:1", progress=False)
    assert second.equals(first)


@pytest.mark.parametrize("grid, seeds, message", [
    ({"nodes.count": []}, [1], "non-empty list"),
    ({"nodes.count": 20}, [1], "non-empty list"),
    ({"seed": [1, 2]}, [1], "seeds argument"),
    ({"nodes.count": [20]}, [], "seeds"),
    ({"nodes.count": [20]}, ["1"], "seeds"),
    ({"nodes.count": [object()]}, [1], "JSON"),
])
def test_malformed_grid_is_rejected_before_running(quickstart: Path, grid: dict, seeds: list,
                                                   message: str) -> None:
    with pytest.raises(cbsim.SweepError, match=message):
        cbsim.sweep(quickstart, grid, seeds=seeds, out="s")
    assert not Path("s").exists()


def test_invalid_scenario_is_rejected_before_running(quickstart: Path) -> None:
    with pytest.raises(cbsim.ScenarioError, match="nodes.count"):
        cbsim.sweep({"nodes": {"count": 1}}, {"network.model": ["ideal"]}, out="s")
    assert not Path("s").exists()
