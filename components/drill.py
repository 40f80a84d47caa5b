"""Drill-through on the compliance page: from a clicked week or dot to the contacts behind it, and
the tables that show them."""
from __future__ import annotations

from datetime import date
from typing import Callable

import pandas as pd
import streamlit as st

from components import formatting as fmt, links
from components.charts import selected_points
from components.labels import DIMENSIONS
from components.tables import show_table

_RESET = "_drill_reset"
# The drill-through lives in the URL too (?week=2026-09-14&bar=FixRight+Repairs, with the page's
# `by`), so a shared link opens the same short list of breaches.
LINK_PARAMETERS = ("week", "bar")
_CLICKED = "_drill_clicked"   # what the charts had selected on this page's previous run

# Sized to the column's first rows, a time column cut the minutes off later ones ('19 Nov 2026, 12:2').
TIME_WIDTH = 150
CONTACT_COLUMNS = {
    # pinned: a table wider than the page scrolls sideways, and each row must still say which ticket it is
    "ticket_id": st.column_config.TextColumn("Ticket", pinned=True),
    "kind": "Kind", "channel": "Channel", "team": "Team", "partner": "Partner", "priority": "Priority",
    "category": "Category", "agent": "Agent",
    "opened": st.column_config.DatetimeColumn("Opened", format="D MMM YYYY, HH:mm", width=TIME_WIDTH),
    "week": st.column_config.DateColumn("Week of", format="D MMM YYYY"),
    "deadline": st.column_config.DatetimeColumn("Deadline", format="D MMM YYYY, HH:mm", width=TIME_WIDTH),
    "clock_stopped": st.column_config.DatetimeColumn("Clock stopped", format="D MMM YYYY, HH:mm", width=TIME_WIDTH,
                                                     help="-: still open at the as-of time"),
    "hours_late": st.column_config.NumberColumn("Hours late"),
    "hours_left": st.column_config.NumberColumn("Hours left"),
}
# Streamlit's printf formats have no thousands separator ('16476.8 h'); the grid still sorts on the numbers.
CONTACT_FORMATS = {"hours_late": fmt.hours, "hours_left": fmt.hours}


def reset_counter() -> int:
    """Part of the drill charts' keys: bumping it clears their selections."""
    return st.session_state.get(_RESET, 0)


def _reset() -> None:
    st.session_state[_RESET] = reset_counter() + 1
    for name in LINK_PARAMETERS:
        st.query_params.pop(name, None)


def _linked_week(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:   # a mangled link: no drill-through rather than an error
        return None


def linked(week: date | None, value: str | None, dimension: str) -> tuple[date | None, str | None]:
    """The drill-through to show, kept in the URL: a click on a chart (or a cleared selection)
    changes the URL, and the URL says what is shown. A link opened in a new session has nothing
    selected in its charts, so its week and bar stay until a click, "Show all" or another
    breakdown (a dot names a partner, a team ...) changes them."""
    before = st.session_state.get(_CLICKED)
    st.session_state[_CLICKED] = (week, value, dimension)
    if before is not None:
        then_week, then_value, then_dimension = before
        if dimension != then_dimension:
            st.query_params.pop("bar", None)
        for name, now, then in (("week", week, then_week), ("bar", value, then_value)):
            if now != then:
                if now is None:
                    st.query_params.pop(name, None)
                else:
                    st.query_params[name] = now.isoformat() if isinstance(now, date) else now
    return _linked_week(st.query_params.get("week")), st.query_params.get("bar") or None


def shown(week: date | None, value: str | None, weeks, values, dimension: str) -> tuple[date | None, str | None]:
    """The drill-through kept only where it names a week on the trend and a dot on the breakdown: a
    hand-edited link (a Wednesday, 1900, a partner not in view) would list no breaches under a
    heading that says there are none, rather than show everything. Dropped from the URL too."""
    if week is not None and week not in {pd.Timestamp(w).date() for w in weeks}:
        st.query_params.pop("week", None)
        links.note_dropped_drill("week", f"{week:%-d %b %Y}")
        week = None
    if value is not None and value not in set(values):
        st.query_params.pop("bar", None)
        links.note_dropped_drill(DIMENSIONS.get(dimension, dimension).lower(), value)
        value = None
    return week, value


def week_from(state) -> date | None:
    """The week of the clicked point on the weekly trend (customdata carries its ISO date)."""
    for point in selected_points(state):
        custom = point.get("customdata")
        if point.get("curve_number", 0) == 0 and custom and len(custom) >= 5:
            return date.fromisoformat(str(custom[4]))
    return None


def value_from(state) -> str | None:
    """The category of the clicked dot in the breakdown chart."""
    for point in selected_points(state):
        if point.get("y") is not None:
            return str(point["y"])
    return None


def show_selection(week: date | None, dimension: str, value: str | None) -> None:
    if week is None and value is None:
        return
    parts = []
    if week is not None:
        parts.append(fmt.week(week))
    if value is not None:
        parts.append(f"{DIMENSIONS[dimension].lower()}: {fmt.literal(value)}")
    text, button = st.columns([5, 1], vertical_alignment="center")
    text.info("Showing only " + " · ".join(parts), icon=":material/filter_alt:")
    button.button("Show all", on_click=_reset, icon=":material/close:", key="drill-clear")


def matching(contacts: pd.DataFrame) -> int:
    """How many contacts a standard_contacts result matched; its rows may stop at the row limit."""
    return int(contacts["matching"].iloc[0]) if len(contacts) else 0


def show_contacts(contacts: pd.DataFrame, all_contacts: Callable[[], pd.DataFrame], hidden: list[str],
                  key: str, height: int, order: str) -> None:
    """A standard_contacts list. When it stops at the row limit the caption says so and the CSV
    download asks for every contact (`all_contacts`, run on the click)."""
    total, hidden = matching(contacts), [*hidden, "outcome", "matching"]
    cut = total > len(contacts)
    if cut:
        st.caption(f"Showing the first {len(contacts):,}, {order}; the CSV download has all {total:,}.")
    show_table(contacts.drop(columns=hidden), key, key, column_config=CONTACT_COLUMNS, formats=CONTACT_FORMATS,
               height=height,
               all_rows=(lambda: all_contacts().drop(columns=hidden)) if cut else None)
