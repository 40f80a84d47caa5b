"""The monthly churn tile, one definition for the Overview and the Pricing page."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from components import context, formatting as fmt
from components.filters import churn_months, months_before
from components.layout import period_text
from components.tiles import Tile
from queries import Filters
from queries.pooled import period_churn

CHURN_HELP = ("Customers who left in a month / customers active at its start, over the whole calendar months "
              "the period touches; the change is against as many months just before them.")


def churn_period_text(price_filters: Filters) -> str:
    """What churn counts, for a chart's subtitle: the whole months the period touches ('months Aug -
    Nov 2026'), not the period's days, which the subtitles said while the figures counted August whole."""
    months = churn_months(price_filters)
    return f"months {fmt.months(*months)}" if months else period_text(price_filters)


def churn_tile(price_filters: Filters, churn_until: dict) -> tuple[Tile, float | None, float | None]:
    """The tile, with the monthly churn and its annualised equivalent for the page's sentence."""
    earlier = months_before(price_filters)
    # One query over the months compared with and the period's (they adjoin), split at the period's
    # first month: a month's row does not depend on the other months asked for, and the customers are
    # read once instead of twice (a tenth of a second at 10M contacts, change 58 in docs/performance.md).
    asked = replace(price_filters, date_from=earlier.date_from) if earlier else price_filters
    by_month = context.query("churn_monthly", asked, **churn_until)
    if earlier:
        in_period = pd.to_datetime(by_month["month"]) >= pd.Timestamp(price_filters.date_from.replace(day=1))
        (monthly, annual), before = period_churn(by_month[in_period]), period_churn(by_month[~in_period])[0]
    else:
        (monthly, annual), before = period_churn(by_month), None
    months = churn_months(price_filters)
    # the months compared with are not the previous period the page header names (reading 31): said on
    # the tile itself, since the meeting pack, which has no tooltips, prints the note but not the help
    compared = f" (change vs {fmt.months(earlier.date_from, earlier.date_to.replace(day=1))})" if earlier else ""
    note = f"{fmt.pct(annual)} a year" + (f" · {fmt.months(*months)}{compared}" if months else "")
    return Tile("Monthly churn", monthly, "share", before, better="lower", help=CHURN_HELP, note=note), monthly, annual
