"""Conformance: outcomes of contacts against standards, as_of, scope, weeks, --from/--to and
timestamp parsing (spec sections 2 and 3, readings 4-6, 8-10, 14).

Black box through `cli.py load` / `cli.py kpis --json`. Schedule: Europe/London, Mon-Fri
[09:00, 17:30), GB/ENG bank holidays. Naive times in the fixtures are London local time; in July
London is UTC+1 (BST), in January-March (before 03-29) UTC+0. 2026-03-02 is a Monday.
"""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spec_harness import (Desk, approx, assert_as_of, counts, responsiveness,  # noqa: E402
                          standard, std, utc, weekly)


@pytest.fixture
def desk(tmp_path):
    return Desk(tmp_path)


# --------------------------------------------------------------------------- pending vs missed

def test_pending_versus_missed_at_as_of(desk):
    # standard: resolution within 2 hours. D is the latest timestamp -> as_of = 07-01 10:00 BST
    # = 09:00Z (reading 8). Open clocks (reading 4):
    #   A opened 08:00:00 -> deadline 10:00:00 == as_of   -> pending
    #   B opened 07:59:59 -> deadline 09:59:59 <  as_of   -> missed
    #   C opened 08:00:01 -> deadline 10:00:01 >  as_of   -> pending
    #   D opened 09:00, resolved 10:00 (1 h)              -> met
    desk.charter([std("resolution", 2, "hours")])
    desk.load("contacts", [
        {"ticket_id": "A", "opened_at": "2026-07-01 08:00:00"},
        {"ticket_id": "B", "opened_at": "2026-07-01 07:59:59"},
        {"ticket_id": "C", "opened_at": "2026-07-01 08:00:01"},
        {"ticket_id": "D", "opened_at": "2026-07-01 09:00:00",
         "resolved_at": "2026-07-01 10:00:00"},
    ])
    kp = desk.kpis()
    assert_as_of(kp, utc(2026, 7, 1, 9, 0))
    assert kp["as_of"] in ("2026-07-01T09:00:00+00:00", "2026-07-01T09:00:00Z")
    row = standard(kp)
    assert counts(row) == {"met": 1, "missed": 1, "pending": 2, "invalid": 0, "out_of_scope": 0}
    assert row["compliance"] == approx(1 / 2)  # met / (met + missed); pending outside


@pytest.mark.parametrize("as_of, outcome, printed", [
    ("2026-05-05T10:30", "pending", "2026-05-05T09:30:00+00:00"),         # London time (BST): deadline 11:00 not reached
    ("2026-05-05T10:30+00:00", "missed", "2026-05-05T10:30:00+00:00"),    # 11:30 in London: past it
])
def test_an_as_of_without_an_offset_is_charter_local_time(desk, as_of, outcome, printed):
    # A opened Tuesday 5 May 10:00 BST, never acknowledged: 1 working hour -> deadline 11:00 BST
    desk.charter([std("acknowledge", 1, "business_hours")])
    desk.load("contacts", [{"ticket_id": "A", "opened_at": "2026-05-05 10:00", "updated_at": "2026-05-06 10:00"}])
    proc = desk.run("kpis", "--json", "--as-of", as_of)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["as_of"] == printed
    assert standard(report)[outcome] == 1


