"""Stored price facts (store/price_facts.py: each price row's tenure band and the month another bill
becomes its customer's latest, each product-period's new-customer pool median) are kept current by
every upload and undo of customers or prices.

After each step the benchmark and gap of a long-standing customer are checked against values
worked out by hand, and everything the pricing queries read is checked against a rebuild from
scratch of the same database.
"""
from __future__ import annotations

import pytest

from datetime import date, datetime, timezone

from queries import Filters, run
from spec_harness import Desk
from store import db, price_facts


@pytest.fixture
def desk(tmp_path):
    return Desk(tmp_path)


def customer(customer_id, joined_at, product="energy", left_at=""):
    return {"customer_id": customer_id, "joined_at": joined_at, "product": product, "left_at": left_at}


def price(customer_id, period, paid, product="energy", new_price=""):
    return {"customer_id": customer_id, "period": period, "price_paid": paid, "product": product,
            "new_customer_price": new_price}


BENCHMARKED = ("SELECT customer_id, product, period, years, band, benchmark, gap, latest_until, "
               "previous_in_band, previous_in_year FROM benchmarked_prices() ORDER BY ALL")


# The stored churn months as the churn query reads them, for every month of a wide range: a month
# after the last stored one has that month's active customers and no leavers.
CHURN_MONTHS = """SELECT m.month, g.band, g.active, CASE WHEN g.month = m.month THEN g.leavers ELSE 0 END
                  FROM (SELECT unnest(generate_series(DATE '2018-01-01', DATE '2028-12-01', INTERVAL 1 MONTH))::DATE AS month) m
                  JOIN price_gap_churn g ON g.month = least(m.month, (SELECT max(month) FROM price_gap_churn))
                  ORDER BY ALL"""


def stored_and_rebuilt(desk) -> tuple[list, list]:
    """The price facts as stored and as a rebuild makes them; the stored churn months must equal
    the rebuilt ones too."""
    con = db.connect(desk.db)
    try:
        stored, stored_churn = con.execute(BENCHMARKED).fetchall(), con.execute(CHURN_MONTHS).fetchall()
        con.execute("BEGIN")
        price_facts.rebuild(con)
        rebuilt, rebuilt_churn = con.execute(BENCHMARKED).fetchall(), con.execute(CHURN_MONTHS).fetchall()
        con.execute("ROLLBACK")
        assert stored_churn == rebuilt_churn
        return stored, rebuilt
    finally:
        con.close()


def gap_of(rows, customer_id, period) -> float | None:
    return next(row[6] for row in rows if row[0] == customer_id and str(row[2]) == period)


def latest_until_of(rows, customer_id, period) -> str | None:
    value = next(row[7] for row in rows if row[0] == customer_id and str(row[2]) == period)
    return None if value is None else str(value)


