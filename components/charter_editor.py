"""Widgets of the Charter page: the charter in words, forms that edit the TOML document in place
(tomlkit, so comments and layout of untouched parts survive), what an edit changes, and the
compliance an edited charter would give, computed without touching the stored facts.
"""
from __future__ import annotations

from datetime import date, time
from zoneinfo import available_timezones

import holidays
import pandas as pd
import streamlit as st
import tomlkit
from streamlit.delta_generator import DeltaGenerator
from tomlkit.items import AoT, Comment, Table

from charter import engine
from charter.model import (
    MEASURES, SCOPE_COLUMNS, UNIT_LABELS, UNITS, WEEKDAYS, Charter, Schedule, Standard, new_id_problem,
)
from components import formatting as fmt
from components.labels import unique_standard_labels
from components.tiles import rag_text
from queries import Filters, execute, sql_text
from store import db

MEASURE_LABELS = {
    "acknowledge": "Acknowledge",
    "first_response": "First full reply",
    "resolution": "Resolve",
    "follow_up": "Follow up after resolving",
}
CLOCK_WORDS = {
    "acknowledge": "from receipt to acknowledgement (or first reply)",
    "first_response": "from receipt to the first full reply",
    "resolution": "from receipt to resolution",
    "follow_up": "from resolution to the follow-up contact",
}
# Values offered in the scope pickers besides those found in the data (managers may type others).
SCOPE_SUGGESTIONS = {
    "kind": ["enquiry", "complaint"],
    "channel": ["phone", "email", "chat", "web", "letter", "social", "in_person"],
    "priority": ["low", "normal", "high", "urgent"],
}
MAIN_SCOPE = ("kind", "channel")
NEW_STANDARD = {"id": "new_standard", "name": "New standard", "measure": "first_response", "within": 1,
                "unit": "business_days", "target": 0.9}


# ----------------------------------------------------------------------------- the charter in words

def promise_words(standard: Standard) -> str:
    return f"{MEASURE_LABELS[standard.measure]} within {standard.promise}"


def scope_words(standard: Standard) -> str:
    if not standard.scope:
        return "every contact" if standard.measure != "follow_up" else "every resolved contact"
    parts = []
    for key, values in standard.scope.items():
        if key == "kind":
            parts.append(" or ".join(f"{v}s" for v in values) + " only")
        else:   # as the charter spells them
            parts.append(f"{key.replace('_', ' ')}: {', '.join(standard.scope_as_written.get(key, values))}")
    return "; ".join(parts)


def schedule_words(schedule: Schedule) -> str:
    days = [WEEKDAYS[i] for i in schedule.working_days]
    runs, start = [], 0
    for i in range(1, len(schedule.working_days) + 1):  # Mon, Tue, Wed -> Mon–Wed
        if i == len(schedule.working_days) or schedule.working_days[i] != schedule.working_days[i - 1] + 1:
            runs.append(days[start] if i - 1 == start else f"{days[start]}–{days[i - 1]}")
            start = i
    text = f"Open {', '.join(runs)}, {schedule.opens:%H:%M}–{schedule.closes:%H:%M} ({schedule.timezone})"
    if schedule.holidays:
        region = f"{schedule.holidays}" + (f"-{schedule.holiday_subdivision}" if schedule.holiday_subdivision else "")
        text += f"; closed on {region} public holidays"
    if schedule.closed_dates:
        text += "; also closed " + ", ".join(d.isoformat() for d in schedule.closed_dates)
    return text + "."


