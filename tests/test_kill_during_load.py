"""kill -9 in the middle of `python cli.py load` (a power cut, the OOM killer, a scheduler timing
out): the database must open afterwards, as the app opens it, with exactly the content it had
before the load, and the next load must work.

A real subprocess loads a generated 130,000-contact export into a database that already holds a
first batch and is killed with SIGKILL: once while DuckDB is writing the batch into the database
file (detected by the file growing), and once half-way through the reading and checking. An
attempt whose load finished before the kill landed is retried on a fresh copy; at least one run
must have been killed mid-load.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from demo.generate import write_demo_csvs
from ingest_helpers import dump
from store import db

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BIG = 130_000  # more than one DuckDB row group (122,880 rows)
FIRST = 2_000


def environment(database: Path) -> dict:
    env = {**os.environ, "DASHBOARD_DB": str(database)}
    env.pop("CHARTERDESK_DEBUG", None)
    return env


def cli(database: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "cli.py"), *args], cwd=PROJECT_ROOT,
                          env=environment(database), capture_output=True, text=True, timeout=600)


def start_load(database: Path, export: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(PROJECT_ROOT / "cli.py"), "load", "contacts", str(export)],
                            cwd=PROJECT_ROOT, env=environment(database), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def snapshot(database: Path) -> dict[str, list[tuple]]:
    """Open the file as the app does (store.db.connect) and read every table in full."""
    con = db.connect(database)
    try:
        return dump(con)
    finally:
        con.close()


def kpis(database: Path) -> dict:
    done = cli(database, "kpis", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def fresh_copy(pristine: Path, target: Path) -> Path:
    for leftover in (target, target.with_name(target.name + ".wal")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(pristine, target)
    return target


def kill_when(process: subprocess.Popen, ready, timeout: float = 300) -> bool:
    """SIGKILL the process as soon as `ready()` holds; False when it finished first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if ready():
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
            return process.returncode == -signal.SIGKILL
        time.sleep(0.02)
    process.kill()
    pytest.fail("the load neither finished nor reached the kill point")


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    big = write_demo_csvs(folder / "big", contacts=BIG, customers=2_000)["contacts"]
    first = write_demo_csvs(folder / "first", contacts=FIRST, customers=2_000)["contacts"]
    return first, big


def test_kill_9_mid_load_leaves_the_database_as_it_was(tmp_path, exports):
    first, big = exports
    pristine = tmp_path / "pristine.duckdb"
    done = cli(pristine, "load", "contacts", str(first))
    assert done.returncode == 0 and f"{FIRST} rows loaded" in done.stdout, done.stderr
    assert not pristine.with_name(pristine.name + ".wal").exists()   # closed cleanly: one file
    before = snapshot(pristine)
    before_kpis = kpis(pristine)
    assert before_kpis["data_quality"]["contacts"] == FIRST
    assert [row[0] for row in before["batches"]] == [1]

    # A complete load on another copy: how long it takes, and the KPIs a good load gives.
    reference = fresh_copy(pristine, tmp_path / "reference.duckdb")
    started = time.monotonic()
    done = cli(reference, "load", "contacts", str(big))
    duration = time.monotonic() - started
    assert done.returncode == 0 and f"batch 2: {BIG} rows loaded" in done.stdout, done.stderr
    after_kpis = kpis(reference)
    # Both exports number their tickets BW-0000001, BW-0000002, ...: the first batch's 2,000 tickets
    # are among the big file's, so a complete load leaves exactly BIG contacts, each with its clocks.
    assert after_kpis["data_quality"]["contacts"] == BIG, "contacts with charter clocks after a complete load"

    work = tmp_path / "work.duckdb"
    initial_size = pristine.stat().st_size
    kill_points = {
        # DuckDB writes a big batch into the database file before COMMIT: kill while it does.
        "while writing the batch": lambda started_at: work.stat().st_size > initial_size,
        # Reading, decoding and checking 130,000 rows, before anything is written.
        "half-way through checking": lambda started_at: time.monotonic() - started_at > duration / 2,
    }
    killed = []
    for attempt in range(6):
        name = list(kill_points)[attempt % 2]
        if name in killed:
            continue
        fresh_copy(pristine, work)
        process = start_load(work, big)
        started_at = time.monotonic()
        if not kill_when(process, lambda: kill_points[name](started_at)):
            # The load won the race: it must have completed properly; try again on a fresh copy.
            assert process.returncode == 0, process.stderr.read()
            continue
        process.stdout.close()
        process.stderr.close()
        # Reopened as the app opens it: exactly the content before the load, and the same KPIs.
        assert snapshot(work) == before, f"content changed after a kill {name}"
        assert kpis(work) == before_kpis, f"KPIs changed after a kill {name}"
        killed.append(name)
        if len(killed) == len(kill_points):
            break
    assert "while writing the batch" in killed, f"never killed while writing the batch (killed: {killed})"

    # The next load on the killed database works and gives what a load without the kill gives.
    done = cli(work, "load", "contacts", str(big))
    assert done.returncode == 0, done.stderr
    assert f"{BIG} rows loaded" in done.stdout and "Traceback" not in done.stderr
    assert kpis(work) == after_kpis
    batches = snapshot(work)["batches"]
    assert [(row[0], row[9]) for row in batches][0] == (1, FIRST)
    assert [(row[0] > 1, row[9]) for row in batches[1:]] == [(True, BIG)]
