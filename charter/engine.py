"""Per-contact clocks, deadlines and their inputs, computed set-wise once per load or charter change.

contact_clocks holds each current contact with its position in working time (schedule-dependent);
contact_facts holds one row per contact and in-scope standard with its start, stop and deadline.
Outcomes (met / missed / pending / invalid) depend on as_of and are decided in queries/.
"""
from __future__ import annotations

import json
from datetime import date, timedelta

import duckdb

from charter.calendar import calendar_span, every_day, working_days
from charter.model import Charter, Standard
from store import db, filter_values, price_facts, timezones

# Bumped when contact_facts gains or changes a column or the order rows are stored in: facts
# stored under another layout are recomputed as if the charter had changed (the first page visit
# or load does it). Layout 3: clocks and facts stored in order of opened_at, so date filters skip
# row groups (before, joins had shuffled them and every row group spanned the history).
# Layout 4: facts carry their contact's filter columns (opened_date, channel, team, partner,
# customer_id), so the standards queries filter facts without joining them to contacts.
# Layout 5: clocks carry their contact's columns, so queries and facts read them without a join.
# Layout 6: clocks and facts carry the customer's joined_at, so tenure needs no join.
FACTS_LAYOUT = "6"

# measure -> (week, start, stop, working position of start, business-day 0 of start): what a
# standard's deadline is computed from
CLOCKS = {
    "acknowledge": ("c.opened_week", "c.opened_at", "c.ack_stop_at", "c.w_opened_us", "c.day0_opened"),
    "first_response": ("c.opened_week", "c.opened_at", "c.first_response_at", "c.w_opened_us", "c.day0_opened"),
    "resolution": ("c.opened_week", "c.opened_at", "c.resolved_at", "c.w_opened_us", "c.day0_opened"),
    "follow_up": ("c.resolved_week", "c.resolved_at", "c.follow_up_at", "c.w_resolved_us", "c.day0_resolved"),
}

# unit -> (join that finds the deadline's calendar day, deadline expression), over a source row `s`
# with start_at, w_start_us and day0_index. The only definition of deadlines: the materialised
# facts and the expectation-gap what-if both use it.
DEADLINES = {
    "hours": ("", "s.start_at + to_microseconds($within_us)"),
    "days": ("", "s.start_at + to_microseconds($within_us)"),
    # A deadline that uses up its hours exactly at closing is that closing (<=); with N = 0 a
    # start outside working time moves to the next opening, so the match must be strictly after.
    "business_hours": (
        "ASOF LEFT JOIN work_calendar dl ON s.w_start_us + $within_us + $strict_us <= dl.cum_end_us",
        "dl.open_at + to_microseconds(s.w_start_us + $within_us - dl.cum_before_us)",
    ),
    "business_days": (
        "LEFT JOIN work_calendar dl ON dl.day_index = s.day0_index + $within_days",
        "dl.close_at",
    ),
}


def deadline_parameters(within: float, unit: str) -> dict:
    per_unit_us = {"hours": 3_600_000_000, "days": 86_400_000_000, "business_hours": 3_600_000_000, "business_days": 0}
    return {
        "within_us": int(round(within * per_unit_us[unit])),
        "within_days": int(within),
        "strict_us": 1 if within == 0 else 0,
    }


def deadline_sql(unit: str) -> tuple[str, str]:
    return DEADLINES[unit]


def scope_condition(standard: Standard) -> tuple[str, dict]:
    """SQL for the standard's scope: every key must match, a list matches any value, trimmed and
    lower-cased; a blank value matches nothing. Keys are checked against a fixed list at load."""
    clauses, parameters = [], {}
    for key, values in standard.scope.items():
        name = f"scope_{key}"
        clauses.append(f"list_contains(${name}, nullif(lower(trim(c.{key})), ''))")
        parameters[name] = list(values)
    if standard.measure == "follow_up":
        clauses.append("c.resolved_at IS NOT NULL")
    return (" AND ".join(clauses) or "TRUE"), parameters


def _run(cursor: duckdb.DuckDBPyConnection, sql: str, parameters: dict | None = None) -> None:
    cursor.execute(sql, parameters or {}).fetchall()


def _data_days(cursor: duckdb.DuckDBPyConnection, source: str = "contacts") -> tuple[date | None, date | None]:
    first, last = cursor.execute(
        f"""SELECT min(opened_at)::DATE,
                   greatest(max(opened_at), max(acknowledged_at), max(first_response_at),
                            max(resolved_at), max(follow_up_at), max(updated_at))::DATE
            FROM {source}"""
    ).fetchall()[0]
    return first, last