def standards_table(charter: Charter, summary: pd.DataFrame | None) -> pd.DataFrame:
    """One row per standard: the promise, its clock, target, scope and (if known) current compliance."""
    rows = []
    found = {} if summary is None else {r["standard_id"]: r for r in summary.to_dict("records")}
    for standard in charter.standards:
        row = found.get(standard.id, {})
        rows.append({
            # "Promise as published" as the editor labels the name; "Promise" alone is the Compliance
            # page's short label, so the measured promise is "Measured as"
            "Promise as published": standard.name,
            "Measured as": promise_words(standard),
            "Clock": CLOCK_WORDS[standard.measure],
            "Applies to": scope_words(standard),
            "Target": fmt.target(standard.target),
            "Compliance now": fmt.EMPTY if fmt.is_empty(row.get("compliance")) else rag_text(row["compliance"], standard.target),
            "Met / missed": f"{int(row.get('met', 0)):,} / {int(row.get('missed', 0)):,}" if row else fmt.EMPTY,
        })
    return pd.DataFrame(rows).set_index("Promise as published")   # a static table names its rows


# ----------------------------------------------------------------------------- editing in place

def _set(table: Table, key: str, value, current) -> None:
    """Write only what changed, so untouched keys keep their formatting and comments."""
    if value != current:
        _write(table, key, value)


def _write(table: Table, key: str, value) -> None:
    """Write a value the form changed, without the comment written beside the old one: tomlkit keeps
    it, and `within = 2  # within one working hour` would then lie in the published charter. Comment
    lines of their own (above a key or a section) stay, and the review names those above a changed
    value (comments_above_changes)."""
    table[key] = value
    table.item(key).trivia.comment_ws = table.item(key).trivia.comment = ""


def comments_dropped(before_text: str, after_text: str) -> list[str]:
    """The comments written beside a value in `before_text` that `after_text` no longer has beside it
    ('"within one working hour" (beside within in ack)'), for the page to say before the edit is saved."""
    before, after = _side_comments(before_text), _side_comments(after_text)
    return [f'"{comment.lstrip("# ")}" (beside {key} in {where})' for (where, key), comment in before.items()
            if comment and (where, key) in after and after[(where, key)] != comment]


def _side_comments(text: str) -> dict[tuple[str, str], str]:
    """(section, key) -> the comment beside that key's value, for every key of the document's tables
    (a [[standard]] named by its id); an empty text for a key without one."""
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError:
        return {}
    tables = []
    for name, item in document.body:
        if isinstance(item, Table):
            tables.append((name.key, item))
        elif isinstance(item, AoT):
            tables += [(str(table.get("id", f"{name.key} {number}")), table) for number, table in enumerate(item.body, 1)]
    return {(where, key.key): value.trivia.comment for where, table in tables
            for key, value in table.value.body if key is not None}


def comments_above_changes(before_text: str, after_text: str) -> list[str]:
    """The comment lines of their own written right above a value the edit changes, or above the
    heading of a table whose values it changes ('"we promise one hour" (above within in ack)'). They
    stay in the file: a line of its own may give a reason or a history no edit makes untrue, and the
    app cannot tell; but it may also describe the old value, so the review names it before Save."""
    before, after = _CommentedDocument(before_text), _CommentedDocument(after_text)
    changed_tables = {where for where, key in after.values if key is not None
                      and after.values[(where, key)] != before.values.get((where, key), _MISSING)}
    changed_tables |= {where for where, key in before.values if key is not None and where in after.tables
                       and (where, key) not in after.values}
    named = []
    for (where, key), lines in after.above.items():
        kept = [line for line in lines if line in before.above.get((where, key), ())]
        if not kept:
            continue
        if key is None and where in changed_tables and where in before.tables:
            heading = "the [schedule] heading" if where == "schedule" else f"the heading of standard {where}"
            named += [f'"{line}" (above {heading})' for line in kept]
        elif key is not None and after.values.get((where, key)) != before.values.get((where, key), _MISSING):
            named += [f'"{line}" (above {key} in {where})' for line in kept]
    return named


_MISSING = object()


