"""The monthly churn tile, one definition for the Overview and the Pricing page."""
from __future__ import annotations

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
    monthly, annual = period_churn(context.query("churn_monthly", price_filters, **churn_until))
    earlier = months_before(price_filters)
    before = period_churn(context.query("churn_monthly", earlier, **churn_until))[0] if earlier else None
    months = churn_months(price_filters)
    # the months compared with are not the previous period the page header names (reading 31): said on
    # the tile itself, since the meeting pack, which has no tooltips, prints the note but not the help
    compared = f" (change vs {fmt.months(earlier.date_from, earlier.date_to.replace(day=1))})" if earlier else ""
    note = f"{fmt.pct(annual)} a year" + (f" · {fmt.months(*months)}{compared}" if months else "")
    return Tile("Monthly churn", monthly, "share", before, better="lower", help=CHURN_HELP, note=note), monthly, annual