def calendar_is_current(cursor, charter: Charter, source: str = "contacts") -> bool:
    """The calendar matches this charter and still covers the data with room to spare. `source`:
    the rows to check; a weekly load checks only its own contacts, as every write keeps the
    calendar covering everything else (it ran this check, or rebuilt the calendar)."""
    # (an earlier version stamped the calendar with the whole charter's fingerprint)
    if db.read_meta(cursor, "calendar_fingerprint") not in (charter.schedule.fingerprint(), charter.fingerprint()):
        return False
    span = cursor.execute("SELECT min(day), max(day) FROM calendar_days").fetchall()[0]
    first_day, last_day = _data_days(cursor, source)
    if span[0] is None:
        return False
    if first_day and first_day < span[0] + timedelta(days=300):
        return False
    return not (last_day and last_day > span[1] - timedelta(days=2 * 365))


def rebuild_calendar(cursor, charter: Charter) -> None:
    first, last = calendar_span(*_data_days(cursor))
    working = working_days(charter.schedule, first, last)
    cursor.register("working_frame", working)
    cursor.register("days_frame", every_day(working, first, last))
    try:
        _run(cursor, "DELETE FROM work_calendar")
        _run(cursor, "INSERT INTO work_calendar SELECT * FROM working_frame")
        _run(cursor, "DELETE FROM calendar_days")
        _run(cursor, "INSERT INTO calendar_days SELECT * FROM days_frame")
    finally:
        cursor.unregister("working_frame")
        cursor.unregister("days_frame")
    db.write_meta(cursor, "calendar_fingerprint", charter.schedule.fingerprint())
    forget_clocks(cursor)   # they hold positions counted from the old calendar's first day


def forget_clocks(cursor) -> None:
    """The stored clocks and facts are not those of the current contacts and calendar: the next
    refresh computes all of them."""
    _run(cursor, "DELETE FROM meta WHERE key IN ('clocks_fingerprint', 'facts_fingerprint')")


CLOCKS_SQL = """
INSERT INTO contact_clocks BY NAME
SELECT c.* EXCLUDE (resolved_local, ack_day, first_day, follow_day),
       date_trunc('week', c.opened_local)::DATE AS opened_week,
       c.opened_local::DATE AS opened_date,
       date_trunc('week', c.resolved_local)::DATE AS resolved_week,
       working_us(c.opened_at, o.is_working, o.open_at, o.close_at, o.cum_before_us) AS w_opened_us,
       working_us(c.ack_stop_at, a.is_working, a.open_at, a.close_at, a.cum_before_us) AS w_ack_us,
       working_us(c.first_response_at, f.is_working, f.open_at, f.close_at, f.cum_before_us) AS w_first_us,
       working_us(c.resolved_at, r.is_working, r.open_at, r.close_at, r.cum_before_us) AS w_resolved_us,
       working_us(c.follow_up_at, u.is_working, u.open_at, u.close_at, u.cum_before_us) AS w_follow_us,
       day_zero(c.opened_at, o.is_working, o.close_at, o.day_index, o.next_day_index) AS day0_opened,
       day_zero(c.resolved_at, r.is_working, r.close_at, r.day_index, r.next_day_index) AS day0_resolved,
       cu.joined_at AS customer_joined_at
FROM (SELECT *, {opened_local} AS opened_local, {resolved_local} AS resolved_local,
             ({ack_local})::DATE AS ack_day, ({first_local})::DATE AS first_day,
             ({follow_local})::DATE AS follow_day
      FROM (SELECT *, least(acknowledged_at, first_response_at) AS ack_stop_at
            FROM {source})) c
-- each instant's local day; positions are then arithmetic on that day's row
LEFT JOIN calendar_days o ON o.day = c.opened_local::DATE
LEFT JOIN calendar_days a ON a.day = c.ack_day
LEFT JOIN calendar_days f ON f.day = c.first_day
LEFT JOIN calendar_days r ON r.day = c.resolved_local::DATE
LEFT JOIN calendar_days u ON u.day = c.follow_day
-- only the customers of these contacts: a weekly load's 100,000 contacts probe a small table
-- instead of hashing a million customers
LEFT JOIN (SELECT customer_id, joined_at FROM customers WHERE customer_id IN (SELECT customer_id FROM {source})) cu
       ON cu.customer_id = c.customer_id
ORDER BY c.opened_at, c.ticket_id
"""


