#!/usr/bin/env python3
"""Executes a notebook of notebooks/ headlessly and saves it, outputs included.

    .venv/bin/python scripts/run-notebook.py attacks            # CI sizes
    CBSIM_NOTEBOOK_SIZE=full .venv/bin/python scripts/run-notebook.py attacks

The executed copy goes to results/notebooks/<name>.ipynb (the committed notebooks stay
without outputs); the kernel is this interpreter, so it sees the same cbsim.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", help="notebook name in notebooks/, without .ipynb")
    parser.add_argument("--timeout", type=int, default=4 * 3600, help="seconds allowed per cell")
    args = parser.parse_args()
    source = REPO / "notebooks" / f"{args.name}.ipynb"
    if not source.is_file():
        print(f"run-notebook: {source}: no such notebook", file=sys.stderr)
        return 2
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # an ipykernel debugger warning
    nb = nbformat.read(source, as_version=4)
    # The "cbsim" kernel that scripts/setup-venv.sh registers in the venv.
    client = NotebookClient(nb, timeout=args.timeout, kernel_name="cbsim",
                            resources={"metadata": {"path": str(source.parent)}})
    client.execute()
    out = REPO / "results" / "notebooks" / source.name
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    print(f"run-notebook: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
