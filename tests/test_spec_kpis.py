"""Conformance: KPI numbers of spec section 5 (responsiveness, complaints, pricing by tenure,
churn), readings 10-13, through `cli.py load` / `cli.py kpis --json`.

Percentiles are continuous with linear interpolation (DuckDB quantile_cont): for sorted values
x0..x(n-1), p = q at position h = q * (n - 1) is x[floor h] + (h - floor h) * (x[floor h + 1] -
x[floor h]). Every expectation below is worked out by hand from the fixture.
Schedule: Europe/London, Mon-Fri [09:00, 17:30), GB/ENG bank holidays. 2026-03-02 is a Monday.
"""

import sys
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spec_harness import (BANDS, Desk, approx, band, churn_months, responsiveness,  # noqa: E402
                          std)

import queries  # noqa: E402  (the churn-by-band query is not in the spec's JSON)

LONDON = "Europe/London"   # the harness charter's time zone


@pytest.fixture
def desk(tmp_path):
    return Desk(tmp_path)


# --------------------------------------------------------------------------- responsiveness

def test_responsiveness_weekly(desk):
    desk.charter([std("acknowledge", 1, "business_hours")])
    desk.load("contacts", [
        # week 2026-03-02                  ack (working h)             first response (h)
        # C1 Mon 10:00, ack 11:00, fr 12:00 -> 1.0                      2.0
        {"ticket_id": "C1", "opened_at": "2026-03-02 10:00:00",
         "acknowledged_at": "2026-03-02 11:00:00", "first_response_at": "2026-03-02 12:00:00"},
        # C2 Mon 17:00, ack Tue 09:30, fr Tue 10:00
        #                                   -> 0.5 Mon + 0.5 Tue = 1.0  17.0
        {"ticket_id": "C2", "opened_at": "2026-03-02 17:00:00",
         "acknowledged_at": "2026-03-03 09:30:00", "first_response_at": "2026-03-03 10:00:00"},
        # C3 Tue 09:00, ack 12:00, fr 13:00 -> 3.0                      4.0
        {"ticket_id": "C3", "opened_at": "2026-03-03 09:00:00",
         "acknowledged_at": "2026-03-03 12:00:00", "first_response_at": "2026-03-03 13:00:00"},
        # C4 Wed 16:30, no ack, fr Thu 10:30 (the reply acknowledges)
        #                                   -> 1.0 Wed + 1.5 Thu = 2.5  18.0
        {"ticket_id": "C4", "opened_at": "2026-03-04 16:30:00",
         "first_response_at": "2026-03-05 10:30:00"},
        # C5 Sat, nothing yet               -> counted in contacts only
        {"ticket_id": "C5", "opened_at": "2026-03-07 10:00:00"},
        # week 2026-03-09: one contact without any stop -> statistics null
        {"ticket_id": "C6", "opened_at": "2026-03-09 10:00:00"},
        # week 2026-03-16: no contact -> no row
        # week 2026-03-23: C7 Mon 10:00, ack and fr 10:30 -> 0.5 / 0.5
        {"ticket_id": "C7", "opened_at": "2026-03-23 10:00:00",
         "acknowledged_at": "2026-03-23 10:30:00", "first_response_at": "2026-03-23 10:30:00"},
        # week 2026-03-30 (BST): replies after 1, 2, 3, 4 hours, all in working time, no ack
        {"ticket_id": "Q1", "opened_at": "2026-03-30 10:00:00",
         "first_response_at": "2026-03-30 11:00:00"},
        {"ticket_id": "Q2", "opened_at": "2026-03-30 10:00:00",
         "first_response_at": "2026-03-30 12:00:00"},
        {"ticket_id": "Q3", "opened_at": "2026-03-30 10:00:00",
         "first_response_at": "2026-03-30 13:00:00"},
        {"ticket_id": "Q4", "opened_at": "2026-03-30 10:00:00",
         "first_response_at": "2026-03-30 14:00:00"},
    ])
    kp = desk.kpis()
    weeks = responsiveness(kp)
    assert sorted(weeks) == ["2026-03-02", "2026-03-09", "2026-03-23", "2026-03-30"]

    w = weeks["2026-03-02"]
    assert w["contacts"] == 5
    # ack sorted 1, 1, 2.5, 3: median (1 + 2.5) / 2; p90 h = 2.7 -> 2.5 + 0.7 * (3 - 2.5)
    assert w["ack_median_bh"] == approx((1 + 2.5) / 2)          # 1.75
    assert w["ack_p90_bh"] == approx(2.5 + 0.7 * (3 - 2.5))      # 2.85
    # first response sorted 2, 4, 17, 18: median (4 + 17) / 2; p90 = 17 + 0.7 * (18 - 17)
    assert w["first_response_median_hours"] == approx((4 + 17) / 2)   # 10.5
    assert w["first_response_p90_hours"] == approx(17 + 0.7 * (18 - 17))  # 17.7

    w = weeks["2026-03-09"]
    assert w["contacts"] == 1
    for key in ("ack_median_bh", "ack_p90_bh", "first_response_median_hours",
                "first_response_p90_hours"):
        assert w[key] is None, key

    w = weeks["2026-03-23"]
    assert w["contacts"] == 1
    assert [w["ack_median_bh"], w["ack_p90_bh"]] == [approx(0.5), approx(0.5)]
    assert [w["first_response_median_hours"], w["first_response_p90_hours"]] == \
        [approx(0.5), approx(0.5)]

    w = weeks["2026-03-30"]
    assert w["contacts"] == 4
    # values 1, 2, 3, 4: median 2.5; p90 h = 2.7 -> 3 + 0.7 * (4 - 3) = 3.7
    assert w["first_response_median_hours"] == approx(2.5)
    assert w["first_response_p90_hours"] == approx(3.7)
    assert w["ack_median_bh"] == approx(2.5)
    assert w["ack_p90_bh"] == approx(3.7)


