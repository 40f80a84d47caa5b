"""Settings the database owner applies to every connection (store/db.py)."""
from __future__ import annotations

import pytest

from store import db


def test_memory_limit_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_MEMORY_LIMIT", "512MB")
    con = db.connect(tmp_path / "limited.duckdb")
    try:
        # DuckDB reports the limit in binary units: 512 MB = 488.2 MiB
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "488.2 MiB"
    finally:
        con.close()


def test_without_a_memory_limit_duckdb_keeps_its_default(tmp_path, monkeypatch):
    monkeypatch.delenv("DASHBOARD_MEMORY_LIMIT", raising=False)
    con = db.connect(tmp_path / "default.duckdb")
    try:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] != "488.2 MiB"
    finally:
        con.close()


@pytest.mark.parametrize("value", ["lots", "1GB; DROP TABLE contacts", "-1GB"])
def test_a_malformed_memory_limit_is_refused_before_it_reaches_sql(tmp_path, monkeypatch, value):
    monkeypatch.setenv("DASHBOARD_MEMORY_LIMIT", value)
    with pytest.raises(ValueError, match="DASHBOARD_MEMORY_LIMIT must look like 1GB"):
        db.connect(tmp_path / "refused.duckdb")


def test_the_app_explains_a_malformed_setting_instead_of_failing(monkeypatch):
    from page_helpers import new_app

    monkeypatch.setenv("DASHBOARD_MEMORY_LIMIT", "lots")
    at = new_app().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Charter Desk cannot open its database: DASHBOARD_MEMORY_LIMIT must look like 1GB or 512MB, not 'lots'"]


def test_churn_by_price_gap_is_planned_as_an_asof_join_not_a_nested_loop(tmp_path):
    """DuckDB plans an ASOF join whose left side it estimates under 64 rows as a nested loop over
    both sides; our month lists are estimated near zero whatever their size, and churn by price-gap
    band took minutes at 1M contacts. Every connection of the app turns that off."""
    from datetime import date, datetime, timezone

    from queries import Filters, bind, sql_text
    from spec_harness import Desk

    desk = Desk(tmp_path)
    desk.load("customers", [{"customer_id": c, "joined_at": "2020-01-01", "product": "energy"} for c in ("A", "B")])
    desk.load("prices", [{"customer_id": c, "period": "2026-03-01", "price_paid": 105, "product": "energy",
                          "new_customer_price": 100} for c in ("A", "B")])
    sql = sql_text("churn_by_band")
    parameters = bind(sql, Filters(date_from=date(2026, 4, 1), date_to=date(2026, 6, 30)).parameters()
                      | {"as_of": datetime(2026, 6, 30, tzinfo=timezone.utc), "grouping": "price_gap"})
    con = db.connect(desk.db)
    try:
        plan = con.execute("EXPLAIN (FORMAT JSON) " + sql, parameters).fetchall()[0][1]
        assert '"ASOF_JOIN"' in plan
        # and the answer is the same: A and B (gap 0.05) active at the start of April, May and June
        bands = {band: (active, leavers) for band, active, leavers, *_ in con.execute(sql, parameters).fetchall()}
        assert bands["0-10% above"] == (6, 0)
        assert sum(active for active, _ in bands.values()) == 6
    finally:
        con.close()