def test_a_clock_that_starts_after_a_users_as_of_is_not_judged(desk):
    # --as-of Monday 26 Oct 2026 10:00 (London, GMT since the 25th). Reading 6: a stop later than
    # as_of has not happened yet.
    #   M1, a complaint resolved on the 27th: not resolved at as_of, so not yet owed a follow-up
    #       (out of scope, not pending; and no standards_weekly row for the week of the 26th)
    #   M2, opened on the 28th with an acknowledgement dated the 27th (stop before start): neither
    #       has happened at as_of, so it is not judged, not invalid
    #   M3, acknowledged at 10:10 on the 20th: met, as at the data's own as_of
    desk.charter([std("follow_up", 2, "business_days", id="f", scope={"kind": "complaint"}),
                  std("acknowledge", 1, "business_hours", id="a")])
    desk.load("contacts", [
        {"ticket_id": "M1", "opened_at": "2026-10-20 10:00", "kind": "complaint", "acknowledged_at": "2026-10-20 10:10",
         "resolved_at": "2026-10-27 12:00"},
        {"ticket_id": "M2", "opened_at": "2026-10-28 10:00", "acknowledged_at": "2026-10-27 10:00"},
        {"ticket_id": "M3", "opened_at": "2026-10-20 10:00", "acknowledged_at": "2026-10-20 10:10"},
    ])
    proc = desk.run("kpis", "--json", "--as-of", "2026-10-26T10:00")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert counts(standard(report, "f")) == {"met": 0, "missed": 0, "pending": 0, "invalid": 0, "out_of_scope": 3}
    assert weekly(report, "f") == {}
    assert counts(standard(report, "a")) == {"met": 2, "missed": 0, "pending": 0, "invalid": 0, "out_of_scope": 1}
    assert sorted(weekly(report, "a")) == ["2026-10-19"]
    # at the data's own as_of (the 28th, 10:00) every clock has started: M1 is owed its follow-up by
    # the 29th, 17:30 (pending), M2 is invalid
    report = desk.kpis()
    assert counts(standard(report, "f")) == {"met": 0, "missed": 0, "pending": 1, "invalid": 0, "out_of_scope": 2}
    assert counts(standard(report, "a")) == {"met": 2, "missed": 0, "pending": 0, "invalid": 1, "out_of_scope": 0}


def test_compliance_is_null_when_nothing_is_met_or_missed(desk):
    # one open contact; as_of = its opened_at; deadline 2 h later -> pending
    desk.charter([std("resolution", 2, "hours")])
    desk.load("contacts", [{"ticket_id": "A", "opened_at": "2026-07-01 10:00:00"}])
    row = standard(desk.kpis())
    assert counts(row) == {"met": 0, "missed": 0, "pending": 1, "invalid": 0, "out_of_scope": 0}
    assert row["compliance"] is None


# --------------------------------------------------------------------------- as_of (reading 8)

@pytest.mark.parametrize("column", ["opened_at", "acknowledged_at", "first_response_at",
                                    "resolved_at", "follow_up_at", "updated_at"])
def test_as_of_is_latest_of_the_six_timestamp_columns(desk, column):
    # BASE carries all six columns, all on 07-01. LATE carries the latest value of all,
    # 2026-07-03 08:15 BST = 07:15Z, in `column` only.
    late = {"ticket_id": "LATE", "opened_at": "2026-07-01 09:00:00"}
    if column == "follow_up_at":
        late["resolved_at"] = "2026-07-01 12:00:00"
    late[column] = "2026-07-03 08:15:00"
    desk.load("contacts", [
        {"ticket_id": "BASE", "opened_at": "2026-07-01 10:00:00",
         "acknowledged_at": "2026-07-01 10:30:00", "first_response_at": "2026-07-01 11:00:00",
         "resolved_at": "2026-07-01 12:00:00", "follow_up_at": "2026-07-01 13:00:00",
         "updated_at": "2026-07-01 13:00:00"},
        late,
    ])
    assert_as_of(desk.kpis(), utc(2026, 7, 3, 7, 15))


# --------------------------------------------------------------------------- invalid (reading 5, 9)

def test_invalid_resolution_is_excluded_from_compliance(desk):
    # resolution within 24 hours
    #   I1 resolved 1 s before it was opened -> invalid
    #   I2 1 h                                -> met
    #   I3 24 h + 1 s                         -> missed
    desk.charter([std("resolution", 24, "hours")])
    desk.load("contacts", [
        {"ticket_id": "I1", "opened_at": "2026-03-02 10:00:00",
         "resolved_at": "2026-03-02 09:59:59"},
        {"ticket_id": "I2", "opened_at": "2026-03-02 10:00:00",
         "resolved_at": "2026-03-02 11:00:00"},
        {"ticket_id": "I3", "opened_at": "2026-03-02 10:00:00",
         "resolved_at": "2026-03-03 10:00:01"},
    ])
    kp = desk.kpis()
    row = standard(kp)
    assert counts(row) == {"met": 1, "missed": 1, "pending": 0, "invalid": 1, "out_of_scope": 0}
    assert row["compliance"] == approx(1 / 2)
    assert kp["data_quality"]["invalid_durations"] == 1
    assert kp["data_quality"]["contacts"] == 3


