#!/usr/bin/python3
"""Writes the fuzzers' seed corpora and dictionaries from what the repository ships.

Usage: make_seed_corpus.py OUT_DIR
Creates OUT_DIR/<target>/ (one file per seed) and OUT_DIR/<target>.dict for the
targets of tests/fuzz/fuzz_targets.cmake:
  scenario_text       the shipped scenarios (scenarios/*.json, sweeps included)
  scenario_overrides  "<scenario stem>" then one "field=value" line per field of
                      scenarios/schema.json, with the shipped value or the default
  evm_code            the code of every account of the state tests, with the
                      transaction's first calldata (the layout of fuzz_evm_code.cpp)
  rlp_trie            the RLP test vectors' encodings, and the trie test vectors
                      as operation lists (the layout of fuzz_rlp_trie.cpp)
  state_test          the state tests of tests/vectors
  uint256             boundary words (0, 1, 2^63, 2^64, 2^255, 2^256-1 ...)
Dictionaries: field names and allowed values from the schema; state-test keys;
EVM instruction sequences (PUSH/CALL set-ups, precompile addresses, loops).
Standard library only (Debian's /usr/bin/python3). Regenerated on each
`make fuzz`, so it follows the field table and the vectors without edits here.
"""

import hashlib
import json
import pathlib
import struct
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from scenario_schema import schema_fields  # noqa: E402
VECTORS = ROOT / "tests" / "vectors" / "ethereum"
# vmPerformance's loops take over 10 s each under ASan and coverage: a seed
# libFuzzer would report as a hang. Their instructions are in the other tests.
STATE_TESTS = sorted(p for p in (VECTORS / "GeneralStateTests").rglob("*.json") if "vmPerformance" not in p.parts)

# fuzz_rlp_trie.cpp reads a piece as a length byte L (length = 40 * L // 255).
TRIE_MAX_PIECE = 40


def write_seed(folder: pathlib.Path, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def write_dict(path: pathlib.Path, tokens) -> None:
    lines = []
    for token in sorted(set(tokens)):
        escaped = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else f"\\x{ord(c):02x}" for c in token)
        lines.append(f'"{escaped}"')
    path.write_text("\n".join(lines) + "\n")


def hex_bytes(text: str) -> bytes:
    text = text[2:] if text.startswith("0x") else text
    return bytes.fromhex(text if len(text) % 2 == 0 else "0" + text)


def scenario_files():
    return sorted(p for p in (ROOT / "scenarios").rglob("*.json") if p.name != "schema.json" and "contracts" not in p.parts)


def scenario_seeds(out: pathlib.Path) -> None:
    fields = list(schema_fields())
    tokens = []
    for path, field in fields:
        tokens += [f'"{part}"' for part in path.split(".")] + [path + "="]
        tokens += [json.dumps(v) for v in field.get("enum", [])]
        for bound in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if bound in field:
                tokens.append(json.dumps(field[bound]))
    tokens += ["1e308", "-1e308", "1e400", "-0", "NaN", "null", "[]", "{}", "true", "false", '""']
    write_dict(out / "scenario_text.dict", tokens)
    write_dict(out / "scenario_overrides.dict", tokens)

    for scenario in scenario_files():
        write_seed(out / "scenario_text", scenario.read_bytes())
        try:
            shipped = json.loads(scenario.read_text())
        except ValueError:
            continue
        if "nodes" not in shipped:  # a sweep file, not a scenario
            continue
        lines = [scenario.stem]
        for path, field in fields:
            value = shipped
            for part in path.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if value is None:
                value = field.get("default")
            if value is not None:
                lines.append(f"{path}={value if isinstance(value, str) else json.dumps(value)}")
        # fuzz_scenario_overrides.cpp applies at most 8 overrides per input.
        for start in range(1, len(lines), 8):
            write_seed(out / "scenario_overrides", "\n".join([lines[0]] + lines[start:start + 8]).encode())


