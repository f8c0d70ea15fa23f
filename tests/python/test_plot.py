"""cbsim.plot draws every figure from real results, headless, as PNG and PDF.

The results are small real runs (40 nodes, 3 blocks of the quickstart
scenario), made once per session: one sweep over the offered load and the
relay protocol, two seeds each, and the sweep's folder used as a run folder
and a sweep folder.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure

import cbsim
from cbsim import plot

REPO = Path(__file__).resolve().parents[2]
QUICKSTART = REPO / "scenarios" / "quickstart.json"
# Small and fast; one confirmation so that 3 blocks confirm transactions and
# the latency metrics exist.
SMALL = {"nodes.count": 40, "duration.blocks": 3, "consensus.confirmations": 1}
GRID = {"transactions.rate_per_s": [1.0, 4.0], "consensus.relay": ["inv", "compact"]}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="session")
def sweep_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real sweep folder: sweep.csv, runs.jsonl and runs/<point>/ for 8 runs."""
    folder = tmp_path_factory.mktemp("sweep")
    df = cbsim.sweep(cbsim.resolve(QUICKSTART, SMALL), GRID, seeds=[1, 2], out=folder, workers=2, progress=False)
    assert (df["status"] == "ok").all(), df["error"].tolist()
    return folder


@pytest.fixture(scope="session")
def sweep_df(sweep_dir: Path) -> pd.DataFrame:
    return pd.read_csv(sweep_dir / "sweep.csv")


@pytest.fixture(scope="session")
def run_dirs(sweep_df: pd.DataFrame) -> dict[str, Path]:
    """One finished run folder per relay protocol (seed 1, the lower load)."""
    first = sweep_df[(sweep_df["seed"] == 1) & (sweep_df["transactions.rate_per_s"] == 1.0)]
    return {row["consensus.relay"]: Path(row["out_dir"]) for _, row in first.iterrows()}


def assert_figure_files(stem: Path) -> None:
    """stem.png is a PNG and stem.pdf a PDF, both with content."""
    png, pdf = stem.with_name(stem.name + ".png"), stem.with_name(stem.name + ".pdf")
    assert png.read_bytes()[:8] == PNG_SIGNATURE
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert png.stat().st_size > 5_000 and pdf.stat().st_size > 5_000


def line_data(fig: Figure) -> list[tuple[list[float], list[float]]]:
    """(x, y) of every line drawn with markers in the first axes (the data lines, not references)."""
    return [(list(line.get_xdata()), list(line.get_ydata())) for line in fig.axes[0].lines
            if line.get_marker() not in (None, "None", "")]


def test_rendering_is_headless() -> None:
    # pytest runs without a display here; the module must have picked Agg.
    if not os.environ.get("DISPLAY") and not os.environ.get("MPLBACKEND"):
        assert matplotlib.get_backend().lower() == "agg"


def test_propagation_cdf_of_a_folder_a_result_and_a_list(run_dirs: dict[str, Path], tmp_path: Path) -> None:
    fig = plot.propagation_cdf(run_dirs["compact"], save=tmp_path / "one")
    assert isinstance(fig, Figure)
    assert_figure_files(tmp_path / "one")

    results = [cbsim.RunResult.load(run_dirs["inv"]), cbsim.RunResult.load(run_dirs["compact"])]
    fig = plot.propagation_cdf(results, save=tmp_path / "two")
    assert_figure_files(tmp_path / "two")
    # Same scenario name twice: the labels name the field that differs.
    legend = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert any("relay=inv" in label for label in legend) and any("relay=compact" in label for label in legend)

    fig = plot.propagation_cdf(list(run_dirs.values()), labels=["a", "b"])
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()][:2] == ["a (3 blocks)", "b (3 blocks)"]
    with pytest.raises(ValueError):
        plot.propagation_cdf(list(run_dirs.values()), labels=["only one"])


def test_propagation_cdf_median_matches_the_run_metrics(run_dirs: dict[str, Path]) -> None:
    # The curve's delay at 50 % of the nodes is the median over blocks of t50,
    # which is what metrics.json reports as propagation_s.p50.
    fig = plot.propagation_cdf(run_dirs["inv"], logx=False)
    x, y = fig.axes[0].lines[0].get_data()
    at_half = dict(zip(y, x))[0.5]
    metrics = json.loads((run_dirs["inv"] / "metrics.json").read_text())
    assert at_half == pytest.approx(metrics["propagation_s"]["p50"], rel=1e-6)