def test_acknowledge_stops_at_earlier_of_ack_and_first_response(desk):
    # Both standards: within 1 working hour of Mon 2026-03-02 10:00 -> deadline 11:00.
    # as_of = latest timestamp = C2's first response, Mon 14:00.
    #                 ack     first_resp | "ack" stop (earlier)     | "fr" (first_response)
    #   C1            13:00   10:30      | 10:30 met                | 10:30 met
    #   C2            10:45   14:00      | 10:45 met                | 14:00 missed
    #   C3            -       11:00:01   | 11:00:01 missed          | missed
    #   C4            09:55   10:20      | 09:55 < opened: invalid  | 10:20 met
    #   C5            -       -          | open, 11:00 < as_of: missed | missed
    #   C6            11:00   -          | 11:00 met (at deadline)  | open: missed
    desk.charter([std("acknowledge", 1, "business_hours", id="ack"),
                  std("first_response", 1, "business_hours", id="fr")])
    opened = "2026-03-02 10:00:00"
    desk.load("contacts", [
        {"ticket_id": "C1", "opened_at": opened, "acknowledged_at": "2026-03-02 13:00:00",
         "first_response_at": "2026-03-02 10:30:00"},
        {"ticket_id": "C2", "opened_at": opened, "acknowledged_at": "2026-03-02 10:45:00",
         "first_response_at": "2026-03-02 14:00:00"},
        {"ticket_id": "C3", "opened_at": opened, "first_response_at": "2026-03-02 11:00:01"},
        {"ticket_id": "C4", "opened_at": opened, "acknowledged_at": "2026-03-02 09:55:00",
         "first_response_at": "2026-03-02 10:20:00"},
        {"ticket_id": "C5", "opened_at": opened},
        {"ticket_id": "C6", "opened_at": opened, "acknowledged_at": "2026-03-02 11:00:00"},
    ])
    kp = desk.kpis()
    ack = standard(kp, "ack")
    assert counts(ack) == {"met": 3, "missed": 2, "pending": 0, "invalid": 1, "out_of_scope": 0}
    assert ack["compliance"] == approx(3 / 5)
    fr = standard(kp, "fr")
    assert counts(fr) == {"met": 2, "missed": 4, "pending": 0, "invalid": 0, "out_of_scope": 0}
    assert fr["compliance"] == approx(2 / 6)
    # reading 9: only C4 has a clock whose stop is before its start (the acknowledge clock)
    assert kp["data_quality"]["contacts"] == 6
    assert kp["data_quality"]["invalid_durations"] == 1


def test_data_quality_invalid_durations_counts_contacts(desk):
    # reading 9: contacts with at least one of the four clocks stopping before it starts
    #   D1 resolved before opened                                  -> 1
    #   D2 first response AND resolution before opened             -> 1 (a contact counts once)
    #   D3 follow-up before resolution (resolution itself fine)    -> 1
    #   D4 everything in order                                     -> 0
    #   D5 ack after opened, first response before -> ack stop = earlier = before opened -> 1
    #   D6 ack before opened, first response after  -> ack stop before opened            -> 1
    # total 5 of 6 contacts
    o = "2026-03-02 10:00:00"
    desk.load("contacts", [
        {"ticket_id": "D1", "opened_at": o, "resolved_at": "2026-03-02 09:00:00"},
        {"ticket_id": "D2", "opened_at": o, "first_response_at": "2026-03-02 09:10:00",
         "resolved_at": "2026-03-02 09:20:00"},
        {"ticket_id": "D3", "opened_at": o, "resolved_at": "2026-03-02 12:00:00",
         "follow_up_at": "2026-03-02 11:00:00"},
        {"ticket_id": "D4", "opened_at": o, "acknowledged_at": "2026-03-02 10:05:00",
         "first_response_at": "2026-03-02 10:30:00", "resolved_at": "2026-03-02 12:00:00",
         "follow_up_at": "2026-03-03 12:00:00"},
        {"ticket_id": "D5", "opened_at": o, "acknowledged_at": "2026-03-02 10:30:00",
         "first_response_at": "2026-03-02 09:00:00"},
        {"ticket_id": "D6", "opened_at": o, "acknowledged_at": "2026-03-02 09:30:00",
         "first_response_at": "2026-03-02 10:30:00"},
    ])
    dq = desk.kpis()["data_quality"]
    assert dq["contacts"] == 6
    assert dq["invalid_durations"] == 5


