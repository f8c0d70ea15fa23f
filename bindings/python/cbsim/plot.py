"""Publication figures from cbsim results.

Every function works on results alone (a :class:`cbsim.RunResult`, a results
folder, or the DataFrame of :func:`cbsim.sweep`), so figures can be redrawn
long after the runs, on a machine without the simulator: this module never
imports ``cbsim._core``.

All figures share one style (:data:`STYLE`: serif font, 300 dpi output, tight
layout, light grid, the Okabe-Ito colour-blind-safe palette). Each figure
function returns its :class:`matplotlib.figure.Figure`; given
``save="dir/stem"`` it also writes ``dir/stem.png`` and ``dir/stem.pdf``.

``python -m cbsim plot RESULTS_DIR`` calls :func:`plot_results_dir`.
"""
from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar, Union

import matplotlib


def _has_display() -> bool:
    """Whether a GUI backend could open a window here."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# Headless machines (CI, `python -m cbsim plot` over ssh) must still render:
# Debian's matplotlibrc names TkAgg, which needs a display. An explicit
# MPLBACKEND (Jupyter sets its inline backend this way) is left alone.
if not os.environ.get("MPLBACKEND") and not _has_display():
    matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (after the backend choice)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from cycler import cycler  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

__all__ = [
    "STYLE",
    "PALETTE",
    "GERVAIS_2016_NS3_STALE_RATES",
    "KNOWN_METRICS",
    "style",
    "use_style",
    "save_figure",
    "propagation_cdf",
    "metric_vs_parameter",
    "stale_rate_vs",
    "throughput_latency_vs_load",
    "double_spend_vs_share",
    "selfish_revenue_vs_share",
    "committee_scaling",
    "request_latency_cdf",
    "latency_timeline",
    "plot_results_dir",
    "load_sweep",
    "sweep_parameters",
]

# Okabe & Ito (2008), distinguishable under the common colour-vision
# deficiencies; yellow last because it is faint on white.
PALETTE: list[str] = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#000000", "#F0E442"]
# Markers as a second cue, so lines stay distinct in greyscale print.
_MARKERS: list[str] = ["o", "s", "^", "D", "v", "P", "X", "*"]

STYLE: dict[str, Any] = {
    # DejaVu Serif ships with matplotlib, so the look is the same everywhere.
    "font.family": "serif",
    "font.serif": ["DejaVu Serif", "Times New Roman", "Times"],
    "mathtext.fontset": "dejavuserif",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "figure.figsize": (4.5, 3.0),
    "figure.dpi": 110,
    "figure.autolayout": True,
    "savefig.dpi": 300,
    "savefig.bbox": "tight",
    "axes.prop_cycle": cycler(color=PALETTE),
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "0.85",
    "grid.linewidth": 0.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "lines.linewidth": 1.5,
    "lines.markersize": 4,
    # TrueType in PDFs: publishers reject Type 3 fonts.
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
}

# Stale rates of Gervais et al. (CCS 2016), their ns-3 simulator with standard
# relay and Bitcoin parameters, as (block interval s, stale rate, label);
# ../../../shared/REFERENCE.md.
GERVAIS_2016_NS3_STALE_RATES: list[tuple[float, float, str]] = [
    (600.0, 0.0151, "Gervais et al. 2016 (ns-3)"),
    (150.0, 0.0182, "Gervais et al. 2016 (ns-3)"),
    (60.0, 0.0215, "Gervais et al. 2016 (ns-3)"),
    (10.0, 0.0477, "Gervais et al. 2016 (ns-3)"),
    (1.0, 0.267, "Gervais et al. 2016 (ns-3)"),
]

# Headline metrics a sweep is plotted against its parameters by default.
KNOWN_METRICS: tuple[str, ...] = (
    "stale_rate",
    "throughput_tps",
    "propagation_s.p50",
    "propagation_s.p90",
    "confirmation_latency_s.p50",
    "consensus.throughput_rps",
    "consensus.latency_s.p50",
)
# Columns of a sweep row that are neither a parameter nor a metric.
_BOOKKEEPING = {"seed", "status", "error", "out_dir", "scenario", "run", "index"}
_FRACTION_METRICS = {"stale_rate"}
# Fractions as percentages with only the digits needed: 0.001 -> "0.1%" on log axes too.
_PERCENT = FuncFormatter(lambda value, _: f"{value * 100:.3g}%")
_LABELS: dict[str, str] = {
    "stale_rate": "stale rate",
    "throughput_tps": "throughput (tx/s)",
    "propagation_s.p50": "median block propagation (s)",
    "propagation_s.p90": "90 % block propagation (s)",
    "propagation_s.p99": "99 % block propagation (s)",
    "confirmation_latency_s.p50": "median confirmation latency (s)",
    "confirmation_latency_s.p90": "90 % confirmation latency (s)",
    "consensus.block_interval_s": "block interval (s)",
    "consensus.block_size_bytes": "block size (bytes)",
    "consensus.relay": "block relay",
    "transactions.rate_per_s": "offered load (tx/s)",
    "nodes.count": "nodes",
    "consensus.throughput_rps": "throughput (requests/s)",
    "consensus.latency_s.p50": "median client latency (s)",
    "consensus.latency_s.p99": "99 % client latency (s)",
    "consensus.protocol": "protocol",
    "committee.request_rate_per_s": "offered load (requests/s)",
    "attack.attacker_share": "attacker's share of the hash power",
    "attack.success_probability": "double-spend success probability",
    "attack.relative_revenue": "pool's relative revenue",
    "network.model": "network model",
}

RunLike = Union[str, os.PathLike, Any]  # a results folder or a cbsim.RunResult
_F = TypeVar("_F", bound=Callable[..., Any])


# --------------------------------------------------------------------- style


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Apply :data:`STYLE` inside a ``with`` block (restored afterwards)."""
    with matplotlib.rc_context(STYLE):
        yield