def test_responsiveness_across_dst_changes(desk):
    # Working hours follow the local clock; calendar hours are elapsed real time.
    #   spring: Fri 03-27 17:00 GMT (17:00Z) -> Mon 03-30 09:30 BST (08:30Z)
    #           bh = 0.5 Fri + 0.5 Mon = 1.0; hours = 72 (to Mon 17:00Z) - 8.5 = 63.5
    #   autumn: Fri 10-23 17:00 BST (16:00Z) -> Mon 10-26 09:30 GMT (09:30Z)
    #           bh = 1.0; hours = 72 (to Mon 16:00Z) - 6.5 = 65.5
    desk.load("contacts", [
        {"ticket_id": "SPRING", "opened_at": "2026-03-27 17:00:00",
         "acknowledged_at": "2026-03-30 09:30:00", "first_response_at": "2026-03-30 09:30:00"},
        {"ticket_id": "AUTUMN", "opened_at": "2026-10-23 17:00:00",
         "acknowledged_at": "2026-10-26 09:30:00", "first_response_at": "2026-10-26 09:30:00"},
    ])
    weeks = responsiveness(desk.kpis())
    assert sorted(weeks) == ["2026-03-23", "2026-10-19"]
    spring, autumn = weeks["2026-03-23"], weeks["2026-10-19"]
    assert spring["ack_median_bh"] == approx(1.0)
    assert spring["first_response_median_hours"] == approx(72 - 8.5)
    assert autumn["ack_median_bh"] == approx(1.0)
    assert autumn["first_response_median_hours"] == approx(72 - 6.5)


def test_responsiveness_excludes_invalid_durations(desk):
    # X1 replies 2 h after opening; X2's reply is stamped 1 h BEFORE opening (invalid, excluded)
    # -> only X1's 2 h (first response) and its 2 working hours (ack) count.
    desk.load("contacts", [
        {"ticket_id": "X1", "opened_at": "2026-03-02 10:00:00",
         "first_response_at": "2026-03-02 12:00:00"},
        {"ticket_id": "X2", "opened_at": "2026-03-02 10:00:00",
         "first_response_at": "2026-03-02 09:00:00"},
    ])
    w = responsiveness(desk.kpis())["2026-03-02"]
    assert w["contacts"] == 2
    assert w["first_response_median_hours"] == approx(2.0)
    assert w["first_response_p90_hours"] == approx(2.0)
    assert w["ack_median_bh"] == approx(2.0)


# --------------------------------------------------------------------------- complaints

