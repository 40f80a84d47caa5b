"""Real public data through the upload path (copies in tests/fixtures/realdata/, provenance and
licences in SOURCES.md there).

- IBM telco churn (7,043 customers) as `customers`, through a saved custom preset: the CSV is
  derived with DuckDB (joined_at = snapshot date minus tenure months, left_at = snapshot date for
  Churn = Yes) under its own column names, and the saved mapping is detected from the headers.
- CASdatasets eudirectlapse (23,060 motor renewal quotes) as `prices` (price_paid = prem_final,
  new_customer_price = prem_market, period = one renewal date) with `customers` whose joined_at is
  the renewal date minus policy_age years.

Expected counts come from DuckDB queries on the untouched source files, independent of the app.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from ingest_helpers import load_fixture, open_db, rows
from store import db
from store.presets import custom_preset, save_preset

REALDATA = Path(__file__).resolve().parent / "fixtures" / "realdata"
TELCO = REALDATA / "ibm_telco_customer_churn.csv"
LAPSE = REALDATA / "casdatasets_eudirectlapse.csv"

SNAPSHOT = "2026-03-01"   # the telco file's (unstated) snapshot date, chosen
RENEWAL = "2026-04-01"    # the motor renewal date, chosen


def source(sql: str, **files: Path) -> list[tuple]:
    """A query on the source CSV files, read as text, outside the app's database."""
    con = duckdb.connect()
    try:
        for name, path in files.items():
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_csv('{path}', all_varchar = true, header = true)")
        return con.execute(sql).fetchall()
    finally:
        con.close()


def derive(sql: str, target: Path, **files: Path) -> Path:
    con = duckdb.connect()
    try:
        for name, path in files.items():
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_csv('{path}', all_varchar = true, header = true)")
        con.execute(f"COPY ({sql}) TO '{target}' (HEADER, DELIMITER ',')")
    finally:
        con.close()
    return target


def test_telco_customers_through_a_saved_custom_preset(tmp_path):
    derived = derive(f"""
        SELECT customerID AS "Customer Ref",
               strftime(DATE '{SNAPSHOT}' - to_months(tenure::INTEGER), '%Y-%m-%d') AS "Start Date",
               CASE WHEN Churn = 'Yes' THEN '{SNAPSHOT}' END AS "End Date",
               CASE WHEN SeniorCitizen = '1' THEN 'senior' ELSE 'standard' END AS "Segment",
               InternetService || ' / ' || Contract AS "Plan",
               PaymentMethod AS "Payment"
        FROM telco ORDER BY customerID""", tmp_path / "telco_customers.csv", telco=TELCO)

    con = open_db(tmp_path)
    preset = custom_preset("telco crm", "customers", {
        "customer_id": "Customer Ref", "joined_at": "Start Date", "left_at": "End Date",
        "segment": "Segment", "product": "Plan"})
    with db.write_transaction(con) as cursor:
        save_preset(cursor, preset, "tester")
    result = load_fixture(con, "customers", derived)   # no preset named: detected from the headers

    total, churned = source("SELECT count(*), count(*) FILTER (WHERE Churn = 'Yes') FROM telco", telco=TELCO)[0]
    assert (total, churned) == (7043, 1869)
    assert result.preset == "telco crm"
    assert (result.rows_in_file, result.rows_loaded, result.rows_rejected, result.rows_new) == (7043, 7043, 0, 7043)
    assert rows(con, "SELECT count(*), count(left_at) FROM customers")[0] == (7043, churned)
    # Two rows checked by hand against the source: 7590-VHVEG (tenure 1, DSL, Month-to-month, No)
    # and 5575-GNVDE (tenure 34, DSL, One year, No).
    assert rows(con, "SELECT joined_at::VARCHAR, left_at, product, segment FROM customers "
                     "WHERE customer_id = '7590-VHVEG'") == [("2026-02-01", None, "DSL / Month-to-month", "standard")]
    assert rows(con, "SELECT joined_at::VARCHAR FROM customers WHERE customer_id = '5575-GNVDE'") == [("2023-05-01",)]
    # Tenure 0 customers who churned joined and left on the snapshot date (not "left before joined").
    zero = source("SELECT count(*) FROM telco WHERE tenure = '0'", telco=TELCO)[0][0]
    assert rows(con, f"SELECT count(*) FROM customers WHERE joined_at = DATE '{SNAPSHOT}'")[0][0] == zero


def test_motor_renewals_as_prices_and_customers(tmp_path):
    ids = "'EUDL-' || lpad((row_number() OVER ())::VARCHAR, 5, '0')"
    customers = derive(f"""
        SELECT {ids} AS customer_id,
               strftime(DATE '{RENEWAL}' - to_years(policy_age::INTEGER), '%Y-%m-%d') AS joined_at,
               CASE WHEN lapse = '1' THEN '{RENEWAL}' END AS left_at,
               vehicl_region AS region, 'motor' AS product
        FROM lapse""", tmp_path / "motor_customers.csv", lapse=LAPSE)
    prices = derive(f"""
        SELECT {ids} AS customer_id, '{RENEWAL}' AS period, prem_final AS price_paid, 'motor' AS product,
               prem_market AS new_customer_price, 'direct' AS channel
        FROM lapse""", tmp_path / "motor_prices.csv", lapse=LAPSE)

    con = open_db(tmp_path)
    loaded_customers = load_fixture(con, "customers", customers)
    loaded_prices = load_fixture(con, "prices", prices)
    assert (loaded_customers.preset, loaded_prices.preset) == ("canonical", "canonical")
    assert (loaded_customers.rows_loaded, loaded_customers.rows_rejected) == (23060, 0)
    assert (loaded_prices.rows_loaded, loaded_prices.rows_rejected) == (23060, 0)
    assert rows(con, "SELECT count(*), count(DISTINCT customer_id) FROM prices")[0] == (23060, 23060)

    # Band 3-5y = policy_age 3 or 4 on the source file (joined exactly 3 or 4 years before the
    # renewal: the anniversary counts on the day); <1y = policy_age 0.
    by_age = dict(source("SELECT policy_age::INTEGER, count(*) FROM lapse GROUP BY 1", lapse=LAPSE))
    assert by_age[3] + by_age[4] == 897 + 985
    bands = dict(rows(con, """
        SELECT tenure_band(completed_years(c.joined_at, p.period)) AS band, count(*)
        FROM prices p JOIN customers c USING (customer_id) GROUP BY 1"""))
    assert bands["3-5y"] == by_age[3] + by_age[4]
    assert bands["<1y"] == by_age[0]
    assert sum(bands.values()) == 23060
    # Money is kept to the cent: the totals match the source exactly.
    paid, market = source("SELECT sum(prem_final::DECIMAL(18, 2)), sum(prem_market::DECIMAL(18, 2)) FROM lapse",
                          lapse=LAPSE)[0]
    assert rows(con, "SELECT sum(price_paid), sum(new_customer_price) FROM prices")[0] == (paid, market)