def test_follow_up_without_resolution_is_not_an_invalid_duration(desk):
    # The follow_up clock starts at resolved_at and exists only for resolved contacts, so a
    # follow_up_at earlier than opened_at on an unresolved contact is no invalid clock.
    desk.load("contacts", [
        {"ticket_id": "U1", "opened_at": "2026-03-02 10:00:00",
         "follow_up_at": "2026-03-02 09:00:00"},
        {"ticket_id": "U2", "opened_at": "2026-03-02 10:00:00",
         "resolved_at": "2026-03-02 11:00:00"},
    ])
    dq = desk.kpis()["data_quality"]
    assert dq["contacts"] == 2
    assert dq["invalid_durations"] == 0


# --------------------------------------------------------------------------- scope (reading 6)

SCOPED_CONTACTS = [
    # every contact: opened Mon 10:00, resolved 11:00 -> met whenever in scope
    {"ticket_id": "S1", "kind": "complaint", "channel": "email"},
    {"ticket_id": "S2", "kind": " Complaint ", "channel": " EMAIL "},
    {"ticket_id": "S3", "kind": "", "channel": "phone"},          # blank kind = enquiry
    {"ticket_id": "S4", "kind": "enquiry", "channel": ""},        # blank channel
    {"ticket_id": "S5", "kind": "complaint", "channel": "web", "team": "Billing"},
]


@pytest.mark.parametrize("scope, in_scope", [
    pytest.param({"kind": "complaint"}, 3, id="kind=complaint:S1,S2,S5"),
    pytest.param({"kind": "enquiry"}, 2, id="kind=enquiry:S3(blank),S4"),
    pytest.param({"kind": " COMPLAINT "}, 3, id="scope-value-trimmed-lowercased"),
    pytest.param({"channel": ["email", "web"]}, 3, id="list-any:S1,S2,S5"),
    pytest.param({"channel": ["phone", "email", "web", "chat"]}, 4,
                 id="blank-channel-matches-nothing:not-S4"),
    pytest.param({"kind": "complaint", "channel": "email"}, 2, id="AND:S1,S2"),
    pytest.param({"kind": "complaint", "team": "billing"}, 1, id="AND-team:S5"),
    pytest.param({"kind": "enquiry", "channel": ["web"]}, 0, id="AND-nothing"),
    pytest.param({"partner": "acme"}, 0, id="blank-partner-matches-nothing"),
])
def test_scope_filters(desk, scope, in_scope):
    desk.charter([std("resolution", 24, "hours", scope=scope)])
    desk.load("contacts", [{**c, "opened_at": "2026-03-02 10:00:00",
                            "resolved_at": "2026-03-02 11:00:00"} for c in SCOPED_CONTACTS])
    row = standard(desk.kpis())
    assert counts(row) == {"met": in_scope, "missed": 0, "pending": 0, "invalid": 0,
                           "out_of_scope": 5 - in_scope}
    if in_scope:
        assert row["compliance"] == approx(1.0)
    else:
        assert row["compliance"] is None


# --------------------------------------------------------------------------- follow_up standard