def test_complaints(desk):
    desk.load("contacts", [
        # three enquiries (E3 with blank kind = enquiry); E2's csat is not a complaint's
        {"ticket_id": "E1", "kind": "enquiry", "opened_at": "2026-03-02 10:00:00"},
        {"ticket_id": "E2", "kind": "enquiry", "opened_at": "2026-03-02 11:00:00", "csat": 1},
        {"ticket_id": "E3", "kind": "", "opened_at": "2026-03-02 12:00:00",
         "resolved_at": "2026-03-09 12:00:00", "reopened_count": 3},
        # K1 resolved after 10 h, reopened once, followed up, csat 5
        {"ticket_id": "K1", "kind": "complaint", "opened_at": "2026-03-02 10:00:00",
         "resolved_at": "2026-03-02 20:00:00", "reopened_count": 1,
         "follow_up_at": "2026-03-03 10:00:00", "csat": 5},
        # K2 resolved after 48 h, not reopened, no follow-up, csat 2
        {"ticket_id": "K2", "kind": "complaint", "opened_at": "2026-03-02 10:00:00",
         "resolved_at": "2026-03-04 10:00:00", "reopened_count": 0, "csat": 2},
        # K3 resolved after 4 h, followed up, no csat
        {"ticket_id": "K3", "kind": "complaint", "opened_at": "2026-03-03 09:00:00",
         "resolved_at": "2026-03-03 13:00:00", "reopened_count": 0,
         "follow_up_at": "2026-03-04 09:00:00"},
        # K4 open (not resolved): no resolution time, not in reopen/follow-up rates; csat 3
        # still counts (reading 11: every complaint with a csat)
        {"ticket_id": "K4", "kind": "complaint", "opened_at": "2026-03-05 09:00:00",
         "reopened_count": 2, "csat": 3},
    ])
    c = desk.kpis()["complaints"]
    assert c["count"] == 4
    assert c["per_1000_contacts"] == approx(1000 * 4 / 7)        # 571.43
    # resolution hours sorted 4, 10, 48: median 10; p90 h = 1.8 -> 10 + 0.8 * (48 - 10)
    assert c["resolution_median_hours"] == approx(10.0)
    assert c["resolution_p90_hours"] == approx(10 + 0.8 * (48 - 10))  # 40.4
    assert c["reopen_rate"] == approx(1 / 3)      # K1 of K1, K2, K3
    assert c["follow_up_rate"] == approx(2 / 3)   # K1, K3 of K1, K2, K3
    assert c["csat_mean"] == approx((5 + 2 + 3) / 3)


def test_complaints_resolution_time_excludes_invalid(desk):
    # KA resolved after 5 h; KB "resolved" 2 h before it was opened (invalid, excluded)
    desk.load("contacts", [
        {"ticket_id": "KA", "kind": "complaint", "opened_at": "2026-03-02 10:00:00",
         "resolved_at": "2026-03-02 15:00:00"},
        {"ticket_id": "KB", "kind": "complaint", "opened_at": "2026-03-02 10:00:00",
         "resolved_at": "2026-03-02 08:00:00"},
    ])
    c = desk.kpis()["complaints"]
    assert c["count"] == 2
    assert c["per_1000_contacts"] == approx(1000 * 2 / 2)
    assert c["resolution_median_hours"] == approx(5.0)
    assert c["resolution_p90_hours"] == approx(5.0)


def test_complaints_when_there_are_none(desk):
    desk.load("contacts", [
        {"ticket_id": "E1", "kind": "enquiry", "opened_at": "2026-03-02 10:00:00",
         "resolved_at": "2026-03-02 11:00:00", "csat": 4},
        {"ticket_id": "E2", "opened_at": "2026-03-02 10:00:00"},
    ])
    c = desk.kpis()["complaints"]
    assert c["count"] == 0
    assert c["per_1000_contacts"] == approx(0.0)   # 1000 x 0 / 2
    for key in ("resolution_median_hours", "resolution_p90_hours", "reopen_rate",
                "follow_up_rate", "csat_mean"):
        assert c[key] is None, key                 # no values -> null


def test_share_of_complaints_resolved_within_each_resolution_standard(desk):
    # spec section 5: "share resolved within each resolution standard", for complaints. The 24-hour
    # promise covers every contact; as_of = E1's resolution, Mon 2 March 2026 16:00 + 30 h = Tue 22:00.
    #   K1 complaint resolved after 10 h: met        K2 complaint after 30 h: missed
    #   K3 complaint never resolved, deadline Tue 16:00 < as_of: missed
    #   K4 complaint opened Tue 21:00, deadline Wed 21:00 > as_of: pending
    #   KX complaint resolved before it was opened: invalid
    #   E1 enquiry after 30 h: missed for the promise, not a complaint
    # -> complaints: met 1, missed 2, pending 1, invalid 1, share 1/3; the promise as a whole 1/4.
    # A 48-hour promise kept to complaints: K1, K2 met, K3 and K4 pending -> 1.0.
    desk.charter([std("resolution", 24, "hours", id="day"),
                  std("resolution", 48, "hours", id="two_days", scope={"kind": ["complaint"]}),
                  std("first_response", 1, "hours", id="reply")])
    desk.load("contacts", [
        {"ticket_id": "K1", "kind": "complaint", "opened_at": "2026-03-02 16:00:00", "resolved_at": "2026-03-03 02:00:00"},
        {"ticket_id": "K2", "kind": "complaint", "opened_at": "2026-03-02 16:00:00", "resolved_at": "2026-03-03 22:00:00"},
        {"ticket_id": "K3", "kind": "complaint", "opened_at": "2026-03-02 16:00:00"},
        {"ticket_id": "K4", "kind": "complaint", "opened_at": "2026-03-03 21:00:00"},
        {"ticket_id": "KX", "kind": "complaint", "opened_at": "2026-03-02 16:00:00", "resolved_at": "2026-03-02 15:00:00"},
        {"ticket_id": "E1", "kind": "enquiry", "opened_at": "2026-03-02 16:00:00", "resolved_at": "2026-03-03 22:00:00"},
    ])
    kp = desk.kpis()
    assert kp["complaints_within_standards"] == [
        {"id": "day", "met": 1, "missed": 2, "pending": 1, "invalid": 1, "share": approx(1 / 3)},
        {"id": "two_days", "met": 2, "missed": 0, "pending": 2, "invalid": 1, "share": approx(1.0)},
    ]
    assert next(s for s in kp["standards"] if s["id"] == "day")["compliance"] == approx(1 / 4)


