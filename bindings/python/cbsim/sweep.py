"""Parameter sweeps on Dask: :func:`sweep`.

A sweep runs a scenario at every point of a grid of field values, for every
seed, as independent Dask tasks (each :func:`cbsim.run` forks its own child
process, so workers run one simulation at a time and stay small). Results are
journaled as they arrive, so an interrupted sweep resumes where it stopped.

Files in ``out``:

* ``runs.jsonl``: one JSON object per finished run (the row of the table),
  appended and flushed as each run finishes. A rerun of an errored point
  appends a new line; the last line of a point wins.
* ``sweep.csv``: the table :func:`sweep` returns, rewritten at the end.
* ``runs/<point>/``: each run's result files (``out_dir`` column). The folder
  name shows the grid values and seed, and ends in a digest of them and of
  the resolved base scenario: that name is what a resumed sweep matches, so
  a run of an edited scenario or another grid is never taken for this one.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import json
import logging
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence, Union

from .runs import ScenarioLike, ScenarioSource, resolve, run

if TYPE_CHECKING:  # Dask and pandas load on the first sweep, not at `import cbsim`
    import pandas as pd
    from distributed import Client

__all__ = ["SweepError", "sweep"]

JOURNAL = "runs.jsonl"
TABLE = "sweep.csv"
# Columns every row has besides the grid paths and the metrics.
_STATUS_COLUMNS = ("status", "error", "out_dir")

class SweepError(ValueError):
    """The grid, seeds or workers of a sweep are malformed."""


@dataclasses.dataclass(frozen=True)
class _Point:
    """One run of the sweep: grid values (path -> value), a seed, and its folder's name.

    The name identifies the run when resuming: it is readable, and made unique
    by a digest of the exact values, the seed and the base scenario, so a row
    of an earlier sweep with another grid or an edited scenario never stands
    in for this run.
    """

    values: dict[str, Any]
    seed: int
    name: str

    @classmethod
    def of(cls, values: dict[str, Any], seed: int, scenario: Mapping[str, Any]) -> "_Point":
        label = ",".join(f"{path}={value if isinstance(value, str) else json.dumps(value)}"
                         for path, value in values.items())
        label = f"{label},seed={seed}" if label else f"seed={seed}"
        digest = hashlib.sha1(json.dumps([scenario, values, seed], sort_keys=True).encode()).hexdigest()[:10]
        return cls(values, seed, f"{re.sub(r'[^A-Za-z0-9._=,-]+', '_', label)[:100]}-{digest}")


def _plan(scenario: Mapping[str, Any], grid: Mapping[str, Sequence[Any]], seeds: Sequence[int]) -> list[_Point]:
    """The cartesian product of the grid values, times the seeds (seeds vary fastest)."""
    if not isinstance(grid, Mapping):
        raise SweepError(f"grid must be a dict of field path -> list of values, not {type(grid).__name__}")
    if "seed" in grid:
        raise SweepError('grid: sweep seeds with the seeds argument, not a "seed" grid path')
    for path, values in grid.items():
        if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Sequence) or not values:
            raise SweepError(f"grid[{path!r}] must be a non-empty list of values")
        for value in values:
            try:
                json.dumps(value)
            except (TypeError, ValueError) as e:
                raise SweepError(f"grid[{path!r}]: {value!r} is not a JSON value ({e})") from None
    seeds = list(seeds)
    if not seeds or not all(isinstance(s, int) and not isinstance(s, bool) for s in seeds):
        raise SweepError(f"seeds must be a non-empty list of integers, got {seeds!r}")
    paths = list(grid)
    return [_Point.of(dict(zip(paths, combo)), seed, scenario)
            for combo in itertools.product(*(grid[p] for p in paths)) for seed in seeds]


def _run_dir(folder: Path, point: _Point) -> str:
    return str(folder / "runs" / point.name)


def _run_point(source: ScenarioSource, point: _Point, out_dir: str) -> dict[str, Any]:
    """The row of one run; a failure becomes a row with status "error" (runs in a Dask worker)."""
    try:
        result = run(source, point.values, seed=point.seed, out=out_dir)
    except Exception as e:  # noqa: BLE001 - any failure is recorded, the other runs go on
        return _error_row(point, out_dir, e)
    return {**point.values, "seed": point.seed, **result.flat_metrics,
            "status": "ok", "error": "", "out_dir": out_dir}


def _error_row(point: _Point, out_dir: str, error: BaseException) -> dict[str, Any]:
    message = " ".join(str(error).split())  # one line, for the CSV and the journal
    return {**point.values, "seed": point.seed, "status": "error",
            "error": f"{type(error).__name__}: {message}", "out_dir": out_dir}


def _read_journal(path: Path) -> dict[str, dict[str, Any]]:
    """The rows of an earlier (possibly interrupted) sweep by run name, the last line of a run winning."""
    rows: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return rows
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                row = json.loads(line)
            except ValueError:
                continue  # a line cut short when the sweep was killed
            if isinstance(row, dict) and isinstance(row.get("out_dir"), str):
                rows[Path(row["out_dir"]).name] = row
    return rows


@contextlib.contextmanager
def _journal_writer(path: Path) -> Iterator[Any]:
    """Appends to runs.jsonl; starts on a fresh line if a killed sweep left half a line."""
    with open(path, "a+", encoding="utf-8") as f:
        if f.tell() > 0:
            f.seek(f.tell() - 1)
            if f.read(1) != "\n":
                f.write("\n")
        yield f


@contextlib.contextmanager
def _client(scheduler: str | None, workers: int) -> Iterator["Client"]:
    """A Dask client of the cluster at ``scheduler``, or of a local cluster closed on exit."""
    from distributed import Client, LocalCluster

    if scheduler is not None:
        with Client(scheduler) as client:
            yield client
        return
    # silence_logs: the scheduler and workers log every start, stop and heartbeat
    # warning at INFO/WARNING; a sweep reports through its progress bar instead.
    # No dashboard, and the scheduler's HTTP server on a free port: its default
    # 8787 is often taken by another cluster, which prints a warning.
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, silence_logs=logging.ERROR,
                      dashboard_address=None, scheduler_kwargs={"dashboard_address": ":0"}) as cluster, \
            Client(cluster) as client:
        yield client


def _table(rows: list[dict[str, Any]], paths: Sequence[str]) -> "pd.DataFrame":
    """Grid paths, seed, metrics (in order of first appearance), then status, error, out_dir."""
    import pandas as pd

    fixed = [*paths, "seed", *_STATUS_COLUMNS]
    metrics = list(dict.fromkeys(k for row in rows for k in row if k not in fixed))
    return pd.DataFrame(rows, columns=[*paths, "seed", *metrics, *_STATUS_COLUMNS])


def _write_atomically(df: "pd.DataFrame", path: Path) -> None:
    partial = path.with_name(path.name + ".partial")
    df.to_csv(partial, index=False)
    os.replace(partial, path)


def sweep(scenario: ScenarioLike, grid: Mapping[str, Sequence[Any]], seeds: Sequence[int] = (1,),
          out: Union[str, os.PathLike, None] = None, scheduler: str | None = None, workers: int = 2,
          progress: bool = True) -> "pd.DataFrame":
    """Run ``scenario`` at every point of ``grid`` for every seed, on Dask.

    Args:
        scenario: as for :func:`cbsim.run` (path, JSON text or dict).
        grid: field path -> list of values, e.g.
            ``{"consensus.block_interval_s": [60, 600], "nodes.count": [100, 1000]}``;
            the runs are the cartesian product of the lists, times ``seeds``.
        seeds: the master seeds of each grid point.
        out: the sweep's folder (see the module docstring); default
            ``results/sweeps/<scenario name>`` under the current directory.
        scheduler: the address of a running Dask scheduler (``"tcp://HOST:PORT"``);
            its workers must be able to import cbsim and to write to ``out``.
            By default a local cluster of ``workers`` processes (one thread
            each) is started and closed when the sweep ends.
        workers: the size of the local cluster.
        progress: show a progress bar (runs done / total) on stderr.

    Returns:
        One row per run, in grid order: a column per grid path, ``seed``, every
        metric with dotted names (``"blocks.mined"``, ``"propagation_s.p50"``),
        ``status`` (``"ok"`` or ``"error"``), ``error`` (the message, or empty)
        and ``out_dir``. A failed run (an invalid value at one grid point, an
        engine error) is an ``"error"`` row; the other runs are unaffected.
        ``df.attrs["out"]`` is the sweep's folder.

    Resuming: runs already in ``out/runs.jsonl`` with status ``"ok"`` (same
    scenario, grid values and seed) are not run again, so calling ``sweep``
    again after an interruption runs only what is missing and retries the
    errors. Extending a grid or adding seeds runs only the new points.

    Raises:
        cbsim.ScenarioError: the scenario itself is invalid (before anything runs).
        SweepError: ``grid``, ``seeds`` or ``workers`` are malformed.
    """
    from tqdm import tqdm

    if workers < 1:
        raise SweepError(f"workers must be at least 1, got {workers}")
    source = ScenarioSource.of(scenario)
    base = resolve(source)  # also rejects an invalid scenario before starting Dask
    points = _plan(base, grid, seeds)
    name = base["name"]
    folder = Path(os.path.abspath(out if out is not None else Path("results", "sweeps", name)))
    folder.mkdir(parents=True, exist_ok=True)

    rows = _read_journal(folder / JOURNAL)
    todo = [p for p in points if rows.get(p.name, {}).get("status") != "ok"]
    if todo:
        _run_points(source, todo, folder, rows, scheduler, workers,
                    tqdm(total=len(points), initial=len(points) - len(todo), unit="run",
                         desc=f"sweep {name}", disable=not progress))
    df = _table([rows[p.name] for p in points], list(grid))
    _write_atomically(df, folder / TABLE)
    df.attrs["out"] = str(folder)
    return df


def _run_points(source: ScenarioSource, todo: list[_Point], folder: Path, rows: dict[str, dict[str, Any]],
                scheduler: str | None, workers: int, bar: Any) -> None:
    """Runs ``todo`` on Dask, journaling each row and storing it in ``rows`` as it finishes."""
    from distributed import as_completed

    with bar, _client(scheduler, workers) as client, _journal_writer(folder / JOURNAL) as journal:
        futures = {client.submit(_run_point, source, point, _run_dir(folder, point), pure=False): point
                   for point in todo}
        for future in as_completed(futures):
            point = futures[future]
            try:
                row = future.result()
            except Exception as e:  # noqa: BLE001 - the worker died or the task was lost
                row = _error_row(point, _run_dir(folder, point), e)
            journal.write(json.dumps(row) + "\n")
            journal.flush()
            rows[point.name] = row
            bar.update()
