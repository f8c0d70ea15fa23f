"""cbsim: a discrete-event simulator of blockchain networks, from Python.

Runs::

    import cbsim
    r = cbsim.run("scenarios/quickstart.json", {"nodes.count": 1000}, seed=7)
    r.metrics["propagation_s"]["p50"], r.blocks.head()

Sweeps (Dask; one row per run)::

    df = cbsim.sweep("scenarios/quickstart.json",
                     {"consensus.block_interval_s": [60, 600]}, seeds=[1, 2, 3])

Pure model helpers (closed forms, topologies, region tables) come from the
C++ engine. Figures are in :mod:`cbsim.plot`, imported on first use so that
``import cbsim`` does not load matplotlib; :func:`sweep` loads Dask only when
called.
"""
from __future__ import annotations

import importlib
from types import ModuleType

from . import _core
from ._core import (
    ScenarioError,
    double_spend_success,
    fork_probability,
    generate_topology,
    nakamoto_double_spend,
    region_table,
    region_table_names,
    rosenfeld_double_spend,
    selfish_mining_markov,
    selfish_mining_revenue,
    selfish_mining_threshold,
)
from .runs import RunResult, ScenarioSource, resolve, run
from .sweep import SweepError, sweep

__version__: str = _core.__version__

__all__ = [
    "RunResult",
    "ScenarioError",
    "ScenarioSource",
    "SweepError",
    "__version__",
    "double_spend_success",
    "fork_probability",
    "generate_topology",
    "nakamoto_double_spend",
    "plot",
    "region_table",
    "region_table_names",
    "resolve",
    "rosenfeld_double_spend",
    "run",
    "selfish_mining_markov",
    "selfish_mining_revenue",
    "selfish_mining_threshold",
    "sweep",
]


def __getattr__(name: str) -> ModuleType:
    # `cbsim.plot` without importing matplotlib at `import cbsim` (PEP 562).
    if name == "plot":
        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