class _CommentedDocument:
    """A charter document's values by (table, key), and the comment lines of their own right above
    each key (no blank line between) and, under (table, None), above each table's heading; a
    [[standard]] is named by its id."""

    def __init__(self, text: str):
        self.values: dict[tuple[str, str], object] = {}
        self.above: dict[tuple[str, str | None], list[str]] = {}
        self.tables: list[str] = []
        try:
            document = tomlkit.parse(text)
        except tomlkit.exceptions.ParseError:
            return
        run: list[str] = []
        for name, item in document.body:
            if isinstance(item, Table):
                run = self._read_table(name.key, item, run)
            elif isinstance(item, AoT):
                for number, table in enumerate(item.body, 1):
                    run = self._read_table(str(table.get("id", f"{name.key} {number}")), table, run)
            else:
                run = self._after(run, name, item)

    def _read_table(self, where: str, table: Table, run: list[str]) -> list[str]:
        self.tables.append(where)
        if run:
            self.above[(where, None)] = run
        run = []
        for key, item in table.value.body:
            if key is not None:
                self.values[(where, key.key)] = item.unwrap()
                if run:
                    self.above[(where, key.key)] = run
            run = self._after(run, key, item)
        return run   # comment lines at a table's end sit above the next table's heading

    @staticmethod
    def _after(run: list[str], key, item) -> list[str]:
        if key is None and isinstance(item, Comment):
            return run + [item.as_string().strip().lstrip("#").strip()]
        return []


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _parse_dates(text: str) -> tuple[date, ...] | list[str]:
    lines = [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]
    try:
        return tuple(sorted(date.fromisoformat(line) for line in lines))
    except ValueError:
        return lines  # written as typed; the charter check then names the bad date


def edit_schedule(table: Table, current: Schedule, key: str) -> dict[str, DeltaGenerator]:
    """The [schedule] fields; returns an empty place under each field the charter's checks may
    refuse, by setting, for the page to say there why (charter.model.CharterError.setting)."""
    zones = sorted(available_timezones())
    left, right = st.columns(2)
    timezone = left.selectbox("Time zone", zones, index=zones.index(current.timezone) if current.timezone in zones
                              else None, key=f"{key}_timezone")
    _set(table, "timezone", timezone, current.timezone)
    if timezone and timezone != current.timezone:
        # a stored instant is not re-read: whether the old files meant the old zone is only the manager's to know
        left.caption(f"Working hours, holidays and weeks will follow {timezone}. Contacts already loaded keep the "
                     "times they were read with (a time without an offset was read in the charter's zone of the day "
                     "it was loaded): load those exports again if they were written in the new zone.")
    days = right.multiselect("Working days", list(WEEKDAYS), default=[WEEKDAYS[i] for i in current.working_days],
                             key=f"{key}_days")
    beside = {"working_days": right.empty()}
    chosen = tuple(sorted(WEEKDAYS.index(d) for d in days))
    if chosen != current.working_days:
        _write(table, "working_days", [WEEKDAYS[i] for i in chosen])
    left, right = st.columns(2)
    opens = left.time_input("Opens", current.opens, step=300, key=f"{key}_opens")
    closes = right.time_input("Closes", current.closes, step=300, key=f"{key}_closes")
    beside["closes"] = right.empty()
    for name, value, before in (("opens", opens, current.opens), ("closes", closes, current.closes)):
        if isinstance(value, time) and value.replace(second=0) != before:
            _write(table, name, f"{value:%H:%M}")
    countries = holidays.list_supported_countries()
    # the file's own codes stay on offer even when the package lists them otherwise ("GBR",
    # "England"): opening the form must never change a setting nobody touched
    codes = [""] + sorted(c for c in countries if len(c) == 2)
    if current.holidays not in codes:
        codes.append(current.holidays)
    left, right = st.columns(2)
    country = left.selectbox("Public holidays of", codes, index=codes.index(current.holidays)
                             if current.holidays in codes else 0, format_func=lambda c: c or "none",
                             key=f"{key}_holidays", help="Country code understood by the holidays package")
    _set(table, "holidays", country, current.holidays)
    regions = [""] + list(countries.get(country, []))
    if country == current.holidays and current.holiday_subdivision not in regions:
        regions.append(current.holiday_subdivision)
    subdivision = right.selectbox(
        "Region (subdivision)", regions, format_func=lambda c: c or "whole country", key=f"{key}_region_{country}",
        index=regions.index(current.holiday_subdivision) if current.holiday_subdivision in regions else 0)
    _set(table, "holiday_subdivision", subdivision, current.holiday_subdivision)
    closed = st.text_area("Other closed dates (one per line, YYYY-MM-DD)",
                          "\n".join(d.isoformat() for d in current.closed_dates), key=f"{key}_closed", height=100)
    beside["closed_dates"] = st.empty()
    dates = _parse_dates(closed)
    if dates != current.closed_dates:
        _write(table, "closed_dates", [d.isoformat() if isinstance(d, date) else d for d in dates])
    return beside