def test_price_facts_follow_every_upload_and_undo(desk):
    # Batch 1: two customers joined this year (<1y in March 2026), one long-standing (C3).
    desk.load("customers", [customer("C1", "2026-01-10"), customer("C2", "2026-02-01"), customer("C3", "2020-05-01")])
    # Batch 2: C5 is not a customer yet, so its row falls in no band and no pool.
    loaded = desk.load("prices", [price("C1", "2026-03-01", 50), price("C2", "2026-03-01", 60),
                                  price("C3", "2026-03-01", 70), price("C5", "2026-03-01", 40),
                                  price("C3", "2026-04-01", 70, new_price=56)])
    # ... and the upload says so, or the bill would go unseen in every pricing figure
    assert ("note: 1 price row names 1 customer with no customer row (C5): left out of the pricing figures "
            "(tenure is unknown) until a customers file names them.") in loaded.stdout
    stored, rebuilt = stored_and_rebuilt(desk)
    assert stored == rebuilt
    assert [row[0] for row in stored] == ["C1", "C2", "C3", "C3"]
    assert gap_of(stored, "C3", "2026-03-01") == pytest.approx(70 / 55 - 1)     # pool {50, 60}
    assert gap_of(stored, "C3", "2026-04-01") == pytest.approx(70 / 56 - 1)     # its own new-customer price
    assert latest_until_of(stored, "C3", "2026-03-01") == "2026-04-01"           # April's bill follows it
    assert latest_until_of(stored, "C3", "2026-04-01") is None                   # still the latest

    # Batch 3: C2 turns out to be a customer since 2019 (leaves the pool); C5 arrives (<1y, joins it).
    desk.load("customers", [customer("C2", "2019-01-01"), customer("C5", "2026-02-15")])
    stored, rebuilt = stored_and_rebuilt(desk)
    assert stored == rebuilt
    assert {row[0]: row[4] for row in stored if str(row[2]) == "2026-03-01"} == {
        "C1": "<1y", "C2": "5y+", "C3": "5y+", "C5": "<1y"}
    assert gap_of(stored, "C3", "2026-03-01") == pytest.approx(70 / 45 - 1)     # pool {50, 40}

    # Batch 4: C1's March price is corrected and a new period arrives.
    desk.load("prices", [price("C1", "2026-03-01", 80), price("C1", "2026-05-01", 52), price("C3", "2026-05-01", 75)])
    stored, rebuilt = stored_and_rebuilt(desk)
    assert stored == rebuilt
    assert gap_of(stored, "C3", "2026-03-01") == pytest.approx(70 / 60 - 1)     # pool {80, 40}
    assert gap_of(stored, "C3", "2026-05-01") == pytest.approx(75 / 52 - 1)     # pool {52}
    assert latest_until_of(stored, "C3", "2026-04-01") == "2026-05-01"           # an older bill, updated
    assert latest_until_of(stored, "C1", "2026-03-01") == "2026-05-01"

    assert desk.run("undo", "4").returncode == 0
    stored, rebuilt = stored_and_rebuilt(desk)
    assert stored == rebuilt
    assert gap_of(stored, "C3", "2026-03-01") == pytest.approx(70 / 45 - 1)
    assert not [row for row in stored if str(row[2]) == "2026-05-01"]
    assert latest_until_of(stored, "C3", "2026-04-01") is None                   # the latest again

    assert desk.run("undo", "3").returncode == 0
    stored, rebuilt = stored_and_rebuilt(desk)
    assert stored == rebuilt
    assert gap_of(stored, "C3", "2026-03-01") == pytest.approx(70 / 55 - 1)
    assert "C5" not in {row[0] for row in stored}


def test_a_database_without_price_facts_builds_them_on_first_use(desk):
    desk.load("customers", [customer("C1", "2026-01-10"), customer("C3", "2020-05-01")])
    desk.load("prices", [price("C1", "2026-03-01", 50), price("C3", "2026-03-01", 70)])
    con = db.connect(desk.db)
    con.execute("DELETE FROM price_facts; DELETE FROM price_pools; DELETE FROM meta WHERE key = 'price_facts_layout'")
    con.close()
    kp = desk.kpis()    # the first command after the upgrade builds them
    bands = {row["band"]: row for row in kp["pricing_by_tenure"]}
    assert bands["5y+"]["median_gap"] == pytest.approx(70 / 50 - 1)
    stored, rebuilt = stored_and_rebuilt(desk)
    assert stored == rebuilt and len(stored) == 2


def test_of_two_bills_of_one_period_the_product_sorting_last_is_the_latest(desk):
    # One customer billed for two products a month, a third bill mid-April: each bill stays the
    # latest at the end of the months until the next one's month; a bill followed within its own
    # month (April 2nd, by April 20th) is the latest at no month's end.
    desk.load("customers", [customer("C1", "2020-01-01")])
    desk.load("prices", [price("C1", "2026-03-01", 50, product="broadband"), price("C1", "2026-03-01", 70),
                         price("C1", "2026-04-02", 60), price("C1", "2026-04-20", 65)])
    stored, rebuilt = stored_and_rebuilt(desk)
    assert stored == rebuilt
    assert [(row[1], str(row[2]), None if row[7] is None else str(row[7])) for row in stored] == [
        ("broadband", "2026-03-01", "2026-03-01"),      # 'energy' sorts after it: superseded at once
        ("energy", "2026-03-01", "2026-04-01"),
        ("energy", "2026-04-02", "2026-04-01"),
        ("energy", "2026-04-20", None)]
    # a late bill for March between them: the succession is mended in place
    desk.load("prices", [price("C1", "2026-03-15", 55, product="water")])
    stored, rebuilt = stored_and_rebuilt(desk)
    assert stored == rebuilt
    assert latest_until_of(stored, "C1", "2026-03-01") == "2026-03-01"         # both March 1st bills now
    assert latest_until_of(stored, "C1", "2026-03-15") == "2026-04-01"


