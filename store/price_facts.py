"""Each price row's tenure at its period and each (product, period)'s new-customer pool median
(spec section 5, readings 12 and 13), kept current with the prices and customers they come from.

The pricing queries read them through the `benchmarked_prices` macro (store/schema.sql). Computing
them on every query meant joining every price row of the history to its customer and taking the
pool medians again (about 2 s a query at 18 million price rows). Each row also carries the month
from which another bill is its customer's latest, so churn by price-gap band finds the bill in
force in a month by a filter instead of searching every customer's older bills, and the period of
the customer's previous bill in the same band and walk year, so a band's distinct customers are
counted as rows instead of by a distinct count. Churn by price-gap band is stored month by month
(price_gap_churn): without a product filter the pages sum a few hundred rows instead of joining the
bills in force to a million customers (0.6 s a page at 10M contacts). An upload recomputes only the
rows of the keys it touched, the pools those rows are in, the successions of the customers they
belong to and the churn months from the earliest month it changed, so its cost follows the upload.
"""
from __future__ import annotations

from typing import Callable

from store import db

# Bumped when price_facts or price_pools change shape or meaning: a database stored under another
# layout rebuilds them once (engine.refresh, on the first page visit or command after the upgrade).
LAYOUT = "8"   # 8: pool medians of the largest prices exact

# A customer's bills in succession, over rows `b` with band and years: each is their latest at a
# month's end from its period's month until the month of the next one (latest_until; the same
# month: never), and the previous bill in the same band and walk year. Bills of one period
# (different products) follow each other by product, so exactly one is the latest. A customer's
# tenure only grows from bill to bill (one joined_at), so the previous bill in the same band is the
# previous bill when that is in the band: one window, one sort per customer.
SUCCESSION = """date_trunc('month', lead(b.period) OVER succession)::DATE AS latest_until,
       CASE WHEN lag(b.band) OVER succession = b.band THEN lag(b.period) OVER succession END AS previous_in_band,
       CASE WHEN walk_year(lag(b.years) OVER succession) = walk_year(b.years)
            THEN lag(b.period) OVER succession END AS previous_in_year"""
SUCCESSION_WINDOW = "WINDOW succession AS (PARTITION BY b.customer_id ORDER BY b.period, b.product NULLS FIRST)"

# Rows of a known customer only: a price row whose customer is not loaded has no tenure and falls
# in no band. Stored in period order so a period filter skips row groups. The succession is right
# when {rows} holds all of a customer's rows (a rebuild); SUCCESSION_SQL mends the rest.
ROWS_SQL = """
INSERT INTO price_facts BY NAME
SELECT b.*, """ + SUCCESSION + """
FROM (SELECT p.customer_id, p.product, p.period, p.price_paid, p.new_customer_price,
             completed_years(cu.joined_at, p.period) AS years,
             tenure_band(completed_years(cu.joined_at, p.period)) AS band,
             cu.joined_at
      FROM prices p JOIN customers cu ON cu.customer_id = p.customer_id
      WHERE {rows}) b
""" + SUCCESSION_WINDOW + """
ORDER BY b.period, b.customer_id, b.product
"""

# The successions of the customers in {customers}, recomputed from their stored rows. Stale rows
# are updated in place, which keeps the period order of the table.
SUCCESSION_SQL = """
UPDATE price_facts f
SET latest_until = n.latest_until, previous_in_band = n.previous_in_band, previous_in_year = n.previous_in_year
FROM (SELECT b.customer_id, b.product, b.period, """ + SUCCESSION + """
      FROM price_facts b WHERE b.customer_id IN (SELECT customer_id FROM {customers})
      """ + SUCCESSION_WINDOW + """) n
WHERE f.customer_id = n.customer_id AND f.period = n.period AND f.product IS NOT DISTINCT FROM n.product
  AND (f.latest_until IS DISTINCT FROM n.latest_until OR f.previous_in_band IS DISTINCT FROM n.previous_in_band
       OR f.previous_in_year IS DISTINCT FROM n.previous_in_year)
"""

