"""Fast, exact time-zone conversions for millions of rows: a per-day UTC-offset list from ICU.

Converting with ICU (`timezone(tz, x)`, the `local_to_utc` macro) costs about a microsecond per
value, several times per value for `local_to_utc`. A zone's offset changes only at a few
transitions a year, so for every day far enough from a transition the conversion is plain
arithmetic: local = utc + offset, utc = local - offset. This module asks ICU itself (hourly
samples) for the offsets, keeps a day's offset only when it is the same over a generous window
around that day, and the SQL falls back to ICU (the same expression as before) on the days near a
transition and outside the sampled span. So every value gets exactly the ICU result; only the
cost changes. tests/test_timezones.py checks this minute by minute against ICU for several zones.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import duckdb

# Span of days sampled: generous around today (uploads hold recent years); older or later
# values stay exact, through ICU.
YEARS_BACK = 20
YEARS_AHEAD = 5
MICROS_PER_DAY = 86_400_000_000


@dataclass(frozen=True)
class DayOffsets:
    first_day: date
    utc_day: tuple[int | None, ...]    # offset (µs) valid for every instant of that UTC day
    local_day: tuple[int | None, ...]  # offset (µs) valid for every wall-clock time of that local day

    @property
    def epoch_day(self) -> int:
        return (self.first_day - date(1970, 1, 1)).days


@lru_cache(maxsize=16)
def day_offsets(tz: str, first_day: date | None = None, last_day: date | None = None) -> DayOffsets:
    """Offsets from ICU for each day in [first_day, last_day]; None where a transition is near."""
    today = date.today()
    first_day = first_day or date(today.year - YEARS_BACK, 1, 1)
    last_day = last_day or date(today.year + YEARS_AHEAD, 12, 31)
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'").fetchall()
        # One sample per hour from 3 days before to 4 days after; 'same offset over the window'
        # is then checked on the samples. (No zone changes offset twice within an hour.)
        rows = con.execute(
            """WITH hours AS (
                   SELECT h, epoch_us(timezone($tz, h)) - epoch_us(h) AS offset_us
                   FROM range($first::TIMESTAMPTZ - INTERVAL 3 DAY, $last::TIMESTAMPTZ + INTERVAL 5 DAY,
                              INTERVAL 1 HOUR) t(h)),
               days AS (
                   SELECT date_trunc('day', h)::DATE AS day, min(offset_us) AS lo, max(offset_us) AS hi
                   FROM hours GROUP BY ALL)
               SELECT day,
                      -- a UTC day: its own day and one day either side constant
                      CASE WHEN min(lo) OVER w1 = max(hi) OVER w1 THEN max(hi) OVER w1 END,
                      -- a local day: wall-clock times map to [day - 14 h, day + 38 h]; require
                      -- two days either side constant (covers every offset up to +-24 h)
                      CASE WHEN min(lo) OVER w2 = max(hi) OVER w2 THEN max(hi) OVER w2 END,
                      count(*) OVER w2 = 5 AND count(*) OVER w1 = 3
               FROM days
               WINDOW w1 AS (ORDER BY day ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING),
                      w2 AS (ORDER BY day ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING)
               ORDER BY day""",
            {"tz": tz, "first": first_day.isoformat(), "last": last_day.isoformat()},
        ).fetchall()
    finally:
        con.close()
    wanted = {row[0]: row for row in rows if first_day <= row[0] <= last_day}
    days = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    utc = tuple(wanted[d][1] if wanted[d][3] else None for d in days)
    local = tuple(wanted[d][2] if wanted[d][3] else None for d in days)
    return DayOffsets(first_day, utc, local)


def _index(epoch_day_sql: str, offsets: DayOffsets) -> str:
    """1-based list position of an epoch-day number; one past the end (NULL) outside the span."""
    n = len(offsets.utc_day)
    return (f"(CASE WHEN {epoch_day_sql} - {offsets.epoch_day} BETWEEN 0 AND {n - 1} "
            f"THEN {epoch_day_sql} - {offsets.epoch_day} + 1 ELSE {n + 1} END)")


def local_to_utc_sql(local: str, list_param: str, tz_param: str, offsets: DayOffsets) -> str:
    """SQL for the instant (TIMESTAMPTZ) of the naive wall-clock TIMESTAMP expression `local`:
    the same value as the local_to_utc macro. `local` should be a column (it is used twice)."""
    day = f"(epoch_us({local}) // {MICROS_PER_DAY})"
    return (f"coalesce(make_timestamptz(epoch_us({local}) - ${list_param}[{_index(day, offsets)}]), "
            f"local_to_utc({local}, ${tz_param}))")


def utc_to_local_sql(instant: str, list_param: str, tz_param: str, offsets: DayOffsets) -> str:
    """SQL for the wall-clock TIMESTAMP of TIMESTAMPTZ `instant` in the zone: timezone(tz, instant)."""
    day = f"(epoch_us({instant}) // {MICROS_PER_DAY})"
    return (f"coalesce(make_timestamp(epoch_us({instant}) + ${list_param}[{_index(day, offsets)}]), "
            f"timezone(${tz_param}, {instant}))")


def parameters(offsets: DayOffsets) -> dict:
    return {"tz_local_offsets": list(offsets.local_day), "tz_utc_offsets": list(offsets.utc_day)}