def clocks_sql(tz: str, source: str = "contacts") -> tuple[str, dict]:
    """CLOCKS_SQL with each instant's wall-clock time in the charter zone: timezone(tz, x), computed
    by day-offset arithmetic where that is exact (store/timezones.py), else by ICU."""
    offsets = timezones.day_offsets(tz)

    def local(column: str) -> str:
        return timezones.utc_to_local_sql(column, "tz_utc_offsets", "tz", offsets)
    sql = CLOCKS_SQL.format(source=source, opened_local=local("opened_at"), resolved_local=local("resolved_at"),
                            ack_local=local("ack_stop_at"), first_local=local("first_response_at"),
                            follow_local=local("follow_up_at"))
    return sql, {"tz": tz, "tz_utc_offsets": list(offsets.utc_day)}

FACTS_SQL = """
INSERT INTO contact_facts (standard_id, ticket_id, week, start_at, stop_at, deadline_at, w_start_us, day0_index,
                           opened_at, opened_date, channel, team, partner, customer_id, customer_joined_at)
SELECT $standard_id, s.ticket_id, s.week, s.start_at, s.stop_at, {deadline}, s.w_start_us, s.day0_index,
       s.opened_at, s.opened_date, s.channel, s.team, s.partner, s.customer_id, s.customer_joined_at
FROM (SELECT c.ticket_id, {week} AS week, {start} AS start_at, {stop} AS stop_at,
             {w_start} AS w_start_us, {day0} AS day0_index, c.opened_at,
             c.opened_date, c.channel, c.team, c.partner, c.customer_id, c.customer_joined_at
      FROM {clocks} c
      WHERE {start} IS NOT NULL AND {scope}) s
{deadline_join}
ORDER BY s.opened_at, s.ticket_id
"""


def _standard_facts(cursor, standard: Standard, clocks: str = "contact_clocks") -> None:
    week, start, stop, w_start, day0 = CLOCKS[standard.measure]
    join, deadline = deadline_sql(standard.unit)
    scope, parameters = scope_condition(standard)
    sql = FACTS_SQL.format(
        week=week, start=start, stop=stop, w_start=w_start, day0=day0,
        deadline=deadline, deadline_join=join, scope=scope, clocks=clocks,
    )
    parameters |= deadline_parameters(standard.within, standard.unit)
    parameters["standard_id"] = standard.id
    # DuckDB refuses parameters the statement does not use; keep only those it mentions.
    _run(cursor, sql, {k: v for k, v in parameters.items() if f"${k}" in sql})


