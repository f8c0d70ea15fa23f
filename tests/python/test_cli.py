"""python -m cbsim run|sweep|plot: outputs and exit statuses."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest


def cbsim_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cbsim", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


SMALL_SET = ["--set", "nodes.count=40", "--set", "duration.blocks=3"]


def test_run_prints_key_metrics_and_writes_results(quickstart: Path, tmp_path: Path) -> None:
    done = cbsim_cli("run", quickstart, *SMALL_SET, "--seed", "5", "--out", "r")
    assert done.returncode == 0, done.stderr
    assert "quickstart (seed 5)" in done.stdout
    assert "3 (main chain" in done.stdout and "propagation p50" in done.stdout
    assert json.loads((tmp_path / "r" / "metrics.json").read_text())["seed"] == 5


def test_run_defaults_to_results_named_after_the_scenario(quickstart: Path, tmp_path: Path) -> None:
    done = cbsim_cli("run", quickstart, *SMALL_SET)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "results" / "quickstart" / "metrics.json").exists()


@pytest.mark.parametrize("args, expected", [
    (["--set", "nodes.count=1"], "nodes.count"),
    (["--set", "nodes.cont=5"], "nodes.cont"),
    (["--set", "nodes.count"], "PATH=VALUE"),
])
def test_run_rejects_bad_input_with_status_2(quickstart: Path, args: list[str], expected: str) -> None:
    done = cbsim_cli("run", quickstart, *args)
    assert done.returncode == 2
    assert expected in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not Path("results").exists()


def test_run_of_a_missing_file_is_status_2() -> None:
    done = cbsim_cli("run", "missing.json")
    assert done.returncode == 2 and "missing.json" in done.stderr


def _sweep_file(tmp_path: Path, quickstart: Path, grid: dict) -> Path:
    """A sweep file beside a copy of the scenario, naming both relative to itself."""
    folder = tmp_path / "study"
    folder.mkdir()
    shutil.copy(quickstart, folder / "quickstart.json")
    spec = {"scenario": "quickstart.json", "grid": grid, "seeds": [1, 2], "out": "out"}
    (folder / "sweep.json").write_text(json.dumps(spec))
    return folder / "sweep.json"


def test_sweep_runs_the_file_with_paths_relative_to_it(quickstart: Path, tmp_path: Path) -> None:
    sweep_file = _sweep_file(tmp_path, quickstart, {"nodes.count": [20, 30], "duration.blocks": [2]})
    done = cbsim_cli("sweep", sweep_file, "--workers", "2")
    assert done.returncode == 0, done.stderr
    table = tmp_path / "study" / "out" / "sweep.csv"
    assert f"4 of 4 runs ok; table: {table}" in done.stdout
    assert len(pd.read_csv(table)) == 4
    assert "4/4" in done.stderr  # the progress bar
    assert "WARNING" not in done.stderr and "Traceback" not in done.stderr  # Dask kept quiet


def test_sweep_with_a_failed_run_is_status_1(quickstart: Path, tmp_path: Path) -> None:
    sweep_file = _sweep_file(tmp_path, quickstart, {"nodes.count": [20, 1], "duration.blocks": [2]})
    done = cbsim_cli("sweep", sweep_file, "--out", "elsewhere", "--no-progress")
    assert done.returncode == 1
    assert "2 of 4 runs ok" in done.stdout
    assert done.stderr.count("failed:") == 2 and "nodes.count" in done.stderr
    assert (tmp_path / "elsewhere" / "sweep.csv").exists()  # --out wins over the file, relative to cwd


@pytest.mark.parametrize("content, key", [
    ({"grid": {"nodes.count": [20]}}, "scenario"),
    ({"scenario": "q.json"}, "grid"),
    ({"scenario": "q.json", "grid": {"nodes.count": 20}}, "grid"),
    ({"scenario": "q.json", "grid": {"nodes.count": [20]}, "seeds": 3}, "seeds"),
    ({"scenario": "q.json", "grid": {"nodes.count": [20]}, "seeds": ["1"]}, "seeds"),
    ({"scenario": 5, "grid": {"nodes.count": [20]}}, "scenario"),
    ({"scenario": "q.json", "grid": {}, "seed": [1]}, "seed"),
    ([1, 2], "JSON object"),
    ("{not json", "not valid JSON"),
])
def test_bad_sweep_file_names_the_file_and_key(content: object, key: str) -> None:
    Path("sweep.json").write_text(content if isinstance(content, str) else json.dumps(content))
    done = cbsim_cli("sweep", "sweep.json")
    assert done.returncode == 2
    assert done.stderr.startswith("sweep.json: ") and key in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_sweep_of_an_invalid_scenario_is_status_2(quickstart: Path) -> None:
    scenario = json.loads(quickstart.read_text())
    scenario["nodes"]["count"] = 1
    Path("q.json").write_text(json.dumps(scenario))
    Path("sweep.json").write_text(json.dumps({"scenario": "q.json", "grid": {"duration.blocks": [1]}}))
    done = cbsim_cli("sweep", "sweep.json")
    assert done.returncode == 2 and "nodes.count" in done.stderr


def test_plot_delegates_to_cbsim_plot(quickstart: Path, tmp_path: Path) -> None:
    assert cbsim_cli("run", quickstart, *SMALL_SET, "--out", "r").returncode == 0
    done = cbsim_cli("plot", "r")
    assert done.returncode == 0, done.stderr
    written = [Path(line) for line in done.stdout.splitlines()]
    assert written and all(path.exists() for path in written)


def test_usage_errors_are_status_2() -> None:
    assert cbsim_cli().returncode == 2
    assert cbsim_cli("run").returncode == 2
    assert cbsim_cli("--help").returncode == 0