def use_style() -> None:
    """Apply :data:`STYLE` for the rest of the session (e.g. a notebook's own plots)."""
    matplotlib.rcParams.update(STYLE)


def _styled(function: _F) -> _F:
    """Draw the whole figure inside :func:`style`: fonts and layout are fixed when artists are created."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with style():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def save_figure(fig: Figure, stem: Union[str, os.PathLike]) -> list[Path]:
    """Write ``stem.png`` and ``stem.pdf`` (300 dpi) and return their paths.

    A ``.png`` or ``.pdf`` suffix on ``stem`` is dropped; other dots are kept
    (``stale_vs_consensus.block_interval_s`` is a stem, not a suffix).
    """
    stem = Path(stem)
    if stem.suffix.lower() in (".png", ".pdf"):
        stem = stem.with_suffix("")
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for extension in ("png", "pdf"):
        path = stem.parent / f"{stem.name}.{extension}"
        fig.savefig(path, dpi=STYLE["savefig.dpi"], bbox_inches="tight")
        written.append(path)
    return written


def _finish(fig: Figure, save: Union[str, os.PathLike, None]) -> Figure:
    if save is not None:
        save_figure(fig, save)
    return fig


def _label(name: str) -> str:
    return _LABELS.get(name, name)


# ---------------------------------------------------------- loading results


class _Run:
    """What a figure needs of one run, from a RunResult or a results folder."""

    def __init__(self, source: RunLike) -> None:
        if isinstance(source, (str, os.PathLike)):
            self.out_dir: Path | None = Path(source)
            self.metrics: dict[str, Any] = _read_json(self.out_dir / "metrics.json")
            self.propagation = pd.read_csv(self.out_dir / "propagation.csv")
            blocks_csv = self.out_dir / "blocks.csv"
            self.block_ids = pd.read_csv(blocks_csv, usecols=["block_id"])["block_id"] if blocks_csv.exists() else None
            self.scenario: dict[str, Any] | None = None  # read only when labels need it
        else:  # a cbsim.RunResult, duck-typed so this module does not import the runner
            self.out_dir = Path(source.out_dir) if getattr(source, "out_dir", None) else None
            self.metrics = dict(source.metrics)
            self.propagation = source.propagation
            blocks = getattr(source, "blocks", None)
            self.block_ids = blocks["block_id"] if blocks is not None and "block_id" in blocks else None
            self.scenario = getattr(source, "scenario", None)
        self.name = str(self.metrics.get("scenario") or (self.out_dir.name if self.out_dir else "run"))

    def resolved_scenario(self) -> dict[str, Any]:
        """The flattened resolved scenario, {} when the folder does not have it."""
        if self.scenario is None and self.out_dir is not None and (self.out_dir / "scenario.resolved.json").exists():
            self.scenario = _read_json(self.out_dir / "scenario.resolved.json")
        return _flat_keys(self.scenario or {})


def _read_json(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _flat_keys(tree: dict[str, Any]) -> dict[str, Any]:
    """{"a": {"b": 1}} -> {"a.b": 1}: the dotted names sweeps and --set use."""
    return pd.json_normalize(tree).iloc[0].to_dict() if tree else {}


def _default_labels(runs: Sequence[_Run]) -> list[str]:
    """Scenario names; where they repeat, the scenario fields that tell the runs apart."""
    names = [run.name for run in runs]
    if len(set(names)) == len(names):
        return names
    scenarios = [run.resolved_scenario() for run in runs]
    keys = sorted(set().union(*scenarios) - {"name", "description"})
    differing = [k for k in keys if len({str(s.get(k)) for s in scenarios}) > 1]
    if not differing:
        return [f"{name} ({i + 1})" for i, name in enumerate(names)]
    return [", ".join(f"{k.rsplit('.', 1)[-1]}={s.get(k)}" for k in differing) for s in scenarios]


def _delay_quantiles(run: _Run, quantiles: Sequence[float]) -> pd.DataFrame:
    """Per node fraction, quantiles over the run's blocks of the delay to reach it.

    A block that never reached a fraction (a stale block, or one mined at the
    end of the run) counts as infinitely late rather than being dropped, which
    would make the slow tail look fast; blocks.csv, when present, also brings
    in the blocks that reached no fraction at all.
    """
    delays = run.propagation.pivot_table(index="block_id", columns="fraction", values="delay_s", aggfunc="min")
    if run.block_ids is not None:
        delays = delays.reindex(delays.index.union(pd.Index(run.block_ids)))
    values = delays.to_numpy(dtype=float)
    values[np.isnan(values)] = np.inf
    with np.errstate(invalid="ignore"):  # inf - inf between two unreached blocks
        table = np.quantile(values, quantiles, axis=0)
    table[np.isnan(table)] = np.inf
    result = pd.DataFrame(table.T, index=delays.columns, columns=list(quantiles))
    # Every block starts at its miner at delay 0.
    if 0.0 not in result.index:
        result.loc[0.0] = 0.0
    return result.sort_index()


# ------------------------------------------------------------------- figures


@_styled
def propagation_cdf(
    results: Union[RunLike, Sequence[RunLike]],
    ax: Axes | None = None,
    save: Union[str, os.PathLike, None] = None,
    labels: Sequence[str] | None = None,
    band: tuple[float, float] = (0.1, 0.9),
    logx: bool | None = None,
) -> Figure:
    """Share of nodes holding a block against the time since it was mined.

    One line per run: the median over blocks of the delay to reach each share
    of the nodes, with the ``band`` quantiles (10-90 %) over blocks shaded.

    Args:
        results: a RunResult, a results folder, or a list of them.
        ax: draw into this Axes instead of a new figure.
        save: write ``save.png`` and ``save.pdf``.
        labels: legend labels, one per run; by default the scenario names, or
            the scenario fields that differ when the names repeat.
        band: lower and upper quantile over blocks of the shaded band.
        logx: logarithmic time axis; by default when the runs' median
            propagation differs more than tenfold (e.g. inv against compact relay).
    """
    items = list(results) if isinstance(results, (list, tuple)) else [results]
    runs = [_Run(item) for item in items]
    if labels is None:
        labels = _default_labels(runs)
    if len(labels) != len(runs):
        raise ValueError(f"{len(labels)} labels for {len(runs)} runs")
    fig, ax = _figure_and_axes(ax)
    curves = [_delay_quantiles(run, (0.5, band[0], band[1])) for run in runs]
    if logx is None:
        medians = [float(q.loc[0.5, 0.5]) for q in curves if 0.5 in q.index and np.isfinite(q.loc[0.5, 0.5])]
        logx = len(medians) > 1 and min(medians) > 0 and max(medians) > 10 * min(medians)

    for index, (run, label, q) in enumerate(zip(runs, labels, curves)):
        if logx:  # the miner's point at delay 0 has no place on a log axis
            q = q[q.index > 0]
        colour = PALETTE[index % len(PALETTE)]
        finite = np.isfinite(q[0.5])
        n_blocks = len(run.block_ids) if run.block_ids is not None else run.propagation["block_id"].nunique()
        ax.plot(q[0.5][finite], q.index[finite], color=colour, label=f"{label} ({n_blocks} blocks)")
        # Where more than the upper share of blocks never got there, the band
        # runs to the latest delay observed: "later than anything seen".
        latest = run.propagation["delay_s"].max()
        upper = q[band[1]].where(np.isfinite(q[band[1]]), latest)
        covered = np.isfinite(q[band[0]])
        ax.fill_betweenx(q.index[covered], q[band[0]][covered], upper[covered], color=colour, alpha=0.2, lw=0)

    if logx:
        ax.set_xscale("log")
    else:
        ax.set_xlim(left=0)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(_PERCENT)
    ax.set_xlabel("time since the block was mined (s)")
    ax.set_ylabel("nodes holding the block")
    handles, names = ax.get_legend_handles_labels()
    handles.append(Patch(color="0.6", alpha=0.4, lw=0))
    names.append(f"{band[0]:.0%}\u2013{band[1]:.0%} of blocks")
    ax.legend(handles, names, loc="lower right")
    return _finish(fig, save)


def _figure_and_axes(ax: Axes | None) -> tuple[Figure, Axes]:
    """The given Axes and its figure, or a new figure with one Axes."""
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots()
    return fig, ax


def _ok_rows(sweep_df: pd.DataFrame) -> pd.DataFrame:
    """The successful runs: a failed run has no metrics to average."""
    if "status" in sweep_df.columns:
        return sweep_df[sweep_df["status"] == "ok"]
    return sweep_df


def _summarise(rows: pd.DataFrame, parameter: str, metric: str, ci: float) -> pd.DataFrame:
    """Mean over seeds and its Student-t confidence interval, per parameter value.

    The t distribution because a sweep has a handful of seeds, where the
    normal approximation would understate the uncertainty.
    """
    from scipy import stats  # only the figures with bands need it

    values = pd.to_numeric(rows[metric], errors="coerce")
    grouped = values.groupby(rows[parameter], sort=True)
    summary = pd.DataFrame({"mean": grouped.mean(), "std": grouped.std(ddof=1), "n": grouped.count()})
    summary = summary[summary["n"] > 0]
    t = stats.t.ppf(0.5 + ci / 2, np.maximum(summary["n"] - 1, 1))
    half = t * summary["std"] / np.sqrt(summary["n"])
    summary["low"] = summary["mean"] - half  # NaN with a single seed: no band
    summary["high"] = summary["mean"] + half
    return summary


def _spans_decades(values: Iterable[Any]) -> bool:
    """Positive values whose range covers at least a factor of 20 read better on a log axis."""
    numbers = [float(v) for v in values]
    return bool(numbers) and min(numbers) > 0 and max(numbers) / min(numbers) >= 20


@_styled
def metric_vs_parameter(
    sweep_df: pd.DataFrame,
    parameter: str,
    metric: str,
    hue: str | None = None,
    ci: float = 0.95,
    save: Union[str, os.PathLike, None] = None,
    ax: Axes | None = None,
    logx: bool | None = None,
    logy: bool = False,
) -> Figure:
    """A metric against a swept parameter: mean over seeds with a confidence band.

    Rows whose ``status`` is not ``"ok"`` are ignored. With ``hue``, one line
    per value of that column. A numeric parameter gets lines with shaded
    Student-t bands (none where a point has a single seed), on a log axis
    when its values span decades; a categorical one (e.g. ``consensus.relay``)
    gets points with error bars.

    Args:
        sweep_df: the DataFrame of :func:`cbsim.sweep` (one row per run).
        parameter: the swept column, e.g. ``"consensus.block_interval_s"``.
        metric: the metric column, e.g. ``"stale_rate"`` or ``"propagation_s.p50"``.
        hue: column splitting the rows into one line each.
        ci: confidence level of the band.
        save: write ``save.png`` and ``save.pdf``.
        ax: draw into this Axes instead of a new figure.
        logx: force a log (True) or linear (False) x axis.
        logy: log y axis, for metrics spanning decades (points at zero are
            then not drawn).
    """
    rows = _ok_rows(sweep_df)
    for column in (parameter, metric, hue):
        if column is not None and column not in rows.columns:
            raise KeyError(f"no column {column!r} in the sweep (columns: {', '.join(map(str, rows.columns))})")
    fig, ax = _figure_and_axes(ax)
    groups = list(rows.groupby(hue, sort=True)) if hue else [(None, rows)]
    numeric = pd.api.types.is_numeric_dtype(rows[parameter])
    categories = sorted(rows[parameter].dropna().unique(), key=str)

    for index, (hue_value, group) in enumerate(groups):
        summary = _summarise(group, parameter, metric, ci)
        style_args = dict(color=PALETTE[index % len(PALETTE)], marker=_MARKERS[index % len(_MARKERS)])
        label = f"{_short(hue)} = {_format(hue_value)}" if hue else None
        if numeric:
            ax.plot(summary.index, summary["mean"], label=label, **style_args)
            ax.fill_between(summary.index, summary["low"], summary["high"], color=style_args["color"], alpha=0.2, lw=0)
        else:
            # Dodge the hue groups sideways so their error bars do not overlap.
            offset = (index - (len(groups) - 1) / 2) * 0.12
            x = [categories.index(value) + offset for value in summary.index]
            errors = [summary["mean"] - summary["low"], summary["high"] - summary["mean"]]
            ax.errorbar(x, summary["mean"], yerr=np.nan_to_num(errors), ls="none", capsize=3, label=label, **style_args)

    if numeric:
        if logx if logx is not None else _spans_decades(rows[parameter].dropna()):
            ax.set_xscale("log")
    else:
        ax.set_xticks(range(len(categories)), [_format(c) for c in categories])
        ax.set_xlim(-0.5, len(categories) - 0.5)
    if logy:
        ax.set_yscale("log")
    if metric in _FRACTION_METRICS:
        ax.yaxis.set_major_formatter(_PERCENT)
        if not logy:
            ax.set_ylim(bottom=0)
    ax.set_xlabel(_label(parameter))
    ax.set_ylabel(_label(metric))
    seeds = rows["seed"].nunique() if "seed" in rows.columns else 1
    ax.set_title(f"mean over {seeds} seed{'s' if seeds != 1 else ''}, {ci:.0%} CI", fontsize="small")
    if hue:
        ax.legend()
    return _finish(fig, save)


def _format(value: Any) -> str:
    """600.0 -> "600": sweep values read back from CSV are often floats."""
    return f"{value:g}" if isinstance(value, (float, np.floating)) else str(value)


def _short(path: str) -> str:
    """The last component of a dotted scenario path, for legends."""
    return path.rsplit(".", 1)[-1]


@_styled
def stale_rate_vs(
    sweep_df: pd.DataFrame,
    parameter: str,
    hue: str | None = None,
    save: Union[str, os.PathLike, None] = None,
    reference: Sequence[tuple[float, float, str]] | None = None,
    ax: Axes | None = None,
    logy: bool = False,
) -> Figure:
    """Stale rate against a parameter, with 95 % bands over seeds.

    Args:
        sweep_df: the DataFrame of :func:`cbsim.sweep`.
        parameter: e.g. ``"consensus.block_interval_s"`` (log axis when it spans decades).
        hue: column splitting the rows into one line each (e.g. ``"consensus.relay"``).
        save: write ``save.png`` and ``save.pdf``.
        reference: published points ``(x, stale rate as a fraction, label)``
            drawn as open markers, one legend entry per label; e.g.
            :data:`GERVAIS_2016_NS3_STALE_RATES`.
        ax: draw into this Axes instead of a new figure.
        logy: log y axis, to show rates from 0.1 % to tens of % together
            (runs without a stale block are then not drawn).
    """
    fig = metric_vs_parameter(sweep_df, parameter, "stale_rate", hue=hue, ax=ax, logy=logy)
    ax = ax or fig.axes[0]
    if reference:
        by_label: dict[str, list[tuple[float, float]]] = {}
        for x, y, label in reference:
            by_label.setdefault(label, []).append((x, y))
        for index, (label, points) in enumerate(by_label.items()):
            xs, ys = zip(*points)
            ax.plot(xs, ys, ls="none", marker=_MARKERS[-1 - index], markersize=7, mfc="none", mew=1.2,
                    color="0.2", label=label)
    if hue or reference:
        ax.legend()
    return _finish(fig, save)


@_styled
def throughput_latency_vs_load(
    sweep_df: pd.DataFrame,
    load: str = "transactions.rate_per_s",
    save: Union[str, os.PathLike, None] = None,
    hue: str | None = None,
) -> Figure:
    """Throughput and median confirmation latency against the offered load.

    Two panels with 95 % bands over seeds; the throughput panel also shows
    the offered load itself, which throughput follows until blocks are full.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.0, 3.0))
    metric_vs_parameter(sweep_df, load, "throughput_tps", hue=hue, ax=left)
    loads = np.sort(pd.to_numeric(_ok_rows(sweep_df)[load], errors="coerce").dropna().unique())
    if len(loads):
        left.plot(loads, loads, ls="--", lw=1, color="0.5", label="offered load", zorder=0)
        left.legend()
    metric_vs_parameter(sweep_df, load, "confirmation_latency_s.p50", hue=hue, ax=right)
    return _finish(fig, save)


