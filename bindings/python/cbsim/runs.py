"""Single simulation runs: :func:`run`, :func:`resolve` and :class:`RunResult`.

A scenario is given as a path to a ``.json`` file, as JSON text, or as a dict;
overrides use the dotted field paths of ``scenarios/README.md``
(``{"nodes.count": 1000}`` or ``["nodes.count=1000"]``). Every run happens in
a child process forked by ``cbsim._core`` (SimGrid allows one engine per
process), so :func:`run` can be called any number of times from one
interpreter, including from threads and Dask workers.
"""
from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Mapping, Sequence, Union

from . import _core

ScenarioLike = Union[str, os.PathLike, Mapping[str, Any], "ScenarioSource"]
Overrides = Union[Mapping[str, Any], Sequence[str], None]

__all__ = ["RunResult", "ScenarioSource", "flatten", "override_list", "resolve", "run"]


@dataclasses.dataclass(frozen=True)
class ScenarioSource:
    """A scenario as the engine reads it: JSON ``text`` and the ``origin`` naming it.

    ``origin`` is the file path for files (error messages name it, and the
    scenario's default name is its stem) and ``"scenario"`` otherwise.
    Reading a file once into a source lets it be shipped to other processes
    (:func:`cbsim.sweep` does) without them needing the file.
    """

    text: str
    origin: str

    @classmethod
    def of(cls, scenario: ScenarioLike) -> "ScenarioSource":
        """The source of a path (str or ``os.PathLike``), JSON text (starting with ``{``) or dict.

        Raises:
            OSError: the file cannot be read.
            TypeError: ``scenario`` is none of these.
        """
        if isinstance(scenario, ScenarioSource):
            return scenario
        if isinstance(scenario, Mapping):
            return cls(json.dumps(scenario), "scenario")
        if isinstance(scenario, str) and scenario.lstrip().startswith("{"):
            return cls(scenario, "scenario")
        if isinstance(scenario, (str, os.PathLike)):
            path = os.fspath(scenario)
            with open(path, encoding="utf-8") as f:
                return cls(f.read(), path)
        raise TypeError(f"scenario must be a path, JSON text or a dict, not {type(scenario).__name__}")


def override_list(overrides: Overrides = None, seed: int | None = None) -> list[str]:
    """The engine's ``"path=value"`` overrides.

    A mapping's values are JSON-encoded (``{"network.model": "ideal"}`` gives
    ``network.model="ideal"``); a sequence of strings is passed as it is.
    ``seed`` appends ``seed=N``.
    """
    if overrides is None:
        items: list[str] = []
    elif isinstance(overrides, Mapping):
        items = [f"{path}={json.dumps(value)}" for path, value in overrides.items()]
    elif isinstance(overrides, str):
        # A lone string is almost certainly one override, not a sequence of characters.
        items = [overrides]
    else:
        items = [str(item) for item in overrides]
    if seed is not None:
        items.append(f"seed={json.dumps(seed)}")
    return items


def flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``: the dotted names of metrics and scenario fields."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def resolve(scenario: ScenarioLike, overrides: Overrides = None, seed: int | None = None) -> dict[str, Any]:
    """The scenario with every default filled in (what a run would use), as a dict.

    Raises:
        cbsim.ScenarioError: a field is unknown or invalid (its ``path`` names it).
    """
    source = ScenarioSource.of(scenario)
    return json.loads(_core.resolve(source.text, source.origin, override_list(overrides, seed)))


class _CsvTable:
    """A result table read into a DataFrame on first access, then cached on the instance.

    ``switch`` names the ``output`` field that disables the table (None: always
    written). A disabled or missing table is an empty DataFrame.
    """

    # Hashes are hex text; without this a rare all-digit hash would be read as a number.
    TEXT_COLUMNS = {"hash": str, "txid": str}

    def __init__(self, file_name: str, switch: str | None, doc: str) -> None:
        self.file_name, self.switch, self.__doc__ = file_name, switch, doc

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, result: "RunResult | None", owner: type) -> Any:
        if result is None:
            return self
        import pandas as pd  # on first use of a table, so that `import cbsim` stays fast

        # Consult the switch rather than the file's presence: a reused out_dir may
        # still hold the table of an earlier run.
        enabled = self.switch is None or result.scenario.get("output", {}).get(self.switch, True)
        path = result.out_dir / self.file_name
        table = pd.read_csv(path, dtype=self.TEXT_COLUMNS) if enabled and path.exists() else pd.DataFrame()
        result.__dict__[self.name] = table  # later reads find it before this (non-data) descriptor
        return table


