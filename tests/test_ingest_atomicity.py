"""Atomic uploads and undos (spec section 4: "a refused or failed upload leaves the database exactly
as it was"). Failures are injected part-way through the write, after the row versions were
inserted, by making a later step raise (fault injection; the code under test runs for real).
Every state table is compared in full before and after, and the file is reopened afterwards.
"""
from __future__ import annotations

import pytest

from charter import engine as charter_engine
from ingest_helpers import CONTACT_HEADER, charter, contact, contact_row, csv_text, dump, load, open_db, rows
from store import batches as store_batches
from store import db as store_db
from store import ingest as store_ingest
from store.batches import undo_batch

MODULES = {"store.ingest": store_ingest, "charter.engine": charter_engine, "store.db": store_db}


class InjectedFailure(RuntimeError):
    pass


def fail_after(original, seen: list):
    """A stand-in that first does the real work, then fails (as a full disk or a crash would)."""
    def step(*args, **kwargs):
        original(*args, **kwargs)
        seen.append(True)
        raise InjectedFailure("injected failure")
    return step


def base(con):
    load(con, "contacts", csv_text(CONTACT_HEADER,
                                   contact_row("A1", "2026-03-02 09:00", agent="Ann", updated_at="2026-03-02 10:00"),
                                   contact_row("A2", "2026-03-02 11:00", agent="Ann", kind="complaint",
                                               resolved_at="2026-03-04 12:00")), "base.csv")
    load(con, "customers", "customer_id,joined_at\nC1,2024-01-01\n", "customers.csv")


NEXT = csv_text(CONTACT_HEADER,
                contact_row("A1", "2026-03-02 09:00", agent="Bob", updated_at="2026-03-03 10:00"),  # replaces
                contact_row("A3", "2026-03-05 09:00", agent="Bob"))                                  # new


@pytest.mark.parametrize("target", [
    "store.ingest.refresh_after_change",   # after versions, rejected rows and the current rows are written
    "charter.engine.refresh",              # inside the charter clocks refresh
    "store.db.record_audit",               # the very last write before COMMIT
])
def test_failure_mid_upload_leaves_every_table_as_it_was(tmp_path, monkeypatch, target):
    path = tmp_path / "atomic.duckdb"
    con = open_db(tmp_path, path.name)
    base(con)
    before = dump(con)
    module_name, function = target.rsplit(".", 1)
    module = MODULES[module_name]
    seen: list = []
    monkeypatch.setattr(module, function, fail_after(getattr(module, function), seen))

    with pytest.raises(InjectedFailure):
        load(con, "contacts", NEXT, "next.csv")
    assert seen, "the injected step was never reached"
    assert dump(con) == before

    # The file still opens, holds the earlier state, and the next good upload works.
    monkeypatch.undo()
    con.close()
    con = open_db(tmp_path, path.name)
    assert dump(con) == before
    result = load(con, "contacts", NEXT, "next.csv")
    assert (result.rows_new, result.rows_updated) == (1, 1)
    assert contact(con, "A1")["agent"] == "Bob"
    assert rows(con, "SELECT count(*) FROM contact_clocks")[0][0] == 3
    con.close()


def test_failure_mid_undo_leaves_every_table_as_it_was(tmp_path, monkeypatch):
    con = open_db(tmp_path)
    base(con)
    second = load(con, "contacts", NEXT, "next.csv")
    before = dump(con)
    seen: list = []
    monkeypatch.setattr(store_batches, "refresh_after_change", fail_after(store_batches.refresh_after_change, seen))
    with pytest.raises(InjectedFailure):
        undo_batch(con, second.batch_id, "tester", charter())
    assert seen and dump(con) == before
    assert rows(con, "SELECT status FROM batches WHERE batch_id = ?", [second.batch_id]) == [("loaded",)]
    monkeypatch.undo()
    undo_batch(con, second.batch_id, "tester", charter())
    assert contact(con, "A1")["agent"] == "Ann"


def test_failed_customers_and_prices_uploads_leave_nothing(tmp_path, monkeypatch):
    con = open_db(tmp_path)
    base(con)
    before = dump(con)
    seen: list = []
    monkeypatch.setattr(store_ingest, "refresh_after_change", fail_after(store_ingest.refresh_after_change, seen))
    with pytest.raises(InjectedFailure):
        load(con, "customers", "customer_id,joined_at,left_at\nC1,2024-01-01,2026-02-01\nC2,2025-05-05,\n")
    with pytest.raises(InjectedFailure):
        load(con, "prices", "customer_id,period,price_paid\nC1,2026-01-01,12.5\n")
    assert len(seen) == 2 and dump(con) == before