def state_test_seeds(out: pathlib.Path) -> None:
    keys = set()

    def collect_keys(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if not k.startswith("0x") and len(k) < 40:
                    keys.add(f'"{k}"')
                collect_keys(v)
        elif isinstance(node, list):
            for v in node:
                collect_keys(v)

    for path in STATE_TESTS:
        data = path.read_bytes()
        write_seed(out / "state_test", data)
        doc = json.loads(data)
        collect_keys(doc)
        for test in doc.values():
            calldata = hex_bytes((test.get("transaction", {}).get("data") or ["0x"])[0])
            for account in test.get("pre", {}).values():
                code = hex_bytes(account.get("code", "0x"))
                if code:
                    # fork 0 (Cancun), gas 0xffff units, the code's length, code, calldata
                    write_seed(out / "evm_code", bytes([0]) + struct.pack("<HH", 0xFFFF, len(code) & 0xFFFF) + code + calldata)
    write_dict(out / "state_test.dict", list(keys) + ['"0x"', '"0x00"', '"0xffffffffffffffff"', '"Cancun"', '"Shanghai"', '"Prague"'])

    # EVM: sequences the mutator would rarely assemble byte by byte.
    push0x6 = bytes([0x5F] * 6)  # PUSH0 x6: zero arguments for CALL-like instructions
    sequences = [
        bytes([0x5B, 0x60, 0x00, 0x56]),  # JUMPDEST PUSH1 0 JUMP: a loop
        bytes([0x60, 0x01, 0x5A, 0xF1]),  # PUSH1 1 GAS CALL: call precompile 1
        push0x6 + bytes([0x5A, 0xF1]), push0x6 + bytes([0x5A, 0xFA]), push0x6 + bytes([0x5A, 0xF4]),
        bytes([0x5F, 0x5F, 0x5F, 0xF0]), bytes([0x5F, 0x5F, 0x5F, 0x5F, 0xF5]),  # CREATE, CREATE2
        bytes([0x7F]) + b"\xff" * 32,  # PUSH32 2^256-1
        bytes([0x63, 0xFF, 0xFF, 0xFF, 0xFF]),  # PUSH4: large memory offsets
        bytes([0x5F, 0x35]), bytes([0x5F, 0x5F, 0xF3]), bytes([0x5F, 0x5F, 0xFD]),  # CALLDATALOAD, RETURN, REVERT
    ] + [bytes([0x60, precompile, 0x5A, 0xFA]) for precompile in range(1, 11)]
    write_dict(out / "evm_code.dict", [s.decode("latin-1") for s in sequences])


def trie_length_byte(n: int) -> int:
    # The smallest L with 40 * L // 255 == n.
    return -(-n * 255 // TRIE_MAX_PIECE)


def trie_op(key: bytes, value) -> bytes:
    key = key[:TRIE_MAX_PIECE]
    value = b"" if value is None else value[:TRIE_MAX_PIECE]
    put = 1 if value else 0
    return bytes([put, trie_length_byte(len(key))]) + key + bytes([trie_length_byte(len(value))]) + value


def trie_text(text):
    if text is None:
        return None
    return hex_bytes(text) if text.startswith("0x") else text.encode()


def rlp_trie_seeds(out: pathlib.Path) -> None:
    for path in sorted((VECTORS / "RLPTests").glob("*.json")):
        for case in json.loads(path.read_text()).values():
            write_seed(out / "rlp_trie", hex_bytes(case["out"]))
    for path in sorted((VECTORS / "TrieTests").glob("*.json")):
        for case in json.loads(path.read_text()).values():
            entries = case["in"]
            # An object of key: value, a list of [key, value], or (next/prev tests) a list of keys.
            if isinstance(entries, dict):
                pairs = entries.items()
            else:
                pairs = [entry if isinstance(entry, list) else (entry, entry) for entry in entries]
            write_seed(out / "rlp_trie", b"".join(trie_op(trie_text(k), trie_text(v)) for k, v in pairs))
    write_dict(out / "rlp_trie.dict", ["\x80", "\xc0", "\xb8\x38", "\xf8\x38", "\xb9\x01\x00", "\xf9\x01\x00", "\xbf", "\xff"])


def uint256_seeds(out: pathlib.Path) -> None:
    words = [0, 1, 2, 3, 2**63, 2**64 - 1, 2**64, 2**128 - 1, 2**128, 2**192, 2**255 - 1, 2**255, 2**256 - 1]
    for x in words:
        for y in words:
            m = (x ^ y) % 2**256 or 7
            write_seed(out / "uint256", x.to_bytes(32, "big") + y.to_bytes(32, "big") + m.to_bytes(32, "big") + bytes([x % 256]))


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    scenario_seeds(out)
    state_test_seeds(out)
    rlp_trie_seeds(out)
    uint256_seeds(out)
    for folder in sorted(p for p in out.iterdir() if p.is_dir()):
        print(f"seeds: {folder.name}: {sum(1 for _ in folder.iterdir())} inputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