@dataclasses.dataclass
class RunResult:
    """The results of one run.

    Attributes:
        metrics: ``metrics.json`` as a dict (``metrics["propagation_s"]["p50"]``).
        out_dir: the folder holding the result files.
        scenario: the resolved scenario (``scenario.resolved.json``): running it
            again reproduces the run.

    The tables ``blocks``, ``transactions``, ``propagation`` and ``nodes`` are
    pandas DataFrames read from their CSV file on first access; a table the
    scenario's ``output`` section disabled is an empty DataFrame.
    """

    metrics: dict[str, Any]
    out_dir: Path
    scenario: dict[str, Any]

    @classmethod
    def load(cls, out_dir: Union[str, os.PathLike]) -> "RunResult":
        """The results of a finished run from its folder (as written by ``run`` or ``cbsim run``).

        Raises:
            RuntimeError: the folder holds partial results (``PARTIAL``, no
                ``metrics.json``): a run stopped early, in progress, or killed.
        """
        folder = Path(os.path.abspath(out_dir))
        if not (folder / "metrics.json").exists() and (folder / "PARTIAL").exists():
            note = _read_json(folder / "PARTIAL")
            why = note.get("reason", f"a run in progress, or killed (process {note.get('pid')})")
            raise RuntimeError(f"{folder} holds partial results: {why}")
        return cls(metrics=_read_json(folder / "metrics.json"), out_dir=folder,
                   scenario=_read_json(folder / "scenario.resolved.json"))

    @property
    def flat_metrics(self) -> dict[str, Any]:
        """The metrics with dotted names (``"propagation_s.p50"``), as in sweep tables."""
        return flatten(self.metrics)

    blocks = _CsvTable("blocks.csv", "per_block_csv", "One row per block mined (``blocks.csv``).")
    transactions = _CsvTable("transactions.csv", "per_transaction_csv",
                             "One row per transaction created (``transactions.csv``).")
    propagation = _CsvTable("propagation.csv", "per_block_csv",
                            "Delay until each fraction of nodes held each block (``propagation.csv``).")
    nodes = _CsvTable("nodes.csv", None, "One row per node (``nodes.csv``).")
    requests = _CsvTable("requests.csv", None,
                         "Committee runs: one row per client request, with its latency (``requests.csv``).")
    allocations = _CsvTable("allocations.csv", None,
                            "Allocation runs: one row per VM request, with each mechanism's host "
                            "(-1: not served) (``allocations.csv``).")
    allocation_calls = _CsvTable("allocation_calls.csv", None,
                                 "Nakamoto runs with contract mechanisms: the main chain's allocation calls "
                                 "in order, with their block and confirmation (``allocation_calls.csv``).")

    @property
    def allocation_mechanisms(self) -> Any:
        """Allocation runs: one row per mechanism (efficiency, acceptance, latency_s_p50, late, ...).

        Nested metrics get dotted columns (``sustainable.requests_per_hour``); an
        empty DataFrame for a run without an allocation experiment.
        """
        import pandas as pd

        mechanisms = self.metrics.get("allocation", {}).get("mechanisms", {})
        return pd.DataFrame.from_dict({name: flatten(m) for name, m in mechanisms.items()}, orient="index")

    def summary(self) -> str:
        """The headline numbers as a small text table (what ``python -m cbsim run`` prints)."""
        m = self.metrics
        lines = self._committee_lines() if "protocol" in m.get("consensus", {}) else self._chain_lines()
        if "faults" in m:
            lost = ", ".join(f"{n} {cause}" for cause, n in m["faults"]["messages_lost"].items() if n)
            lines.insert(1, ("faults", f"{m['faults']['count']} (messages lost: {lost or 'none'})"))
        if "contracts" in m:
            c = m["contracts"]
            lines.insert(len(lines) - 1, ("contract calls (main chain)",
                                          f"{c['calls']} of {c['submitted']} (failed {c['failed']}), "
                                          f"{c['gas_per_s']:.0f} gas/s"))
        if "allocation" in m:
            a = m["allocation"]
            ref = a["reference"]
            lines.append(("allocation reference", f"{ref.get('bound', ref['kind'])} (welfare {ref['welfare']:.3f}), "
                                                  f"{a['requests']} requests on {a['hosts']} hosts"))
            for name, mech in a["mechanisms"].items():
                if "efficiency" in mech:
                    lines.append((f"  {name}", f"efficiency {mech['efficiency']:.3f}, "
                                               f"accepted {100 * mech['acceptance']:.1f} %, "
                                               f"latency p50 {_number(mech['latency_s_p50'], ' s')}"))
        lines += [
            ("wall time / peak memory", f"{_number(m['wall_time_s'], ' s')} / {_number(m['peak_rss_mb'], ' MB', 0)}"),
            ("results", str(self.out_dir)),
        ]
        return "\n".join(f"  {label:<32}{value}" for label, value in lines)

    def _committee_lines(self) -> list[tuple[str, str]]:
        m = self.metrics
        c = m["consensus"]
        protocol = c["protocol"]
        unit = "batch" if "messages_per_batch" in m[protocol] else "block"
        per_unit = m[protocol][f"messages_per_{unit}"]
        lines = [
            ("scenario", f"{m['scenario']} (seed {m['seed']})"),
            ("protocol", protocol),
            ("replicas / clients", f"{m['nodes']} / {m['clients']} (f = {c['f']})"),
            ("committed requests", f"{c['committed_requests']} of {c['submitted_requests']} "
                                   f"in {c['committed_' + ('batches' if unit == 'batch' else 'blocks')]} "
                                   f"{'batches' if unit == 'batch' else 'blocks'}"),
            ("throughput", _number(c["throughput_rps"], " requests/s", digits=1)),
            ("latency p50 / p99", " / ".join(_number(c["latency_s"][q], " s") for q in ("p50", "p99"))),
            ("longest stall", _number(c["stall_s"]["longest"], " s")),
            ("view changes", str(c["view_changes"])),
            ("safety violations", str(m["safety"]["violations"])),
            (f"messages per {unit}", ", ".join(f"{k.replace('_', '-')} {v:.1f}" for k, v in per_unit.items())),
            ("messages", f"{m['messages']} ({m['bytes'] / 1e6:.1f} MB)"),
            ("simulated time", _number(m["sim_time_s"], " s")),
        ]
        return lines

    def _chain_lines(self) -> list[tuple[str, str]]:
        m = self.metrics
        blocks, prop, conf = m["blocks"], m["propagation_s"], m["confirmation_latency_s"]
        return [
            ("scenario", f"{m['scenario']} (seed {m['seed']})"),
            ("nodes / edges", f"{m['nodes']} / {m['edges']}"),
            ("blocks mined", f"{blocks['mined']} (main chain {blocks['main_chain']}, stale {blocks['stale']})"),
            ("stale rate", _number(m["stale_rate"], " %", scale=100, digits=2)),
            ("propagation p50 / p90 / p99", " / ".join(_number(prop[q], " s") for q in ("p50", "p90", "p99"))),
            ("throughput", _number(m["throughput_tps"], " tx/s", digits=2)),
            ("confirmation latency p50 / p90", " / ".join(_number(conf[q], " s") for q in ("p50", "p90"))),
            ("messages", f"{m['messages']} ({m['bytes'] / 1e6:.1f} MB)"),
            ("simulated time", _number(m["sim_time_s"], " s")),
        ]

    def __repr__(self) -> str:
        # The default repr would print every metric and the whole scenario.
        return f"RunResult(scenario={self.metrics.get('scenario')!r}, seed={self.metrics.get('seed')}, " \
               f"out_dir={str(self.out_dir)!r})"


