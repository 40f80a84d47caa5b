"""Conformance: charter deadlines for every unit (spec section 3 "Deadlines", readings 1-4).

Black box: each case loads canonical contacts through `cli.py load` and reads
`cli.py kpis --json`. Schedule everywhere: Europe/London, Mon-Fri, [09:00, 17:30) = 8.5 working
hours a day, bank holidays GB/ENG. Relevant 2026 facts (checked on a calendar):
  * DST starts Sun 2026-03-29 (01:00 GMT -> 02:00 BST) and ends Sun 2026-10-25 (02:00 BST -> 01:00 GMT)
  * England bank holidays: Fri 04-03 Good Friday, Mon 04-06 Easter Monday, Mon 05-04 early May,
    Fri 12-25 Christmas, Sat 12-26 Boxing Day -> substitute Mon 12-28
  * 2026-03-02 is a Monday, 03-06 Fri, 03-07 Sat, 03-27 Fri, 04-02 Thu, 05-01 Fri, 06-09 Tue,
    10-23 Fri, 12-23 Wed

How a deadline is pinned: two contacts with the same opened_at and a `resolution` standard;
T-MET is resolved exactly at the hand-computed deadline (met: "at or before the deadline"),
T-MISS one second later (missed). met == 1 and missed == 1 is only possible when the engine's
deadline is in [deadline, deadline + 1 s). All times are naive = Europe/London local time.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spec_harness import Desk, approx, counts, standard, std  # noqa: E402


@pytest.fixture
def desk(tmp_path):
    return Desk(tmp_path)


def case(cid, unit, within, opened, deadline, one_second_later, closed_dates=()):
    return pytest.param(unit, within, opened, deadline, one_second_later, list(closed_dates),
                        id=cid)


CASES = [
    # ---------------------------------------------------------------- hours: start + N hours
    case("hours-plain", "hours", 4, "2026-03-02 10:00:00",
         "2026-03-02 14:00:00", "2026-03-02 14:00:01"),
    # weekends do not matter for calendar hours: Sat 22:00 + 3 h = Sun 01:00
    case("hours-weekend-night", "hours", 3, "2026-03-07 22:00:00",
         "2026-03-08 01:00:00", "2026-03-08 01:00:01"),
    # nor do bank holidays: Christmas Day 08:00 + 4 h
    case("hours-bank-holiday", "hours", 4, "2026-12-25 08:00:00",
         "2026-12-25 12:00:00", "2026-12-25 12:00:01"),
    # Sat 12:00 GMT = 12:00Z; +24 h = Sun 12:00Z = 13:00 BST (elapsed real time)
    case("hours-spring-dst-24h", "hours", 24, "2026-03-28 12:00:00",
         "2026-03-29 13:00:00", "2026-03-29 13:00:01"),
    # Sun 00:30 GMT = 00:30Z; +2 h = 02:30Z = 03:30 BST (three hours on the wall clock)
    case("hours-spring-dst-night", "hours", 2, "2026-03-29 00:30:00",
         "2026-03-29 03:30:00", "2026-03-29 03:30:01"),
    # Sat 12:00 BST = 11:00Z; +24 h = Sun 11:00Z = 11:00 GMT
    case("hours-autumn-dst-24h", "hours", 24, "2026-10-24 12:00:00",
         "2026-10-25 11:00:00", "2026-10-25 11:00:01"),
    # Sun 00:30 BST = Sat 23:30Z; +3 h = 02:30Z = 02:30 GMT (two hours on the wall clock)
    case("hours-autumn-dst-night", "hours", 3, "2026-10-25 00:30:00",
         "2026-10-25 02:30:00", "2026-10-25 02:30:01"),
    # ---------------------------------------------------------------- days: start + N x 24 h
    # Fri 16:00 + 48 h = Sun 16:00 (weekend counts)
    case("days-weekend", "days", 2, "2026-03-06 16:00:00",
         "2026-03-08 16:00:00", "2026-03-08 16:00:01"),
    # Christmas Eve 10:00 + 72 h = 12-27 10:00 (holidays count)
    case("days-christmas", "days", 3, "2026-12-24 10:00:00",
         "2026-12-27 10:00:00", "2026-12-27 10:00:01"),
    # Sat 10:00 GMT = 10:00Z; +24 h = Sun 10:00Z = 11:00 BST
    case("days-spring-dst", "days", 1, "2026-03-28 10:00:00",
         "2026-03-29 11:00:00", "2026-03-29 11:00:01"),
    # Sat 10:00 BST = 09:00Z; +24 h = Sun 09:00Z = 09:00 GMT
    case("days-autumn-dst", "days", 1, "2026-10-24 10:00:00",
         "2026-10-25 09:00:00", "2026-10-25 09:00:01"),
    # N = 0: deadline = start
    case("days-zero", "days", 0, "2026-03-02 10:00:00",
         "2026-03-02 10:00:00", "2026-03-02 10:00:01"),
    # ---------------------------------------------------------------- business_hours
    # Mon 10:00 + 2 working hours = 12:00
    case("bh-same-day", "business_hours", 2, "2026-03-02 10:00:00",
         "2026-03-02 12:00:00", "2026-03-02 12:00:01"),
    # Mon 16:00-17:30 = 1.5 h, Tue 09:00-09:30 = 0.5 h
    case("bh-overnight", "business_hours", 2, "2026-03-02 16:00:00",
         "2026-03-03 09:30:00", "2026-03-03 09:30:01"),
    # reading 2: Mon 15:30 + 2 h uses the hours up exactly at closing -> Mon 17:30 (not Tue 09:00)
    case("bh-ends-at-closing", "business_hours", 2, "2026-03-02 15:30:00",
         "2026-03-02 17:30:00", "2026-03-02 17:30:01"),
    # 8.5 (Mon) + 8.5 (Tue) = 17 -> Tue 17:30 (reading 2 again)
    case("bh-two-full-days", "business_hours", 17, "2026-03-02 09:00:00",
         "2026-03-03 17:30:00", "2026-03-03 17:30:01"),
    # 8.5 (Mon) + 8.5 (Tue) + 3 (Wed 09:00-12:00) = 20
    case("bh-multi-day", "business_hours", 20, "2026-03-02 09:00:00",
         "2026-03-04 12:00:00", "2026-03-04 12:00:01"),
    # Saturday arrival starts counting Mon 09:00 -> Mon 10:00
    case("bh-weekend-arrival", "business_hours", 1, "2026-03-07 11:00:00",
         "2026-03-09 10:00:00", "2026-03-09 10:00:01"),
    # Fri 17:00-17:30 = 0.5 h, Mon 09:00-10:30 = 1.5 h
    case("bh-friday-to-monday", "business_hours", 2, "2026-03-06 17:00:00",
         "2026-03-09 10:30:00", "2026-03-09 10:30:01"),
    # before opening: counting starts 09:00 the same day
    case("bh-before-opening", "business_hours", 1, "2026-03-03 07:45:00",
         "2026-03-03 10:00:00", "2026-03-03 10:00:01"),
    # after closing: counting starts next opening (Wed 09:00)
    case("bh-after-closing", "business_hours", 1, "2026-03-03 18:00:00",
         "2026-03-04 10:00:00", "2026-03-04 10:00:01"),
    # reading 1: exactly at `closes` is outside working time -> Wed 09:00 + 1 h
    case("bh-at-closes", "business_hours", 1, "2026-03-03 17:30:00",
         "2026-03-04 10:00:00", "2026-03-04 10:00:01"),
    # one second before closing: 1 s on Tue, 59 min 59 s on Wed
    case("bh-second-before-closes", "business_hours", 1, "2026-03-03 17:29:59",
         "2026-03-04 09:59:59", "2026-03-04 10:00:00"),
    # Thu 17:00-17:30 = 0.5 h; Fri 04-03 Good Friday, weekend, Mon 04-06 Easter Monday; Tue 09:30
    case("bh-easter", "business_hours", 1, "2026-04-02 17:00:00",
         "2026-04-07 09:30:00", "2026-04-07 09:30:01"),
    # arrival on Easter Monday (holiday): starts Tue 09:00
    case("bh-easter-monday-arrival", "business_hours", 1, "2026-04-06 10:00:00",
         "2026-04-07 10:00:00", "2026-04-07 10:00:01"),
    # Fri 05-01 17:00-17:30 = 0.5 h; Mon 05-04 early May bank holiday; Tue 09:00-10:30 = 1.5 h
    case("bh-early-may", "business_hours", 2, "2026-05-01 17:00:00",
         "2026-05-05 10:30:00", "2026-05-05 10:30:01"),
    # Wed 12-23 17:00-17:30 = 0.5 h; Thu 24 closed date, Fri 25, Sat 26, Sun 27,
    # Mon 28 (Boxing Day substitute) closed; Tue 29 09:00-09:30
    case("bh-christmas-closed-date", "business_hours", 1, "2026-12-23 17:00:00",
         "2026-12-29 09:30:00", "2026-12-29 09:30:01", ["2026-12-24"]),
    # Christmas Day arrival; Mon 12-28 is the observed substitute for Boxing Day -> Tue 29
    case("bh-boxing-day-substitute", "business_hours", 1, "2026-12-25 10:00:00",
         "2026-12-29 10:00:00", "2026-12-29 10:00:01"),
    # extra closed date Wed 06-10: Tue 17:00-17:30 = 0.5 h, Thu 09:00-09:30 = 0.5 h
    case("bh-closed-date", "business_hours", 1, "2026-06-09 17:00:00",
         "2026-06-11 09:30:00", "2026-06-11 09:30:01", ["2026-06-10"]),
    # Fri 17:00 GMT: 0.5 h; Mon 03-30 opens 09:00 BST: 0.5 h -> 09:30 BST
    case("bh-spring-dst", "business_hours", 1, "2026-03-27 17:00:00",
         "2026-03-30 09:30:00", "2026-03-30 09:30:01"),
    # Fri 17:00 BST: 0.5 h; Mon 10-26 opens 09:00 GMT: 0.5 h -> 09:30 GMT
    case("bh-autumn-dst", "business_hours", 1, "2026-10-23 17:00:00",
         "2026-10-26 09:30:00", "2026-10-26 09:30:01"),
    # reading 2, N = 0: the start itself if in working time ...
    case("bh-zero-in-working-time", "business_hours", 0, "2026-03-02 10:15:00",
         "2026-03-02 10:15:00", "2026-03-02 10:15:01"),
    # ... else the next opening
    case("bh-zero-weekend", "business_hours", 0, "2026-03-07 12:00:00",
         "2026-03-09 09:00:00", "2026-03-09 09:00:01"),
    case("bh-zero-at-closes", "business_hours", 0, "2026-03-02 17:30:00",
         "2026-03-03 09:00:00", "2026-03-03 09:00:01"),
    case("bh-zero-before-opening", "business_hours", 0, "2026-03-02 08:00:00",
         "2026-03-02 09:00:00", "2026-03-02 09:00:01"),
    # ---------------------------------------------------------------- business_days
    # Mon 10:00: day 0 = Mon, day 1 = Tue -> Tue 17:30
    case("bd-one", "business_days", 1, "2026-03-02 10:00:00",
         "2026-03-03 17:30:00", "2026-03-03 17:30:01"),
    # N = 0 -> close of day 0
    case("bd-zero", "business_days", 0, "2026-03-02 10:00:00",
         "2026-03-02 17:30:00", "2026-03-02 17:30:01"),
    # reading 3: 17:30:00 is not "before closes" -> day 0 = Tue
    case("bd-zero-at-closes", "business_days", 0, "2026-03-02 17:30:00",
         "2026-03-03 17:30:00", "2026-03-03 17:30:01"),
    case("bd-zero-second-before-closes", "business_days", 0, "2026-03-02 17:29:59",
         "2026-03-02 17:30:00", "2026-03-02 17:30:01"),
    # reading 3: before opening on a working day -> that day is day 0
    case("bd-zero-before-opening", "business_days", 0, "2026-03-02 07:00:00",
         "2026-03-02 17:30:00", "2026-03-02 17:30:01"),
    # after closing Mon: day 0 = Tue, day 1 = Wed
    case("bd-after-closing", "business_days", 1, "2026-03-02 19:00:00",
         "2026-03-04 17:30:00", "2026-03-04 17:30:01"),
    # Saturday: day 0 = Mon 03-09, day 1 = Tue 03-10
    case("bd-weekend", "business_days", 1, "2026-03-07 10:00:00",
         "2026-03-10 17:30:00", "2026-03-10 17:30:01"),
    # Fri: day 0 = Fri 03-06, days 1..3 = Mon 09, Tue 10, Wed 11
    case("bd-friday-three", "business_days", 3, "2026-03-06 12:00:00",
         "2026-03-11 17:30:00", "2026-03-11 17:30:01"),
    # Thu 04-02: day 0; Fri 04-03 and Mon 04-06 are holidays -> day 1 = Tue 04-07
    case("bd-easter", "business_days", 1, "2026-04-02 10:00:00",
         "2026-04-07 17:30:00", "2026-04-07 17:30:01"),
    # arrival on Easter Monday: day 0 = Tue 04-07
    case("bd-holiday-arrival", "business_days", 0, "2026-04-06 10:00:00",
         "2026-04-07 17:30:00", "2026-04-07 17:30:01"),
    # Fri 05-01: day 0; Mon 05-04 holiday -> day 1 = Tue 05-05
    case("bd-early-may", "business_days", 1, "2026-05-01 12:00:00",
         "2026-05-05 17:30:00", "2026-05-05 17:30:01"),
    # Wed 12-23: day 0; Thu 24 closed date, Fri 25 + Mon 28 holidays -> day 1 = Tue 12-29
    case("bd-christmas", "business_days", 1, "2026-12-23 10:00:00",
         "2026-12-29 17:30:00", "2026-12-29 17:30:01", ["2026-12-24"]),
    # arrival on a closed date (before opening, but the day is closed): day 0 = Thu 06-11
    case("bd-closed-date-arrival", "business_days", 0, "2026-06-10 08:00:00",
         "2026-06-11 17:30:00", "2026-06-11 17:30:01", ["2026-06-10"]),
    # Fri 03-27: day 0; day 1 = Mon 03-30 (now BST) -> 17:30 BST
    case("bd-spring-dst", "business_days", 1, "2026-03-27 10:00:00",
         "2026-03-30 17:30:00", "2026-03-30 17:30:01"),
    # Fri 10-23 after closing: day 0 = Mon 10-26 (GMT), day 1 = Tue 10-27
    case("bd-autumn-dst", "business_days", 1, "2026-10-23 18:00:00",
         "2026-10-27 17:30:00", "2026-10-27 17:30:01"),
]


@pytest.mark.parametrize("unit, within, opened, deadline, one_second_later, closed_dates", CASES)
def test_deadline(desk, unit, within, opened, deadline, one_second_later, closed_dates):
    desk.charter([std("resolution", within, unit)], closed_dates=closed_dates)
    desk.load("contacts", [
        {"ticket_id": "T-MET", "opened_at": opened, "resolved_at": deadline},
        {"ticket_id": "T-MISS", "opened_at": opened, "resolved_at": one_second_later},
    ])
    row = standard(desk.kpis())
    assert counts(row) == {"met": 1, "missed": 1, "pending": 0, "invalid": 0, "out_of_scope": 0}
    assert row["compliance"] == approx(1 / 2)


# An open clock against as_of (reading 4). T-OPEN never stops; T-CLOCK (same opened_at) stops at
# `stop`, which is also the latest timestamp and therefore as_of (reading 8).
#   stop == deadline:      T-CLOCK met,    T-OPEN pending (deadline == as_of exactly)
#   stop == deadline + 1s: T-CLOCK missed, T-OPEN missed (as_of is past the deadline)
PENDING_CASES = [
    # 12:00Z + 24 h = 03-29 12:00Z = 13:00 BST
    ("hours", 24, "2026-03-28 12:00:00", "2026-03-29 13:00:00", "2026-03-29 13:00:01", []),
    # 09:00Z + 24 h = 10-25 09:00Z = 09:00 GMT
    ("days", 1, "2026-10-24 10:00:00", "2026-10-25 09:00:00", "2026-10-25 09:00:01", []),
    # 0.5 h Wed 12-23, closed 24-28, 0.5 h Tue 12-29
    ("business_hours", 1, "2026-12-23 17:00:00", "2026-12-29 09:30:00", "2026-12-29 09:30:01",
     ["2026-12-24"]),
    # 17:30 Mon -> day 0 = Tue
    ("business_days", 0, "2026-03-02 17:30:00", "2026-03-03 17:30:00", "2026-03-03 17:30:01", []),
]


@pytest.mark.parametrize("unit, within, opened, deadline, one_second_later, closed_dates",
                         PENDING_CASES, ids=[c[0] for c in PENDING_CASES])
@pytest.mark.parametrize("at_deadline", [True, False], ids=["as_of=deadline", "as_of=deadline+1s"])
def test_open_clock_against_as_of(desk, unit, within, opened, deadline, one_second_later,
                                  closed_dates, at_deadline):
    desk.charter([std("resolution", within, unit)], closed_dates=closed_dates)
    stop = deadline if at_deadline else one_second_later
    desk.load("contacts", [
        {"ticket_id": "T-OPEN", "opened_at": opened},
        {"ticket_id": "T-CLOCK", "opened_at": opened, "resolved_at": stop},
    ])
    row = standard(desk.kpis())
    if at_deadline:
        assert counts(row) == {"met": 1, "missed": 0, "pending": 1, "invalid": 0,
                               "out_of_scope": 0}
        assert row["compliance"] == approx(1 / 1)
    else:
        assert counts(row) == {"met": 0, "missed": 2, "pending": 0, "invalid": 0,
                               "out_of_scope": 0}
        assert row["compliance"] == approx(0 / 2)


@pytest.mark.parametrize("measure, stop_column", [
    ("acknowledge", "acknowledged_at"),
    ("acknowledge", "first_response_at"),
    ("first_response", "first_response_at"),
])
def test_deadline_applies_to_each_measure(desk, measure, stop_column):
    # 1 working hour from Fri 17:00: 0.5 h Fri + 0.5 h Mon -> Mon 03-09 09:30
    desk.charter([std(measure, 1, "business_hours")])
    desk.load("contacts", [
        {"ticket_id": "T-MET", "opened_at": "2026-03-06 17:00:00",
         stop_column: "2026-03-09 09:30:00"},
        {"ticket_id": "T-MISS", "opened_at": "2026-03-06 17:00:00",
         stop_column: "2026-03-09 09:30:01"},
    ])
    row = standard(desk.kpis())
    assert counts(row) == {"met": 1, "missed": 1, "pending": 0, "invalid": 0, "out_of_scope": 0}
    assert row["compliance"] == approx(0.5)


def test_several_standards_side_by_side(desk):
    """One contact judged by three standards at once, each with its own deadline."""
    # opened Fri 2026-03-06 16:00, resolved Mon 2026-03-09 10:00
    #   hours 24:          deadline Sat 16:00        -> missed
    #   business_hours 3:  1.5 h Fri + 1.5 h Mon -> Mon 10:30 -> met
    #   business_days 0:   close of Fri              -> missed
    desk.charter([
        std("resolution", 24, "hours", id="h24", target=0.8),
        std("resolution", 3, "business_hours", id="bh3", target=0.95),
        std("resolution", 0, "business_days", id="bd0"),
    ])
    desk.load("contacts", [{"ticket_id": "T1", "opened_at": "2026-03-06 16:00:00",
                            "resolved_at": "2026-03-09 10:00:00"}])
    kp = desk.kpis()
    assert counts(standard(kp, "h24"), ("met", "missed")) == {"met": 0, "missed": 1}
    assert counts(standard(kp, "bh3"), ("met", "missed")) == {"met": 1, "missed": 0}
    assert counts(standard(kp, "bd0"), ("met", "missed")) == {"met": 0, "missed": 1}
    assert standard(kp, "h24")["target"] == approx(0.8)
    assert standard(kp, "bh3")["target"] == approx(0.95)
    assert standard(kp, "h24")["compliance"] == approx(0.0)
    assert standard(kp, "bh3")["compliance"] == approx(1.0)


def test_a_time_written_finer_than_the_microsecond_is_never_cut_back_onto_its_deadline(desk):
    # Seven fractional digits (SQL Server datetime2, .NET's round-trip format): the store keeps
    # microseconds, and cutting 14:00:00.0000001 to 14:00:00.000000 made a late stop 'met'
    # (reading 40). 10:00 + 4 h = 14:00 (March: London is on GMT, so Z is local time).
    desk.charter([std("resolution", 4, "hours")])
    desk.load("contacts", [
        {"ticket_id": "T-AFTER", "opened_at": "2026-03-02 10:00:00", "resolved_at": "2026-03-02 14:00:00.0000001"},
        {"ticket_id": "T-AFTER-Z", "opened_at": "2026-03-02 10:00:00", "resolved_at": "2026-03-02T14:00:00.000000900Z"},
        {"ticket_id": "T-AT", "opened_at": "2026-03-02 10:00:00", "resolved_at": "2026-03-02 14:00:00.0000000"},
        {"ticket_id": "T-BEFORE", "opened_at": "2026-03-02 10:00:00", "resolved_at": "2026-03-02 13:59:59.9999999"},
    ])
    assert counts(standard(desk.kpis())) == {"met": 2, "missed": 2, "pending": 0, "invalid": 0, "out_of_scope": 0}


def test_a_deadline_beyond_the_working_calendar_is_later_than_every_stop(desk):
    # A Saturday-only desk open 09:00-10:00 (one working hour a week): the longest promises the
    # charter accepts (2,000 working hours, 250 working days) end decades and years away, past the
    # working calendar, which reaches some years beyond the data. Such a deadline is still after
    # every stop in the data, so a reply within the week is met and an open clock pending (spec
    # section 3: met = stopped at or before the deadline); both were judged missed.
    #   opened Mon 2026-03-02 10:00 (not a working day: counting starts Sat 03-07 09:00)
    #   2000 business_hours: the 2000th Saturday's 10:00, about 2064
    #   250 business_days: day 0 = Sat 03-07, deadline = close of Sat 03-07 + 250 weeks = 2030-12-28 10:00
    #   T-MET acknowledged Sat 2026-03-07 09:30 (= as_of): met under both; T-OPEN never: pending
    desk.charter([std("acknowledge", 2000, "business_hours", id="bh"),
                  std("acknowledge", 250, "business_days", id="bd")],
                 working_days=["Sat"], opens="09:00", closes="10:00", holidays="")
    desk.load("contacts", [
        {"ticket_id": "T-MET", "opened_at": "2026-03-02 10:00:00", "acknowledged_at": "2026-03-07 09:30:00"},
        {"ticket_id": "T-OPEN", "opened_at": "2026-03-02 10:00:00"},
    ])
    kp = desk.kpis()
    for sid in ("bh", "bd"):
        assert counts(standard(kp, sid)) == {"met": 1, "missed": 0, "pending": 1, "invalid": 0, "out_of_scope": 0}, sid
        assert standard(kp, sid)["compliance"] == approx(1.0)
