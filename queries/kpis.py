"""The machine-readable KPI object of spec section 6, assembled from the named queries.

`python cli.py kpis --json`, the meeting pack and the tests read the same numbers the pages show.
"""
from __future__ import annotations

import math
from datetime import date, datetime, timezone

import pandas as pd

from charter.model import Charter
from queries import Filters, NO_FILTERS, run


def _plain(value):
    """JSON-friendly: NaN/NA -> None, numpy numbers -> Python, dates -> ISO text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.astype(object).to_dict("records")]


def as_of(con) -> datetime | None:
    value = run(con, "as_of")["as_of"].iloc[0]
    return None if pd.isna(value) else value.to_pydatetime()


def kpi_report(con, charter: Charter, filters: Filters = NO_FILTERS, at: datetime | None = None) -> dict:
    moment = at or as_of(con)
    ids = [s.id for s in charter.standards]
    summary = {row["standard_id"]: row for row in records(
        run(con, "standards_summary", filters, as_of=moment, standard_ids=[s.id for s in charter.standards]))}
    standards = [
        {"id": s.id, "name": s.name, "target": s.target,
         **{k: summary[s.id][k] for k in ("met", "missed", "pending", "invalid", "out_of_scope", "compliance")}}
        for s in charter.standards
    ]
    weekly = run(con, "standards_weekly", filters, as_of=moment)
    weekly = weekly.rename(columns={"standard_id": "id"})[["id", "week", "met", "missed", "pending", "invalid", "compliance"]]
    responsiveness = run(con, "responsiveness_weekly", filters)
    complaints = records(run(con, "complaints_summary", filters))[0]
    quality = records(run(con, "data_quality", filters))[0]
    return {
        "as_of": _plain(moment),
        "standards": standards,
        "standards_weekly": records(weekly),
        "responsiveness_weekly": records(responsiveness),
        "complaints": complaints,
        # --from/--to select contacts by opened_at (spec reading 14); prices and customers are not contacts.
        "pricing_by_tenure": records(run(con, "pricing_by_tenure", Filters(products=filters.products))),
        "churn_monthly": records(run(con, "churn_monthly", Filters(products=filters.products), as_of=moment)),
        "data_quality": quality,
    }
