"""The dashboard-wide filters in the sidebar. They live in the URL (bind="query-params"), so a
copied link opens exactly the same view."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import streamlit as st

from components import context, formatting as fmt
from queries import Filters

DEFAULT_WEEKS = 13  # a quarter: the span a Monday meeting usually looks back over
FOLLOWED_DEFAULT = "_period_default"   # the latest weeks as the period picker last offered them


def default_period(first_day: date, last_day: date) -> tuple[date, date]:
    monday = last_day - timedelta(days=last_day.weekday())
    return max(first_day, monday - timedelta(weeks=DEFAULT_WEEKS - 1)), last_day


def _options(frame, dimension: str) -> list[str]:
    return frame.loc[frame["dimension"] == dimension, "value"].tolist()


def sidebar_filters() -> Filters:
    """Render the filters once (from app.py) and remember them for the page that runs next."""
    span = data_span()
    options = context.query("filter_options")
    with st.sidebar:
        st.markdown("**Filters** · apply to every dashboard page")
        period = None
        if span:   # no contacts yet -> no period
            default = default_period(*span)
            first_day, last_day = picker_bounds(span)
            outside = _linked_period_outside(first_day, last_day)
            if st.session_state.get(FOLLOWED_DEFAULT, default) != default and \
                    tuple(st.session_state.get("period", ())) == st.session_state[FOLLOWED_DEFAULT]:
                # an upload moved the data on: a period left at the latest weeks moves with it, or
                # the week just loaded would stay out of view until the page is opened anew
                st.session_state["period"] = default
            st.session_state[FOLLOWED_DEFAULT] = default
            period = st.date_input(
                "Period (contacts opened)", value=default,
                min_value=first_day, max_value=last_day, format="YYYY-MM-DD", key="period", bind="query-params",
            )
            if outside:
                st.caption(f":material/link_off: The link's period runs outside the data ({first_day:%-d %b %Y} "
                           f"to {last_day:%-d %b %Y}), so the latest weeks, {default[0]:%-d %b} to {default[1]:%-d %b %Y}, "
                           "are shown instead.")
        # A link may name a value that is not (or no longer) in the data: Streamlit drops it, so say so.
        missing = {key: [value for value in st.query_params.get_all(key) if value and value not in _options(options, key)]
                   for key in ("channel", "team", "partner", "product")}
        channels = st.multiselect("Channel", _options(options, "channel"), key="channel", bind="query-params",
                                  placeholder="All channels")
        teams = st.multiselect("Team", _options(options, "team"), key="team", bind="query-params",
                               placeholder="All teams")
        partners = st.multiselect("Partner", _options(options, "partner"), key="partner", bind="query-params",
                                  placeholder="In-house and all partners")
        products = st.multiselect("Product", _options(options, "product"), key="product", bind="query-params",
                                  placeholder="All products")
        for key, values in missing.items():
            if values:
                # the values come from the address bar: shown as text, never as markdown
                st.caption(f":material/link_off: The link's {key} {fmt.literal(', '.join(values))} is not in the "
                           "data, so it is left out.")
    date_from = date_to = None
    if period:
        date_from = period[0]
        date_to = period[1] if len(period) > 1 else period[0]
        if date_to < date_from:  # a hand-edited link (?period=2026-10-31&period=2026-09-01)
            date_from, date_to = date_to, date_from
    filters = Filters(date_from, date_to, tuple(channels), tuple(teams), tuple(partners), tuple(products))
    st.session_state["_filters"] = filters
    return filters


def _linked_period_outside(first_day: date, last_day: date) -> bool:
    """The link names a period beyond the data, which the date picker drops for its default: say so."""
    if "period" in st.session_state:   # only as the link opens: later the widget holds the period
        return False
    try:
        days = [date.fromisoformat(text) for text in st.query_params.get_all("period")]
    except ValueError:
        return False
    return any(day < first_day or day > last_day for day in days)


def current_filters() -> Filters:
    """The filters the sidebar set in this run (pages call this; app.py renders the widgets)."""
    return st.session_state.get("_filters", Filters())


def previous_period(filters: Filters) -> Filters | None:
    """The same filters over the period of the same length just before, for "change vs previous";
    None when that period starts before the first contact: a quarter against the data's first
    two weeks would read as +1,150% (docs/definitions.md, reading 17)."""
    if filters.date_from is None or filters.date_to is None:
        return None
    end = filters.date_from - timedelta(days=1)
    start = end - (filters.date_to - filters.date_from)
    span = data_span()
    if span is None or start < span[0]:
        return None
    return replace(filters, date_from=start, date_to=end)


def data_span() -> tuple[date, date] | None:
    """The first and last day with a contact opened, or None when there is none."""
    return _days("first_day", "last_day")


def picker_bounds(span: tuple[date, date]) -> tuple[date, date]:
    """The days the period picker reaches: the contacts' and the bills' (prices dated before the
    first contact are still priced on the Pricing page)."""
    bills = _days("first_bill_day", "last_bill_day")
    return (min(span[0], bills[0]), max(span[1], bills[1])) if bills else span


def _days(first: str, last: str) -> tuple[date, date] | None:
    span = context.query("data_span")
    first_day, last_day = span[first].iloc[0], span[last].iloc[0]
    if first_day is None or first_day != first_day:   # None or NaT: no such rows
        return None
    return tuple(day.date() if hasattr(day, "date") else day for day in (first_day, last_day))


def describe(filters: Filters) -> str:
    """The sidebar's non-date filters in words ('channel: email, chat · partner: In-house'), or ''."""
    chosen = [("channel", filters.channels), ("team", filters.teams), ("partner", filters.partners),
              ("product", filters.products)]
    return " · ".join(f"{name}: {', '.join(values)}" for name, values in chosen if values)
