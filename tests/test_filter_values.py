"""The sidebar's channels, teams and partners with their contact counts (store/filter_values.py) are
stored and kept current by every contacts upload and undo; a database from before them counts them
on first use. Expected counts are worked out by hand; each step also checks the stored counts
against a count over every current contact."""
from __future__ import annotations

import pytest

from ingest_helpers import FILTER_VALUES_AFRESH
from queries import run
from spec_harness import Desk
from store import db


@pytest.fixture
def desk(tmp_path):
    return Desk(tmp_path)


def contact(ticket_id, channel, team="Billing", partner="", updated_at="2026-03-02 10:00"):
    return {"ticket_id": ticket_id, "opened_at": "2026-03-02 09:00", "kind": "enquiry", "channel": channel,
            "team": team, "partner": partner, "updated_at": updated_at}


def offered(desk) -> dict[str, list[tuple[str, int]]]:
    """The sidebar's options per dimension, in its order (most contacts first), after checking the
    stored counts against a fresh count."""
    con = db.connect(desk.db)
    try:
        stored = con.execute("SELECT dimension, value, n FROM contact_filter_values ORDER BY ALL").fetchall()
        assert stored == con.execute(FILTER_VALUES_AFRESH).fetchall()
        frame = run(con, "filter_options")
    finally:
        con.close()
    out: dict[str, list[tuple[str, int]]] = {}
    for row in frame.itertuples():
        out.setdefault(row.dimension, []).append((row.value, int(row.n)))
    return out


def test_filter_values_follow_uploads_updates_and_undo(desk):
    # (channels are stored in lower case, as every upload writes them)
    desk.load("contacts", [contact("T1", "Phone"), contact("T2", "Phone"), contact("T3", "Email", partner="Acme"),
                           contact("T4", "Chat", team="")])
    assert offered(desk) == {"channel": [("phone", 2), ("chat", 1), ("email", 1)],
                             "team": [("Billing", 3)],
                             "partner": [("In-house", 3), ("Acme", 1)]}
    # Batch 2: T1 and T2 re-exported by email through Acme (updates), T5 new. No phone contact is
    # left, so phone is no longer offered.
    desk.load("contacts", [contact("T1", "Email", partner="Acme", updated_at="2026-03-03 10:00"),
                           contact("T2", "Email", partner="Acme", updated_at="2026-03-03 10:00"),
                           contact("T5", "Chat", team="Repairs")])
    assert offered(desk) == {"channel": [("email", 3), ("chat", 2)],
                             "team": [("Billing", 3), ("Repairs", 1)],
                             "partner": [("Acme", 3), ("In-house", 2)]}
    # Undo batch 2: T1 and T2 are back on the phone in-house, T5 is gone.
    assert desk.run("undo", "2").returncode == 0
    assert offered(desk) == {"channel": [("phone", 2), ("chat", 1), ("email", 1)],
                             "team": [("Billing", 3)],
                             "partner": [("In-house", 3), ("Acme", 1)]}


def test_a_database_without_stored_filter_values_counts_them_on_first_use(desk):
    desk.load("contacts", [contact("T1", "Phone"), contact("T2", "Email")])
    con = db.connect(desk.db)
    con.execute("DELETE FROM contact_filter_values; DELETE FROM meta WHERE key = 'filter_values_layout'")
    con.close()
    assert desk.run("kpis", "--json").returncode == 0      # the first command brings them up to date
    assert offered(desk)["channel"] == [("email", 1), ("phone", 1)]