def test_follow_up_standard(desk):
    # follow_up within 2 business_days: clock starts at resolved_at, only resolved contacts,
    # weekly bucket = week of resolved_at.
    #   F1 resolved Mon 03-02 15:00 -> day 0 Mon, day 2 Wed 03-04 -> deadline Wed 17:30
    #      follow-up Wed 17:30:00                      -> met     (week 2026-03-02)
    #   F2 same resolution, follow-up Wed 17:30:01     -> missed  (week 2026-03-02)
    #   F3 never resolved                              -> out of scope
    #   F4 resolved Tue 03-03 10:00 -> deadline Thu 03-05 17:30; no follow-up;
    #      as_of = F2's follow-up Wed 17:30:01         -> pending (week 2026-03-02)
    #   F5 resolved Fri 02-27 12:00 -> day 0 Fri, day 1 Mon 03-02, day 2 Tue 03-03 17:30;
    #      no follow-up, as_of past it                 -> missed  (week 2026-02-23)
    #   F6 follow-up 1 h before its resolution         -> invalid
    # F1, F3 were opened in week 2026-02-16, which must not get a row (in-scope weeks follow
    # resolved_at; F3 is out of scope).
    desk.charter([std("follow_up", 2, "business_days")])
    desk.load("contacts", [
        {"ticket_id": "F1", "opened_at": "2026-02-20 10:00:00",
         "resolved_at": "2026-03-02 15:00:00", "follow_up_at": "2026-03-04 17:30:00"},
        {"ticket_id": "F2", "opened_at": "2026-02-27 10:00:00",
         "resolved_at": "2026-03-02 15:00:00", "follow_up_at": "2026-03-04 17:30:01"},
        {"ticket_id": "F3", "opened_at": "2026-02-16 10:00:00"},
        {"ticket_id": "F4", "opened_at": "2026-03-02 10:00:00",
         "resolved_at": "2026-03-03 10:00:00"},
        {"ticket_id": "F5", "opened_at": "2026-02-23 10:00:00",
         "resolved_at": "2026-02-27 12:00:00"},
        {"ticket_id": "F6", "opened_at": "2026-03-02 09:00:00",
         "resolved_at": "2026-03-02 12:00:00", "follow_up_at": "2026-03-02 11:00:00"},
    ])
    kp = desk.kpis()
    assert_as_of(kp, utc(2026, 3, 4, 17, 30, 1))
    row = standard(kp)
    assert counts(row) == {"met": 1, "missed": 2, "pending": 1, "invalid": 1, "out_of_scope": 1}
    assert row["compliance"] == approx(1 / 3)
    weeks = weekly(kp)
    assert sorted(weeks) == ["2026-02-23", "2026-03-02"]
    assert counts(weeks["2026-02-23"], ("met", "missed", "pending")) == \
        {"met": 0, "missed": 1, "pending": 0}
    assert weeks["2026-02-23"]["compliance"] == approx(0 / 1)
    assert counts(weeks["2026-03-02"], ("met", "missed", "pending")) == \
        {"met": 1, "missed": 1, "pending": 1}
    assert weeks["2026-03-02"]["compliance"] == approx(1 / 2)


# --------------------------------------------------------------------------- weeks (reading 10)

def test_standards_weekly_rows_and_week_labels(desk):
    # resolution within 24 hours, scope channel = email. Weeks are ISO weeks in London time.
    #   W1 Sun 07-05 23:30 BST (22:30Z), resolved 1 h later -> met,    week Mon 2026-06-29
    #   W2 Mon 07-13 00:30 BST (= Sun 07-12 23:30Z!), met   ->         week 2026-07-13
    #   W3 Wed 07-08 phone: out of scope -> no row for week 2026-07-06
    #   W4 Tue 07-14 10:00, resolved 07-15 10:00:01 (24 h + 1 s) -> missed, week 2026-07-13
    #   W5 2026-07-19T23:30:00Z = Mon 07-20 00:30 BST, resolved 30 min later -> met,
    #      week 2026-07-20
    desk.charter([std("resolution", 24, "hours", scope={"channel": "email"})])
    desk.load("contacts", [
        {"ticket_id": "W1", "channel": "email", "opened_at": "2026-07-05 23:30:00",
         "resolved_at": "2026-07-06 00:30:00"},
        {"ticket_id": "W2", "channel": "email", "opened_at": "2026-07-13 00:30:00",
         "resolved_at": "2026-07-13 01:00:00"},
        {"ticket_id": "W3", "channel": "phone", "opened_at": "2026-07-08 10:00:00",
         "resolved_at": "2026-07-08 11:00:00"},
        {"ticket_id": "W4", "channel": "email", "opened_at": "2026-07-14 10:00:00",
         "resolved_at": "2026-07-15 10:00:01"},
        {"ticket_id": "W5", "channel": "email", "opened_at": "2026-07-19T23:30:00Z",
         "resolved_at": "2026-07-20T00:00:00Z"},
    ])
    kp = desk.kpis()
    weeks = weekly(kp)
    assert sorted(weeks) == ["2026-06-29", "2026-07-13", "2026-07-20"]
    assert counts(weeks["2026-06-29"], ("met", "missed", "pending")) == \
        {"met": 1, "missed": 0, "pending": 0}
    assert weeks["2026-06-29"]["compliance"] == approx(1.0)
    assert counts(weeks["2026-07-13"], ("met", "missed", "pending")) == \
        {"met": 1, "missed": 1, "pending": 0}
    assert weeks["2026-07-13"]["compliance"] == approx(1 / 2)
    assert counts(weeks["2026-07-20"], ("met", "missed", "pending")) == \
        {"met": 1, "missed": 0, "pending": 0}
    # responsiveness_weekly: every week with at least one contact, whatever the scope
    resp = responsiveness(kp)
    assert sorted(resp) == ["2026-06-29", "2026-07-06", "2026-07-13", "2026-07-20"]
    assert [resp[w]["contacts"] for w in sorted(resp)] == [1, 1, 2, 1]