# ------------------------------------------------------------------ attacks


def _attack_summary(rows: pd.DataFrame, metric: str, ci: float) -> pd.DataFrame:
    """Per attacker share: mean over seeds, its Student-t bounds and, with one seed, the run's ``attack.ci95``."""
    summary = _summarise(rows, "attack.attacker_share", metric, ci)
    if "attack.ci95" in rows.columns:
        summary["ci95"] = pd.to_numeric(rows["attack.ci95"], errors="coerce").groupby(
            rows["attack.attacker_share"], sort=True).mean()
    else:
        summary["ci95"] = np.nan
    return summary


def _draw_attack_points(ax: Axes, summary: pd.DataFrame, colour: str, marker: str, label: str,
                        floor: float | None = None) -> None:
    """Simulated points: a Student-t band over seeds, or the run's own 95 % error bars with one seed."""
    x, y = summary.index.to_numpy(dtype=float), summary["mean"].to_numpy(dtype=float)
    keep = np.isfinite(y) & (y > 0 if floor is not None else True)
    if (summary["n"] > 1).any():
        ax.plot(x[keep], y[keep], ls="none", color=colour, marker=marker, label=label)
        low, high = summary["low"].to_numpy(dtype=float), summary["high"].to_numpy(dtype=float)
        if floor is not None:
            low = np.maximum(low, floor)
        ax.fill_between(x, low, high, color=colour, alpha=0.2, lw=0)
    else:
        half = np.nan_to_num(summary["ci95"].to_numpy(dtype=float))
        lower = np.clip(np.minimum(half, y - floor), 0, None) if floor is not None else half
        ax.errorbar(x[keep], y[keep], yerr=[lower[keep], half[keep]], ls="none", capsize=2,
                    color=colour, marker=marker, label=label)