# --------------------------------------------------------------------------- pricing by tenure

def test_pricing_by_tenure(desk):
    desk.load("customers", [
        {"customer_id": "A", "joined_at": "2025-04-01"},
        {"customer_id": "B", "joined_at": "2026-01-10"},
        {"customer_id": "C", "joined_at": "2023-06-15"},
        {"customer_id": "D", "joined_at": "2020-01-01"},
        {"customer_id": "E", "joined_at": "2025-09-01"},
    ])
    desk.load("prices", [
        # A on its first anniversary: 1 completed year -> 1-2y; benchmark 100 (given)
        #   gap 120/100 - 1 = 0.2, penalty 20
        {"customer_id": "A", "period": "2026-04-01", "product": "energy", "price_paid": "120",
         "new_customer_price": "100"},
        # A one day before: 0 completed years -> <1y; gap 0, penalty 0, not above
        {"customer_id": "A", "period": "2026-03-31", "product": "energy", "price_paid": "100",
         "new_customer_price": "100"},
        # B, E: <1y; no new_customer_price -> benchmark = median of the <1y rows of
        # energy / 2026-04-01 = median(90, 110) = 100; gaps -0.1 and 0.1; penalties 0 and 10
        {"customer_id": "B", "period": "2026-04-01", "product": "energy", "price_paid": "90"},
        {"customer_id": "E", "period": "2026-04-01", "product": "energy", "price_paid": "110"},
        # C joined 2023-06-15, period 2026-04-01: 2 completed years (3rd anniversary is
        # 2026-06-15) -> 2-3y (date_diff('year') would say 3); benchmark 100 from the pool;
        # gap 0.3, penalty 30
        {"customer_id": "C", "period": "2026-04-01", "product": "energy", "price_paid": "130"},
        # D: 6 years -> 5y+; gap 150/120 - 1 = 0.25, penalty 30
        {"customer_id": "D", "period": "2026-04-01", "product": "energy", "price_paid": "150",
         "new_customer_price": "120"},
        # D broadband: no <1y row for broadband / 2026-05-01 -> no benchmark (counts in rows,
        # not in gap, share or penalty)
        {"customer_id": "D", "period": "2026-05-01", "product": "broadband", "price_paid": "100"},
        # Z is not a known customer -> in no band (inner join)
        {"customer_id": "Z", "period": "2026-04-01", "product": "energy", "price_paid": "999",
         "new_customer_price": "100"},
    ])
    kp = desk.kpis()
    assert sorted(b["band"] for b in kp["pricing_by_tenure"]) == sorted(BANDS)

    b = band(kp, "<1y")  # rows: A 03-31, B, E
    assert (b["rows"], b["customers"]) == (3, 3)
    assert b["median_gap"] == approx(0.0)          # median of -0.1, 0, 0.1
    assert b["share_above"] == approx(1 / 3)       # E only
    assert b["penalty"] == approx(0 + 0 + 10)

    b = band(kp, "1-2y")
    assert (b["rows"], b["customers"]) == (1, 1)
    assert b["median_gap"] == approx(120 / 100 - 1)
    assert b["share_above"] == approx(1.0)
    assert b["penalty"] == approx(20.0)

    b = band(kp, "2-3y")
    assert (b["rows"], b["customers"]) == (1, 1)
    assert b["median_gap"] == approx(130 / 100 - 1)
    assert b["share_above"] == approx(1.0)
    assert b["penalty"] == approx(30.0)

    b = band(kp, "3-5y")  # nobody
    assert (b["rows"], b["customers"]) == (0, 0)
    assert b["median_gap"] is None
    assert b["share_above"] is None
    assert b["penalty"] is None

    b = band(kp, "5y+")  # D's two rows, one with a benchmark
    assert (b["rows"], b["customers"]) == (2, 1)
    assert b["median_gap"] == approx(150 / 120 - 1)
    assert b["share_above"] == approx(1 / 1)
    assert b["penalty"] == approx(150 - 120)


