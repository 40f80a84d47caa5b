"""Service by tenure band reads each contact's customer joined_at from its clocks and facts
(customer_joined_at): contacts loaded before their customer, a customer re-dated and an undo must
all move the contacts to the right band. Counts by hand; each step also checks the stored dates
against the customers table."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from queries import Filters, run
from spec_harness import Desk
from store import db

AT = datetime(2026, 3, 31, tzinfo=timezone.utc)
STALE_DATES = """
SELECT (SELECT count(*) FROM contact_clocks c LEFT JOIN customers cu ON cu.customer_id = c.customer_id
        WHERE c.customer_joined_at IS DISTINCT FROM cu.joined_at)
     + (SELECT count(*) FROM contact_facts f LEFT JOIN customers cu ON cu.customer_id = f.customer_id
        WHERE f.customer_joined_at IS DISTINCT FROM cu.joined_at)"""


@pytest.fixture
def desk(tmp_path):
    return Desk(tmp_path)


def by_band(desk) -> dict[str, tuple[int, int, int, int]]:
    """Per band with contacts: contacts, complaints, met, missed (the charter's one standard)."""
    con = db.connect(desk.db)
    try:
        assert con.execute(STALE_DATES).fetchall()[0][0] == 0
        frame = run(con, "service_by_tenure", Filters(), as_of=AT, standard_ids=["default"])
    finally:
        con.close()
    return {row.band: (row.contacts, row.complaints, row.met, row.missed) for row in frame.itertuples() if row.contacts}


def test_contacts_follow_their_customers_tenure(desk):
    # The default charter: resolved within 1 day. T1 (customer A) a complaint resolved the same
    # morning: met. T2 (B) resolved a week later: missed. T3's customer is never loaded.
    desk.load("contacts", [
        {"ticket_id": "T1", "opened_at": "2026-03-02 09:00", "customer_id": "A", "kind": "complaint",
         "resolved_at": "2026-03-02 12:00"},
        {"ticket_id": "T2", "opened_at": "2026-03-03 09:00", "customer_id": "B", "kind": "enquiry",
         "resolved_at": "2026-03-10 12:00"},
        {"ticket_id": "T3", "opened_at": "2026-03-04 09:00", "customer_id": "Z", "kind": "enquiry"},
    ])
    assert by_band(desk) == {}                      # no known customer yet
    # A joined 2025-06-01 (<1y on 2 March 2026), B on 2020-01-01 (6 completed years: 5y+).
    desk.load("customers", [{"customer_id": "A", "joined_at": "2025-06-01"}, {"customer_id": "B", "joined_at": "2020-01-01"}])
    assert by_band(desk) == {"<1y": (1, 1, 1, 0), "5y+": (1, 0, 0, 1)}
    # A's joined_at corrected to 2024-01-01: two completed years on 2 March 2026.
    desk.load("customers", [{"customer_id": "A", "joined_at": "2024-01-01"}])
    assert by_band(desk) == {"2-3y": (1, 1, 1, 0), "5y+": (1, 0, 0, 1)}
    assert desk.run("undo", "3").returncode == 0
    assert by_band(desk) == {"<1y": (1, 1, 1, 0), "5y+": (1, 0, 0, 1)}
    assert desk.run("undo", "2").returncode == 0
    assert by_band(desk) == {}