def _seeds_title(rows: pd.DataFrame, ci: float, single: str) -> str:
    seeds = rows["seed"].nunique() if "seed" in rows.columns else 1
    return f"mean over {seeds} seeds, {ci:.0%} CI" if seeds > 1 else single


@_styled
def double_spend_vs_share(
    sweep_df: pd.DataFrame,
    z_values: Sequence[int] | None = None,
    premined_blocks: int = 1,
    give_up_deficit: int = 20,
    save: Union[str, os.PathLike, None] = None,
    ax: Axes | None = None,
    ci: float = 0.95,
) -> Figure:
    """Double-spend success probability against the attacker's share, one colour per confirmation count.

    Points: ``attack.success_probability``, the mean over seeds with its
    Student-t band, or with a single seed the run's ``attack.ci95`` (Wilson
    half-width over its trials) as error bars. Lines: the exact value of the
    same race, :func:`cbsim.double_spend_success` (pre-mining and give-up
    included). Log y axis; a point with no success is not drawn.

    Args:
        sweep_df: the DataFrame of :func:`cbsim.sweep` over ``attack.attacker_share``
            and ``attack.confirmations`` (a column missing from the sweep is
            taken from its ``attack.*`` metric of the same name).
        z_values: the confirmation counts to draw; by default every one in the sweep.
        premined_blocks, give_up_deficit: the race of the model curves; they
            should be the scenario's ``attack.premined_blocks`` and ``attack.give_up_deficit``.
        save: write ``save.png`` and ``save.pdf``.
        ax: draw into this Axes instead of a new figure.
        ci: confidence level of the band over seeds.
    """
    import cbsim  # the model lives in cbsim._core; only this figure needs it

    rows = _ok_rows(sweep_df)
    for column in ("attack.attacker_share", "attack.confirmations", "attack.success_probability"):
        if column not in rows.columns:
            raise KeyError(f"no column {column!r} in the sweep (columns: {', '.join(map(str, rows.columns))})")
    fig, ax = _figure_and_axes(ax)
    zs = sorted(int(z) for z in rows["attack.confirmations"].dropna().unique()) if z_values is None else list(z_values)
    shares = pd.to_numeric(rows["attack.attacker_share"], errors="coerce").dropna()
    q = np.linspace(shares.min(), shares.max(), 120) if len(shares) else np.array([])
    floor = 1e-4
    for index, z in enumerate(zs):
        colour, marker = PALETTE[index % len(PALETTE)], _MARKERS[index % len(_MARKERS)]
        group = rows[rows["attack.confirmations"] == z]
        if len(group):
            _draw_attack_points(ax, _attack_summary(group, "attack.success_probability", ci), colour, marker,
                                f"z = {z}", floor=floor)
        model = [cbsim.double_spend_success(float(share), int(z), premined_blocks, give_up_deficit) for share in q]
        ax.plot(q, model, color=colour, lw=1, label="_nolegend_")
    ax.plot([], [], color="0.3", lw=1, label="model (exact race)")
    ax.set_yscale("log")
    ax.set_ylim(top=1.3)
    ax.yaxis.set_major_formatter(_PERCENT)
    ax.set_xlabel("attacker's share of the hash power $q$")
    ax.set_ylabel("double-spend success probability")
    ax.set_title(_seeds_title(rows, ci, "one seed, 95 % Wilson interval over the trials"), fontsize="small")
    ax.legend(fontsize="small", loc="lower right")
    return _finish(fig, save)


