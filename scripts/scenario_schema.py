"""The leaf fields of scenarios/schema.json, shared by the scripts that
generate scenario inputs (scripts/mutate-scenarios.py,
tests/fuzz/make_seed_corpus.py). Standard library only."""

import json
import pathlib

SCHEMA = pathlib.Path(__file__).resolve().parents[1] / "scenarios" / "schema.json"


def schema_fields(schema=None, prefix=""):
    """(dotted path, field schema) for every leaf field, in the schema's order."""
    if schema is None:
        schema = json.loads(SCHEMA.read_text())
    for name, sub in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        if sub.get("type") == "object" and "properties" in sub:
            yield from schema_fields(sub, path + ".")
        else:
            yield path, sub
