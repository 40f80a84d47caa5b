"""The date filter is on the charter's local date; queries also test a coarse range on the stored
UTC instant (the `opened_near` macro) so DuckDB can skip row groups. These tests hold the edges
where the two differ most (UTC+14 and UTC-11, one minute either side of local midnight) and the
upgrade of a database whose facts were stored before `contact_facts.opened_at` existed.
"""
from __future__ import annotations

import duckdb
import pytest

from spec_harness import Desk, counts, standard, std
from store import db


@pytest.fixture
def desk(tmp_path):
    return Desk(tmp_path)


# Local wall-clock times (naive = charter timezone). Only the 2 March ones are in the view.
EDGE_CONTACTS = [
    {"ticket_id": "before", "opened_at": "2026-03-01 23:59:00", "acknowledged_at": "2026-03-02 10:00:00"},
    {"ticket_id": "first", "opened_at": "2026-03-02 00:00:00", "acknowledged_at": "2026-03-02 10:00:00"},
    {"ticket_id": "last", "opened_at": "2026-03-02 23:59:00"},
    {"ticket_id": "after", "opened_at": "2026-03-03 00:00:00", "acknowledged_at": "2026-03-03 09:30:00"},
]


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_one_local_day_in_far_time_zones(desk, zone):
    desk.charter([std("acknowledge", 1, "business_hours", id="ack")], timezone=zone, holidays="", holiday_subdivision="")
    desk.load("contacts", EDGE_CONTACTS)
    kp = desk.kpis("2026-03-02", "2026-03-02")
    # first: opened Mon 00:00, acknowledged 10:00 = 1 working hour after 09:00 opening -> met;
    # last: opened 23:59 with no stop, judged at as_of (the latest timestamp, 3 March 09:30):
    # its 1 working hour ends 3 March 10:00 -> pending.
    assert counts(standard(kp, "ack")) == {"met": 1, "missed": 0, "pending": 1, "invalid": 0, "out_of_scope": 0}
    weeks = kp["responsiveness_weekly"]
    assert [(row["week"], row["contacts"]) for row in weeks] == [("2026-03-02", 2)]
    assert [(row["week"], row["met"], row["pending"]) for row in kp["standards_weekly"]] == [("2026-03-02", 1, 1)]


def test_facts_stored_before_opened_at_existed_are_recomputed(desk):
    desk.charter([std("acknowledge", 1, "business_hours", id="ack")])
    desk.load("contacts", EDGE_CONTACTS)
    expected = desk.kpis("2026-03-02", "2026-03-02")
    # Make the database look like one written by the previous layout: no opened_at on the facts
    # and a facts fingerprint without the layout suffix.
    con = duckdb.connect(str(desk.db))
    con.execute("ALTER TABLE contact_facts DROP COLUMN opened_at")
    con.execute("UPDATE meta SET value = split_part(value, '/', 1) WHERE key = 'facts_fingerprint'")
    con.execute("DELETE FROM meta WHERE key = 'clocks_fingerprint'")   # not written by those versions
    db.forget_schema(con)   # as a database written by an earlier schema file
    con.close()
    # A weekly load into that database must not mix layouts: every contact's facts are redone.
    desk.load("contacts", [{"ticket_id": "later", "opened_at": "2026-03-03 09:00:00"}])
    con = duckdb.connect(str(desk.db), read_only=True)
    assert con.execute("SELECT count(*), count(opened_at) FROM contact_facts").fetchall() == [(5, 5)]
    con.close()
    assert counts(standard(desk.kpis("2026-03-02", "2026-03-02"), "ack")) == counts(standard(expected, "ack"))


CONTACT_COLUMNS_ADDED_TO_CLOCKS = (
    "batch_id", "row_number", "opened_at", "customer_id", "kind", "channel", "priority", "team", "agent",
    "partner", "category", "acknowledged_at", "first_response_at", "resolved_at", "follow_up_at",
    "reopened_count", "csat", "updated_at")


def test_clocks_stored_before_they_kept_the_contact_columns_are_recomputed(desk):
    desk.charter([std("acknowledge", 1, "business_hours", id="ack"),
                  std("resolution", 2, "business_days", id="fix", scope={"kind": ["complaint"]})])
    rows = [dict(contact, channel="email" if n % 2 else "phone", kind="complaint" if n < 2 else "enquiry",
                 resolved_at="2026-03-04 12:00:00")
            for n, contact in enumerate(EDGE_CONTACTS)]
    desk.load("contacts", rows)
    expected = desk.kpis("2026-03-01", "2026-03-03")
    # Make the database look like one written by layout 4: clocks without the contact's columns.
    con = duckdb.connect(str(desk.db))
    for column in CONTACT_COLUMNS_ADDED_TO_CLOCKS:
        con.execute(f"ALTER TABLE contact_clocks DROP COLUMN {column}")
    con.execute("UPDATE meta SET value = regexp_replace(value, '/[0-9]+$', '/4') WHERE key = 'facts_fingerprint'")
    con.execute("DELETE FROM meta WHERE key = 'clocks_fingerprint'")
    db.forget_schema(con)
    con.close()
    # Connecting adds the columns (empty); the first use recomputes every contact's clocks to fill them.
    assert desk.kpis("2026-03-01", "2026-03-03") == expected
    con = duckdb.connect(str(desk.db), read_only=True)
    assert con.execute("""SELECT count(*), count(k.channel), count(k.opened_at), count(k.resolved_at),
                                 count(*) FILTER (WHERE k.kind = c.kind AND k.channel = c.channel)
                          FROM contact_clocks k JOIN contacts c USING (ticket_id)""").fetchall() == [(4, 4, 4, 4, 4)]
    con.close()
    assert [(s["id"], s["met"] + s["missed"] + s["pending"]) for s in expected["standards"]] == [("ack", 4), ("fix", 2)]