def test_a_database_from_before_latest_until_gains_it_on_first_use(desk):
    # A database written by layout 2 has no latest_until nor previous_in_* columns: connecting adds
    # them and the first command rebuilds the facts, so churn by price-gap band sees each bill's
    # months in force and the pricing queries count customers from the previous bills.
    desk.load("customers", [customer("C1", "2020-01-01")])
    desk.load("prices", [price("C1", "2026-03-01", 50), price("C1", "2026-04-01", 60)])
    con = db.connect(desk.db)
    con.execute("""ALTER TABLE price_facts DROP COLUMN latest_until; ALTER TABLE price_facts DROP COLUMN previous_in_band;
                   ALTER TABLE price_facts DROP COLUMN previous_in_year;
                   UPDATE meta SET value = '2' WHERE key = 'price_facts_layout'""")
    db.forget_schema(con)   # as a database written by an earlier schema file
    con.close()
    assert [(b["band"], b["customers"]) for b in desk.kpis()["pricing_by_tenure"] if b["rows"]] == [("5y+", 1)]
    stored, rebuilt = stored_and_rebuilt(desk)
    assert stored == rebuilt
    assert [latest_until_of(stored, "C1", period) for period in ("2026-03-01", "2026-04-01")] == ["2026-04-01", None]
    assert [(str(row[2]), str(row[8]), str(row[9])) for row in stored] == [
        ("2026-03-01", "None", "None"), ("2026-04-01", "2026-03-01", "2026-03-01")]


def test_distinct_customers_per_band_and_year_with_dates_and_products(desk):
    # A joined 2025-03-10: <1y (walk year 0) until March 2026, then 1-2y (year 1); billed for
    # energy monthly and for broadband once, in April (the same period as an energy bill).
    # B joined 2020-01-01: 5y+ (year 6) throughout; energy in February and March, broadband in
    # March and April. Without a product filter a customer is counted at their first bill in view
    # in the band; with one, the first bill of theirs in view may be of a product left out.
    desk.load("customers", [customer("A", "2025-03-10"), customer("B", "2020-01-01")])
    desk.load("prices", [price("A", f"2026-0{month}-01", 50 + month) for month in range(1, 6)]
              + [price("A", "2026-04-01", 30, product="broadband"),
                 price("B", "2026-02-01", 70), price("B", "2026-03-01", 70),
                 price("B", "2026-03-01", 40, product="broadband"), price("B", "2026-04-01", 40, product="broadband")])
    con = db.connect(desk.db)

    def counted(name, key, **filters):
        frame = run(con, name, Filters(**filters))
        return {row[key]: (row["rows"], row["customers"]) for _, row in frame.iterrows() if row["rows"]}

    try:
        spring = {"date_from": date(2026, 2, 15), "date_to": date(2026, 4, 30)}
        # in view: A 03-01 (<1y), A 04-01 energy and broadband (1-2y); B 03-01 twice, 04-01 (5y+)
        assert counted("pricing_by_tenure", "band", **spring) == {"<1y": (1, 1), "1-2y": (2, 1), "5y+": (3, 1)}
        assert counted("price_walk", "tenure_years", **spring) == {0: (1, 1), 1: (2, 1), 6: (3, 1)}
        # energy only: A's April energy bill follows its broadband bill, B's March energy bill its
        # broadband one; each is still a customer of its band
        energy = dict(spring, products=("energy",))
        assert counted("pricing_by_tenure", "band", **energy) == {"<1y": (1, 1), "1-2y": (1, 1), "5y+": (1, 1)}
        assert counted("price_walk", "tenure_years", **energy) == {0: (1, 1), 1: (1, 1), 6: (1, 1)}
        # the whole history: A three <1y bills and three 1-2y bills, B four 5y+ bills
        assert counted("pricing_by_tenure", "band") == {"<1y": (3, 1), "1-2y": (3, 1), "5y+": (4, 1)}
        # from April: A's first 1-2y bill in view is its April broadband bill
        assert counted("pricing_by_tenure", "band", date_from=date(2026, 4, 1)) == {"1-2y": (3, 1), "5y+": (1, 1)}
    finally:
        con.close()