# The median of an even pool is the midpoint of its two middle bills: interpolated in DECIMAL(38, 5)
# it is exact (in DECIMAL(18, 5) DuckDB averaged them in DOUBLE, off past 10^11, and the midpoint of
# the largest prices did not fit), and it always fits the pool's DECIMAL(18, 5).
POOLS_SQL = """
INSERT INTO price_pools
SELECT product, period, quantile_cont(price_paid::DECIMAL(38, 5), 0.5)
FROM price_facts f
WHERE band = '<1y' AND {pools}
GROUP BY product, period
"""

# Months from `$from_month` on (NULL: all), kept when a change leaves a month's counts as they were.
CHURN_SQL = """
INSERT INTO price_gap_churn
SELECT month, band, active, leavers FROM price_gap_churn_months([], $from_month::DATE, NULL)
"""

# Each row's benchmark and gap (spec reading 13) from its pool, for the rows {rows} selects (of
# price_facts as f): rows just written, and every row of a pool whose median changed. The benchmark
# stays exact (DECIMAL); the gap is a ratio, in DOUBLE.
BENCHMARKS_SQL = """
UPDATE price_facts f
SET benchmark = coalesce(f.new_customer_price, pool.pool_median),
    gap = f.price_paid::DOUBLE / nullif(coalesce(f.new_customer_price, pool.pool_median), 0)::DOUBLE - 1
FROM (SELECT f.customer_id, f.product, f.period, pool.pool_median
      FROM price_facts f LEFT JOIN price_pools pool ON pool.product IS NOT DISTINCT FROM f.product AND pool.period = f.period
      WHERE {rows}) pool
WHERE f.customer_id = pool.customer_id AND f.period = pool.period AND f.product IS NOT DISTINCT FROM pool.product
"""

IN_TOUCHED_POOLS = """f.period BETWEEN (SELECT min(period) FROM touched_pools) AND (SELECT max(period) FROM touched_pools)
    AND EXISTS (SELECT 1 FROM touched_pools t WHERE t.product IS NOT DISTINCT FROM f.product AND t.period = f.period)"""


def _run(cursor, sql: str) -> None:
    cursor.execute(sql).fetchall()


def is_current(cursor) -> bool:
    return db.read_meta(cursor, "price_facts_layout") == LAYOUT


# Layouts up to 6 kept money in DOUBLE (store/schema.sql says why it is DECIMAL now). Altered while
# the tables are empty, so it costs nothing; on the current types it changes nothing.
MONEY_TYPES = (("price_facts", "price_paid", "DECIMAL(18, 4)"), ("price_facts", "new_customer_price", "DECIMAL(18, 4)"),
               ("price_facts", "benchmark", "DECIMAL(18, 5)"), ("price_pools", "pool_median", "DECIMAL(18, 5)"))


def rebuild(cursor) -> None:
    """Every price row and every pool, from scratch (an upgrade, or a layout change)."""
    _run(cursor, "DELETE FROM price_facts")
    _run(cursor, "DELETE FROM price_pools")
    for table, column, money in MONEY_TYPES:
        _run(cursor, f"ALTER TABLE {table} ALTER COLUMN {column} SET DATA TYPE {money}")
    _run(cursor, ROWS_SQL.format(rows="TRUE"))
    _run(cursor, POOLS_SQL.format(pools="TRUE"))
    _run(cursor, BENCHMARKS_SQL.format(rows="TRUE"))
    _run(cursor, "DELETE FROM price_gap_churn")
    cursor.execute(CHURN_SQL, {"from_month": None}).fetchall()
    db.write_meta(cursor, "price_facts_layout", LAYOUT)


def refresh_prices(cursor, touched: Callable[[str], str]) -> None:
    """After prices changed: `touched(relation)` selects the changed price keys of that relation."""
    if not is_current(cursor):
        rebuild(cursor)
        return
    _refresh_churn(cursor, _refresh_rows(cursor, touched))


# The earliest month whose churn a change of customers (customers_changed, store/ingest.py) moves:
# a new left_at moves the months from the earlier of the old and new leaving month on; a new,
# removed or re-dated joined_at those from the earliest of its dates on.
CUSTOMERS_MOVE_CHURN_FROM = """
SELECT date_trunc('month', min(CASE WHEN joined_before = joined_at THEN least(left_before, left_at)
                                    ELSE least(joined_before, joined_at, left_before, left_at) END))::DATE
FROM customers_changed
"""


