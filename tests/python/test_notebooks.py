"""Every notebook in notebooks/ runs headlessly, without a cell error, and saves figures.

Each notebook is executed by nbclient at its small default parameters, in
notebooks/ (as Jupyter would), with a kernel on this very interpreter: a
kernelspec written to a temporary folder put first on JUPYTER_PATH, so the
kernel sees the same cbsim (PYTHONPATH or the venv) whatever kernels the
machine has registered. Figures land in <repo>/results/figures; the runs go
to a temporary folder, so every test simulates afresh (a sweep would
otherwise resume from the runs of an earlier execution).
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO / "notebooks"
FIGURES_DIR = REPO / "results" / "figures"
KERNEL_NAME = "cbsim-tests"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for the kernel: a kernelspec on sys.executable, figures to FIGURES_DIR."""
    spec_dir = tmp_path_factory.mktemp("jupyter") / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "cbsim tests",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    # The kernel starts in notebooks/, where a relative PYTHONPATH (build/python)
    # would not resolve: give it the folder of the cbsim this interpreter imports.
    cbsim_spec = importlib.util.find_spec("cbsim")
    package_root = str(Path(cbsim_spec.origin).parents[1]) if cbsim_spec and cbsim_spec.origin else None
    return {
        "JUPYTER_PATH": os.pathsep.join(filter(None, [str(spec_dir.parents[1]), os.environ.get("JUPYTER_PATH")])),
        "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
        "CBSIM_FIGURES_DIR": str(FIGURES_DIR),
        "CBSIM_RESULTS_DIR": str(tmp_path_factory.mktemp("notebook-runs")),
        # Inline figures need no display; without it Debian's default TkAgg would want one.
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }


def test_there_are_notebooks() -> None:
    assert {p.name for p in NOTEBOOKS} >= {"quickstart.ipynb", "propagation-and-forks.ipynb", "sweep.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(not cell.outputs and cell.execution_count is None for cell in code)
    # papermill-style: the first code cell holds the parameters.
    assert "parameters" in code[0].metadata.get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_saves_figures(path: Path, kernel_env: dict[str, str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in kernel_env.items():
        monkeypatch.setenv(name, value)  # the kernel process inherits os.environ
    nb = nbformat.read(path, as_version=4)
    started = time.time()
    client = NotebookClient(nb, timeout=600, kernel_name=KERNEL_NAME,
                            resources={"metadata": {"path": str(NOTEBOOKS_DIR)}})
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error

    # Each notebook writes its figures to FIGURES_DIR/<notebook name>/.
    figures = [p for p in (FIGURES_DIR / path.stem).glob("*.png") if p.stat().st_mtime >= started - 1]
    assert figures, f"{path.name} wrote no PNG to {FIGURES_DIR / path.stem}"
    assert all(p.stat().st_size > 5_000 for p in figures)