@_styled
def selfish_revenue_vs_share(
    sweep_df: pd.DataFrame,
    gammas: Sequence[float] | None = None,
    save: Union[str, os.PathLike, None] = None,
    ax: Axes | None = None,
    ci: float = 0.95,
) -> Figure:
    """Selfish pool's relative revenue against its share of the hash power, one colour per gamma.

    Points: ``attack.relative_revenue``, the mean over seeds with its Student-t
    band. Lines: Eyal & Sirer's revenue :func:`cbsim.selfish_mining_revenue`
    for each gamma, and the diagonal, the revenue of honest mining. Runs with
    ``attack.tie_breaking = network`` (no ``attack.gamma``) form one group,
    "network ties", without a model line of their own.

    Args:
        sweep_df: the DataFrame of :func:`cbsim.sweep` over ``attack.attacker_share``
            (and ``attack.gamma``).
        gammas: the gammas of the model curves; by default those in the sweep,
            or 0, 0.5 and 1 when it has none (network ties).
        save: write ``save.png`` and ``save.pdf``.
        ax: draw into this Axes instead of a new figure.
        ci: confidence level of the band over seeds.
    """
    import cbsim  # the model lives in cbsim._core; only this figure needs it

    rows = _ok_rows(sweep_df)
    for column in ("attack.attacker_share", "attack.relative_revenue"):
        if column not in rows.columns:
            raise KeyError(f"no column {column!r} in the sweep (columns: {', '.join(map(str, rows.columns))})")
    fig, ax = _figure_and_axes(ax)
    gamma = pd.to_numeric(rows["attack.gamma"], errors="coerce") if "attack.gamma" in rows.columns \
        else pd.Series(np.nan, index=rows.index)
    if "attack.tie_breaking" in rows.columns:
        gamma = gamma.where(rows["attack.tie_breaking"] != "network")
    data_gammas = sorted(gamma.dropna().unique())
    curve_gammas = sorted(gammas) if gammas is not None else (data_gammas or [0.0, 0.5, 1.0])
    palette_of = {g: i for i, g in enumerate(sorted(set(data_gammas) | set(curve_gammas)))}
    shares = pd.to_numeric(rows["attack.attacker_share"], errors="coerce").dropna()
    alpha = np.linspace(0.0, max(0.5, float(shares.max()) if len(shares) else 0.5), 120)

    for g in curve_gammas:
        colour = PALETTE[palette_of[g] % len(PALETTE)]
        ax.plot(alpha, [cbsim.selfish_mining_revenue(float(a), float(g)) for a in alpha], color=colour, lw=1,
                label="_nolegend_" if g in data_gammas else f"Eyal & Sirer, $\\gamma$ = {g:g}")
    for g in data_gammas:
        index = palette_of[g]
        _draw_attack_points(ax, _attack_summary(rows[gamma == g], "attack.relative_revenue", ci),
                            PALETTE[index % len(PALETTE)], _MARKERS[index % len(_MARKERS)], f"$\\gamma$ = {g:g}")
    network = rows[gamma.isna()]
    if len(network):
        index = len(palette_of)
        _draw_attack_points(ax, _attack_summary(network, "attack.relative_revenue", ci),
                            PALETTE[index % len(PALETTE)], _MARKERS[index % len(_MARKERS)], "network ties")
    if data_gammas:
        ax.plot([], [], color="0.3", lw=1, label="Eyal & Sirer 2014")
    ax.plot(alpha, alpha, ls="--", lw=1, color="0.5", label="honest mining", zorder=0)
    ax.set_xlim(0, alpha[-1])
    ax.set_ylim(0, 1)
    ax.set_xlabel("pool's share of the hash power $\\alpha$")
    ax.set_ylabel("pool's relative revenue")
    ax.set_title(_seeds_title(rows, ci, "one seed"), fontsize="small")
    ax.legend(fontsize="small", loc="upper left")
    return _finish(fig, save)



