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
from components.presentation import text_scale
from components.tables import show_table

_RESET = "_drill_reset"
# The drill-through lives in the URL too (?week=2026-09-14&bar=FixRight+Repairs, with the page's
# `by`), so a shared link opens the same short list of breaches.
LINK_PARAMETERS = ("week", "bar")
_CLICKED = "_drill_clicked"   # what the charts had selected on this page's previous run
_KEPT = "_drill_kept"   # (what it is of, week, bar): the drill-through this page last showed, for coming back to it

# Every column on screen in view without scrolling sideways, on a 1024 px laptop with the sidebar open
# (the grid then has 562 px) and on a 1920 px projector with large text (the grid scrolled its team,
# partner and category out of view): narrow columns whose text wraps, a row having room for three
# lines, and times written as text so that they wrap too ('12 Oct' over '2026' over '12:07': a time
# cell does not wrap, and at one line a time needed 150 px). The grid still sorts on the values beneath,
# and on a wider screen the columns grow to fill it. Channel, agent, kind and week of arrival (the
# promise or the drill-through mostly says them), priority, and when the clock stopped (the deadline
# plus the hours late) are left to the CSV download, which has every column.
ROW_HEIGHT = 66            # st.dataframe wraps text only in rows taller than 4rem
OFF_SCREEN = {"channel": "channel", "agent": "agent", "kind": "kind", "week": "week of arrival",
              "priority": "priority", "clock_stopped": "clock stopped"}   # column: in words
# Labels and widths in px: each wide enough for its label and its longest word ('Complaints',
# 'communication'), together within the 562 px. With large text everything is drawn text_scale()
# times larger (4rem too), as a projector with the sidebar folded away has room for.
SHOWN = {"ticket_id": ("Ticket", 96), "opened": ("Opened", 64), "hours_late": ("Hours late", 76),
         "hours_left": ("Hours left", 76), "deadline": ("Deadline", 70), "team": ("Team", 84),
         "partner": ("Partner", 68), "category": ("Category", 102)}
HOURS = ("hours_late", "hours_left")
PINNED = "ticket_id"   # on a window narrower still, the list scrolls sideways, and each row must still say which ticket it is


def _contact_columns(scale: float) -> dict:
    columns = {name: (st.column_config.NumberColumn if name in HOURS else st.column_config.TextColumn)(
                   label, width=round(width * scale), pinned=(name == PINNED) or None)
               for name, (label, width) in SHOWN.items()}
    return columns | dict.fromkeys(OFF_SCREEN)   # None: not drawn


# Streamlit's printf formats have no thousands separator ('16476.8 h'); the grid still sorts on the numbers.
CONTACT_FORMATS = {"hours_late": fmt.hours, "hours_left": fmt.hours, "opened": fmt.moment, "deadline": fmt.moment}


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


def through(trend_state, bars_state, view: tuple, dimension: str, weeks, values) -> tuple[date | None, str | None]:
    """The drill-through to show (see _linked and _shown) in `view` (the filters and the promise), by
    `dimension`. A switch to another page drops it from the address, which keeps only the widgets'
    values: back on this page in the same session, with the same filters, promise and breakdown, it is
    put back there as it was shown."""
    view = (*view, dimension)
    if links.arrived_on_this_page():
        # the charts are drawn anew, nothing selected: no click of the last visit is undone
        st.session_state.pop(_CLICKED, None)
        _bring_back(view)
    week, value = _shown(*_linked(week_from(trend_state), value_from(bars_state), dimension), weeks, values, dimension)
    st.session_state[_KEPT] = (view, week, value)
    return week, value


def _bring_back(view: tuple) -> None:
    kept_view, week, value = st.session_state.get(_KEPT, (None, None, None))
    if kept_view != view or any(name in st.query_params for name in LINK_PARAMETERS):
        return   # other filters since, or the address names a drill-through of its own
    if week is not None:
        st.query_params["week"] = week.isoformat()
    if value is not None:
        st.query_params["bar"] = value


def _linked(week: date | None, value: str | None, dimension: str) -> tuple[date | None, str | None]:
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


def _shown(week: date | None, value: str | None, weeks, values, dimension: str) -> tuple[date | None, str | None]:
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


EVERY = ""   # the pickers' first option: no week, no value picked


def pickers(week: date | None, value: str | None, weeks, values, dimension: str) -> None:
    """The drill-through for the keyboard: a week and a partner (team, channel ...) picked from
    lists, the same choice as a click on the charts, whose points take no focus (Tab passed them by).
    A pick writes the link as a click does, so what is shown, "Show all" and Back work alike; the
    lists show what is shown, however it was chosen."""
    named = DIMENSIONS[dimension]
    week_key, value_key = "drill-week", f"drill-bar-{dimension}"   # a list per breakdown: a team is no partner
    st.session_state[week_key] = week.isoformat() if week is not None else EVERY
    st.session_state[value_key] = value if value is not None else EVERY
    left, right, _ = st.columns(3)
    left.selectbox("Week", [EVERY, *dict.fromkeys(pd.Timestamp(w).date().isoformat() for w in weeks)], key=week_key,
                   format_func=lambda iso: "Every week" if iso == EVERY else fmt.week(date.fromisoformat(iso)),
                   on_change=_picked, args=("week", week_key))
    right.selectbox(named, [EVERY, *(str(v) for v in values)], key=value_key,
                    format_func=lambda shown: f"Every {named.lower()}" if shown == EVERY else shown,
                    on_change=_picked, args=("bar", value_key))


def _picked(name: str, key: str) -> None:
    if st.session_state[key] == EVERY:
        st.query_params.pop(name, None)
    else:
        st.query_params[name] = st.session_state[key]


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
    *first, last = [words for column, words in OFF_SCREEN.items() if column not in hidden]
    also = f"{', '.join(first)} and {last}"
    st.caption(f"Showing the first {len(contacts):,}, {order}; the CSV download has all {total:,}, with their {also} too."
               if cut else f"The CSV download adds each contact's {also}.")
    scale = text_scale()
    show_table(contacts.drop(columns=hidden), key, key, column_config=_contact_columns(scale), formats=CONTACT_FORMATS,
               height=height, row_height=round(ROW_HEIGHT * scale),
               downloaded=(lambda: all_contacts().drop(columns=hidden)) if cut else None)