def test_metric_vs_parameter_numeric_with_hue(sweep_df: pd.DataFrame, tmp_path: Path) -> None:
    fig = plot.metric_vs_parameter(sweep_df, "transactions.rate_per_s", "propagation_s.p50",
                                   hue="consensus.relay", save=tmp_path / "m")
    assert_figure_files(tmp_path / "m")
    lines = line_data(fig)
    assert len(lines) == 2  # one per relay
    compact = sweep_df[sweep_df["consensus.relay"] == "compact"]
    expected = compact.groupby("transactions.rate_per_s")["propagation_s.p50"].mean()
    assert lines[0] == (list(expected.index), pytest.approx(list(expected.values)))


def test_metric_vs_parameter_categorical(sweep_df: pd.DataFrame, tmp_path: Path) -> None:
    fig = plot.metric_vs_parameter(sweep_df, "consensus.relay", "throughput_tps", save=tmp_path / "c")
    assert_figure_files(tmp_path / "c")
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["compact", "inv"]


def test_metric_vs_parameter_ignores_failed_runs(sweep_df: pd.DataFrame) -> None:
    failed = sweep_df.iloc[[0]].copy()
    failed["status"], failed["propagation_s.p50"] = "error", 1e6
    with_failure = pd.concat([sweep_df, failed], ignore_index=True)
    fig = plot.metric_vs_parameter(with_failure, "transactions.rate_per_s", "propagation_s.p50")
    (_, y), = line_data(fig)
    assert max(y) < 1e6


def test_confidence_band_is_student_t(sweep_df: pd.DataFrame) -> None:
    from scipy import stats

    rows = sweep_df[sweep_df["consensus.relay"] == "inv"]
    fig = plot.metric_vs_parameter(rows, "transactions.rate_per_s", "throughput_tps", ci=0.9)
    band = fig.axes[0].collections[0].get_paths()[0].vertices
    values = rows[rows["transactions.rate_per_s"] == 1.0]["throughput_tps"]
    half = stats.t.ppf(0.95, len(values) - 1) * values.std(ddof=1) / len(values) ** 0.5
    at_one = band[band[:, 0] == 1.0][:, 1]
    assert sorted(at_one)[0] == pytest.approx(values.mean() - half)
    assert sorted(at_one)[-1] == pytest.approx(values.mean() + half)


def test_stale_rate_vs_with_published_reference(sweep_df: pd.DataFrame, tmp_path: Path) -> None:
    fig = plot.stale_rate_vs(sweep_df, "transactions.rate_per_s", hue="consensus.relay",
                             reference=plot.GERVAIS_2016_NS3_STALE_RATES, save=tmp_path / "stale")
    assert_figure_files(tmp_path / "stale")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend.count("Gervais et al. 2016 (ns-3)") == 1  # one entry for the five points


def test_throughput_latency_vs_load(sweep_df: pd.DataFrame, tmp_path: Path) -> None:
    fig = plot.throughput_latency_vs_load(sweep_df, save=tmp_path / "load")
    assert_figure_files(tmp_path / "load")
    assert [ax.get_ylabel() for ax in fig.axes] == ["throughput (tx/s)", "median confirmation latency (s)"]


def test_save_accepts_a_suffix_and_keeps_dotted_stems(sweep_df: pd.DataFrame, tmp_path: Path) -> None:
    fig = plot.metric_vs_parameter(sweep_df, "transactions.rate_per_s", "stale_rate")
    assert plot.save_figure(fig, tmp_path / "a.png") == [tmp_path / "a.png", tmp_path / "a.pdf"]
    assert plot.save_figure(fig, tmp_path / "sub" / "x_vs_nodes.count")[0].name == "x_vs_nodes.count.png"


