"""A charter edit recomputes what it changes (charter/engine.py, refresh): a standard's facts when
its clock, deadline or scope changes, every clock and fact when the schedule changes, nothing when
only a name or a target does. Each result is compared with a database built afresh under the
edited charter; a marker written into the stored rows shows which rows were left standing."""
from __future__ import annotations

import duckdb
import pytest

from spec_harness import Desk, std

CONTACTS = [
    {"ticket_id": "T1", "opened_at": "2026-03-02 10:00:00", "acknowledged_at": "2026-03-02 10:30:00",
     "first_response_at": "2026-03-03 09:00:00", "kind": "complaint", "resolved_at": "2026-03-05 12:00:00",
     "follow_up_at": "2026-03-06 10:00:00", "channel": "email"},
    {"ticket_id": "T2", "opened_at": "2026-03-02 16:45:00", "acknowledged_at": "2026-03-03 09:40:00",
     "first_response_at": "2026-03-04 17:00:00", "channel": "phone"},
    {"ticket_id": "T3", "opened_at": "2026-03-03 08:00:00", "first_response_at": "2026-03-03 12:00:00",
     "kind": "complaint", "resolved_at": "2026-03-09 16:00:00", "channel": "email"},
    {"ticket_id": "T4", "opened_at": "2026-03-04 11:00:00", "acknowledged_at": "2026-03-04 13:30:00",
     "channel": "chat"},
    {"ticket_id": "T5", "opened_at": "2026-03-06 17:00:00", "acknowledged_at": "2026-03-09 09:15:00",
     "first_response_at": "2026-03-09 11:00:00", "kind": "complaint", "channel": "email"},
]
LATER = [{"ticket_id": "T6", "opened_at": "2026-03-10 09:00:00", "acknowledged_at": "2026-03-10 11:00:00",
          "channel": "email"}]

ACK = std("acknowledge", 1, "business_hours", id="ack")
REPLY = std("first_response", 24, "hours", id="reply")
FIX = std("resolution", 2, "business_days", id="fix", scope={"kind": ["complaint"]})
CALL = std("follow_up", 1, "business_days", id="call", scope={"kind": ["complaint"]})
MARK = -1   # no working-time position is negative
FACT_MARK = "DATE '1900-01-01'"   # no customer joined then; not read by the KPIs compared here