def _scope_picker(column, field: str, current: Standard, options: dict[str, list[str]], key: str) -> list[str]:
    chosen = list(current.scope_as_written.get(field, current.scope.get(field, ())))
    # the charter's own spelling first: "sf partner desk" from the data is not offered beside "SF Partner Desk"
    offered = list(distinct_ignoring_case(chosen + SCOPE_SUGGESTIONS.get(field, []) + options.get(field, [])))
    return column.multiselect(field.replace("_", " ").capitalize(), offered, default=chosen, key=f"{key}_scope_{field}",
                              accept_new_options=True, placeholder="any")


def edit_standard(table: Table, current: Standard, key: str, options: dict[str, list[str]],
                  is_new: bool) -> tuple[str | None, dict[str, DeltaGenerator]]:
    """Fields of one [[standard]]; `options` lists values seen in the data for the scope pickers.
    Returns what keeps a new standard's id from being saved (said under the field too) or None, and
    an empty place under each field the charter's checks may refuse, as edit_schedule does."""
    problem, beside = None, {}
    if is_new:
        identifier = st.text_input("Id (short, unique; used in links and the command line)", current.id,
                                   key=f"{key}_id").strip()
        _set(table, "id", identifier, current.id)
        beside["id"] = st.empty()
        problem = new_id_problem(identifier)
        if problem:
            st.error(problem[0].upper() + problem[1:], icon=":material/error:")
    else:
        st.caption(f"Id `{current.id}`")
    name = st.text_input("Promise as published", current.name, key=f"{key}_name")
    beside["name"] = st.empty()
    _set(table, "name", name, current.name)
    # The clock on a line of its own: its words ('Acknowledge (from receipt to acknowledgement (or first
    # reply))') were cut to 'Acknowledge (from receipt to ackno' beside the three numbers on a laptop.
    measure = st.selectbox("Clock", MEASURES, index=MEASURES.index(current.measure),
                           format_func=lambda m: f"{MEASURE_LABELS[m]} ({CLOCK_WORDS[m]})", key=f"{key}_measure")
    _set(table, "measure", measure, current.measure)
    middle, right, last = st.columns(3)
    # No min_value/max_value on these boxes: Streamlit keeps a typed value outside them on screen (with a
    # small red mark) and returns the old one, so the review showed, and Save would store, a target of
    # 90% under a box reading 150. Any value comes through; the charter's own checks refuse it in words.
    within = middle.number_input("Within", value=float(current.within), step=1.0, format="%g",
                                 key=f"{key}_within")
    beside["within"] = middle.empty()
    if within != current.within:
        _write(table, "within", _number(within))
    unit = right.selectbox("Unit", UNITS, index=UNITS.index(current.unit), format_func=UNIT_LABELS.get,
                           key=f"{key}_unit")
    _set(table, "unit", unit, current.unit)
    target = last.number_input("Target (% of contacts)", value=round(current.target * 100, 2), step=0.5,
                               format="%g", key=f"{key}_target")
    beside["target"] = last.empty()
    if abs(target / 100 - current.target) > 1e-9:
        _write(table, "target", round(target / 100, 4) + 0.0)   # + 0.0: a typed -0.001 is 0, not -0.0
    st.markdown("**Applies to** (leave empty for every contact; a list matches any of its values)")
    columns = st.columns(2)
    scope = {field: _scope_picker(columns[i], field, current, options, key) for i, field in enumerate(MAIN_SCOPE)}
    with st.expander("More scope filters (priority, team, partner, category, agent)"):
        columns = st.columns(3)
        others = [f for f in SCOPE_COLUMNS if f not in MAIN_SCOPE]
        scope |= {field: _scope_picker(columns[i % 3], field, current, options, key) for i, field in enumerate(others)}
    _write_scope(table, scope, current)
    return problem, beside