def test_pricing_rows_customers_and_exact_comparison(desk):
    # G joined 2020-05-05 -> 5y+ in every period; three rows against a benchmark of 19.99:
    #   19.99 (equal: not above, penalty 0), 20.00 (above by 0.01), 19.98 (below)
    # gaps 0, 0.01/19.99, -0.01/19.99 -> median 0
    # N has a price row but no benchmark anywhere (no <1y pool) -> its band has rows but a
    # null penalty: N joined 2022-03-01, period 2026-03-01 = 4 years -> 3-5y
    desk.load("customers", [{"customer_id": "G", "joined_at": "2020-05-05"},
                            {"customer_id": "N", "joined_at": "2022-03-01"}])
    desk.load("prices", [
        {"customer_id": "G", "period": "2026-01-01", "product": "p", "price_paid": "19.99",
         "new_customer_price": "19.99"},
        {"customer_id": "G", "period": "2026-02-01", "product": "p", "price_paid": "20.00",
         "new_customer_price": "19.99"},
        {"customer_id": "G", "period": "2026-03-01", "product": "p", "price_paid": "19.98",
         "new_customer_price": "19.99"},
        {"customer_id": "N", "period": "2026-03-01", "product": "q", "price_paid": "50"},
    ])
    kp = desk.kpis()
    assert len(kp["pricing_by_tenure"]) == 5
    b = band(kp, "5y+")
    assert (b["rows"], b["customers"]) == (3, 1)
    assert b["median_gap"] == approx(0.0)
    assert b["share_above"] == approx(1 / 3)
    assert b["penalty"] == pytest.approx(20.00 - 19.99, abs=1e-6)

    b = band(kp, "3-5y")
    assert (b["rows"], b["customers"]) == (1, 1)
    assert b["median_gap"] is None
    assert b["share_above"] is None
    assert b["penalty"] is None

    for name in ("<1y", "1-2y", "2-3y"):
        b = band(kp, name)
        assert (b["rows"], b["customers"]) == (0, 0), name


def test_a_bill_equal_to_a_pooled_median_is_not_above_it(desk):
    # No new_customer_price: each benchmark is the median of the period's <1y bills.
    # Pool A 2026-04-01: N1 0.1, N2 0.7 -> median 0.4 exactly (0.39999999999999997 in floating
    #   point, which made L1's 0.4 "above" it). L1 joined 2025-04-01: 1 year on the day -> 1-2y.
    # Pool B 2026-04-01: N3 0.3, N4 0.6 -> median 0.45. O1 (5y+) pays 0.45 (equal, not above) and
    #   0.46 on product C, whose pool N5 0.1, N6 0.7, N7 0.46 has the median 0.46 (equal again);
    #   O1's third bill, product B on 2026-05-01, pays 0.5 against N3's 0.45 alone -> above.
    # 5y+: rows 3, gaps 0, 0, 0.5/0.45 - 1 = 1/9 -> median 0, share_above 1/3, penalty 0.05.
    desk.load("customers", [{"customer_id": c, "joined_at": "2026-02-01"} for c in ("N1", "N2", "N3", "N4", "N5", "N6", "N7")]
              + [{"customer_id": "L1", "joined_at": "2025-04-01"}, {"customer_id": "O1", "joined_at": "2019-01-01"}])
    bills = [  # customer, period, product, price_paid
        ("N1", "2026-04-01", "A", "0.1"), ("N2", "2026-04-01", "A", "0.7"), ("L1", "2026-04-01", "A", "0.4"),
        ("N3", "2026-04-01", "B", "0.3"), ("N4", "2026-04-01", "B", "0.6"), ("O1", "2026-04-01", "B", "0.45"),
        ("N5", "2026-04-01", "C", "0.1"), ("N6", "2026-04-01", "C", "0.7"), ("N7", "2026-04-01", "C", "0.46"),
        ("O1", "2026-04-01", "C", "0.46"), ("N3", "2026-05-01", "B", "0.45"), ("O1", "2026-05-01", "B", "0.5"),
    ]
    desk.load("prices", [{"customer_id": c, "period": d, "product": p, "price_paid": v} for c, d, p, v in bills])
    kp = desk.kpis()
    b = band(kp, "1-2y")
    assert (b["rows"], b["share_above"], b["median_gap"], b["penalty"]) == (1, 0.0, 0.0, 0.0)
    b = band(kp, "5y+")
    assert (b["rows"], b["customers"]) == (3, 1)
    assert (b["share_above"], b["median_gap"]) == (approx(1 / 3), 0.0)
    assert b["penalty"] == pytest.approx(0.05, abs=1e-9)