# --------------------------------------------------------------------------- --from / --to

FROM_TO_CONTACTS = [
    # resolution within 24 hours; as_of = R4's updated_at 07-10 12:00 BST = 11:00Z
    # R1 local date 07-01: resolved after 1 h -> met
    {"ticket_id": "R1", "opened_at": "2026-07-01 10:00:00",
     "resolved_at": "2026-07-01 11:00:00"},
    # R2 local date 07-02 (UTC date 07-01): 24 h + 1 s -> missed
    {"ticket_id": "R2", "opened_at": "2026-07-02 00:30:00",
     "resolved_at": "2026-07-03 00:30:01"},
    # R3 local date 07-04 (UTC date 07-03): open, deadline 07-05 00:15 < as_of -> missed
    {"ticket_id": "R3", "opened_at": "2026-07-04 00:15:00"},
    # R4 local date 07-06: open, deadline 07-07 09:00 < as_of -> missed
    {"ticket_id": "R4", "opened_at": "2026-07-06 09:00:00", "updated_at": "2026-07-10 12:00:00"},
]


@pytest.mark.parametrize("date_from, date_to, met, missed", [
    pytest.param(None, None, 1, 3, id="all"),
    pytest.param("2026-07-02", "2026-07-03", 0, 1, id="local-dates:R2-only"),
    # R3 alone: still missed because as_of stays 07-10 (with an as_of recomputed from R3 alone
    # it would be pending)
    pytest.param("2026-07-04", "2026-07-05", 0, 1, id="as_of-unchanged:R3"),
    pytest.param("2026-07-02", None, 0, 3, id="from-only:R2,R3,R4"),
    pytest.param(None, "2026-07-01", 1, 0, id="to-only:R1"),
])
def test_from_to_filter_on_local_opened_date(desk, date_from, date_to, met, missed):
    desk.charter([std("resolution", 24, "hours")])
    desk.load("contacts", FROM_TO_CONTACTS)
    kp = desk.kpis(date_from, date_to)
    assert_as_of(kp, utc(2026, 7, 10, 11, 0))
    row = standard(kp)
    assert counts(row, ("met", "missed", "pending", "invalid")) == \
        {"met": met, "missed": missed, "pending": 0, "invalid": 0}


# --------------------------------------------------------------------------- parsing (section 2)

