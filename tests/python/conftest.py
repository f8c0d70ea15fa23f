"""Shared set-up of the Python tests (run with `.venv/bin/python -m pytest tests/python`).

* ``import cbsim`` works without the venv: ``<repo>/build/python`` (where the
  build assembles the package) is put on ``sys.path`` when cbsim is not
  importable, and on ``PYTHONPATH`` so that child processes (the CLI tests,
  Dask's spawned workers) import the same package.
* Every test runs in its own temporary directory, so default output folders
  (``results/...``) are never written into the repository.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]

if importlib.util.find_spec("cbsim") is None:
    sys.path.insert(0, str(REPO / "build" / "python"))
import cbsim  # noqa: E402  (after the path set-up)

_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(cbsim.__file__)))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))

QUICKSTART = REPO / "scenarios" / "quickstart.json"
# Small enough that a run takes a few milliseconds.
SMALL: dict[str, Any] = {"nodes.count": 40, "duration.blocks": 3}
# Metrics that measure the host, not the simulation.
VOLATILE_METRICS = {"wall_time_s", "peak_rss_mb", "messages_per_wall_s"}


def pytest_configure(config: pytest.Config) -> None:
    # Debian's Dask 2022.12 on Tornado 6.2 warns inside its own event-loop set-up at every cluster start.
    config.addinivalue_line("filterwarnings", "ignore:make_current is deprecated:DeprecationWarning")


@pytest.fixture(autouse=True)
def _in_tmp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def quickstart() -> Path:
    """The shipped quickstart scenario."""
    return QUICKSTART


def simulated(metrics: dict[str, Any]) -> dict[str, Any]:
    """The metrics that a scenario and seed determine."""
    return {k: v for k, v in metrics.items() if k not in VOLATILE_METRICS}
