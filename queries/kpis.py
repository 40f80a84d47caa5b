"""The machine-readable KPI object of spec section 6, assembled from the named queries.

`python cli.py kpis --json`, the meeting pack and the tests read the same numbers the pages show.
"""
from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import TYPE_CHECKING

from charter.model import Charter
from queries import FILTER_FIELDS, Filters, NO_FILTERS, run_rows

if TYPE_CHECKING:   # the KPI object is built from plain rows: `cli.py kpis` does not import pandas
    import pandas as pd


def _plain(value):
    """JSON-friendly: NULL/NaN/NA -> None, numpy numbers and decimals -> Python numbers, dates -> ISO text."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def plain_rows(rows: list[dict]) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in rows]


def records(frame: pd.DataFrame) -> list[dict]:
    return plain_rows(frame.astype(object).to_dict("records"))


def as_of(con) -> datetime | None:
    value = run_rows(con, "as_of")[0]["as_of"]
    return None if value is None else value.astimezone(timezone.utc)


# The spec's object (section 6) holds working hours to acknowledge and calendar hours to first
# response; the other two durations' quantiles (the Responsiveness page's) would double the cost
# of the slowest query here.
RESPONSIVENESS_COLUMNS = ("week", "contacts", "acknowledged_share", "ack_median_bh", "ack_p90_bh",
                          "first_response_median_hours", "first_response_p90_hours")


def prices_view(filters: Filters) -> Filters:
    """What pricing_by_tenure and churn_monthly see of the filters: the product alone. Prices and
    customers are not contacts, so no contact's date, channel, team or partner selects them (the
    Pricing page, too, applies those only to its service comparison); and they cover every period,
    where the Pricing page counts the bills dated in its period (docs/definitions.md, reading 9)."""
    return Filters(products=filters.products)


def filters_applied(filters: Filters) -> dict:
    """The filters as the report's `filters` key says them (the names of `cli.py kpis`'s options),
    and which of those given pricing and churn leave aside."""
    fields = {"from": "date_from", "to": "date_to", **FILTER_FIELDS}
    prices = prices_view(filters)
    values = {name: getattr(filters, field) for name, field in fields.items()}
    said = {name: list(value) if isinstance(value, tuple) else _plain(value) for name, value in values.items()}
    said["not_applied_to_pricing_and_churn"] = [name for name, field in fields.items()
                                               if getattr(filters, field) and not getattr(prices, field)]
    return said


def kpi_report(con, charter: Charter, filters: Filters = NO_FILTERS, at: datetime | None = None) -> dict:
    moment = at or as_of(con)
    ids = [s.id for s in charter.standards]
    resolution_ids = [s.id for s in charter.standards if s.measure == "resolution"]
    # --from/--to select contacts by opened_at (spec reading 14); prices and customers are not contacts.
    prices_filters = prices_view(filters)
    calls = {
        "standards_summary": (filters, {"as_of": moment, "standard_ids": ids}),
        "standards_weekly": (filters, {"as_of": moment}),
        "responsiveness_weekly": (filters, {"columns": RESPONSIVENESS_COLUMNS}),
        "complaints_summary": (filters, {}),
        "complaints_within_standards": (filters, {"as_of": moment, "standard_ids": resolution_ids}),
        "data_quality": (filters, {}),
        "pricing_by_tenure": (prices_filters, {}),
        "churn_monthly": (prices_filters, {"as_of": moment, "tz": charter.schedule.timezone}),
    }
    # The queries are independent: two at a time keep both cores busy through each query's
    # single-threaded steps (medians, distinct counts); 0.3 s of 5.6 s at 10M contacts. Each runs on
    # its own cursor (queries.run_rows), as DuckDB wants of threads.
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending = {name: pool.submit(run_rows, con, name, view, **parameters) for name, (view, parameters) in calls.items()}
        result = {name: plain_rows(future.result()) for name, future in pending.items()}
    summary = {row["standard_id"]: row for row in result["standards_summary"]}
    standards = [
        {"id": s.id, "name": s.name, "target": s.target,
         **{k: summary[s.id][k] for k in ("met", "missed", "pending", "invalid", "out_of_scope", "compliance")}}
        for s in charter.standards
    ]
    weekly = [{"id": row["standard_id"], **{k: row[k] for k in ("week", "met", "missed", "pending", "invalid", "compliance")}}
              for row in result["standards_weekly"]]
    within = {row["standard_id"]: row for row in result["complaints_within_standards"]}
    return {
        "as_of": _plain(moment),
        "filters": filters_applied(filters),
        "standards": standards,
        "standards_weekly": weekly,
        "responsiveness_weekly": result["responsiveness_weekly"],
        "complaints": result["complaints_summary"][0],
        # spec section 5: the share of complaints resolved within each resolution standard
        "complaints_within_standards": [
            {"id": i, **{k: within[i][k] for k in ("met", "missed", "pending", "invalid")}, "share": within[i]["compliance"]}
            for i in resolution_ids],
        "pricing_by_tenure": result["pricing_by_tenure"],
        "churn_monthly": result["churn_monthly"],
        "data_quality": result["data_quality"][0],
    }