def refresh_customers(cursor, keys_table: str) -> None:
    """After the customers in `keys_table` changed (customers_changed: their dates before and now). Only
    a new, removed or re-dated joined_at changes price facts; most weekly customer updates are
    leavers and change none, but they move churn."""
    if not is_current(cursor):
        rebuild(cursor)
        return
    in_keys = f"customer_id IN (SELECT customer_id FROM {keys_table})"
    _run(cursor, f"""CREATE OR REPLACE TEMP TABLE tenure_changed AS
                     SELECT k.customer_id
                     FROM (SELECT DISTINCT customer_id FROM {keys_table}) k
                     LEFT JOIN customers c ON c.customer_id = k.customer_id
                     LEFT JOIN (SELECT customer_id, any_value(joined_at) AS joined_at FROM price_facts
                                WHERE {in_keys} GROUP BY customer_id) f ON f.customer_id = k.customer_id
                     WHERE f.customer_id IS NOT NULL AND c.joined_at IS DISTINCT FROM f.joined_at
                        OR f.customer_id IS NULL AND c.customer_id IS NOT NULL
                           AND k.customer_id IN (SELECT customer_id FROM prices WHERE {in_keys})""")
    months = [cursor.execute(CUSTOMERS_MOVE_CHURN_FROM).fetchall()[0][0]]
    if cursor.execute("SELECT count(*) FROM tenure_changed").fetchall()[0][0]:
        months.append(_refresh_rows(cursor, lambda relation: f"{relation}.customer_id IN (SELECT customer_id FROM tenure_changed)"))
    _run(cursor, "DROP TABLE tenure_changed")
    _refresh_churn(cursor, min((m for m in months if m is not None), default=None))


def _refresh_rows(cursor, touched: Callable[[str], str]):
    """Recompute the price rows that `touched(relation)` selects and the pools they were or are now
    in. Returns the month of the earliest period touched (None: no row), from which churn moves."""
    # A pool changes only when one of its <1y rows appears, disappears or changes.
    _run(cursor, f"""CREATE OR REPLACE TEMP TABLE touched_pools AS
                     SELECT DISTINCT product, period FROM price_facts WHERE band = '<1y' AND {touched('price_facts')}""")
    # The customers of the touched rows, old and new, with their earliest touched period.
    _run(cursor, f"""CREATE OR REPLACE TEMP TABLE touched_customers AS
                     SELECT customer_id, min(period) AS first_period
                     FROM (SELECT customer_id, period FROM price_facts WHERE {touched('price_facts')}
                           UNION ALL SELECT customer_id, period FROM prices p WHERE {touched('p')})
                     GROUP BY customer_id""")
    earliest = cursor.execute("SELECT date_trunc('month', min(first_period))::DATE FROM touched_customers").fetchall()[0][0]
    _run(cursor, f"DELETE FROM price_facts WHERE {touched('price_facts')}")
    _run(cursor, ROWS_SQL.format(rows=touched("p")))
    _run(cursor, SUCCESSION_SQL.format(customers="touched_customers"))
    _run(cursor, "DROP TABLE touched_customers")
    _run(cursor, f"""INSERT INTO touched_pools
                     SELECT DISTINCT product, period FROM price_facts WHERE band = '<1y' AND {touched('price_facts')}""")
    _run(cursor, f"DELETE FROM price_pools f WHERE {IN_TOUCHED_POOLS}")
    _run(cursor, POOLS_SQL.format(pools=IN_TOUCHED_POOLS))
    _run(cursor, BENCHMARKS_SQL.format(rows=f"({IN_TOUCHED_POOLS}) OR {touched('f')}"))
    _run(cursor, "DROP TABLE touched_pools")
    return earliest


def _refresh_churn(cursor, from_month) -> None:
    """Churn months from `from_month` on, computed again; from the last stored month at the latest,
    so every month up to the new last one has its row."""
    if from_month is None:
        return
    last = cursor.execute("SELECT max(month) FROM price_gap_churn").fetchall()[0][0]
    from_month = min(from_month, last) if last is not None else from_month
    cursor.execute("DELETE FROM price_gap_churn WHERE month >= ?", [from_month]).fetchall()
    cursor.execute(CHURN_SQL, {"from_month": from_month}).fetchall()
