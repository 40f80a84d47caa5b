"""The date filter is on the charter's local date; queries also test a coarse range on the stored
UTC instant (the `opened_near` macro) so DuckDB can skip row groups. These tests hold the edges
where the two differ most (UTC+14 and UTC-11, one minute either side of local midnight) and the
upgrade of a database whose facts were stored before `contact_facts.opened_at` existed.
"""
from __future__ import annotations

import duckdb
import pytest

from spec_harness import Desk, counts, standard, std


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
    con.close()
    # A weekly load into that database must not mix layouts: every contact's facts are redone.
    desk.load("contacts", [{"ticket_id": "later", "opened_at": "2026-03-03 09:00:00"}])
    con = duckdb.connect(str(desk.db), read_only=True)
    assert con.execute("SELECT count(*), count(opened_at) FROM contact_facts").fetchall() == [(5, 5)]
    con.close()
    assert counts(standard(desk.kpis("2026-03-02", "2026-03-02"), "ack")) == counts(standard(expected, "ack"))
