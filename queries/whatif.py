"""The expectation-gap what-if (spec section 3): a standard's contacts judged against another promise.

queries/expectation_gap.sql holds the query; the alternative deadline comes from
charter.engine.DEADLINES, the single definition the materialised facts use too, so "24 hours"
here means exactly what it would mean written in the charter.
"""
from __future__ import annotations

from datetime import datetime

import pandas as pd

from charter.engine import deadline_parameters, deadline_sql
from charter.model import UNITS
from queries import Filters, run_sql, sql_text


def expectation_gap_sql(unit: str) -> str:
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    join, deadline = deadline_sql(unit)
    return sql_text("expectation_gap").format(deadline_join=join, deadline=deadline)


def expectation_gap(con, filters: Filters, standard_id: str, within: float, unit: str,
                    as_of: datetime | None) -> pd.DataFrame:
    """Per week (and a total row with week NULL): met / missed / pending and compliance under the
    charter's deadline and under `within` `unit`, over the same contacts."""
    return run_sql(con, expectation_gap_sql(unit), filters, standard_id=standard_id, as_of=as_of,
                   **deadline_parameters(within, unit))