def test_plot_results_dir_on_a_run(run_dirs: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "run"
    shutil.copytree(run_dirs["compact"], folder)
    written = plot.plot_results_dir(folder)
    assert written == [folder / "propagation_cdf.png", folder / "propagation_cdf.pdf"]
    assert_figure_files(folder / "propagation_cdf")


@pytest.mark.parametrize("table", ["sweep.csv", "runs.jsonl"])
def test_plot_results_dir_on_a_sweep(sweep_dir: Path, tmp_path: Path, table: str) -> None:
    folder = tmp_path / "sweep"
    folder.mkdir()
    shutil.copy(sweep_dir / table, folder / table)  # out_dir still points at the real runs
    written = plot.plot_results_dir(folder)
    names = {p.name for p in written}
    chain_metrics = [m for m in plot.KNOWN_METRICS if not m.startswith("consensus.")]  # committee runs' own
    for parameter in GRID:
        for metric in chain_metrics:
            assert f"{metric}_vs_{parameter}.png" in names and f"{metric}_vs_{parameter}.pdf" in names
    assert not any(name.startswith("consensus.") for name in names)  # absent metrics get no figure
    for path in written:
        assert path.parent == folder / "figures" and path.stat().st_size > 5_000


def test_sweep_parameters_without_run_folders(sweep_df: pd.DataFrame) -> None:
    # Without out_dir the grid is told from the column order: the paths before "seed".
    assert plot.sweep_parameters(sweep_df.drop(columns="out_dir")) == list(GRID)
    assert plot.sweep_parameters(sweep_df) == list(GRID)


def test_plot_results_dir_rejects_other_folders(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        plot.plot_results_dir(tmp_path)


def test_module_does_not_need_the_engine_nor_a_display(run_dirs: dict[str, Path], tmp_path: Path) -> None:
    # A fresh interpreter without DISPLAY/MPLBACKEND, loading plot.py on its own
    # (no cbsim package, so no cbsim._core): results folders are enough.
    folder = tmp_path / "run"
    shutil.copytree(run_dirs["inv"], folder)
    code = (
        "import importlib.util, sys, matplotlib\n"
        f"spec = importlib.util.spec_from_file_location('cbsim_plot', {str(Path(plot.__file__))!r})\n"
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
        "assert 'cbsim._core' not in sys.modules\n"
        f"print(len(module.plot_results_dir({str(folder)!r})), matplotlib.get_backend())\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["2", "agg"]


# ------------------------------------------------------------------ attacks

DOUBLE_SPEND = REPO / "scenarios" / "double-spend.json"
SELFISH_MINING = REPO / "scenarios" / "selfish-mining.json"


@pytest.fixture(scope="session")
def double_spend_df(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """4 double-spend runs on the ideal network: q in {0.2, 0.3} x z in {1, 2}, 200 trials, one seed."""
    grid = {"attack.attacker_share": [0.2, 0.3], "attack.confirmations": [1, 2], "attack.trials": [200]}
    df = cbsim.sweep(DOUBLE_SPEND, grid, seeds=(1,), out=tmp_path_factory.mktemp("double-spend"),
                     workers=2, progress=False)
    assert (df["status"] == "ok").all(), df["error"].tolist()
    return df


@pytest.fixture(scope="session")
def selfish_df(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """4 selfish-mining runs on the ideal network: alpha in {0.2, 0.35} x gamma in {0, 1}, 5,000 blocks."""
    grid = {"attack.attacker_share": [0.2, 0.35], "attack.gamma": [0.0, 1.0], "duration.blocks": [5000]}
    df = cbsim.sweep(SELFISH_MINING, grid, seeds=(1,), out=tmp_path_factory.mktemp("selfish"),
                     workers=2, progress=False)
    assert (df["status"] == "ok").all(), df["error"].tolist()
    return df


def test_double_spend_vs_share(double_spend_df: pd.DataFrame, tmp_path: Path) -> None:
    fig = plot.double_spend_vs_share(double_spend_df, save=tmp_path / "ds")
    assert_figure_files(tmp_path / "ds")
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    # One error-bar series per z with the simulated points, one model line per z.
    points = {round(float(x), 3): float(y) for x, y in zip(*ax.containers[0].lines[0].get_data())}
    z1 = double_spend_df[double_spend_df["attack.confirmations"] == 1]
    assert points == pytest.approx(dict(zip(z1["attack.attacker_share"].round(3), z1["attack.success_probability"])))
    model = [line for line in ax.lines if line.get_marker() in (None, "None", "") and len(line.get_xdata())]
    assert len(model) == 2
    x, y = model[1].get_data()  # z = 2
    assert y[-1] == pytest.approx(cbsim.double_spend_success(float(x[-1]), 2, 1, 20))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"z = 1", "z = 2", "model (exact race)"} <= set(legend)


def test_selfish_revenue_vs_share(selfish_df: pd.DataFrame, tmp_path: Path) -> None:
    fig = plot.selfish_revenue_vs_share(selfish_df, save=tmp_path / "sm")
    assert_figure_files(tmp_path / "sm")
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"$\\gamma$ = 0", "$\\gamma$ = 1", "Eyal & Sirer 2014", "honest mining"} <= set(legend)
    # The gamma = 1 curve is Eyal & Sirer's formula.
    curve = [line for line in ax.lines if line.get_marker() in (None, "None", "") and line.get_linestyle() == "-"
             and len(line.get_xdata())][1]
    x, y = curve.get_data()
    assert y[60] == pytest.approx(cbsim.selfish_mining_revenue(float(x[60]), 1.0))
    # Network tie-breaking (no gamma) is drawn as its own group beside reference curves.
    network = selfish_df.assign(**{"attack.tie_breaking": "network"})
    fig = plot.selfish_revenue_vs_share(network, gammas=[0.0, 0.5])
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "network ties" in legend and "Eyal & Sirer, $\\gamma$ = 0.5" in legend


def test_committee_figures(tmp_path: Path) -> None:
    pbft = Path(__file__).resolve().parents[2] / "scenarios" / "pbft-4.json"
    scenario = cbsim.resolve(pbft, {"committee.requests": 100})
    sweep = cbsim.sweep(scenario, {"nodes.count": [4, 7, 10]}, seeds=[1], out=tmp_path / "sweep",
                        workers=1, progress=False)
    assert (sweep["status"] == "ok").all()
    fig = cbsim.plot.committee_scaling(sweep, save=tmp_path / "scaling")
    assert (tmp_path / "scaling.png").exists() and len(fig.axes) == 2
    # The median latency panel has one point per committee size.
    assert list(fig.axes[1].lines[0].get_xdata()) == [4, 7, 10]
    run_dir = Path(sweep["out_dir"].iloc[0])
    written = cbsim.plot.plot_results_dir(run_dir)
    assert [p.name for p in written] == ["request_latency_cdf.png", "request_latency_cdf.pdf"]
    line = cbsim.plot.request_latency_cdf(run_dir).axes[0].lines[0]
    assert line.get_ydata()[-1] == 1.0  # every request accepted


def test_latency_timeline_shades_the_faults_of_a_crash_run(tmp_path: Path) -> None:
    crash = Path(__file__).resolve().parents[2] / "scenarios" / "pbft-primary-crash.json"
    result = cbsim.run(crash, {"committee.requests": 2000}, out=tmp_path / "run")
    assert result.metrics["consensus"]["view_changes"] >= 1
    fig = cbsim.plot.latency_timeline(result, save=tmp_path / "timeline")
    assert (tmp_path / "timeline.png").exists()
    ax = fig.axes[0]
    # One dot per accepted request, one shaded span per fault, from its start to its end.
    assert len(ax.lines[0].get_xdata()) == result.metrics["consensus"]["committed_requests"]
    (span,) = ax.patches
    xs = [vertex[0] for vertex in span.get_xy()]
    assert min(xs) == 5.0 and max(xs) == 10.0
    assert "crash 0" in [t.get_text() for t in ax.get_legend().get_texts()]
    # The requests submitted just after the crash wait out the view-change timeout.
    after = result.requests[(result.requests["submitted_s"] > 5.0) & (result.requests["submitted_s"] < 5.5)]
    assert after["latency_s"].min() > 0.5
    written = cbsim.plot.plot_results_dir(tmp_path / "run")
    assert "latency_timeline.png" in [p.name for p in written]


def test_committee_scaling_compares_protocols(tmp_path: Path) -> None:
    scaling = Path(__file__).resolve().parents[2] / "scenarios" / "committee-scaling.json"
    scenario = cbsim.resolve(scaling, {"committee.requests": 200})
    sweep = cbsim.sweep(scenario, {"nodes.count": [4, 7], "consensus.protocol": ["pbft", "hotstuff"]}, seeds=[1],
                        out=tmp_path / "sweep", workers=1, progress=False)
    assert (sweep["status"] == "ok").all()
    fig = cbsim.plot.committee_scaling(sweep, hue="consensus.protocol")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["protocol = hotstuff", "protocol = pbft"]
