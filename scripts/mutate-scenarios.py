#!/usr/bin/python3
"""Mutation testing of the scenario loader and the run: cbsim must answer every
scenario file with exit 0 (ran), 2 (bad input, one clear line) or 3 (a
documented invariant break), never with a signal, a hang or exit 1.

Takes the shipped scenarios (scenarios/*.json), writes COUNT mutated copies
(1 to 3 mutations each, reproducible from --seed), runs `cbsim validate` on
each and `cbsim run` on those that validate, with a bounded memory limit and a
capped simulated duration so that runs stay short, and a wall-clock timeout on
both. Prints a summary of the exit statuses; keeps each failing input (and a
note of the command and its stderr) in --keep; exits 1 if any failed.

Mutations: type swaps; huge, tiny, negative and out-of-double-range numbers and
NaN/Infinity literals; long strings; deleted, duplicated and unknown keys
(typos and very long ones); wrong nesting; truncation; random byte flips;
extreme sizes (a field at its schema maximum or minimum, arrays of 100,000
items); and a valid value for a random field (alone in 30 % of the inputs, so
that a good share of them validate and run).

Usage: mutate-scenarios.py [--cbsim build/cbsim] [--count 1000] [--seed 1]
           [--jobs 2] [--keep mutate-failures] [--validate-timeout 60]
           [--run-timeout 120] [--max-memory-mb 1024] [--max-sim-time-s 3600]
Standard library only (Debian's /usr/bin/python3).
"""

import argparse
import collections
import concurrent.futures
import copy
import json
import os
import pathlib
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from scenario_schema import schema_fields

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

# Exit 3 is a run that broke an invariant it must keep; only these reasons are
# documented ones (sim/cli/main.cpp, README "Exit status"). Any other exit 3,
# e.g. a committee "stuck" on a rate validation let through, is a failure.
DOCUMENTED_EXIT_3 = ("safety violated", "memory")
# A last line of defence for the machine if the memory guard fails: the child
# gets no more address space than this (a run over it ends in bad_alloc, which
# is then reported as the exit 1 it causes).
ADDRESS_SPACE_LIMIT = 16 << 30
# Echoed stderr in the summary and notes is cut to this many characters.
ECHO_LIMIT = 300

HUGE_NUMBERS = [1e308, -1e308, 1.7976931348623157e308, 5e-324, -5e-324, 1e-300, -1, 0, -0.5, 0.5,
                2**31, 2**32, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 2**64 + 1, -(2**63) - 1, 10**30, 10**300]
# Not JSON numbers a double can hold (or not JSON at all): replaced in the text.
NUMBER_LITERALS = ["1e400", "-1e400", "NaN", "Infinity", "-Infinity", "-0", "1" + "0" * 400, "0x10",
                   "1" * 100_000, "00012", ".5", "1.", "+1"]
LONG_STRING_SIZES = [256, 1_000, 30_000, 100_000, 300_000]


