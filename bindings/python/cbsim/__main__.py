"""Command line: ``python -m cbsim run|sweep|plot``.

::

    python -m cbsim run SCENARIO [--out DIR] [--seed N] [--set PATH=VALUE]...
    python -m cbsim sweep SWEEP.json [--scheduler tcp://HOST:PORT] [--workers N] [--out DIR] [--no-progress]
    python -m cbsim plot RESULTS_DIR

A sweep file is ``{"scenario": PATH, "grid": {PATH: [VALUES]}, "seeds": [N...], "out": DIR}``;
``seeds`` (default ``[1]``) and ``out`` (default ``results/sweeps/<scenario
name>``) are optional, and ``scenario`` and ``out`` are relative to the sweep
file. Exit status: 0 success, 1 a run failed, 2 invalid input (scenario,
sweep file, arguments), 130 interrupted (a sweep resumes when run again).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from . import ScenarioError, run, sweep
from .sweep import SweepError

EXIT_FAILED = 1
EXIT_INVALID = 2
EXIT_INTERRUPTED = 130  # the shell's convention for SIGINT

# What a sweep file may hold: key -> (required, check, expected type for the message).
_SWEEP_KEYS: dict[str, tuple[bool, Callable[[Any], bool], str]] = {
    "scenario": (True, lambda v: isinstance(v, str) and v != "", "a path (string)"),
    "grid": (True, lambda v: isinstance(v, dict) and all(isinstance(x, list) and x for x in v.values()),
             "an object of field path -> non-empty list of values"),
    "seeds": (False, lambda v: isinstance(v, list) and v != []
              and all(isinstance(s, int) and not isinstance(s, bool) for s in v), "a non-empty list of integers"),
    "out": (False, lambda v: isinstance(v, str) and v != "", "a path (string)"),
}


class InvalidInput(Exception):
    """A problem with the command's input, reported as one line with exit status 2."""


def _read_sweep_file(path: Path) -> dict[str, Any]:
    """The checked sweep file, with ``scenario`` and ``out`` made relative to it."""
    try:
        with open(path, encoding="utf-8") as f:
            spec = json.load(f)
    except OSError as e:
        raise InvalidInput(f"{path}: cannot read: {e.strerror}") from None
    except ValueError as e:
        raise InvalidInput(f"{path}: not valid JSON: {e}") from None
    if not isinstance(spec, dict):
        raise InvalidInput(f"{path}: must be a JSON object with keys {', '.join(_SWEEP_KEYS)}")
    for key in spec:
        if key not in _SWEEP_KEYS:
            raise InvalidInput(f"{path}: {key}: unknown key; expected {', '.join(_SWEEP_KEYS)}")
    for key, (required, check, expected) in _SWEEP_KEYS.items():
        if key not in spec:
            if required:
                raise InvalidInput(f"{path}: {key}: missing; expected {expected}")
        elif not check(spec[key]):
            raise InvalidInput(f"{path}: {key}: must be {expected}, got {json.dumps(spec[key])}")
    for key in ("scenario", "out"):
        if key in spec:
            spec[key] = path.parent / spec[key]  # an absolute path stays as it is
    return spec


def _parse_set(items: Sequence[str]) -> list[str]:
    for item in items:
        if "=" not in item:
            raise InvalidInput(f"--set {item}: expected PATH=VALUE")
    return list(items)


def _cmd_run(args: argparse.Namespace) -> int:
    overrides = _parse_set(args.set)
    # Like `cbsim run`: results/<scenario name>/ unless --out says otherwise.
    out = args.out
    if out is None:
        from .runs import resolve

        out = Path("results", resolve(args.scenario, overrides, args.seed)["name"])
    result = run(args.scenario, overrides, seed=args.seed, out=out)
    print(result.summary())
    return 0


def _cmd_sweep(args: argparse.Namespace) -> int:
    spec = _read_sweep_file(Path(args.sweep_file))
    out = args.out if args.out is not None else spec.get("out")
    df = sweep(spec["scenario"], spec["grid"], seeds=spec.get("seeds", [1]), out=out,
               scheduler=args.scheduler, workers=args.workers, progress=not args.no_progress)
    failed = df[df["status"] != "ok"]
    print(f"{len(df) - len(failed)} of {len(df)} runs ok; table: {Path(df.attrs['out'], 'sweep.csv')}")
    for _, row in failed.iterrows():
        print(f"  failed: {row['out_dir']}: {row['error']}", file=sys.stderr)
    return EXIT_FAILED if len(failed) else 0


def _cmd_plot(args: argparse.Namespace) -> int:
    from . import plot

    for path in plot.plot_results_dir(args.results_dir) or []:
        print(path)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cbsim", description="cbsim from Python: runs, sweeps, figures.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("run", help="run one scenario and print its key metrics")
    p.add_argument("scenario", help="scenario file (.json)")
    p.add_argument("--out", help="results folder (default: results/<scenario name>)")
    p.add_argument("--seed", type=int, help="master seed, replacing the scenario's")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                   help="override a field, e.g. --set nodes.count=1000 (repeatable)")
    p.set_defaults(handler=_cmd_run)

    p = commands.add_parser("sweep", help="run a sweep file on Dask")
    p.add_argument("sweep_file", metavar="SWEEP.json",
                   help='{"scenario": PATH, "grid": {PATH: [VALUES]}, "seeds": [N...], "out": DIR}')
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="a running Dask scheduler (default: a local cluster)")
    p.add_argument("--workers", type=int, default=2, help="local cluster size (default: 2)")
    p.add_argument("--out", help="sweep folder (overrides the file's \"out\")")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(handler=_cmd_sweep)

    p = commands.add_parser("plot", help="draw the standard figures of a run or sweep folder")
    p.add_argument("results_dir", metavar="RESULTS_DIR")
    p.set_defaults(handler=_cmd_plot)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return args.handler(args)
    except (ScenarioError, SweepError, InvalidInput, OSError) as e:
        # One line, like `cbsim run`: an invalid scenario names its file and field.
        print(e, file=sys.stderr)
        return EXIT_INVALID
    except RuntimeError as e:  # the engine failed during a run
        print(e, file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        # Finished sweep runs are in runs.jsonl already: the same command resumes.
        print("interrupted" + ("; run the same command again to resume" if args.command == "sweep" else ""),
              file=sys.stderr)
        return EXIT_INTERRUPTED


# The guard matters: Dask's local workers are spawned processes that import this module.
if __name__ == "__main__":
    sys.exit(main())