def rows(desk: Desk, sql: str) -> list[tuple]:
    con = duckdb.connect(str(desk.db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def facts(desk: Desk, standard_id: str | None = None) -> list[tuple]:
    where = "" if standard_id is None else f"WHERE standard_id = '{standard_id}'"
    return rows(desk, f"SELECT * FROM contact_facts {where} ORDER BY standard_id, ticket_id")


def clocks(desk: Desk) -> list[tuple]:
    return rows(desk, "SELECT * EXCLUDE (batch_id, row_number) FROM contact_clocks ORDER BY ticket_id")


def mark(desk: Desk, sql: str) -> None:
    con = duckdb.connect(str(desk.db))
    try:
        con.execute(sql)
    finally:
        con.close()


def marked(desk: Desk, table: str, column: str) -> dict:
    """Per standard (or 'clocks'), whether its rows still carry the marker in `column`."""
    key, marker = ("standard_id", FACT_MARK) if table == "contact_facts" else ("'clocks'", MARK)
    return dict(rows(desk, f"SELECT {key}, bool_and({column} IS NOT DISTINCT FROM {marker}) FROM {table} GROUP BY ALL"))


def afresh(tmp_path, name: str, standards: list[dict], loads: list[list[dict]], **schedule) -> Desk:
    (tmp_path / name).mkdir()
    desk = Desk(tmp_path / name)
    desk.charter(standards, **schedule)
    for rows in loads:
        desk.load("contacts", rows)
    return desk


@pytest.fixture
def desk(tmp_path):
    desk = afresh(tmp_path, "edited", [ACK, REPLY, FIX], [CONTACTS])
    assert desk.kpis()["data_quality"]["contacts"] == 5
    return desk


def test_a_changed_standard_alone_is_recomputed(desk, tmp_path):
    mark(desk, f"UPDATE contact_facts SET customer_joined_at = {FACT_MARK}; UPDATE contact_clocks SET w_follow_us = {MARK}")
    longer_ack = dict(ACK, within=2)
    desk.charter([longer_ack, REPLY, FIX])
    edited = desk.kpis()
    fresh = afresh(tmp_path, "fresh", [longer_ack, REPLY, FIX], [CONTACTS])
    assert edited == fresh.kpis()
    assert [(s["met"], s["missed"]) for s in edited["standards"] if s["id"] == "ack"] == [(3, 2)]  # T1, T2, T5 met
    # The ack facts are new, as a fresh build has them; reply's and fix's stood, marker and all,
    # and so did every clock.
    assert marked(desk, "contact_facts", "customer_joined_at") == {"ack": False, "reply": True, "fix": True}
    assert marked(desk, "contact_clocks", "w_follow_us") == {"clocks": True}
    assert facts(desk, "ack") == facts(fresh, "ack")
    assert len(facts(desk, "fix")) == 3   # T1, T3, T5, the complaints


def test_a_new_name_or_target_recomputes_nothing(desk):
    mark(desk, f"UPDATE contact_facts SET customer_joined_at = {FACT_MARK}")
    before = facts(desk)
    desk.charter([dict(ACK, name="We answer fast"), dict(REPLY, target=0.5), FIX])
    kp = desk.kpis()
    assert [s["target"] for s in kp["standards"]] == [0.9, 0.5, 0.9]
    assert facts(desk) == before


def test_a_removed_standard_loses_its_facts_and_an_added_one_gains_them(desk, tmp_path):
    desk.charter([ACK, FIX, CALL])
    edited = desk.kpis()
    fresh = afresh(tmp_path, "fresh", [ACK, FIX, CALL], [CONTACTS])
    assert edited == fresh.kpis()
    assert facts(desk) == facts(fresh)
    assert [s["id"] for s in edited["standards"]] == ["ack", "fix", "call"]
    assert not facts(desk, "reply")
    assert [row[1] for row in facts(desk, "call")] == ["T1", "T3"]   # complaints that were resolved


def test_a_schedule_change_recomputes_every_clock_and_fact(desk, tmp_path):
    mark(desk, f"UPDATE contact_facts SET customer_joined_at = {FACT_MARK}; UPDATE contact_clocks SET w_follow_us = {MARK}")
    desk.charter([ACK, REPLY, FIX], opens="08:00")
    edited = desk.kpis()
    fresh = afresh(tmp_path, "fresh", [ACK, REPLY, FIX], [CONTACTS], opens="08:00")
    assert edited == fresh.kpis()
    assert clocks(desk) == clocks(fresh)
    assert facts(desk) == facts(fresh)
    # Opening at 08:00 instead of 09:00: T5 (opened Friday 17:00, acknowledged Monday 09:15) took
    # 30 + 75 working minutes instead of 30 + 15, so only T1 meets the hour now (before: T1, T5).
    assert [(s["met"], s["missed"]) for s in edited["standards"] if s["id"] == "ack"] == [(1, 4)]
    assert marked(desk, "contact_clocks", "w_follow_us") == {"clocks": False}


def test_a_load_after_a_hand_edit_gives_every_contact_clocks_and_facts(desk, tmp_path):
    desk.charter([dict(ACK, within=3), REPLY, FIX])     # edited by hand, nothing run since
    desk.load("contacts", LATER)
    fresh = afresh(tmp_path, "fresh", [dict(ACK, within=3), REPLY, FIX], [CONTACTS + LATER])
    assert desk.kpis() == fresh.kpis()
    assert clocks(desk) == clocks(fresh)
    assert facts(desk) == facts(fresh)


def test_a_database_from_before_is_not_recomputed_and_its_next_weekly_load_stamps_it(desk):
    # An earlier version stamped the calendar with the whole charter's fingerprint and kept no
    # clocks or per-standard stamps.
    from charter.model import load_charter
    whole = load_charter(desk.charter_path).fingerprint()
    mark(desk, f"""UPDATE meta SET value = '{whole}' WHERE key = 'calendar_fingerprint';
                   DELETE FROM meta WHERE key IN ('clocks_fingerprint', 'standard_facts');
                   UPDATE contact_facts SET customer_joined_at = {FACT_MARK}""")
    desk.kpis()                                   # still current: nothing recomputed on first use
    assert marked(desk, "contact_facts", "customer_joined_at") == {"ack": True, "reply": True, "fix": True}
    desk.load("contacts", LATER)                  # the weekly load computes T6 and stamps the rest
    desk.charter([ACK, dict(REPLY, within=48), FIX])
    desk.kpis()
    assert marked(desk, "contact_facts", "customer_joined_at") == {"ack": False, "reply": False, "fix": True}
    # ack: T6 is new (its row unmarked) but T1-T5 stood; reply: recomputed whole.
    assert rows(desk, f"""SELECT ticket_id FROM contact_facts WHERE standard_id = 'ack' AND customer_joined_at = {FACT_MARK}
                          ORDER BY ticket_id""") == [("T1",), ("T2",), ("T3",), ("T4",), ("T5",)]


@pytest.mark.parametrize("edit", ["standard", "schedule"])
def test_the_preview_of_an_edit_for_a_period_equals_the_saved_edit_and_changes_nothing(desk, tmp_path, edit):
    # The preview recomputes only the contacts the period could hold (T1-T4 opened in the week of
    # 2 March, T5 on Friday 6 March; the period is 3-4 March), inside a transaction it rolls back.
    from datetime import date

    from charter.model import load_charter
    from components.charter_editor import compliance_under
    from queries import Filters, run
    from store import db

    desk.load("contacts", LATER)
    # Either edit turns ack's two misses of the period into hits: T3 (opened 08:00, so from 09:00;
    # stopped by its reply at 12:00) takes 3 working hours, T4 (11:00 to 13:30) 2.5; closing at
    # 11:30 instead, T4's acknowledgement comes after closing, half a working hour after opening.
    standards, schedule = (([dict(ACK, within=3), REPLY, FIX], {}) if edit == "standard"
                           else ([ACK, REPLY, FIX], {"closes": "11:30"}))
    fresh = afresh(tmp_path, "fresh", standards, [CONTACTS + LATER], **schedule)
    period = Filters(date_from=date(2026, 3, 3), date_to=date(2026, 3, 4))
    as_of = desk.kpis()["as_of"]
    stored = facts(desk), clocks(desk)

    con = db.connect(desk.db)
    try:
        preview = compliance_under(con, load_charter(fresh.charter_path), period, as_of)
        saved = run(con, "standards_summary", period, as_of=as_of, standard_ids=["ack", "reply", "fix"])
    finally:
        con.close()
    con = db.connect(fresh.db)
    try:
        expected = run(con, "standards_summary", period, as_of=as_of, standard_ids=["ack", "reply", "fix"])
    finally:
        con.close()
    by_id = lambda frame: frame.set_index("standard_id").sort_index().to_dict("index")   # noqa: E731
    assert by_id(preview) == by_id(expected)
    assert by_id(preview) != by_id(saved)            # the edit changes something in that period
    assert (by_id(saved)["ack"]["met"], by_id(saved)["ack"]["missed"]) == (0, 2)
    assert (by_id(preview)["ack"]["met"], by_id(preview)["ack"]["missed"]) == ((2, 0) if edit == "standard" else (1, 1))
    assert (facts(desk), clocks(desk)) == stored     # nothing kept


@pytest.mark.parametrize("standard, within, unit", [
    (ACK, 2, "business_hours"), (ACK, 1, "business_days"), (FIX, 3, "business_days"), (REPLY, 30, "hours"),
    (FIX, 5, "days"),
])
def test_the_what_if_gives_what_a_charter_with_that_promise_would(desk, tmp_path, standard, within, unit):
    """The expectation gap's alternative counts for a standard are the counts a charter promising
    `within` `unit` gives: the what-if and the stored facts share charter.engine.DEADLINES, the
    working-time ones through each fact's start position and business-day 0."""
    from queries import Filters
    from queries.kpis import as_of
    from queries.whatif import expectation_gap
    from store import db

    con = db.connect(desk.db)
    try:
        total = expectation_gap(con, Filters(), standard["id"], within, unit, as_of(con)).iloc[0]
    finally:
        con.close()
    promised = dict(standard, within=within, unit=unit)
    fresh = afresh(tmp_path, "fresh", [promised if s is standard else s for s in (ACK, REPLY, FIX)], [CONTACTS])
    counts = next(s for s in fresh.kpis()["standards"] if s["id"] == standard["id"])
    assert (total["alternative_met"], total["alternative_missed"], total["alternative_pending"]) == (
        counts["met"], counts["missed"], counts["pending"])
    assert (total["charter_met"], total["charter_missed"]) == tuple(
        next((s["met"], s["missed"]) for s in desk.kpis()["standards"] if s["id"] == standard["id"]))


def test_a_scope_value_is_matched_whatever_its_case_and_labelled_as_the_charter_spells_it():
    from pathlib import Path

    from charter.model import parse_charter
    from components.labels import standard_label

    text = Path(__file__).resolve().parent.parent.joinpath("data", "charter.toml").read_text(encoding="utf-8")
    text += ('\n[[standard]]\nid = "partner_replies"\nmeasure = "first_response"\nwithin = 2\nunit = "business_days"\n'
             'scope = { partner = ["SF Partner Desk", " Acme Ltd "], channel = ["Email"] }\n')
    standard = parse_charter(text, check_holidays=False).standard("partner_replies")
    assert standard.scope == {"partner": ("sf partner desk", "acme ltd"), "channel": ("email",)}
    assert standard_label(standard) == "Replies to email (partner: SF Partner Desk and Acme Ltd)"


# A charter as a manager writes it: comment lines of their own above values and above headings.
COMMENTED = """\
# Our charter.

[schedule]
timezone = "UTC"
# nine to five
opens = "09:00"
closes = "17:00"

# Acknowledged the same hour.
[[standard]]
id = "ack"
measure = "acknowledge"
# we promise one hour

within = 1
unit = "business_hours"
# ninety-five in a hundred
target = 0.95

# Replies within a day.
[[standard]]
id = "reply"
measure = "first_response"
within = 24
unit = "hours"
"""


@pytest.mark.parametrize("edit, named", [
    # the line right above the changed value, and the one above its standard's heading
    (("target = 0.95", "target = 0.9"), ['"Acknowledged the same hour." (above the heading of standard ack)',
                                         '"ninety-five in a hundred" (above target in ack)']),
    # a blank line between a comment and the value: the comment is not about it alone
    (("within = 1\n", "within = 2\n"), ['"Acknowledged the same hour." (above the heading of standard ack)']),
    # the second standard's heading comment sits, in the file, after the first standard's values
    (("within = 24", "within = 36"), ['"Replies within a day." (above the heading of standard reply)']),
    (('opens = "09:00"', 'opens = "08:00"'), ['"nine to five" (above opens in schedule)']),
    # the file's own first lines are above no heading (a blank line follows them)
    (('closes = "17:00"', 'closes = "18:00"'), []),
    (("# we promise one hour\n", "# we promise one working hour\n"), []),   # only a comment changed
])
def test_the_comment_lines_above_a_changed_value_are_named_for_the_review(edit, named):
    """The editor keeps comment lines of their own (it drops only one written beside a value it
    changes); one right above a changed value, or above the heading of the table it changes, may
    no longer be true, so the review before Save names it."""
    from components.charter_editor import comments_above_changes

    assert comments_above_changes(COMMENTED, COMMENTED.replace(*edit)) == named
    assert comments_above_changes(COMMENTED, COMMENTED) == []