def test_a_pooled_median_of_the_largest_prices_is_exact(desk):
    # Pool of 2026-04-01: N1 5,000,000,000,000.0001 and N2 ...0002 -> median ...00015, exactly (it was
    # ...00000 once the two middle bills were averaged past a double's precision, so both new
    # customers' bills and O1's ...0001 read as above it). The largest price a bill may carry, in a
    # pool of two, gives a midpoint of 13 digits and 5 decimals (it failed the load when widened).
    desk.load("customers", [{"customer_id": c, "joined_at": "2026-02-01"} for c in ("N1", "N2", "N3", "N4")]
              + [{"customer_id": "O1", "joined_at": "2019-01-01"}])
    bills = [("N1", "A", "5000000000000.0001"), ("N2", "A", "5000000000000.0002"), ("O1", "A", "5000000000000.0001"),
             ("N3", "B", "9999999999999.9999"), ("N4", "B", "9999999999999.9998")]
    desk.load("prices", [{"customer_id": c, "period": "2026-04-01", "product": p, "price_paid": v} for c, p, v in bills])
    kp = desk.kpis()
    new, loyal = band(kp, "<1y"), band(kp, "5y+")
    # <1y: of four bills, N2 (A) and N3 (B) are 0.00005 above their pools' medians
    assert (new["rows"], new["share_above"]) == (4, 0.5)
    assert new["penalty"] == pytest.approx(0.0001, abs=1e-9)
    assert (loyal["rows"], loyal["share_above"], loyal["penalty"]) == (1, 0.0, 0.0)


# --------------------------------------------------------------------------- churn

CHURN_CUSTOMERS = [
    {"customer_id": "c1", "joined_at": "2025-11-15", "left_at": "2026-01-20"},
    {"customer_id": "c2", "joined_at": "2025-12-05"},
    {"customer_id": "c3", "joined_at": "2025-12-10", "left_at": "2026-02-11"},
    {"customer_id": "c4", "joined_at": "2025-12-20", "left_at": "2026-03-05"},
    {"customer_id": "c5", "joined_at": "2026-02-15"},
]
# as_of comes from one contact on 2026-03-10, so the months run 2025-11 .. 2026-03.


def _churn(desk):
    desk.load("customers", CHURN_CUSTOMERS)
    desk.load("contacts", [{"ticket_id": "T1", "opened_at": "2026-03-10 10:00:00"}])
    return churn_months(desk.kpis())


def test_churn_monthly(desk):
    months = _churn(desk)
    assert sorted(months) == ["2025-11-01", "2025-12-01", "2026-01-01", "2026-02-01",
                              "2026-03-01"]
    # Dec: active at 12-01: c1 -> 1; nobody left in Dec -> 0
    m = months["2025-12-01"]
    assert (m["active_at_start"], m["left"]) == (1, 0)
    assert m["churn"] == approx(0.0)
    assert m["annualised"] == approx(0.0)
    # Jan: active at 01-01: c1, c2, c3, c4 -> 4; c1 left 01-20 -> 1/4
    m = months["2026-01-01"]
    assert (m["active_at_start"], m["left"]) == (4, 1)
    assert m["churn"] == approx(1 / 4)
    assert m["annualised"] == approx(1 - (1 - 1 / 4) ** 12)      # 0.9683
    # Feb: active at 02-01: c2, c3, c4 -> 3; c3 left 02-11 -> 1/3
    m = months["2026-02-01"]
    assert (m["active_at_start"], m["left"]) == (3, 1)
    assert m["churn"] == approx(1 / 3)
    assert m["annualised"] == approx(1 - (2 / 3) ** 12)          # 0.9923
    # Mar: active at 03-01: c2, c4, c5 -> 3; c4 left 03-05 -> 1/3
    m = months["2026-03-01"]
    assert (m["active_at_start"], m["left"]) == (3, 1)
    assert m["churn"] == approx(1 / 3)
    assert m["annualised"] == approx(1 - (2 / 3) ** 12)


def test_churn_first_month_has_nobody_active(desk):
    # Nov 2025: c1 joins 11-15, so nobody is active at 11-01 and nobody leaves: 0 / 0 -> null
    m = _churn(desk)["2025-11-01"]
    assert (m["active_at_start"], m["left"]) == (0, 0)
    assert m["churn"] is None
    assert m["annualised"] is None


