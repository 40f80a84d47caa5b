"""The command line as an administrator runs it: demo, backup and restore never leave the database
half-replaced, Ctrl-C changes nothing, reports never invent an empty database, and every mistake
is a plain message with the documented exit status (README, "Command line").

Each command runs as a separate process on a real DuckDB file, as cron or an administrator runs it.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys

from ingest_helpers import (
    CONTACT_HEADER, PROJECT_ROOT, contact_row, csv_text, dump, load, open_db, run_cli, write_charter,
)


def fingerprint(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seeded(tmp_path, name="ops.duckdb"):
    """A closed database with one batch of three contacts; its path."""
    path = tmp_path / name
    con = open_db(tmp_path, name)
    load(con, "contacts", csv_text(CONTACT_HEADER, *(contact_row(f"OPS-{i}", f"2026-03-0{2 + i} 10:00")
                                                     for i in range(3))), "week.csv")
    con.close()
    return path


def broken_charter(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[schedule\n", encoding="utf-8")
    return {"DASHBOARD_CHARTER": str(path)}


def plain(done: subprocess.CompletedProcess, status: int, words: str) -> None:
    assert done.returncode == status, (done.returncode, done.stdout, done.stderr)
    assert words in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_demo_with_a_broken_charter_keeps_the_existing_database(tmp_path):
    path = seeded(tmp_path)
    before = fingerprint(path)
    plain(run_cli("demo", db_path=path, env=broken_charter(tmp_path)), 1, "not valid TOML")
    assert fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.glob("ops.duckdb*")) == ["ops.duckdb"]   # nothing half-built beside it


def test_ctrl_c_during_demo_leaves_the_old_database_and_says_so(tmp_path):
    path = seeded(tmp_path)
    before = fingerprint(path)
    environment = {**os.environ, "DASHBOARD_DB": str(path), "DASHBOARD_CHARTER": str(write_charter(tmp_path))}
    environment.pop("CHARTERDESK_DEBUG", None)
    demo = subprocess.Popen([sys.executable, "cli.py", "demo"], cwd=PROJECT_ROOT, env=environment, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for line in demo.stdout:   # interrupt it half way: the demo's customers are loaded, its prices are not
        if line.startswith("Loading prices"):
            demo.send_signal(signal.SIGINT)
            break
    rest, errors = demo.communicate(timeout=120)
    assert demo.returncode == 130, (rest, errors)
    assert errors.strip() == "interrupted; nothing was changed"
    assert fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.glob("ops.duckdb*")) == ["ops.duckdb"]


def test_backup_needs_no_charter_and_restore_reports_success_with_a_note(tmp_path):
    path = seeded(tmp_path)
    con = open_db(tmp_path, path.name)
    before = dump(con)
    con.close()
    broken = broken_charter(tmp_path)
    done = run_cli("backup", str(tmp_path / "nightly"), db_path=path, env=broken)
    assert done.returncode == 0, done.stderr
    path.unlink()
    restored = run_cli("restore", str(tmp_path / "nightly"), db_path=path, env=broken)
    assert restored.returncode == 0, restored.stderr   # the restore itself succeeded
    assert "restored from" in restored.stdout
    assert restored.stderr.startswith("note: the figures are recomputed once the charter can be used")
    con = open_db(tmp_path, path.name)
    assert dump(con) == before
    con.close()


def test_restore_replaces_a_damaged_database(tmp_path):
    path = seeded(tmp_path)
    assert run_cli("backup", str(tmp_path / "nightly"), db_path=path).returncode == 0
    con = open_db(tmp_path, path.name)
    before = dump(con)
    con.close()
    damaged = path.read_bytes()[: len(path.read_bytes()) // 3]
    path.write_bytes(damaged)
    plain(run_cli("batches", db_path=path), 1, "restore the last backup")
    assert run_cli("restore", str(tmp_path / "nightly"), db_path=path).returncode == 0
    con = open_db(tmp_path, path.name)
    assert dump(con) == before
    con.close()


def test_reports_without_a_database_answer_empty_say_so_and_create_nothing(tmp_path):
    """Spec section 7: kpis and batches exit 0 and undo says 'unknown batch' (2), also before the
    first load; the note on stderr keeps a mistyped DASHBOARD_DB from passing for a quiet week."""
    missing = tmp_path / "dashbaord.duckdb"
    report = run_cli("kpis", "--json", db_path=missing)
    plain(report, 0, "There is no database at")
    figures = json.loads(report.stdout)
    assert figures["as_of"] is None and figures["data_quality"] == {"contacts": 0, "invalid_durations": 0}
    assert [s["id"] for s in figures["standards"]] == ["ack", "reply", "complaints", "follow_up"]   # write_charter's promises
    assert all(s["met"] == s["missed"] == s["pending"] == 0 and s["compliance"] is None for s in figures["standards"])
    assert figures["standards_weekly"] == [] and figures["responsiveness_weekly"] == []
    assert figures["complaints"]["count"] == 0 and figures["complaints"]["per_1000_contacts"] is None
    assert [band["rows"] for band in figures["pricing_by_tenure"]] == [0] * 5
    listed = run_cli("batches", "--json", db_path=missing)
    plain(listed, 0, "There is no database at")
    assert json.loads(listed.stdout) == []
    plain(run_cli("undo", "1", db_path=missing), 2, "There is no batch 1")
    plain(run_cli("backup", str(tmp_path / "b"), db_path=missing), 1, "There is no database at")
    plain(run_cli("kpis", "--json", db_path=missing, env={"DASHBOARD_MEMORY_LIMIT": "banana"}), 1,
          "DASHBOARD_MEMORY_LIMIT must look like")   # settings are checked as with a database file
    assert not missing.exists() and not (tmp_path / "b").exists()
    assert not (tmp_path / "dashbaord.duckdb.wal").exists()


def test_a_refused_first_load_leaves_no_database_behind(tmp_path):
    """A load into a new DASHBOARD_DB that is refused (no such file, bad rows) leaves no empty database,
    which a later report would read as 'no data' rather than 'no such database'; a good one makes it."""
    target = tmp_path / "new.duckdb"
    plain(run_cli("load", "contacts", str(tmp_path / "nowhere.csv"), db_path=target), 2, "refused: Cannot read")
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_text(CONTACT_HEADER, *(contact_row(f"B-{i}", "not a date") for i in range(3))), encoding="utf-8")
    plain(run_cli("load", "contacts", str(bad), db_path=target), 2, "refused:")
    assert not target.exists() and not (tmp_path / "new.duckdb.wal").exists()
    plain(run_cli("kpis", "--json", db_path=target), 0, "There is no database at")
    assert not target.exists()
    good = tmp_path / "good.csv"
    good.write_text(csv_text(CONTACT_HEADER, contact_row("G-1", "2026-03-02 10:00")), encoding="utf-8")
    assert run_cli("load", "contacts", str(good), db_path=target).returncode == 0
    # and a refused load into the database that now exists leaves it, as before
    before = fingerprint(target)
    plain(run_cli("load", "contacts", str(bad), db_path=target), 2, "refused:")
    assert target.exists() and fingerprint(target) == before


def test_wrong_arguments_and_settings_are_plain_refusals(tmp_path):
    path = seeded(tmp_path)
    before = fingerprint(path)
    plain(run_cli("kpis", "--from", "2026-03-31", "--to", "2026-01-01", db_path=path), 2,
          "--from 2026-03-31 is after --to 2026-01-01")
    plain(run_cli("kpis", "--as-of", "9999-12-31T23:59-01:00", db_path=path), 2,
          "'9999-12-31T23:59-01:00' is not a date and time like 2026-03-31T17:00")
    plain(run_cli("kpis", "--from", "2026-13-01", db_path=path), 2, "'2026-13-01' is not a date like 2026-03-31")
    # a time without an offset is the charter's: midnight on 1 January of year 1 in Tokyo is in year 0 in UTC
    tokyo = tmp_path / "tokyo.toml"
    tokyo.write_text(write_charter(tmp_path).read_text(encoding="utf-8").replace(
        'timezone = "Europe/London"', 'timezone = "Asia/Tokyo"'), encoding="utf-8")
    assert 'timezone = "Asia/Tokyo"' in tokyo.read_text(encoding="utf-8")
    plain(run_cli("kpis", "--as-of", "0001-01-01T00:00", db_path=path, env={"DASHBOARD_CHARTER": str(tokyo)}), 2,
          "--as-of 0001-01-01T00:00:00 in Asia/Tokyo is out of range")
    for setting in ("abc", "0", "-5"):
        plain(run_cli("batches", db_path=path, env={"DASHBOARD_MAX_UPLOAD_MB": setting}), 1,
              f"DASHBOARD_MAX_UPLOAD_MB must be a number of megabytes above 0 (e.g. 200), not '{setting}'")
    plain(run_cli("kpis", db_path=path, env={"DASHBOARD_CHARTER": str(tmp_path)}), 1,
          f"The charter file {tmp_path} cannot be read: Is a directory.")
    assert fingerprint(path) == before


def test_undo_twice_says_it_was_already_undone(tmp_path):
    path = seeded(tmp_path)
    undone = run_cli("undo", "1", db_path=path)
    assert undone.returncode == 0
    assert undone.stdout.startswith("Batch 1 (week.csv) undone: its 3 contacts now show their newest version")
    plain(run_cli("undo", "1", db_path=path), 2, "Batch 1 (week.csv) was already undone; nothing was changed.")
    plain(run_cli("undo", "7", db_path=path), 2, "There is no batch 7")


def test_a_refused_load_lists_every_bad_row_on_stderr(tmp_path):
    """Nothing was saved, so there is no Data page to send the reader to: every bad row is printed."""
    path = seeded(tmp_path)
    rows = [contact_row(f"B-{i}", "not a date" if i % 10 == 0 else "2026-03-04 10:00") for i in range(2000)]
    export = tmp_path / "week11.csv"
    export.write_text(csv_text(CONTACT_HEADER, *rows), encoding="utf-8")
    done = run_cli("load", "contacts", str(export), db_path=path)
    plain(done, 2, "refused: 200 of 2,000 rows (10%) are bad")
    listed = [line for line in done.stderr.splitlines() if line.startswith("rejected row ")]
    assert [line.split(":")[0] for line in listed] == [f"rejected row {i + 2}" for i in range(0, 2000, 10)]
    assert "see the Data page" not in done.stderr


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    path = seeded(tmp_path)
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:   # 2 GB, sparse: nothing is written to disk
        handle.truncate(2 * 1024 ** 3)
    probe = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
             "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
             "print(done.stderr, file=sys.stderr)")
    environment = {**os.environ, "DASHBOARD_DB": str(path), "DASHBOARD_CHARTER": str(write_charter(tmp_path))}
    done = subprocess.run([sys.executable, "-c", probe, sys.executable, "cli.py", "load", "contacts", str(huge)],
                          cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True, timeout=300)
    status, peak_kb = map(int, done.stdout.split())
    assert status == 2 and "The file is 2,048.0 MB, above the 200 MB limit" in done.stderr
    assert peak_kb < 1024 * 1024, f"the refusal read the file into memory: peak {peak_kb / 1024:.0f} MB"


def test_a_stream_is_read_only_up_to_the_limit_and_a_high_limit_costs_nothing(tmp_path):
    path = seeded(tmp_path)
    plain(run_cli("load", "contacts", "/dev/zero", db_path=path, env={"DASHBOARD_MAX_UPLOAD_MB": "1"}), 2,
          "refused: The file is larger than the 1 MB limit.")
    export = tmp_path / "week12.csv"   # an administrator's generous limit must not be allocated up front
    export.write_text(csv_text(CONTACT_HEADER, contact_row("BIG-1", "2026-03-09 10:00")), encoding="utf-8")
    done = run_cli("load", "contacts", str(export), db_path=path, env={"DASHBOARD_MAX_UPLOAD_MB": "500000"})
    assert done.returncode == 0 and "1 rows loaded (1 new" in done.stdout, done.stderr


def test_a_backup_into_a_file_is_a_plain_refusal(tmp_path):
    path = seeded(tmp_path)
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("keep", encoding="utf-8")
    plain(run_cli("backup", str(a_file), db_path=path), 1, f"error: Not a directory: {a_file}")
    assert a_file.read_text(encoding="utf-8") == "keep"