# ---------------------------------------------------------- committees


@_styled
def committee_scaling(
    sweep_df: pd.DataFrame,
    size: str = "nodes.count",
    hue: str | None = None,
    save: Union[str, os.PathLike, None] = None,
) -> Figure:
    """Throughput and client latency (median and 99 %) of committee runs against the committee size.

    Two panels with 95 % bands over seeds; ``hue`` (e.g. ``"consensus.protocol"``)
    draws one line per protocol.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.0, 3.0))
    metric_vs_parameter(sweep_df, size, "consensus.throughput_rps", hue=hue, ax=left, logx=False)
    metric_vs_parameter(sweep_df, size, "consensus.latency_s.p50", hue=hue, ax=right, logx=False)
    rows = _ok_rows(sweep_df)
    if hue is None and "consensus.latency_s.p99" in rows.columns:
        summary = _summarise(rows, size, "consensus.latency_s.p99", 0.95)
        (tail,) = right.plot(summary.index, summary["mean"], ls="--", color=PALETTE[1])
        right.legend(handles=[right.lines[0], tail], labels=["median", "99 %"])
    # From zero: a committee that keeps up shows a flat line, not magnified noise.
    left.set_ylim(0, left.get_ylim()[1] * 1.15)
    right.set_ylim(0, right.get_ylim()[1] * 1.15)
    return _finish(fig, save)


@_styled
def request_latency_cdf(
    results: Union[RunLike, Sequence[RunLike]],
    ax: Axes | None = None,
    save: Union[str, os.PathLike, None] = None,
    labels: Sequence[str] | None = None,
) -> Figure:
    """Share of a committee run's requests accepted within a latency, one line per run (``requests.csv``)."""
    sources = results if isinstance(results, (list, tuple)) else [results]
    fig, ax = _figure_and_axes(ax)
    names = list(labels) if labels is not None else None
    for index, source in enumerate(sources):
        if isinstance(source, (str, os.PathLike)):
            folder = Path(source)
            table = pd.read_csv(folder / "requests.csv")
            name = _read_json(folder / "metrics.json").get("scenario", folder.name)
        else:
            table, name = source.requests, source.metrics.get("scenario", "run")
        latencies = np.sort(table["latency_s"].dropna().to_numpy())
        # Requests never accepted stay below 1: the curve ends at the accepted share.
        shares = np.arange(1, len(latencies) + 1) / max(len(table), 1)
        ax.step(latencies, shares, where="post", color=PALETTE[index % len(PALETTE)],
                label=names[index] if names else name)
    ax.set_xlabel("client latency (s)")
    ax.set_ylabel("share of requests accepted")
    ax.set_ylim(0, 1.02)
    if len(sources) > 1 or names:
        ax.legend()
    return _finish(fig, save)


