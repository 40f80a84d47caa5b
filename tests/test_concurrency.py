"""Uploads while people read the dashboard, as on the server: one DuckDB connection per process
(store.db.connect, cached by components/context.py) and a cursor per thread. Readers must only ever
see whole batches; concurrent uploads are serialised, none is lost or corrupted, and the same file
sent twice at once is loaded once. Across processes, the command line leaves a database that the
running dashboard holds alone.
"""
from __future__ import annotations

import itertools
import threading
import time

from ingest_helpers import (CONTACT_HEADER, charter, contact_row, csv_text, database_held_open, dump, load, open_db,
                            rows, run_cli)
from queries import Filters, run
from queries.kpis import kpi_report
from store import db
from store.ingest import commit_upload, prepare_upload

SEED = 50
WRITER_A = [101, 101, 101]     # three batches of 101 contacts, one after the other
WRITER_B = [1000, 1000]        # two batches of 1,000 contacts
READERS = 4


def batch_csv(prefix: str, size: int) -> str:
    """`size` new tickets; the day and hour vary so the charter clocks have real work to do."""
    return csv_text(CONTACT_HEADER, *[
        contact_row(f"{prefix}-{i:04d}", f"2026-03-{2 + i % 20:02d} {8 + i % 10:02d}:15",
                    first_response_at=f"2026-03-{3 + i % 20:02d} 10:00", agent=f"Agent {i % 7}",
                    kind="complaint" if i % 9 == 0 else "enquiry", resolved_at="" if i % 4 else
                    f"2026-03-{4 + i % 20:02d} 12:00")
        for i in range(size)])


def possible_counts() -> dict[int, int]:
    """Every contact count made of whole batches (the seed, a prefix of A's batches and a prefix of
    B's) -> how many batches that takes."""
    counts = {}
    for a, b in itertools.product(range(len(WRITER_A) + 1), range(len(WRITER_B) + 1)):
        counts[SEED + sum(WRITER_A[:a]) + sum(WRITER_B[:b])] = 1 + a + b
    return counts


def test_readers_only_ever_see_whole_batches_while_two_writers_load(tmp_path):
    con = open_db(tmp_path, "busy.duckdb")
    load(con, "contacts", batch_csv("SEED", SEED), "seed.csv")
    valid = possible_counts()
    assert len(valid) == 12 and SEED in valid and SEED + 303 + 2000 in valid
    files = {"A": [batch_csv(f"A{n}", size) for n, size in enumerate(WRITER_A)],
             "B": [batch_csv(f"B{n}", size) for n, size in enumerate(WRITER_B)]}

    stop = threading.Event()
    start_writers = threading.Barrier(2 + 1)
    errors: list[str] = []
    seen: list[set[int]] = [set() for _ in range(READERS)]
    reads = [0] * READERS
    results: dict[str, list] = {"A": [], "B": []}

    def reader(number: int) -> None:
        cursor = con.cursor()        # a cursor of its own, as each Streamlit session thread has
        try:
            while True:
                last_round = stop.is_set()   # once the writers are done: one more read, then stop
                # One statement, one snapshot: the current rows, their versions, their clocks and the
                # batches table must agree with each other and with a whole number of batches.
                contacts, versions, clocks, facts_tickets, loaded, batches = cursor.execute(
                    """SELECT (SELECT count(*) FROM contacts),
                              (SELECT count(*) FROM contact_versions),
                              (SELECT count(*) FROM contact_clocks),
                              (SELECT count(DISTINCT ticket_id) FROM contact_facts),
                              (SELECT coalesce(sum(rows_loaded), 0) FROM batches WHERE status = 'loaded'),
                              (SELECT count(*) FROM batches)""").fetchall()[0]
                assert contacts in valid, f"reader saw {contacts} contacts: part of a batch"
                assert versions == contacts and clocks == contacts and loaded == contacts, \
                    (contacts, versions, clocks, loaded)
                assert facts_tickets == contacts, (facts_tickets, contacts)
                assert batches == valid[contacts], (batches, contacts)
                seen[number].add(contacts)
                # The queries the pages run (each on a short-lived cursor of the shared connection).
                if reads[number] % 3 == 0:
                    quality = run(con, "data_quality", Filters())
                    assert int(quality["contacts"].iloc[0]) in valid
                if reads[number] % 10 == 5:
                    report = kpi_report(con, charter(), Filters())
                    assert report["data_quality"]["contacts"] in valid
                reads[number] += 1
                if last_round:
                    break
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(f"reader {number}: {type(error).__name__}: {error}")
            stop.set()
        finally:
            cursor.close()

    def writer(name: str) -> None:
        try:
            start_writers.wait(timeout=60)
            for number, data in enumerate(files[name]):
                results[name].append(load(con, "contacts", data, f"{name}{number}.csv"))
        except BaseException as error:  # noqa: BLE001
            errors.append(f"writer {name}: {type(error).__name__}: {error}")
            stop.set()

    readers = [threading.Thread(target=reader, args=(n,), daemon=True) for n in range(READERS)]
    writers = [threading.Thread(target=writer, args=(name,), daemon=True) for name in ("A", "B")]
    for thread in readers + writers:
        thread.start()
    deadline = time.monotonic() + 60
    while min(reads) == 0 and time.monotonic() < deadline and not errors:   # everyone has read the seed
        time.sleep(0.01)
    start_writers.wait(timeout=60)
    for thread in writers:
        thread.join(timeout=300)
    stop.set()
    for thread in readers:
        thread.join(timeout=300)
    assert not errors, errors
    assert not any(t.is_alive() for t in readers + writers)

    # Readers saw the seed before and everything after, and only whole batches in between.
    everything = SEED + sum(WRITER_A) + sum(WRITER_B)
    for observed in seen:
        assert SEED in observed and everything in observed and observed <= set(valid)
    # Both writers' batches are all there, serialised, each with its own batch id and rows.
    assert [r.rows_loaded for r in results["A"]] == WRITER_A and [r.rows_loaded for r in results["B"]] == WRITER_B
    assert all(r.rows_new == r.rows_loaded and r.rows_rejected == 0 for r in results["A"] + results["B"])
    ids = [r.batch_id for r in results["A"] + results["B"]]
    assert len(set(ids)) == 5 and [r.batch_id for r in results["A"]] == sorted(r.batch_id for r in results["A"])
    assert rows(con, "SELECT batch_id, rows_loaded FROM batches WHERE batch_id <> 1 ORDER BY batch_id") == sorted(
        (r.batch_id, r.rows_loaded) for r in results["A"] + results["B"])
    assert rows(con, "SELECT count(*), count(DISTINCT ticket_id) FROM contacts") == [(everything, everything)]
    for result in results["A"] + results["B"]:
        assert rows(con, "SELECT count(*) FROM contacts WHERE batch_id = ?", [result.batch_id]) == [(result.rows_loaded,)]
    assert rows(con, "SELECT count(*) FROM contact_clocks") == [(everything,)]
    assert rows(con, "SELECT count(*) FROM audit_log WHERE action = 'upload'") == [(6,)]
    assert db.data_version(con) == 6
    # The file still opens afterwards with the same content.
    con.close()
    con = open_db(tmp_path, "busy.duckdb")
    assert rows(con, "SELECT count(*) FROM contacts") == [(everything,)]
    con.close()


