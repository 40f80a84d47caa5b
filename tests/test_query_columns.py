"""A caller may ask a named query for some of its columns only (queries.only_columns): DuckDB then
skips computing the others. The columns kept must be exactly the full query's, in its row order,
and a column name can never carry SQL."""
from __future__ import annotations

import pytest

from queries import Filters, run
from spec_harness import Desk
from store import db


def test_some_columns_are_the_full_querys_in_its_order(tmp_path):
    desk = Desk(tmp_path)
    # three weeks of March 2026, opened Monday 09:00 and replied to 2, 4 and 6 hours later
    desk.load("contacts", [{"ticket_id": f"T{week}", "opened_at": f"2026-03-{2 + 7 * week:02d} 09:00", "kind": "enquiry",
                            "first_response_at": f"2026-03-{2 + 7 * week:02d} {11 + 2 * week:02d}:00"}
                           for week in (2, 0, 1)])
    con = db.connect(desk.db)
    try:
        full = run(con, "responsiveness_weekly", Filters())
        some = run(con, "responsiveness_weekly", Filters(), columns=("week", "first_response_median_hours"))
        with pytest.raises(ValueError):
            run(con, "responsiveness_weekly", Filters(), columns=("week; DROP TABLE contacts",))
    finally:
        con.close()
    assert list(some.columns) == ["week", "first_response_median_hours"]
    assert some.equals(full[["week", "first_response_median_hours"]])
    assert list(some["first_response_median_hours"]) == [2.0, 4.0, 6.0]      # weeks in order