@pytest.mark.parametrize("opened, first_response, hours, as_of, week_label", [
    # Z is UTC; naive 12:00 in July is BST = 11:00Z -> 2 h
    pytest.param("2026-07-01T09:00:00Z", "2026-07-01 12:00:00", 2.0, utc(2026, 7, 1, 11, 0),
                 "2026-06-29", id="Z-and-naive-BST"),
    # 10:00+02:00 = 08:00Z, 09:30+01:00 = 08:30Z -> 0.5 h
    pytest.param("2026-07-01T10:00:00+02:00", "2026-07-01T09:30:00+01:00", 0.5,
                 utc(2026, 7, 1, 8, 30), "2026-06-29", id="offsets"),
    # naive January = GMT = 10:00Z; 10:00-05:00 = 15:00Z -> 5 h
    pytest.param("2026-01-15 10:00:00", "2026-01-15T10:00:00-05:00", 5.0,
                 utc(2026, 1, 15, 15, 0), "2026-01-12", id="naive-GMT-and-negative-offset"),
    # no seconds (the spec's own example form): 14:05 -> 15:35 GMT = 1.5 h
    pytest.param("2026-03-02 14:05", "2026-03-02 15:35", 1.5, utc(2026, 3, 2, 15, 35),
                 "2026-03-02", id="naive-without-seconds"),
    # naive with a T: 10:00 BST -> 10:45 BST = 0.75 h, as_of 09:45Z
    pytest.param("2026-07-01T10:00:00", "2026-07-01T10:45:00", 0.75, utc(2026, 7, 1, 9, 45),
                 "2026-06-29", id="naive-with-T"),
    # spring gap: 01:30 does not exist on 03-29; shifted forward by the gap -> 02:30 BST =
    # 01:30Z; reply 03:00 BST = 02:00Z -> 0.5 h (Sunday -> week of Mon 03-23)
    pytest.param("2026-03-29 01:30:00", "2026-03-29 03:00:00", 0.5, utc(2026, 3, 29, 2, 0),
                 "2026-03-23", id="spring-gap-shift-forward"),
    # autumn: 01:30 occurs twice on 10-25; first occurrence = BST = 00:30Z; 02:00 GMT = 02:00Z
    # -> 1.5 h
    pytest.param("2026-10-25 01:30:00", "2026-10-25 02:00:00", 1.5, utc(2026, 10, 25, 2, 0),
                 "2026-10-19", id="autumn-ambiguous-earlier"),
])
def test_timestamp_parsing_through_durations(desk, opened, first_response, hours, as_of,
                                             week_label):
    desk.load("contacts", [{"ticket_id": "P1", "opened_at": opened,
                            "first_response_at": first_response}])
    kp = desk.kpis()
    assert_as_of(kp, as_of)
    rows = kp["responsiveness_weekly"]
    assert [r["week"] for r in rows] == [week_label]
    assert rows[0]["first_response_median_hours"] == approx(hours)
    assert rows[0]["first_response_p90_hours"] == approx(hours)


@pytest.mark.parametrize("opened, as_of", [
    # autumn ambiguous 01:15 -> first occurrence (BST) = 00:15Z
    pytest.param("2026-10-25 01:15:00", utc(2026, 10, 25, 0, 15), id="autumn-ambiguous"),
    # spring nonexistent 01:15 -> shifted forward one hour to 02:15 BST = 01:15Z
    pytest.param("2026-03-29 01:15:00", utc(2026, 3, 29, 1, 15), id="spring-gap"),
    # an offset in winter: 2026-02-01 23:00-03:00 = 02-02 02:00Z
    pytest.param("2026-02-01T23:00:00-03:00", utc(2026, 2, 2, 2, 0), id="offset-next-day"),
])
def test_timestamp_parsing_through_as_of(desk, opened, as_of):
    desk.load("contacts", [{"ticket_id": "P1", "opened_at": opened}])
    assert_as_of(desk.kpis(), as_of)


@pytest.mark.parametrize("date_format, as_of", [
    # 02/03/2026 day-first = 2 March (GMT) -> 14:05Z
    ("dayfirst", utc(2026, 3, 2, 14, 5)),
    # month-first = 3 February (GMT) -> 14:05Z
    ("monthfirst", utc(2026, 2, 3, 14, 5)),
])
def test_declared_date_format(desk, date_format, as_of):
    desk.load("contacts", [{"ticket_id": "P1", "opened_at": "02/03/2026 10:00",
                            "first_response_at": "02/03/2026 14:05"}],
              "--date-format", date_format)
    kp = desk.kpis()
    assert_as_of(kp, as_of)
    # 10:00 -> 14:05 = 4 h 5 min
    assert kp["responsiveness_weekly"][0]["first_response_median_hours"] == approx(4 + 5 / 60)


def test_ambiguous_day_month_file_is_not_guessed(desk):
    # "Never guess silently between day-first and month-first: if the file is ambiguous and no
    # format is declared, ask." The CLI cannot ask, so the load must not succeed.
    path = desk.write("contacts", [{"ticket_id": "P1", "opened_at": "02/03/2026 10:00"}])
    proc = desk.run("load", "contacts", str(path), "--preset", "canonical")
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert proc.stderr.strip(), "a refusal must say why on stderr"
