"""Numbers for people: 91.4%, 3.2 h, GBP 1.2m, 12,345 — and "-" whenever there is no value.

Every page, chart label, headline and the meeting pack format through these functions, so a
number reads the same wherever it appears.
"""
from __future__ import annotations

import math
import re
from datetime import date

import pandas as pd

EMPTY = "-"
CURRENCY = "GBP"


def is_empty(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def pct(share, digits: int = 1) -> str:
    """A share (0..1) as a percentage: 0.914 -> '91.4%'. Never the 'all' or 'none' a share is not:
    0.9996 is '99.96%', not '100.0%' (one more digit, then '>99.99%'); 0.0004 is '0.04%'."""
    if is_empty(share):
        return EMPTY
    value = float(share) + 0.0   # -0.0 is 0.0: never '-0.0%'
    for shown in (digits, digits + 1):
        text = f"{100 * value:.{shown}f}%"
        if not 0 < value < 1 or 0 < float(text[:-1]) < 100:
            return text
    smallest = f"{10 ** -(digits + 1):.{digits + 1}f}"
    return f"<{smallest}%" if value < 0.5 else f">{100 - float(smallest):.{digits + 1}f}%"


def target(share) -> str:
    """A charter target as written in the charter: 0.95 -> '95%', 0.955 -> '95.5%' (never rounded
    to a target the charter did not set)."""
    return EMPTY if is_empty(share) else f"{round(100 * float(share), 4):g}%"


def pct_against(share, target, digits: int = 1) -> str:
    """A share shown beside the target it is judged against, never rounded up to a target it falls
    short of: 94.96% against 95% is '94.96%' (one more digit), 94.996% is '94.99%' (cut, not
    rounded), while 95.04% is '95.0%' as usual."""
    if is_empty(share) or is_empty(target) or float(share) >= float(target) - 1e-12:
        return pct(share, digits)
    for shown in (digits, digits + 1):
        scale = 10 ** (shown + 2)
        if round(float(share) * scale) < round(float(target) * scale):
            return pct(share, shown)
    scale = 10 ** (digits + 3)
    return pct(math.floor(float(share) * scale) / scale, digits + 1)


def signed_pct(share, digits: int = 1) -> str:
    """A gap as a signed percentage: 0.18 -> '+18.0%', -0.02 -> '-2.0%'."""
    return EMPTY if is_empty(share) else f"{100 * float(share):+.{digits}f}%"


def points(difference, digits: int = 1) -> str:
    """A difference of two shares in percentage points: 0.021 -> '+2.1 pts'."""
    return EMPTY if is_empty(difference) else f"{100 * float(difference):+.{digits}f} pts"


def hours(value, digits: int = 1) -> str:
    """A duration in hours: '3.2 h'."""
    return EMPTY if is_empty(value) else f"{float(value):,.{digits}f} h"


def working_hours(value, digits: int = 1) -> str:
    """Working time: '25.7 h', or minutes under an hour ('12 min'); never days, whose length a
    working day would make ambiguous."""
    if is_empty(value):
        return EMPTY
    value = float(value)
    return f"{value * 60:,.0f} min" if abs(value) < 1 else f"{value:,.{digits}f} h"


DAYS_FROM_HOURS = 48   # an elapsed time of two days or more reads in days


def duration(value_hours, digits: int = 1) -> str:
    """Elapsed time in the unit that reads best: '12 min', '5.3 h', '9.3 days' (two days and over)."""
    if is_empty(value_hours):
        return EMPTY
    value = float(value_hours)
    if abs(value) < 1:
        return f"{value * 60:,.0f} min"
    return f"{value:,.{digits}f} h" if abs(value) < DAYS_FROM_HOURS else f"{value / 24:,.{digits}f} days"


def count(value) -> str:
    return EMPTY if is_empty(value) else f"{int(round(float(value))):,}"


def plural(value, one: str, many: str) -> str:
    """'1 breach', '1,387 breaches'."""
    return f"{count(value)} {one if not is_empty(value) and int(value) == 1 else many}"


def number(value, digits: int = 1) -> str:
    return EMPTY if is_empty(value) else f"{float(value):,.{digits}f}"


def money_whole(value, currency: str = CURRENCY) -> str:
    """Money to the unit, for a table column where 'GBP 9,516' beside 'GBP 19.6k' would not compare."""
    return EMPTY if is_empty(value) else f"{'-' if float(value) < 0 else ''}{currency} {abs(float(value)):,.0f}"


def money(value, currency: str = CURRENCY) -> str:
    """Money, shortened the way a slide would say it: 'GBP 1.2m', 'GBP 37.6k', 'GBP 512'."""
    if is_empty(value):
        return EMPTY
    amount = float(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount >= 1e9:
        text = f"{amount / 1e9:.1f}bn"
    elif amount >= 1e6:
        text = f"{amount / 1e6:.1f}m"
    elif amount >= 1e4:
        text = f"{amount / 1e3:.1f}k"
    else:
        text = f"{amount:,.0f}"
    return f"{sign}{currency} {text}"


def day(value) -> str:
    """'24 Aug 2026'."""
    if is_empty(value):
        return EMPTY
    value = pd.Timestamp(value)
    return f"{value.day} {value:%b %Y}"


def moment(value) -> str:
    """'20 Nov 2026 23:12 UTC' for an instant; wall time as given for a naive timestamp."""
    if is_empty(value):
        return EMPTY
    value = pd.Timestamp(value)
    zone = " UTC" if value.tzinfo is not None else ""
    if value.tzinfo is not None:
        value = value.tz_convert("UTC")
    return f"{value.day} {value:%b %Y %H:%M}{zone}"


def period(date_from: date | None, date_to: date | None) -> str:
    """'24 Aug - 20 Nov 2026 (13 weeks)'; 'all dates' without bounds."""
    if date_from is None or date_to is None:
        return "all dates"
    days = (date_to - date_from).days + 1
    length = f"{days} day{'s' if days != 1 else ''}" if days < 14 or days % 7 else f"{days // 7} weeks"
    if date_from.year == date_to.year:
        start = f"{date_from.day} {date_from:%b}"
    else:
        start = day(date_from)
    return f"{start} - {day(date_to)} ({length})"


def file_period(date_from: date | None, date_to: date | None) -> str:
    """The period in a downloaded file's name, sorting as it should: '2026-08-24-to-2026-11-20';
    'all-dates' without bounds."""
    if date_from is None or date_to is None:
        return "all-dates"
    return f"{date_from:%Y-%m-%d}-to-{date_to:%Y-%m-%d}"


def months(first: date, last: date) -> str:
    """Calendar months: 'Aug - Nov 2026', 'Nov 2025 - Feb 2026', 'Sep 2026'."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{last:%b %Y}"
    return f"{first:%b}{'' if first.year == last.year else f' {first.year}'} - {last:%b %Y}"


def week(value) -> str:
    """A week by its Monday: 'w/c 24 Aug 2026'."""
    return EMPTY if is_empty(value) else f"w/c {day(value)}"


def plain(value):
    """A scalar from a frame as plain Python (None for missing), for arithmetic in headlines."""
    if is_empty(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=])")


def literal(text) -> str:
    """Uploaded text (a partner, a file name) placed inside Streamlit markdown, escaped so that it
    shows as typed: never a link, an image, a colour directive or emphasis."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", str(text))
