"""Backup and restore round trip through the command line: identical KPIs afterwards."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from demo.load import build_demo_database

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, capture_output=True, text=True,
                          env=os.environ.copy(), timeout=300)


def test_backup_restore_round_trip_gives_identical_kpis(tmp_path):
    build_demo_database(os.environ["DASHBOARD_DB"], contacts=3000, customers=400)
    before = cli("kpis", "--json")
    assert before.returncode == 0, before.stderr
    assert json.loads(before.stdout)["data_quality"]["contacts"] == 3000

    folder = tmp_path / "backup"
    assert cli("backup", str(folder)).returncode == 0
    assert (folder / "schema.sql").exists()

    # Lose the data, then restore it.
    os.remove(os.environ["DASHBOARD_DB"])
    lost = cli("kpis", "--json")   # no database: the empty report of spec section 7, and a note that says why
    assert lost.returncode == 0 and "There is no database at" in lost.stderr
    assert json.loads(lost.stdout)["data_quality"]["contacts"] == 0
    restored = cli("restore", str(folder))
    assert restored.returncode == 0, restored.stderr

    after = cli("kpis", "--json")
    assert after.stdout == before.stdout
    batches = json.loads(cli("batches", "--json").stdout)
    assert [b["table_name"] for b in batches] == ["contacts", "prices", "customers"]


def test_backup_refuses_a_non_empty_folder_and_restore_a_non_backup(tmp_path):
    from store import db

    db.connect(os.environ["DASHBOARD_DB"]).close()
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "keep.txt").write_text("do not overwrite")
    refused = cli("backup", str(tmp_path / "old"))
    assert refused.returncode == 1 and "not empty" in refused.stderr
    assert "Traceback" not in refused.stderr
    wrong = cli("restore", str(tmp_path / "old"))
    assert wrong.returncode == 1 and "does not look like a Charter Desk backup" in wrong.stderr