def all_paths(node, path=()):
    """Every position in the document: (path of keys and indexes) for each value."""
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from all_paths(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from all_paths(value, path + (i,))


def get_at(doc, path):
    for step in path:
        doc = doc[step]
    return doc


def set_at(doc, path, value):
    if not path:
        return value
    get_at(doc, path[:-1])[path[-1]] = value
    return doc


def random_path(rng, doc, want=None):
    paths = [p for p in all_paths(doc) if p and (want is None or want(get_at(doc, p)))]
    return rng.choice(paths) if paths else None


def random_value(rng):
    return rng.choice([None, True, False, 0, -1, 1.5, "", "text", [], {}, [1, 2], {"a": 1}, "0", "true", "null"])


# --- mutations of the parsed document --------------------------------------------

def type_swap(rng, doc, fields):
    path = random_path(rng, doc)
    return doc if path is None else set_at(doc, path, random_value(rng))


def extreme_number(rng, doc, fields):
    path = random_path(rng, doc, lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
    return doc if path is None else set_at(doc, path, rng.choice(HUGE_NUMBERS))


def long_string(rng, doc, fields):
    path = random_path(rng, doc, lambda v: isinstance(v, str)) or ("name",)
    return set_at(doc, path, rng.choice("ab\u00e9(*") * rng.choice(LONG_STRING_SIZES))


def delete_key(rng, doc, fields):
    path = random_path(rng, doc, lambda v: True)
    if path is None:
        return doc
    parent = get_at(doc, path[:-1])
    del parent[path[-1]]
    return doc


def unknown_key(rng, doc, fields):
    sections = [p for p in all_paths(doc) if isinstance(get_at(doc, p), dict)]
    target = get_at(doc, rng.choice(sections))
    if target and rng.random() < 0.5:  # a typo of a key that is there
        key = rng.choice(list(target))
        i = rng.randrange(len(key) + 1)
        name = key[:i] + rng.choice("xe_") + key[i:]
    elif rng.random() < 0.5:
        name = "k" * rng.choice(LONG_STRING_SIZES)
    else:
        name = rng.choice(["", " ", "nodes.count", "\u00fcber", "__proto__", "$ref", "0"])
    target[name] = random_value(rng)
    return doc


def wrong_nesting(rng, doc, fields):
    path = random_path(rng, doc)
    if path is None:
        return doc
    value = get_at(doc, path)
    choice = rng.randrange(3)
    if choice == 0:
        return set_at(doc, path, [value])
    if choice == 1:
        return set_at(doc, path, {"value": value})
    # a whole section moved inside another one
    sections = [k for k, v in doc.items() if isinstance(v, dict)]
    if len(sections) >= 2:
        a, b = rng.sample(sections, 2)
        doc[b][a] = doc.pop(a)
    return doc


def extreme_size(rng, doc, fields):
    if rng.random() < 0.3:
        path = random_path(rng, doc, lambda v: isinstance(v, list)) or ("network", "region_shares")
        item = rng.choice([1, 0.5, 1e308, {"kind": "crash", "nodes": [0], "at_s": 1}])
        return set_at_creating(doc, path, [item] * 100_000)
    bounded = [(p, f) for p, f in fields if "maximum" in f or "minimum" in f]
    path, field = rng.choice(bounded)
    value = field.get("maximum", field.get("minimum")) if rng.random() < 0.8 else field.get("minimum", 0)
    return set_at_creating(doc, tuple(path.split(".")), value)


def in_range_value(rng, doc, fields):
    """A valid value for a random field (an allowed one, or a number within its bounds):
    scenarios that validate and run with unusual combinations."""
    path, field = rng.choice(fields)
    if "enum" in field:
        value = rng.choice(field["enum"])
    elif field.get("type") in ("integer", "number"):
        low = field.get("minimum", field.get("exclusiveMinimum", 0))
        high = field.get("maximum", field.get("exclusiveMaximum", low + 1000))
        high = min(high, low + rng.choice([1, 10, 1000, 10**6]))
        value = rng.randint(int(low), int(high)) if field["type"] == "integer" else rng.uniform(low, high)
    elif field.get("type") == "boolean":
        value = rng.random() < 0.5
    else:
        return doc
    return set_at_creating(doc, tuple(path.split(".")), value)


def set_at_creating(doc, path, value):
    node = doc
    for step in path[:-1]:
        if not isinstance(node.get(step) if isinstance(node, dict) else None, dict):
            node[step] = {}
        node = node[step]
    node[path[-1]] = value
    return doc


# --- mutations of the text ----------------------------------------------------------

def number_literal(rng, text):
    digits = [i for i, c in enumerate(text) if c.isdigit() and (i == 0 or not text[i - 1].isalnum())]
    if not digits:
        return text
    start = rng.choice(digits)
    end = start
    while end < len(text) and (text[end].isdigit() or text[end] in ".eE+-"):
        end += 1
    return text[:start] + rng.choice(NUMBER_LITERALS) + text[end:]


def duplicate_key(rng, text):
    lines = text.split("\n")
    keyed = [i for i, line in enumerate(lines) if '": ' in line and line.rstrip().endswith(",")]
    if not keyed:
        return text
    i = rng.choice(keyed)
    lines.insert(i, lines[i])
    return "\n".join(lines)


def truncate(rng, text):
    return text[: rng.randrange(len(text))] if text else text


def byte_flips(rng, text):
    data = bytearray(text.encode(errors="surrogateescape"))
    for _ in range(rng.randint(1, 8)):
        if data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return data.decode("utf-8", errors="surrogateescape")


DOC_MUTATIONS = [type_swap, extreme_number, long_string, delete_key, unknown_key, wrong_nesting, extreme_size,
                 in_range_value]
TEXT_MUTATIONS = [number_literal, duplicate_key, truncate, byte_flips]
# The share of inputs whose mutations are all in_range_value: most other
# mutations make a file invalid, and runs need inputs that validate.
VALID_SHARE = 0.3


def mutate(rng, doc, fields):
    """1 to 3 mutations; those of the document first, then those of its text."""
    if rng.random() < VALID_SHARE:
        chosen = [in_range_value] * rng.randint(1, 3)
    else:
        chosen = [rng.choice(DOC_MUTATIONS + TEXT_MUTATIONS) for _ in range(rng.randint(1, 3))]
    names = [m.__name__ for m in chosen]
    doc = copy.deepcopy(doc)
    for m in chosen:
        if m in DOC_MUTATIONS:
            doc = m(rng, doc, fields)
    text = json.dumps(doc, indent=2)
    for m in chosen:
        if m in TEXT_MUTATIONS:
            text = m(rng, text)
    return text, names


# --- running cbsim ------------------------------------------------------------------

def limit_child():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))


