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


def test_an_asof_join_with_a_small_estimated_left_side_is_not_planned_as_a_nested_loop(tmp_path):
    """DuckDB plans an ASOF join whose left side it estimates under 64 rows as a nested loop over
    both sides. Estimates of derived lists (months, a small upload's clocks before the charter
    deadline lookup) are often near zero whatever their real size: churn by price-gap band, then an
    ASOF join, took minutes at 1M contacts. Every connection of the app turns that off."""
    con = db.connect(tmp_path / "plans.duckdb")
    try:
        assert con.execute("SELECT current_setting('asof_loop_join_threshold')").fetchone()[0] == 0
        con.execute("CREATE TABLE bills AS SELECT 'C' || (i % 1000) AS customer_id, DATE '2020-01-01' + i::INTEGER AS period "
                    "FROM range(100000) r(i)")
        plan = con.execute("""EXPLAIN (FORMAT JSON)
            SELECT * FROM (SELECT (DATE '2026-01-01' + INTERVAL (m) MONTH)::DATE AS month_end, 'C1' AS customer_id
                           FROM range(3) r(m)) months
            ASOF LEFT JOIN bills b ON b.customer_id = months.customer_id AND months.month_end > b.period""").fetchall()[0][1]
        assert '"ASOF_JOIN"' in plan
    finally:
        con.close()


def test_a_busy_or_damaged_database_is_explained_without_its_path_or_process(tmp_path, monkeypatch, caplog):
    """Anyone with a link reads the page: the file's location and the holding process go to the
    server's log only, where the administrator acts on them."""
    import logging

    from ingest_helpers import database_held_open
    from page_helpers import new_app

    damaged = tmp_path / "secret-location" / "damaged.duckdb"
    damaged.parent.mkdir()
    damaged.write_bytes(b"not a database at all" * 500)
    monkeypatch.setenv("DASHBOARD_DB", str(damaged))
    with caplog.at_level(logging.ERROR, logger="charterdesk"):
        at = new_app().run()
    assert not at.exception
    [shown] = [e.value for e in at.error]
    assert shown.startswith("Charter Desk cannot open its database: the database file is missing, unreadable or damaged")
    assert "secret-location" not in shown
    assert any("secret-location" in record.getMessage() for record in caplog.records)

    busy = tmp_path / "secret-location" / "busy.duckdb"
    with database_held_open(busy) as holder:
        monkeypatch.setenv("DASHBOARD_DB", str(busy))
        at = new_app().run()
        assert not at.exception
        [shown] = [e.value for e in at.error]
        assert "another program" in shown and "Reload this page" in shown
        assert "secret-location" not in shown and str(holder) not in shown
