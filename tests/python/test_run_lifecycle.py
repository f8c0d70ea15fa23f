"""A run's lifecycle under Python (issue 15, items 8 to 11): Ctrl-C, the
interpreter's death, the memory limit and an unusable results folder."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import QUICKSTART

import cbsim

# Minutes of wall time (100,000 blocks), small in memory (no transactions):
# only a stop ends it within a test.
ENDLESS = {"duration.blocks": 100000, "transactions.rate_per_s": 0, "output.per_transaction_csv": False}


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # ended meanwhile
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _wait_for_child(pid: int, timeout_s: float = 30.0) -> int:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        children = _children(pid)
        if children:
            return children[0]
        time.sleep(0.02)
    raise AssertionError(f"process {pid} started no simulation within {timeout_s} s")


def _gone(pid: int, timeout_s: float = 30.0) -> bool:
    """Whether ``pid`` ends within the time (a zombie waiting for its reaper counts as ended)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


def _python(script: str, **popen: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **popen)


def _endless_run(out: Path) -> str:
    return f"cbsim.run({str(QUICKSTART)!r}, {ENDLESS!r}, out={str(out)!r})"


@pytest.mark.parametrize("to_group", [True, False], ids=["ctrl_c_to_the_group", "sigint_to_python_only"])
def test_ctrl_c_raises_keyboard_interrupt_and_reaps_the_child(tmp_path: Path, to_group: bool) -> None:
    script = f"""
import os, cbsim
try:
    {_endless_run(tmp_path / "r")}
except KeyboardInterrupt:
    try:
        os.waitpid(-1, os.WNOHANG)
        print("a child is left")
    except ChildProcessError:
        print("no child left")
    raise
"""
    proc = _python(script, start_new_session=True)
    try:
        child = _wait_for_child(proc.pid)
        time.sleep(1.0)  # simulating by now
        if to_group:  # what a terminal does: the child gets SIGINT as well
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert "no child left" in out, out + err
    assert err.rstrip().endswith("KeyboardInterrupt"), err
    assert "lost sys.stderr" not in err and "Fatal" not in err, err
    assert _gone(child, 0.1)
    partial = json.loads((tmp_path / "r" / "PARTIAL").read_text())
    assert partial["state"] == "stopped" and partial["cause"] == "interruption"
    assert partial["signal"] == ("SIGINT" if to_group else "SIGTERM")
    assert not (tmp_path / "r" / "metrics.json").exists()


def test_a_killed_interpreter_leaves_no_simulation_running(tmp_path: Path) -> None:
    proc = _python(f"import cbsim\n{_endless_run(tmp_path / 'r')}")
    try:
        child = _wait_for_child(proc.pid)
        time.sleep(0.5)
        proc.kill()  # SIGKILL: nothing of the interpreter runs
        proc.wait(timeout=30)
    finally:
        proc.kill()
    assert _gone(child), "the simulation runs on as an orphan"
    partial = json.loads((tmp_path / "r" / "PARTIAL").read_text())
    assert partial["state"] == "stopped" and partial["signal"] == "SIGTERM"
    assert not (tmp_path / "r" / "metrics.json").exists()


def test_the_memory_limit_counts_what_the_run_adds_not_the_interpreter(quickstart: Path, tmp_path: Path) -> None:
    # The forked run shares this process's pages: with 600 MB resident here, a
    # limit on the child's whole resident memory stopped every run at once. The
    # limit is on what the run adds (the stop itself: tests/sim/test_run_control.cpp).
    ballast = b"x" * (600 << 20)
    try:
        r = cbsim.run(quickstart, {"nodes.count": 40, "network.model": "ideal", "duration.blocks": 200,
                                   "transactions.rate_per_s": 0, "limits.max_memory_mb": 300}, out=tmp_path / "r")
    finally:
        del ballast
    assert r.metrics["blocks"]["mined"] >= 200
    assert not (tmp_path / "r" / "PARTIAL").exists()
    assert (tmp_path / "r" / "metrics.json").exists()


def test_an_unusable_results_folder_raises_os_error(quickstart: Path, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(OSError, match="results folder .*a-file/r: Not a directory"):
        cbsim.run(quickstart, ENDLESS, out=tmp_path / "a-file" / "r")