def test_stored_churn_by_price_gap_follows_leavers_corrections_and_undo(desk):
    # A (since 2025) is billed 10% above the new price in January, 30% above from March; B (since
    # mid-2025) at or below it from February; C joins on 10 February, so is active from 1 March,
    # never billed. Months in view: January to April 2026. By hand, customer-months active at a
    # month's start per band: 0-10%: A Jan, Feb (2); 20-30%: A Mar, Apr (2); at or below: B Feb,
    # Mar, Apr (3); no price data: B Jan, C Mar, Apr (3).
    desk.load("customers", [customer("A", "2025-01-15"), customer("B", "2025-06-01"), customer("C", "2026-02-10")])
    desk.load("prices", [price("A", "2026-01-01", 110, new_price=100), price("A", "2026-03-01", 130, new_price=100),
                         price("B", "2026-02-01", 90, new_price=100)])
    spring = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 4, 30))
    at = datetime(2026, 4, 30, tzinfo=timezone.utc)

    def by_gap(**filters):
        con = db.connect(desk.db)
        try:
            frame = run(con, "churn_by_band", filters.get("view", spring), grouping="price_gap", as_of=filters.get("as_of", at),
                        tz="Europe/London")
        finally:
            con.close()
        return {row.band: (row.active_customer_months, row.leavers) for row in frame.itertuples()
                if row.active_customer_months or row.leavers}

    assert by_gap() == {"0-10% above": (2, 0), "20-30% above": (2, 0), "At or below new price": (3, 0),
                        "No price data": (3, 0)}
    # Weekly customers file: B left on 5 February: active on 1 February (its bill: at or below), a
    # leaver in February, gone from March.
    desk.load("customers", [customer("B", "2025-06-01", left_at="2026-02-05")])
    stored_and_rebuilt(desk)
    assert by_gap() == {"0-10% above": (2, 0), "20-30% above": (2, 0), "At or below new price": (1, 1),
                        "No price data": (3, 0)}
    # Corrected: B left on 20 March, a later month than before (the months from February move).
    desk.load("customers", [customer("B", "2025-06-01", left_at="2026-03-20")])
    stored_and_rebuilt(desk)
    assert by_gap() == {"0-10% above": (2, 0), "20-30% above": (2, 0), "At or below new price": (2, 1),
                        "No price data": (3, 0)}
    # A product filter computes the same months from the rows (every customer here is on energy).
    assert by_gap(view=Filters(date_from=date(2026, 1, 1), date_to=date(2026, 4, 30), products=("energy",))) == by_gap()
    # Undo the correction, then the leaver: back to February, then to nobody leaving.
    assert desk.run("undo", "4").returncode == 0
    stored_and_rebuilt(desk)
    assert by_gap()["At or below new price"] == (1, 1)
    assert desk.run("undo", "3").returncode == 0
    stored_and_rebuilt(desk)
    assert by_gap()["At or below new price"] == (3, 0)
    # A month after every stored one keeps its active customers: May alone, everyone still there.
    may = Filters(date_from=date(2026, 5, 1), date_to=date(2026, 5, 31))
    assert by_gap(view=may, as_of=datetime(2026, 6, 15, tzinfo=timezone.utc)) == {"20-30% above": (1, 0), "At or below new price": (1, 0), "No price data": (1, 0)}