def test_the_same_file_sent_twice_at_once_loads_once(tmp_path):
    """Two managers (or a double click) commit the same file together: one batch, one 'already loaded'."""
    con = open_db(tmp_path, "twice.duckdb")
    load(con, "contacts", batch_csv("SEED", 3), "seed.csv")
    data = batch_csv("SAME", 40).encode()
    first = prepare_upload(con, "contacts", data, "week12.csv")
    second = prepare_upload(con, "contacts", data, "week12 (1).csv")
    outcomes, errors = [], []

    def commit(prepared) -> None:
        try:
            outcomes.append(commit_upload(con, prepared, "tester", charter()))
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=commit, args=(p,)) for p in (first, second)]
    # Hold the writers' queue while both commits start, so both are waiting at the same moment.
    with db._writer_lock:
        for thread in threads:
            thread.start()
        time.sleep(1.0)
    for thread in threads:
        thread.join(timeout=120)
    first.close()
    second.close()
    assert not errors, errors
    assert sorted(o.already_loaded for o in outcomes) == [False, True]
    loaded = next(o for o in outcomes if not o.already_loaded)
    again = next(o for o in outcomes if o.already_loaded)
    assert again.batch_id == loaded.batch_id and loaded.rows_loaded == 40
    assert rows(con, "SELECT count(*) FROM batches") == [(2,)]
    assert rows(con, "SELECT count(*) FROM contacts") == [(43,)]
    con.close()


def test_while_the_dashboard_holds_the_file_the_command_line_changes_nothing(tmp_path):
    """Another process (the running server) has the database open: backup, load and restore stop
    with a plain message and exit status 1; restore does not swap the file underneath the server."""
    path = tmp_path / "held.duckdb"
    con = open_db(tmp_path, path.name)
    load(con, "contacts", batch_csv("HELD", 5), "held.csv")
    con.close()
    assert run_cli("backup", str(tmp_path / "backup"), db_path=path).returncode == 0
    con = open_db(tmp_path, path.name)
    load(con, "contacts", batch_csv("LATER", 4), "later.csv")   # after the backup
    before = dump(con)
    con.close()
    inode = path.stat().st_ino

    with database_held_open(path):
        export = tmp_path / "week.csv"
        export.write_text(batch_csv("WEEK", 3), encoding="utf-8")
        for args in (("backup", str(tmp_path / "backup-2")), ("load", "contacts", str(export)),
                     ("restore", str(tmp_path / "backup")), ("demo",)):
            done = run_cli(*args, db_path=path)
            assert done.returncode == 1, (args, done.stdout, done.stderr)
            assert done.stderr.startswith("error: The database") and "in use by another program" in done.stderr
            assert "Traceback" not in done.stderr
        assert not (tmp_path / "backup-2").exists() or not any((tmp_path / "backup-2").iterdir())
        assert path.stat().st_ino == inode        # the server's file was not replaced
    con = open_db(tmp_path, path.name)
    assert dump(con) == before
    con.close()