def refresh(cursor, charter: Charter, affected_table: str | None = None) -> None:
    """Recompute clocks and facts: for the tickets in `affected_table` only when the calendar is
    still good (a weekly load), else for everything (a charter change or data beyond the calendar).
    Without `affected_table` nothing is recomputed that facts_are_current finds current. The
    one-off upgrades of a database written by an earlier version (rows put in order, price facts
    built) happen here too, so every caller that makes the facts current also makes those current."""
    if not db.rows_are_in_order(cursor):
        db.put_rows_in_order(cursor)    # once, for a database loaded by an earlier version
    if not price_facts.is_current(cursor):
        price_facts.rebuild(cursor)     # once, after an upgrade that added or changed them
    if not filter_values.is_current(cursor):
        filter_values.rebuild(cursor)   # likewise
    if not affected_table and facts_are_current(cursor, charter):
        return
    contacts_changed = affected_table is not None
    if affected_table and db.read_meta(cursor, "facts_fingerprint") != facts_fingerprint(charter):
        affected_table = None    # the other contacts' facts are stale too: recompute them all
    if affected_table:
        # A weekly load: compute the affected contacts' clocks and facts from their rows alone and
        # touch only their rows in the big tables. (the redundant range lets DuckDB skip row groups
        # by their ticket_id min/max statistics, so each read below is of the newest row groups)
        affected = (f"ticket_id BETWEEN (SELECT min(ticket_id) FROM {affected_table}) "
                    f"AND (SELECT max(ticket_id) FROM {affected_table}) "
                    f"AND ticket_id IN (SELECT ticket_id FROM {affected_table})")
        _run(cursor, f"CREATE OR REPLACE TEMP TABLE affected_contacts AS SELECT * FROM contacts WHERE {affected}")
        if not calendar_is_current(cursor, charter, source="affected_contacts"):
            _run(cursor, "DROP TABLE affected_contacts")
            affected_table = None
    if not affected_table and not calendar_is_current(cursor, charter):
        rebuild_calendar(cursor, charter)
    tz = charter.schedule.timezone
    if affected_table:
        _run(cursor, f"DELETE FROM contact_clocks WHERE {affected}")
        _run(cursor, f"DELETE FROM contact_facts WHERE {affected}")
        _run(cursor, *clocks_sql(tz, source="affected_contacts"))
        _run(cursor, "DROP TABLE affected_contacts")
        for standard in charter.standards:
            _standard_facts(cursor, standard, clocks=f"(SELECT * FROM contact_clocks WHERE {affected})")
    elif not contacts_changed and db.read_meta(cursor, "clocks_fingerprint") == clocks_fingerprint(charter):
        # Only standards changed (a charter edit that kept the schedule): the clocks stand, and
        # only the facts of the standards added or changed are computed (a target or a name
        # changes none), a few seconds at 10M contacts instead of half a minute.
        stored = json.loads(db.read_meta(cursor, "standard_facts") or "{}")
        wanted = standard_facts_fingerprints(charter)
        stale = [standard for standard in charter.standards if stored.get(standard.id) != wanted[standard.id]]
        dropped = [standard_id for standard_id in stored if standard_id not in wanted]
        if stale or dropped:
            _run(cursor, "DELETE FROM contact_facts WHERE list_contains($ids, standard_id)",
                 {"ids": [standard.id for standard in stale] + dropped})
        for standard in stale:
            _standard_facts(cursor, standard)
    else:
        _run(cursor, "DELETE FROM contact_clocks")
        _run(cursor, "DELETE FROM contact_facts")
        _run(cursor, *clocks_sql(tz))
        for standard in charter.standards:
            _standard_facts(cursor, standard)
    # Every path leaves the calendar and all clocks computed under this schedule (a weekly load's
    # only when the rest were already: its facts fingerprint matched), which also stamps those of
    # a database written by an earlier version, so that its next charter edit is a partial one.
    db.write_meta(cursor, "calendar_fingerprint", charter.schedule.fingerprint())
    db.write_meta(cursor, "clocks_fingerprint", clocks_fingerprint(charter))
    db.write_meta(cursor, "standard_facts", json.dumps(standard_facts_fingerprints(charter), sort_keys=True))
    db.write_meta(cursor, "facts_fingerprint", facts_fingerprint(charter))


def keep_only_contacts_opened_near(cursor, date_from: date | None, date_to: date | None) -> None:
    """Delete every current contact, clock and fact outside the days around [date_from, date_to]
    (opened_near: wide enough for any time zone). Only for a transaction that is rolled back,
    such as a preview: the contacts' versions stay, but nothing else knows they were removed."""
    if date_from is None and date_to is None:
        return
    for table in ("contacts", "contact_clocks", "contact_facts"):
        _run(cursor, f"DELETE FROM {table} WHERE NOT opened_near(opened_at, $date_from::DATE, $date_to::DATE)",
             {"date_from": date_from, "date_to": date_to})


def refresh_customer_dates(cursor) -> None:
    """After a customers upload or undo: the contacts of the customers whose joined_at is new,
    re-dated or gone (customers_changed, store/ingest.py) carry it in their clocks and facts. A
    weekly customers file is mostly leavers, whose joined_at stays: then nothing is written."""
    changed = "FROM customers_changed c WHERE c.joined_before IS DISTINCT FROM c.joined_at"
    if cursor.execute(f"SELECT count(*) {changed}").fetchall()[0][0]:
        for table in ("contact_clocks", "contact_facts"):
            _run(cursor, f"UPDATE {table} t SET customer_joined_at = c.joined_at {changed} AND t.customer_id = c.customer_id")


def facts_fingerprint(charter: Charter) -> str:
    return f"{charter.fingerprint()}/{FACTS_LAYOUT}"


def clocks_fingerprint(charter: Charter) -> str:
    """What every stored clock was computed under (with the current calendar, see rebuild_calendar)."""
    return f"{charter.schedule.fingerprint()}/{FACTS_LAYOUT}"


def standard_facts_fingerprints(charter: Charter) -> dict[str, str]:
    return {standard.id: standard.facts_fingerprint() for standard in charter.standards}


def facts_are_current(cursor, charter: Charter) -> bool:
    """Everything refresh() derives is current: the charter facts, the price facts and the
    sidebar's filter values."""
    return (db.read_meta(cursor, "facts_fingerprint") == facts_fingerprint(charter) and calendar_is_current(cursor, charter)
            and price_facts.is_current(cursor) and filter_values.is_current(cursor) and db.rows_are_in_order(cursor))