def distinct_ignoring_case(values) -> tuple[str, ...]:
    """Values as picked ("SF Partner Desk", as the data spells it, for labels), the first spelling of
    each: matching ignores case, so "sf partner desk" after it adds nothing."""
    kept: dict[str, str] = {}
    for value in values:
        text = str(value).strip()
        if text:
            kept.setdefault(text.lower(), text)
    return tuple(kept.values())


def _write_scope(table: Table, chosen: dict[str, list[str]], current: Standard) -> None:
    cleaned = {k: distinct_ignoring_case(values) for k, values in chosen.items()}
    cleaned = {k: v for k, v in cleaned.items() if v}
    if cleaned == {k: current.scope_as_written.get(k, v) for k, v in current.scope.items()}:
        return
    if not cleaned:
        if "scope" in table:
            table.remove("scope")
        return
    inline = tomlkit.inline_table()
    for field in SCOPE_COLUMNS:  # the model's order, so files read the same way everywhere
        if field in cleaned:
            values = cleaned[field]
            inline[field] = values[0] if len(values) == 1 else list(values)
    _write(table, "scope", inline)


def _standards(document) -> AoT:
    if "standard" not in document:
        document.append("standard", tomlkit.aot())
    return document["standard"]


def add_standard(document, taken: set[str]) -> str:
    """Append a [[standard]] with sensible defaults and a free id; returns the id."""
    standards = _standards(document)
    identifier, number = NEW_STANDARD["id"], 1
    while identifier in taken:
        number += 1
        identifier = f"{NEW_STANDARD['id']}_{number}"
    table = tomlkit.table()
    for field, value in (NEW_STANDARD | {"id": identifier}).items():
        table[field] = value
    if len(standards):
        standards[-1].add(tomlkit.nl())
    standards.append(table)
    return identifier


def _trailing_comments(table: Table) -> list:
    """tomlkit keeps the comment lines above a [[standard]] header at the end of the table before it."""
    body = table.value.body
    cut = len(body)
    while cut and body[cut - 1][0] is None:
        cut -= 1
    tail = body[cut:]
    del body[cut:]
    return tail


def _table_before_standards(document) -> Table | None:
    """The table written just above the first [[standard]] (usually [schedule]): it holds the
    comment lines above that standard."""
    previous = None
    for key, item in document.body:
        if key is not None and key.key == "standard":
            return previous
        if isinstance(item, Table):
            previous = item
    return None


def remove_standard(document, index: int) -> None:
    """Remove one standard together with the comment lines written above it (they sit at the end
    of the table before it: the previous standard, or for the first one the table above them all),
    handing its own trailing comments (those of the next standard, or the file's last lines) to that table."""
    standards = _standards(document)
    before = standards[index - 1] if index > 0 else _table_before_standards(document)
    if before is not None:
        _trailing_comments(before)
        before.value.body.extend(_trailing_comments(standards[index]))
    del standards[index]


# ----------------------------------------------------------------------------- what changed

def _schedule_value(schedule: Schedule, field: str) -> str:
    value = getattr(schedule, field)
    if field == "working_days":
        return ", ".join(WEEKDAYS[i] for i in value) or "none"
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if field == "closed_dates":
        return ", ".join(d.isoformat() for d in value) or "none"
    return str(value) or "none"


def _standard_value(standard: Standard, field: str) -> str:
    if field == "target":
        return f"{standard.target * 100:g}%"
    if field == "within":
        return standard.promise
    if field == "scope":
        return scope_words(standard)
    return str(getattr(standard, field))