def _fault_label(fault: dict[str, Any]) -> str:
    """"crash 0", "partition 0-2 | 3-6", "byzantine 0 (equivocate)"."""
    def nodes(values: Sequence[int]) -> str:
        values = sorted(values)
        contiguous = len(values) > 2 and values == list(range(values[0], values[-1] + 1))
        return f"{values[0]}-{values[-1]}" if contiguous else ",".join(map(str, values))
    text = f"{fault['kind']} {nodes(fault['nodes'])}"
    if fault["kind"] == "partition" and fault.get("peers"):
        text += f" | {nodes(fault['peers'])}"
    if fault["kind"] == "byzantine":
        text += f" ({fault.get('behaviour', 'silent')})"
    return text


@_styled
def latency_timeline(
    result: RunLike,
    ax: Axes | None = None,
    save: Union[str, os.PathLike, None] = None,
) -> Figure:
    """Client latency of each request of a committee run against its submission time, faults shaded.

    One dot per accepted request (``requests.csv``); requests never accepted are
    marked along the top. Each fault of the scenario is a shaded span from its
    ``at_s`` to its ``until_s`` (clipped to the end of the run), so the
    stall around a primary crash and the recovery after a view change show at a glance.
    """
    if isinstance(result, (str, os.PathLike)):
        folder = Path(result)
        table = pd.read_csv(folder / "requests.csv")
        metrics = _read_json(folder / "metrics.json")
        scenario = _read_json(folder / "scenario.resolved.json")
    else:
        table, metrics, scenario = result.requests, result.metrics, result.scenario
    fig, ax = _figure_and_axes(ax)
    accepted = table.dropna(subset=["latency_s"])
    ax.plot(accepted["submitted_s"], accepted["latency_s"], ls="none", marker=".", ms=2, color=PALETTE[0],
            label="accepted request")
    lost = table[table["latency_s"].isna()]
    top = max(accepted["latency_s"].max() if len(accepted) else 1.0, 1e-3) * 1.1
    if len(lost):
        ax.plot(lost["submitted_s"], np.full(len(lost), top), ls="none", marker="|", color=PALETTE[3],
                label=f"never accepted ({len(lost)})")
    end = float(metrics.get("sim_time_s", table["submitted_s"].max()))
    for index, fault in enumerate(scenario.get("faults", [])):
        if fault["at_s"] >= end:
            continue  # the run was over before this fault began
        until = min(fault.get("until_s", 0.0) or end, end)
        ax.axvspan(fault["at_s"], until, color=PALETTE[(index + 1) % len(PALETTE)], alpha=0.15, lw=0,
                   label=_fault_label(fault))
    ax.set_xlabel("submitted at (s)")
    ax.set_ylabel("client latency (s)")
    ax.set_ylim(0, top * 1.05)
    c = metrics.get("consensus", {})
    changes = c.get("view_changes", 0)
    ax.set_title(f"{c.get('protocol', '')}, n = {metrics.get('nodes')}: {changes} view change{'' if changes == 1 else 's'}, "
                 f"longest stall {c.get('stall_s', {}).get('longest', 0):.2f} s", fontsize="small")
    ax.legend(loc="upper right", fontsize="small")
    return _finish(fig, save)