def test_churn_by_price_gap_band_uses_the_latest_price_before_each_month_end(desk):
    """Each customer-month is placed by the gap of the customer's latest price row dated before
    the month's end, however old that row is; rows superseded before the view are not used."""
    desk.load("customers", [
        {"customer_id": cid, "joined_at": "2020-01-01", "left_at": left, "product": "energy"}
        for cid, left in (("A", "2026-05-15"), ("B", None), ("C", "2026-06-10"), ("D", None))
    ])
    desk.load("prices", [
        # A: one old row, gap 109/100 - 1 = 0.09 -> "0-10% above" in every month
        {"customer_id": "A", "period": "2025-01-01", "price_paid": 109, "product": "energy", "new_customer_price": 100},
        # B: 0.50 in 2025, superseded by 0.00 from April 2026 -> "At or below" in every month in view
        {"customer_id": "B", "period": "2025-01-01", "price_paid": 150, "product": "energy", "new_customer_price": 100},
        {"customer_id": "B", "period": "2026-04-01", "price_paid": 100, "product": "energy", "new_customer_price": 100},
        # C: first priced in May 2026 at 0.25 -> April "No price data", May and June "20-30% above"
        {"customer_id": "C", "period": "2026-05-01", "price_paid": 125, "product": "energy", "new_customer_price": 100},
        # D: never priced -> "No price data"
    ])
    con = duckdb.connect(str(desk.db), read_only=True)
    try:
        view = queries.Filters(date_from=date(2026, 4, 1), date_to=date(2026, 6, 30))
        at = datetime(2026, 6, 30, tzinfo=timezone.utc)
        by_gap = queries.run(con, "churn_by_band", view, as_of=at, tz=LONDON, grouping="price_gap")
        by_tenure = queries.run(con, "churn_by_band", view, as_of=at, tz=LONDON, grouping="tenure")
    finally:
        con.close()
    # Months April, May, June. Active at the month's start / left in the month:
    #   A: Apr, May active, leaves in May; June neither.   B, D: active all three months.
    #   C: active all three, leaves in June.
    assert [(r.band, r.active_customer_months, r.leavers) for r in by_gap.itertuples()] == [
        ("At or below new price", 3, 0),   # B x 3
        ("0-10% above", 2, 1),             # A Apr, May; leaves in May
        ("10-20% above", 0, 0),
        ("20-30% above", 2, 1),            # C May, June; leaves in June
        ("> 30% above", 0, 0),             # B's 2025 row is superseded
        ("No price data", 4, 0),           # C April, D x 3
    ]
    # Everyone joined in 2020: six completed years at each month's start.
    assert [(r.band, r.active_customer_months, r.leavers) for r in by_tenure.itertuples()] == [
        ("<1y", 0, 0), ("1-2y", 0, 0), ("2-3y", 0, 0), ("3-5y", 0, 0), ("5y+", 11, 2)]


def test_churn_by_price_gap_band_with_bills_mid_month_and_two_bills_of_one_date(desk):
    """A bill followed by another in its own month places the customer in no month; of two bills
    dated the same day (two products), the product sorting last places them (reading 14)."""
    desk.load("customers", [{"customer_id": "E", "joined_at": "2026-03-01", "product": "energy"},
                            {"customer_id": "F", "joined_at": "2020-01-01", "left_at": "2026-05-20", "product": "energy"}])
    desk.load("prices", [
        {"customer_id": cid, "period": period, "price_paid": paid, "product": product, "new_customer_price": 100}
        for cid, period, paid, product in (
            ("E", "2026-04-02", 105, "energy"),       # 0.05, superseded on April 20th
            ("E", "2026-04-20", 125, "energy"),       # 0.25: April
            ("E", "2026-05-01", 150, "broadband"),    # 0.50 and 0.00 on one day: 'energy' sorts last,
            ("E", "2026-05-01", 100, "energy"),       #   so 0.00 in May
            ("E", "2026-06-15", 112, "energy"),       # 0.12: June
            ("F", "2026-04-20", 131, "energy"))])     # 0.31: April and May, leaves in May
    con = duckdb.connect(str(desk.db), read_only=True)
    try:
        by_gap = queries.run(con, "churn_by_band", queries.Filters(date_from=date(2026, 4, 1), date_to=date(2026, 6, 30)),
                             as_of=datetime(2026, 6, 30, tzinfo=timezone.utc), tz=LONDON, grouping="price_gap")
    finally:
        con.close()
    assert [(r.band, r.active_customer_months, r.leavers) for r in by_gap.itertuples()] == [
        ("At or below new price", 1, 0),   # E May
        ("0-10% above", 0, 0),
        ("10-20% above", 1, 0),            # E June
        ("20-30% above", 1, 0),            # E April
        ("> 30% above", 2, 1),             # F April, May; leaves in May
        ("No price data", 0, 0)]


def test_a_bill_exactly_on_a_price_gap_band_edge_is_in_the_lower_band(desk):
    """Bands include their upper edge (docs/definitions.md reading 14): 10%, 20% and 30% above the
    benchmark are in 0-10%, 10-20% and 20-30%, although 110 / 100 - 1 > 0.10 in floating point."""
    desk.load("customers", [{"customer_id": cid, "joined_at": "2020-01-01", "product": "energy"}
                            for cid in ("P10", "P20", "P30", "P31")])
    desk.load("prices", [{"customer_id": cid, "period": "2026-03-01", "price_paid": paid, "product": "energy",
                          "new_customer_price": 100}
                         for cid, paid in (("P10", 110), ("P20", 120), ("P30", 130), ("P31", 131))])
    con = duckdb.connect(str(desk.db), read_only=True)
    try:
        view = queries.Filters(date_from=date(2026, 4, 1), date_to=date(2026, 4, 30))
        by_gap = queries.run(con, "churn_by_band", view, as_of=datetime(2026, 4, 30, tzinfo=timezone.utc),
                             tz=LONDON, grouping="price_gap")
    finally:
        con.close()
    # One month (April), each customer active at its start, nobody leaves.
    assert [(r.band, r.active_customer_months) for r in by_gap.itertuples()] == [
        ("At or below new price", 0), ("0-10% above", 1), ("10-20% above", 1),
        ("20-30% above", 1), ("> 30% above", 1), ("No price data", 0)]


