"""The top of every executive page: what the page answers, the period, as_of and active filters,
so units and periods are always on screen."""
from __future__ import annotations

import streamlit as st

from components import context, formatting as fmt
from components.filters import describe, previous_period
from queries import Filters


def period_text(filters: Filters) -> str:
    return fmt.period(filters.date_from, filters.date_to)


def comparison_text(filters: Filters) -> str:
    """'vs 26 May - 23 Aug 2026' — how the tiles' changes are computed."""
    previous = previous_period(filters)
    return f"vs {period_text(previous)}" if previous else ""


def header(title: str, question: str, filters: Filters, note: str | None = None) -> None:
    st.title(title)
    st.markdown(f"##### {question}")
    parts = [f":material/calendar_month: **{period_text(filters)}**"]
    if previous_period(filters):
        parts.append(f"changes {comparison_text(filters)}")
    parts.append(f"data as of {fmt.moment(context.as_of())}")
    chosen = describe(filters)
    parts.append(f":material/filter_alt: {fmt.literal(chosen)}" if chosen else "all channels, teams, partners and products")
    st.caption(" · ".join(parts))
    if note:
        st.caption(note)