# ------------------------------------------------------- results folders


def plot_results_dir(path: Union[str, os.PathLike]) -> list[Path]:
    """Draw the standard figures of a results folder and return the files written.

    * A run folder (has ``metrics.json``): ``propagation_cdf.png/.pdf`` beside it
      (a committee run: ``request_latency_cdf.png/.pdf``, and with faults
      ``latency_timeline.png/.pdf``).
    * A sweep folder (has ``sweep.csv`` or ``runs.jsonl``): for every swept
      parameter and every headline metric (:data:`KNOWN_METRICS`) present,
      ``figures/<metric>_vs_<parameter>.png/.pdf``; with exactly two swept
      parameters, the other one is the hue.

    Raises:
        FileNotFoundError: the folder is neither a run nor a sweep.
    """
    folder = Path(path)
    written: list[Path] = []
    if (folder / "metrics.json").exists():
        committee = (folder / "requests.csv").exists()
        fig = request_latency_cdf(folder) if committee else propagation_cdf(folder)
        written += save_figure(fig, folder / ("request_latency_cdf" if committee else "propagation_cdf"))
        plt.close(fig)
        if committee and "faults" in _read_json(folder / "metrics.json"):
            fig = latency_timeline(folder)
            written += save_figure(fig, folder / "latency_timeline")
            plt.close(fig)
        return written

    sweep = load_sweep(folder)
    parameters = sweep_parameters(sweep, folder)
    metrics = [m for m in KNOWN_METRICS if m in sweep.columns and _ok_rows(sweep)[m].notna().any()]
    for parameter in parameters:
        others = [p for p in parameters if p != parameter]
        hue = others[0] if len(others) == 1 else None
        for metric in metrics:
            fig = metric_vs_parameter(sweep, parameter, metric, hue=hue)
            written += save_figure(fig, folder / "figures" / _file_name(f"{metric}_vs_{parameter}"))
            plt.close(fig)
    return written


def _file_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text)


def load_sweep(folder: Union[str, os.PathLike]) -> pd.DataFrame:
    """The rows of a sweep folder: ``sweep.csv``, else ``runs.jsonl`` (nested objects flattened)."""
    folder = Path(folder)
    if (folder / "sweep.csv").exists():
        return pd.read_csv(folder / "sweep.csv")
    if (folder / "runs.jsonl").exists():
        with open(folder / "runs.jsonl", encoding="utf-8") as f:
            return pd.json_normalize([json.loads(line) for line in f if line.strip()])
    raise FileNotFoundError(f"{folder}: not a results folder (no metrics.json, sweep.csv or runs.jsonl)")


def sweep_parameters(sweep: pd.DataFrame, folder: Union[str, os.PathLike, None] = None) -> list[str]:
    """The swept scenario paths of a sweep: columns that vary and are not metrics.

    Metric columns are told apart by the first successful run's own files
    when its ``out_dir`` can be found: scenario paths are the keys of its
    ``scenario.resolved.json``, metrics those of its ``metrics.json``.
    Without them, the columns before ``"seed"`` (the order of
    :func:`cbsim.sweep`'s rows) that are not known metrics.
    """
    rows = _ok_rows(sweep)
    candidates = [c for c in sweep.columns if c not in _BOOKKEEPING and c not in KNOWN_METRICS]
    run_dir = _first_run_dir(rows, Path(folder) if folder is not None else None)
    if run_dir is not None and (run_dir / "scenario.resolved.json").exists():
        scenario_paths = set(_flat_keys(_read_json(run_dir / "scenario.resolved.json")))
        candidates = [c for c in candidates if c in scenario_paths]
    elif run_dir is not None and (run_dir / "metrics.json").exists():
        metric_names = set(_flat_keys(_read_json(run_dir / "metrics.json")))
        candidates = [c for c in candidates if c not in metric_names]
    elif "seed" in sweep.columns:
        before_seed = list(sweep.columns[: list(sweep.columns).index("seed")])
        candidates = [c for c in candidates if c in before_seed]
    return [c for c in candidates if rows[c].nunique(dropna=True) > 1]


def _first_run_dir(rows: pd.DataFrame, folder: Path | None) -> Path | None:
    """The out_dir of the first run, as written or relative to the sweep folder."""
    if "out_dir" not in rows.columns:
        return None
    for value in rows["out_dir"].dropna():
        for candidate in (Path(str(value)), (folder or Path()) / str(value)):
            if candidate.is_dir():
                return candidate
    return None