def test_churn_runs_to_the_month_of_as_of_in_the_charter_time_zone(desk):
    """The last contact at 00:30 on 1 July in London (23:30 on 30 June in UTC) puts as_of in July:
    B, who leaves on 1 July, is July's leaver (the months ran to June, in UTC, and lost him)."""
    desk.load("contacts", [{"ticket_id": "K1", "opened_at": "2026-07-01 00:30"}])
    desk.load("customers", [{"customer_id": "A", "joined_at": "2026-05-01", "left_at": None},
                            {"customer_id": "B", "joined_at": "2026-05-01", "left_at": "2026-07-01"}])
    report = desk.kpis()
    assert report["as_of"] == "2026-06-30T23:30:00+00:00"
    assert [(row["month"], row["active_at_start"], row["left"]) for row in report["churn_monthly"]] == [
        ("2026-05-01", 2, 0), ("2026-06-01", 2, 0), ("2026-07-01", 2, 1)]


def test_churn_counts_each_month_from_joining_and_leaving_dates(desk):
    """Active at a month's start = joined on or before it and not left before it (a customer who
    joins on the 1st counts that month); a leaver counts in the month of left_at, even one who joined
    in that same month."""
    desk.load("customers", [
        {"customer_id": "A", "joined_at": "2026-01-10", "left_at": "2026-03-05", "product": "energy"},
        {"customer_id": "C", "joined_at": "2026-01-01", "left_at": None, "product": "energy"},
        {"customer_id": "D", "joined_at": "2026-03-20", "left_at": "2026-03-25", "product": "energy"},
        {"customer_id": "E", "joined_at": "2026-02-01", "left_at": "2026-04-01", "product": "energy"},
    ])
    con = duckdb.connect(str(desk.db), read_only=True)
    try:
        monthly = queries.run(con, "churn_monthly", queries.NO_FILTERS,
                              as_of=datetime(2026, 4, 30, tzinfo=timezone.utc), tz=LONDON)
    finally:
        con.close()
    assert [(str(r.month)[:10], r.active_at_start, r.left) for r in monthly.itertuples()] == [
        ("2026-01-01", 1, 0),   # C (joined that day)
        ("2026-02-01", 3, 0),   # A, C, E (joined that day)
        ("2026-03-01", 3, 2),   # A, C, E; A leaves 03-05, D joins 03-20 and leaves 03-25
        ("2026-04-01", 2, 1),   # C, E (leaves that day: still active at the start)
    ]


def test_the_churn_tiles_one_query_over_both_ranges_of_months_splits_into_each_ranges_figures(desk):
    """The churn tile asks for the period's months and the months before them in one query and
    splits the rows at the period's first month (docs/performance.md, change 58): each half must be
    what a query over its own months gives. April, against March, on the customers above."""
    from queries.pooled import period_churn
    desk.load("customers", [
        {"customer_id": "A", "joined_at": "2026-01-10", "left_at": "2026-03-05", "product": "energy"},
        {"customer_id": "C", "joined_at": "2026-01-01", "left_at": None, "product": "energy"},
        {"customer_id": "D", "joined_at": "2026-03-20", "left_at": "2026-03-25", "product": "energy"},
        {"customer_id": "E", "joined_at": "2026-02-01", "left_at": "2026-04-01", "product": "energy"},
    ])
    until = dict(as_of=datetime(2026, 4, 30, tzinfo=timezone.utc), tz=LONDON)
    con = duckdb.connect(str(desk.db), read_only=True)
    try:
        def months(first, last):
            return queries.run(con, "churn_monthly", queries.Filters(first, last), **until)
        both = months(date(2026, 3, 1), date(2026, 4, 30))
        april, march = months(date(2026, 4, 1), date(2026, 4, 30)), months(date(2026, 3, 1), date(2026, 3, 31))
    finally:
        con.close()
    in_april = both["month"] >= "2026-04-01"
    assert both[in_april].reset_index(drop=True).equals(april)
    assert both[~in_april].reset_index(drop=True).equals(march)
    # April: C and E active at its start, E leaves: 1 of 2; March: A, C, E, of whom A and D leave: 2 of 3
    assert period_churn(both[in_april])[0] == approx(1 / 2)
    assert period_churn(both[~in_april])[0] == approx(2 / 3)
