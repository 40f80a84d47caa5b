"""store/timezones.py must give exactly what ICU gives (the local_to_utc macro and timezone()),
for every minute over several years and every second around each transition, in zones with
unusual rules: negative DST (Dublin), 30-minute DST (Lord Howe), DST suspended for Ramadan
(Casablanca), a skipped day (Apia, 2011), no DST (Kolkata), southern hemisphere (Sao Paulo)."""
from __future__ import annotations

from datetime import date

import pytest

from store import db
from store.timezones import day_offsets, local_to_utc_sql, parameters, utc_to_local_sql

ZONES = ["Europe/London", "America/New_York", "Europe/Dublin", "Australia/Lord_Howe", "Africa/Casablanca",
         "Pacific/Apia", "Asia/Kolkata", "America/Sao_Paulo"]


@pytest.mark.parametrize("tz", ZONES)
def test_fast_conversions_equal_icu(tmp_path, tz):
    con = db.connect(tmp_path / "tz.duckdb")
    # A span that starts and ends inside the sampled days and one that runs past them both ways.
    offsets = day_offsets(tz, date(2010, 1, 1), date(2026, 6, 30))
    params = parameters(offsets) | {"tz": tz}
    to_utc = local_to_utc_sql("l", "tz_local_offsets", "tz", offsets)
    to_local = utc_to_local_sql("u", "tz_utc_offsets", "tz", offsets)
    con.execute(
        """CREATE TEMP TABLE instants AS
           SELECT l, l::TIMESTAMPTZ AS u FROM (
               SELECT TIMESTAMP '2009-12-01' + to_seconds(i * 1801) AS l FROM range(0, 302000) t(i)
               UNION ALL SELECT TIMESTAMP '2009-12-01 00:00:01' + to_seconds(i * 37) FROM range(0, 50000) t(i)
               UNION ALL SELECT NULL)""").fetchall()
    # every second within 90 minutes of each transition ICU reports in the span
    con.execute(
        """INSERT INTO instants
           WITH hours AS (SELECT h, epoch_us(timezone($tz, h)) - epoch_us(h) AS o
                          FROM range(TIMESTAMPTZ '2009-12-01', TIMESTAMPTZ '2027-02-01', INTERVAL 1 HOUR) t(h)),
                changes AS (SELECT h FROM (SELECT h, o, lag(o) OVER (ORDER BY h) AS before FROM hours) WHERE o <> before)
           SELECT timezone($tz, h) + to_seconds(s), h + to_seconds(s)
           FROM changes, range(-5400, 5400) r(s)""", {"tz": tz}).fetchall()
    wrong = con.execute(
        f"""SELECT count(*) FILTER (WHERE ({to_utc}) IS DISTINCT FROM local_to_utc(l, $tz)),
                   count(*) FILTER (WHERE ({to_local}) IS DISTINCT FROM timezone($tz, u)),
                   count(*),
                   count(*) FILTER (WHERE $tz_local_offsets[(epoch_us(l) // 86400000000 - {offsets.epoch_day})::BIGINT + 1] IS NOT NULL)
            FROM instants""", params).fetchall()[0]
    con.close()
    assert wrong[0] == 0 and wrong[1] == 0, wrong
    assert wrong[3] > 0.3 * wrong[2]  # and the fast path is really taken
