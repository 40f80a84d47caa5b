"""The top of every executive page: what the page answers, the period, as_of and active filters,
so units and periods are always on screen."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import streamlit as st

from components import charts, context, formatting as fmt, tables
from components.filters import describe, latest_weeks, previous_period
from queries import Filters

SIDE_BY_SIDE_STYLE = Path(__file__).with_name("assets") / "side_by_side.css"
TABS_STYLE = Path(__file__).with_name("assets") / "tabs.css"


def period_text(filters: Filters) -> str:
    return fmt.period(filters.date_from, filters.date_to)


def comparison_text(filters: Filters) -> str:
    """'vs 26 May - 23 Aug 2026 (13 weeks) as it stood on 23 Aug 2026' — how the tiles' changes are
    computed: its waiting and resolution times as they were at the age of the period in view."""
    previous = previous_period(filters)
    if not previous:
        return ""
    stood = "" if fmt.is_empty(previous.measured_at) else f" as it stood on {fmt.day(previous.measured_at)}"
    return f"vs {period_text(previous)}{stood}"


def compliance_comparison_text(filters: Filters) -> str:
    """What a promise's change is against. The header's "as it stood on" dates waiting and resolution
    times (reading 37); a compliance is the previous period's contacts judged as the data stands now."""
    previous = previous_period(filters)
    if not previous:
        return ""
    stood = "" if fmt.is_empty(previous.measured_at) else (
        f", not as they stood on {fmt.day(previous.measured_at)} as waiting and resolution times are")
    return f"Changes compare with the contacts of {period_text(previous)} judged as the data stands now{stood}."


def week_in_progress(as_of) -> date | None:
    """The Monday (charter time, as the weekly queries count weeks) of the week the data ends in."""
    if fmt.is_empty(as_of):
        return None
    local = pd.Timestamp(as_of).tz_convert(context.charter().schedule.timezone).date()
    return local - timedelta(days=local.weekday())


def header(title: str, question: str, filters: Filters, note: str | None = None) -> None:
    st.title(title)
    # the page's second heading (h2), as a screen reader lists them: title, question, then the sections
    # (st.subheader, h3); legible.css draws it at the size it had as an h5
    with st.container(key="page-question"):
        st.markdown(f"## {question}")
    parts = [f":material/calendar_month: **{period_text(filters)}**"]
    rolling = latest_weeks(filters)
    if rolling:
        parts.append(f":material/update: {rolling}")
    if previous_period(filters):
        parts.append(f"changes {comparison_text(filters)}")
    as_of = context.as_of()
    # as_of is the contacts' latest moment: before the first contacts (Pricing, with or without prices) there
    # is none, and "data as of -" read as a fault
    parts.append(f"data as of {fmt.moment(as_of)}" if not fmt.is_empty(as_of) else "no contacts loaded yet")
    charts.set_week_in_progress(week_in_progress(as_of))
    tables.set_export_period(filters.date_from, filters.date_to)
    chosen = describe(filters)
    parts.append(f":material/filter_alt: {fmt.literal(chosen)}" if chosen else "all channels, teams, partners and products")
    st.caption(" · ".join(parts))
    if note:
        st.caption(note)


def answer(sentence: str) -> None:
    """A page's answer to its question in one sentence, boxed under the header as on the Overview.
    The sentence names partners and values from uploads: shown as text, never as markdown."""
    with st.container(border=True):
        st.markdown(fmt.literal(sentence))


def side_by_side(name: str):
    """Two places for charts, side by side where the main area has room for two, one above the other
    where it has not (components/assets/side_by_side.css). `name` keeps the pair apart from the page's others."""
    st.html(SIDE_BY_SIDE_STYLE)  # style only: Streamlit puts it outside the page flow
    with st.container(horizontal=True, gap="small", key=f"side-by-side-{name}"):
        return st.container(), st.container()


def wrapping_tabs(labels: list[str], name: str):
    """st.tabs whose tabs go onto a second line where they do not fit in one, rather than scroll the
    last ones out of view (components/assets/tabs.css). `name` keeps these tabs apart from others."""
    st.html(TABS_STYLE)  # style only: Streamlit puts it outside the page flow
    with st.container(key=f"wrapping-tabs-{name}"):
        return st.tabs(labels)
