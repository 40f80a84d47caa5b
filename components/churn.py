"""The monthly churn tile, one definition for the Overview and the Pricing page."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from components import context, formatting as fmt
from components.filters import churn_months, months_before
from components.layout import period_text
from components.tiles import Tile
from queries import Filters
from queries.pooled import period_churn

CHURN_HELP = ("Customers who left in a month / customers active at its start, over the whole calendar months "
              "the period touches, leaving out the month in progress; the change is against as many months just "
              "before them.")


@dataclass(frozen=True)
class ChurnMonths:
    """What monthly churn counts of a period (docs/definitions.md, reading 48): its whole calendar months.
    A month's churn is a whole month's leavers over its starters, so the month of as_of, a few days in,
    would read as a fraction of a month (a leaver of 4 in February and none yet of 3 in March: 1 / 7 = 14.3%
    for February's 25.0%)."""
    filters: Filters | None     # the period cut to its whole months; None: not one whole month yet
    in_progress: date | None    # the first day of the month in progress the period reaches, left out


def month_in_progress(as_of: datetime | None, tz: str) -> date | None:
    """The first day of the month of as_of on the charter's clock, unless as_of is its last day (the month
    is then as whole as the data will make it); None without contacts, when there is no as_of (reading 10)."""
    if fmt.is_empty(as_of):
        return None
    day = as_of.astimezone(ZoneInfo(tz)).date()
    return None if (day + timedelta(days=1)).day == 1 else day.replace(day=1)


def whole_months(price_filters: Filters, churn_until: dict) -> ChurnMonths:
    in_progress = month_in_progress(churn_until["as_of"], churn_until["tz"])
    if in_progress is None or (price_filters.date_to is not None and price_filters.date_to < in_progress):
        return ChurnMonths(price_filters, None)
    if price_filters.date_from is not None and price_filters.date_from >= in_progress:
        return ChurnMonths(None, in_progress)
    return ChurnMonths(replace(price_filters, date_to=in_progress - timedelta(days=1)), in_progress)


def left_out_text(months: ChurnMonths) -> str:
    """' · Dec 2026 left out until it ends', or '' when the period has no month in progress."""
    return f" · {fmt.months(months.in_progress, months.in_progress)} left out until it ends" if months.in_progress else ""


def no_whole_month_text(months: ChurnMonths) -> str:
    return (f"{fmt.months(months.in_progress, months.in_progress)} is not over yet and churn counts whole "
            "months: pick a period that reaches back into an earlier month to see churn.")


def counted_months_text(months: ChurnMonths) -> str | None:
    """The whole months churn counts, as the tile, the sentence and the charts name them ('Aug - Nov 2026');
    None with no whole month, or a period open at either end."""
    counted = churn_months(months.filters) if months.filters is not None else None
    return fmt.months(*counted) if counted else None


def churn_period_text(price_filters: Filters, months: ChurnMonths) -> str:
    """What churn counts, for a chart's subtitle: the whole months of the period ('months Aug - Nov 2026'),
    not the period's days, which the subtitles said while the figures counted August whole."""
    counted = counted_months_text(months)
    text = f"months {counted}" if counted else period_text(price_filters)
    return text + left_out_text(months)


def churn_tile(whole: ChurnMonths, churn_until: dict) -> tuple[Tile, float | None, float | None]:
    """The tile of the whole months `whole` (whole_months), with the monthly churn and its annualised
    equivalent for the page's sentence."""
    if whole.filters is None:
        # not 0%: nobody has had a whole month to leave in yet
        note = f"{fmt.months(whole.in_progress, whole.in_progress)} is not over yet: churn counts whole months"
        return Tile("Monthly churn", None, "share", None, better="lower", help=CHURN_HELP, note=note), None, None
    earlier = months_before(whole.filters)
    # One query over the months compared with and the period's (they adjoin), split at the period's
    # first month: a month's row does not depend on the other months asked for, and the customers are
    # read once instead of twice (a tenth of a second at 10M contacts, change 58 in docs/performance.md).
    asked = replace(whole.filters, date_from=earlier.date_from) if earlier else whole.filters
    by_month = context.query("churn_monthly", asked, **churn_until)
    if earlier:
        in_period = pd.to_datetime(by_month["month"]) >= pd.Timestamp(whole.filters.date_from.replace(day=1))
        (monthly, annual), before = period_churn(by_month[in_period]), period_churn(by_month[~in_period])[0]
    else:
        (monthly, annual), before = period_churn(by_month), None
    months = counted_months_text(whole)
    # the months compared with are not the previous period the page header names (reading 31): said on
    # the tile itself, since the meeting pack, which has no tooltips, prints the note but not the help
    compared = f" (change vs {fmt.months(earlier.date_from, earlier.date_to.replace(day=1))})" if earlier else ""
    note = f"{fmt.pct(annual)} a year" + (f" · {months}{compared}" if months else "") + left_out_text(whole)
    return Tile("Monthly churn", monthly, "share", before, better="lower", help=CHURN_HELP, note=note), monthly, annual