def _stored_order(db_path, sql: str) -> list:
    """Rows in the order DuckDB stored them (a plain scan of one table returns that order)."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return [row[0] for row in con.execute(sql).fetchall()]
    finally:
        con.close()


def _newest_first(count: int) -> list[dict]:
    # A file listing the newest contact first: stored in file order, every row group of a long
    # history would span all of it and no date filter could skip one.
    return [{"ticket_id": f"T{n:03d}", "opened_at": f"2026-03-{1 + n // 8:02d} {8 + n % 8:02d}:15:00",
             "acknowledged_at": f"2026-03-{1 + n // 8:02d} {9 + n % 8:02d}:00:00"}
            for n in reversed(range(count))]


def test_contacts_clocks_and_facts_are_stored_in_time_order(desk):
    desk.charter([std("acknowledge", 1, "business_hours", id="ack")])
    desk.load("contacts", _newest_first(40))
    expected = [f"T{n:03d}" for n in range(40)]
    assert _stored_order(desk.db, "SELECT ticket_id FROM contacts") == expected
    assert _stored_order(desk.db, "SELECT ticket_id FROM contact_clocks") == expected
    assert _stored_order(desk.db, "SELECT ticket_id FROM contact_facts") == expected
    # a weekly file appends its own contacts in time order after the history
    desk.load("contacts", [{"ticket_id": "W2", "opened_at": "2026-03-09 10:00:00"},
                           {"ticket_id": "W1", "opened_at": "2026-03-09 09:00:00"}])
    assert _stored_order(desk.db, "SELECT ticket_id FROM contacts")[-2:] == ["W1", "W2"]


def test_rows_stored_by_an_earlier_version_are_put_in_order_once(desk):
    desk.charter([std("acknowledge", 1, "business_hours", id="ack")])
    desk.load("contacts", _newest_first(40))
    periods = [f"2026-{month:02d}-01" for month in range(1, 7)]
    desk.load("prices", [{"customer_id": "C1", "period": period, "price_paid": 10} for period in periods])
    expected = desk.kpis("2026-03-02", "2026-03-03")
    con = duckdb.connect(str(desk.db))
    for table, order in (("contacts", "opened_at DESC"), ("prices", "period DESC")):
        con.execute(f"CREATE TEMP TABLE shuffled AS SELECT * FROM {table} ORDER BY {order}")
        con.execute(f"DELETE FROM {table}")
        con.execute(f"INSERT INTO {table} SELECT * FROM shuffled")
        con.execute("DROP TABLE shuffled")
    con.execute("DELETE FROM meta WHERE key = 'rows_in_order'")
    con.close()
    assert _stored_order(desk.db, "SELECT ticket_id FROM contacts")[0] == "T039"
    desk.kpis()   # the first use after the upgrade puts the rows in order
    assert _stored_order(desk.db, "SELECT ticket_id FROM contacts") == [f"T{n:03d}" for n in range(40)]
    assert [str(period) for period in _stored_order(desk.db, "SELECT period FROM prices")] == periods
    assert counts(standard(desk.kpis("2026-03-02", "2026-03-03"), "ack")) == counts(standard(expected, "ack"))


def test_facts_of_several_standards_are_stored_standard_by_standard_in_time_order(desk):
    # Six contacts listed newest first: T0, T2, T4 by phone, T1, T3, T5 by email; T0 and T3 are
    # resolved complaints. Facts by hand: ack 6, live 3 (phone), written 3 (email), complaint 2,
    # follow-up 2 (the resolved complaints): 16 facts over 6 contacts.
    desk.charter([std("acknowledge", 1, "business_hours", id="ack"),
                  std("first_response", 1, "business_days", id="live", scope={"channel": ["phone"]}),
                  std("first_response", 2, "business_days", id="written", scope={"channel": ["email"]}),
                  std("resolution", 56, "days", id="complaint", scope={"kind": ["complaint"]}),
                  std("follow_up", 2, "business_days", id="follow", scope={"kind": ["complaint"]})])
    contacts = []
    for n in reversed(range(6)):
        row = {"ticket_id": f"T{n}", "opened_at": f"2026-03-{2 + n:02d} 10:00:00",
               "channel": "phone" if n % 2 == 0 else "email", "kind": "enquiry"}
        if n in (0, 3):
            row |= {"kind": "complaint", "resolved_at": f"2026-03-{2 + n:02d} 15:00:00"}
        contacts.append(row)
    desk.load("contacts", contacts)
    # Standard by standard in charter order, each in time order: a page reading one standard skips
    # the others' row groups. (Writing all five in one statement sorted by time alone would
    # interleave them; change 58 of docs/performance.md tried one statement and kept this layout.)
    expected = ([("ack", f"T{n}") for n in range(6)] + [("live", t) for t in ("T0", "T2", "T4")]
                + [("written", t) for t in ("T1", "T3", "T5")] + [("complaint", "T0"), ("complaint", "T3")]
                + [("follow", "T0"), ("follow", "T3")])
    con = duckdb.connect(str(desk.db), read_only=True)
    try:
        assert con.execute("SELECT standard_id, ticket_id FROM contact_facts").fetchall() == expected
    finally:
        con.close()