def _number(value: float | None, unit: str, digits: int = 3, scale: float = 1.0) -> str:
    # Metrics are null when undefined (no transaction confirmed in a short run).
    return "n/a" if value is None else f"{value * scale:.{digits}f}{unit}"


def _read_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def run(scenario: ScenarioLike, overrides: Overrides = None, seed: int | None = None,
        out: Union[str, os.PathLike, None] = None) -> RunResult:
    """Run one simulation and return its results.

    Args:
        scenario: a path to a ``.json`` scenario file (str or ``pathlib.Path``),
            JSON text (starting with ``{``), a dict, or a :class:`ScenarioSource`.
        overrides: field values replacing the scenario's, as a dict of dotted
            paths (``{"nodes.count": 1000, "network.model": "latency"}``; values
            are JSON-encoded) or a list of ``"path=value"`` strings.
        seed: the master seed, replacing the scenario's.
        out: the folder for the result files (created if needed). By default a
            new temporary folder (``tempfile.mkdtemp(prefix="cbsim-")``), so
            runs from notebooks or parallel workers never overwrite each other;
            it is not deleted afterwards (``result.out_dir`` names it).

    Raises:
        cbsim.ScenarioError: a field is unknown or invalid; raised before
            anything runs, its ``str()`` names the field's JSON path.
        RuntimeError: the simulation failed (the engine's message), or was
            stopped early by the memory limit (``limits.max_memory_mb``) or a
            signal; its partial results are in ``out`` (``PARTIAL`` says why).
        OSError: the scenario file cannot be read, or the results folder
            cannot be written (checked before anything runs).
        KeyboardInterrupt: Ctrl-C; the simulation process is stopped (its
            results marked partial) and reaped first.
    """
    source = ScenarioSource.of(scenario)
    items = override_list(overrides, seed)
    if out is not None:
        # Absolute, so the result stays valid if the caller changes directory later.
        out_dir = Path(os.path.abspath(out))
        metrics = _core.run_isolated(source.text, source.origin, items, os.fspath(out_dir))
    else:
        out_dir = Path(tempfile.mkdtemp(prefix="cbsim-"))
        try:
            metrics = _core.run_isolated(source.text, source.origin, items, os.fspath(out_dir))
        except Exception:
            # A rejected scenario writes nothing: do not leave an empty folder per failed call.
            _remove_if_empty(out_dir)
            raise
    return RunResult(metrics=metrics, out_dir=out_dir, scenario=_read_json(out_dir / "scenario.resolved.json"))


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty: keep what the failed run wrote, for diagnosis