def describe_changes(before: Charter, after: Charter) -> list[str]:
    """Each difference in one short line, e.g. "ack: within 1 working hour → 2 working hours"."""
    lines = []
    for field in ("timezone", "working_days", "opens", "closes", "holidays", "holiday_subdivision", "closed_dates"):
        old, new = _schedule_value(before.schedule, field), _schedule_value(after.schedule, field)
        if old != new:
            lines.append(f"schedule {field.replace('_', ' ')}: {old} → {new}")
    old_ids = [s.id for s in before.standards]
    new_ids = [s.id for s in after.standards]
    for new in after.standards:
        if new.id not in old_ids:
            lines.append(f"added {new.id}: {promise_words(new)}, {scope_words(new)}, target {fmt.target(new.target)}")
            continue
        old = before.standard(new.id)
        for field in ("name", "measure", "within", "target", "scope"):
            was, now = _standard_value(old, field), _standard_value(new, field)
            if was != now:
                lines.append(f"{new.id}: {field} {was} → {now}")
    lines += [f"removed {i}" for i in old_ids if i not in new_ids]
    return lines


# ----------------------------------------------------------------------------- compliance preview

class _Preview(Exception):
    """Raised inside the preview transaction so that it rolls back (carrying the result out)."""

    def __init__(self, summary: pd.DataFrame):
        super().__init__("preview")
        self.summary = summary


def compliance_under(con, charter: Charter, filters: Filters, as_of) -> pd.DataFrame:
    """standards_summary as it would be under `charter`: the facts are recomputed inside a
    transaction that is then rolled back, so the stored facts never change. Only the contacts the
    period could hold are recomputed (13 weeks of two years: a schedule change previews in a tenth
    of the time), so the rest are set aside first, inside the same transaction."""
    cursor = con.cursor()
    try:
        with db.transaction(cursor):
            engine.keep_only_contacts_opened_near(cursor, filters.date_from, filters.date_to)
            engine.refresh(cursor, charter)
            raise _Preview(execute(cursor, sql_text("standards_summary"), filters, as_of=as_of,
                                   standard_ids=[s.id for s in charter.standards]))
    except _Preview as preview:
        return preview.summary
    finally:
        cursor.close()


def _counts(row: dict) -> str:
    return f"{int(row['met']):,} met, {int(row['missed']):,} missed"


def comparison_frame(current: Charter, now: pd.DataFrame, proposed: Charter, then: pd.DataFrame) -> pd.DataFrame:
    """Current and proposed compliance per standard, side by side (points of change)."""
    before = {r["standard_id"]: r for r in now.to_dict("records")}
    after = {r["standard_id"]: r for r in then.to_dict("records")}
    saved_targets = {s.id: s.target for s in current.standards}
    named = unique_standard_labels((*proposed.standards, *current.standards))
    rows = []
    for standard in proposed.standards:
        old, new = before.get(standard.id), after.get(standard.id, {})
        old_share = None if old is None or pd.isna(old["compliance"]) else old["compliance"]
        new_share = None if pd.isna(new.get("compliance")) else new.get("compliance")
        change = fmt.EMPTY if old_share is None or new_share is None else f"{(new_share - old_share) * 100:+.1f} pts"
        was = "new standard" if old is None else f"{fmt.pct(old_share)} ({_counts(old)})"
        # 'now' is judged against the saved target: an edited one is shown beside it, not instead of it
        saved = saved_targets.get(standard.id, standard.target)
        target = fmt.target(standard.target) if saved == standard.target else \
            f"{fmt.target(saved)} → {fmt.target(standard.target)}"
        rows.append({"promise": named[standard.id], "target": target, "now": was,
                     "with the edits": f"{fmt.pct(new_share)} ({_counts(new)})", "change": change})
    for standard in current.standards:
        if standard.id not in after:
            rows.append({"promise": named[standard.id], "target": fmt.target(standard.target),
                         "now": fmt.pct(before.get(standard.id, {}).get("compliance")),
                         "with the edits": "removed", "change": fmt.EMPTY})
    return pd.DataFrame(rows)