def run_cbsim(command, timeout):
    """(status, stderr): status is the exit code, "signal NAME" or "timeout"."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True, preexec_fn=limit_child)
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return "timeout", f"no answer within {timeout} s"
    err = err.decode(errors="replace").strip()
    if process.returncode < 0:
        return f"signal {signal.Signals(-process.returncode).name}", err
    return process.returncode, err


def verdict(status, err):
    """None if the answer is allowed, else why not."""
    if status in (0, 2):
        return None
    if status == 3 and any(reason in err for reason in DOCUMENTED_EXIT_3):
        return None
    if status == 3:
        return "exit 3 for a reason that is not a documented invariant"
    return f"{status}" if isinstance(status, str) else f"exit {status}"


def check_one(index, bases, fields, args, work):
    # One generator per input: input i is the same whatever --jobs or --count.
    rng = random.Random(f"{args.seed}-{index}")
    base_name, base = rng.choice(bases)
    text, names = mutate(rng, base, fields)
    scenario = work / f"m{index:04d}.json"
    scenario.write_text(text, errors="surrogateescape")
    caps = ["--set", f"limits.max_memory_mb={args.max_memory_mb}"] if args.max_memory_mb > 0 else []
    outcome = {"index": index, "base": base_name, "mutations": names}
    started = time.monotonic()
    status, err = run_cbsim([args.cbsim, "validate", str(scenario)] + caps, args.validate_timeout)
    outcome.update(stage="validate", status=status, err=err)
    if status == 0:
        out = work / f"out{index:04d}"
        run_caps = caps + ["--set", f"duration.max_sim_time_s={args.max_sim_time_s}"]
        status, err = run_cbsim([args.cbsim, "run", str(scenario), "--quiet", "--no-progress", "--out", str(out)]
                                + run_caps, args.run_timeout)
        shutil.rmtree(out, ignore_errors=True)
        outcome.update(stage="run", status=status, err=err)
    outcome["seconds"] = time.monotonic() - started
    outcome["problem"] = verdict(outcome["status"], outcome["err"])
    if outcome["problem"] is None:
        scenario.unlink()
    return outcome


def keep_failure(outcome, work, keep):
    keep.mkdir(parents=True, exist_ok=True)
    name = f"m{outcome['index']:04d}"
    shutil.move(str(work / f"{name}.json"), keep / f"{name}.json")
    note = (f"base scenario: {outcome['base']}\nmutations: {', '.join(outcome['mutations'])}\n"
            f"stage: cbsim {outcome['stage']}\nstatus: {outcome['status']}\nproblem: {outcome['problem']}\n"
            f"stderr: {outcome['err'][:ECHO_LIMIT]}\n")
    (keep / f"{name}.txt").write_text(note)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cbsim", default=str(ROOT / "build" / "cbsim"))
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=pathlib.Path, default=pathlib.Path("mutate-failures"))
    parser.add_argument("--validate-timeout", type=float, default=60)
    parser.add_argument("--run-timeout", type=float, default=120)
    parser.add_argument("--max-memory-mb", type=int, default=1024,
                        help="limits.max_memory_mb of every call (0: not set)")
    parser.add_argument("--max-sim-time-s", type=float, default=3600)
    args = parser.parse_args()
    if not os.access(args.cbsim, os.X_OK):
        print(f"mutate-scenarios: {args.cbsim} is not an executable (build it first: make build)", file=sys.stderr)
        return 2

    fields = list(schema_fields())
    bases = [(p.stem, json.loads(p.read_text())) for p in sorted(SCENARIOS.glob("*.json")) if p.name != "schema.json"]
    work = pathlib.Path(tempfile.mkdtemp(prefix="cbsim-mutate-"))
    stages = collections.Counter()
    failures = []
    slowest = (0.0, None)
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            # Each input is made in its worker: a thousand texts with arrays of
            # 100,000 items would not fit in memory at once.
            jobs = [pool.submit(check_one, index, bases, fields, args, work) for index in range(args.count)]
            for done, job in enumerate(concurrent.futures.as_completed(jobs), 1):
                outcome = job.result()
                stages[(outcome["stage"], str(outcome["status"]))] += 1
                slowest = max(slowest, (outcome["seconds"], outcome["index"]), key=lambda s: s[0])
                if outcome["problem"]:
                    failures.append(outcome)
                    keep_failure(outcome, work, args.keep)
                    print(f"FAIL m{outcome['index']:04d} ({outcome['base']}: {', '.join(outcome['mutations'])}): "
                          f"cbsim {outcome['stage']}: {outcome['problem']}: {outcome['err'][:ECHO_LIMIT]}",
                          file=sys.stderr)
                if done % 100 == 0:
                    print(f"mutate-scenarios: {done}/{args.count} done, {len(failures)} failed", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\n{args.count} mutated scenarios (seed {args.seed}); final stage and exit status:")
    for (stage, status), n in sorted(stages.items()):
        print(f"  cbsim {stage:8s} {status:>16s}: {n}")
    print(f"slowest: m{slowest[1]:04d}, {slowest[0]:.1f} s" if slowest[1] is not None else "")
    if failures:
        print(f"{len(failures)} failed; inputs and notes in {args.keep}/")
        return 1
    print("no failure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
