"""The working-time calendar: one row per working day with cumulative working microseconds.

With it, "working time between two instants" is a subtraction of two cumulative positions, and a
working-hours deadline is one ASOF lookup — set-wise in SQL for millions of contacts.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from charter.model import Schedule

if TYPE_CHECKING:   # imported where a calendar is built: reading KPIs (`cli.py kpis`) never needs pandas
    import pandas as pd

# The calendar reaches this far beyond the data so that long deadlines still find their day.
YEARS_BEFORE_DATA = 1
YEARS_AFTER_DATA = 3


def local_instant(day: date, wall_time, schedule: Schedule) -> datetime:
    """A wall-clock time in the charter zone as a UTC instant. zoneinfo's fold=0 gives the spec's
    rules: a time inside the spring gap moves forward by the gap; an autumn repeat takes the first."""
    local = datetime.combine(day, wall_time, tzinfo=schedule.zone)
    return local.astimezone(timezone.utc)


def working_days(schedule: Schedule, first: date, last: date) -> pd.DataFrame:
    """Working days between first and last (inclusive), with their opening and closing instants."""
    import pandas as pd
    closed = set(schedule.holiday_calendar(range(first.year, last.year + 1))) | set(schedule.closed_dates)
    rows = []
    day = first
    while day <= last:
        if day.weekday() in schedule.working_days and day not in closed:
            rows.append((day, local_instant(day, schedule.opens, schedule), local_instant(day, schedule.closes, schedule)))
        day += timedelta(days=1)
    frame = pd.DataFrame(rows, columns=["day", "open_at", "close_at"])
    length_us = (frame["close_at"] - frame["open_at"]) // pd.Timedelta(microseconds=1)
    frame["cum_end_us"] = length_us.cumsum().astype("int64")
    frame["cum_before_us"] = (frame["cum_end_us"] - length_us).astype("int64")
    frame.insert(0, "day_index", range(len(frame)))
    return frame[["day_index", "day", "open_at", "close_at", "cum_before_us", "cum_end_us"]]


def every_day(working: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """Every calendar day with the working-time position at its start, so that an instant's
    position is found by an equality join on its local date (cheaper than a range lookup).
    Non-working days have no opening; their position is the previous working day's close."""
    import pandas as pd
    days = pd.DataFrame({"day": pd.date_range(first, last, freq="D").date})
    merged = days.merge(working, on="day", how="left")
    merged["is_working"] = merged["day_index"].notna()
    previous_close = merged["cum_end_us"].ffill().fillna(0).astype("int64")
    merged["cum_before_us"] = merged["cum_before_us"].fillna(previous_close).astype("int64")
    # business_days day 0 for an arrival after closing or on a closed day: the next working day
    merged["next_day_index"] = merged["day_index"].shift(-1).bfill().astype("Int64")
    merged["day_index"] = merged["day_index"].astype("Int64")
    return merged[["day", "is_working", "day_index", "next_day_index", "open_at", "close_at", "cum_before_us"]]


def calendar_span(first_data_day: date | None, last_data_day: date | None) -> tuple[date, date]:
    today = date.today()
    first = first_data_day or today
    last = max(last_data_day or today, today)
    return date(first.year - YEARS_BEFORE_DATA, 1, 1), date(last.year + YEARS_AFTER_DATA, 12, 31)
