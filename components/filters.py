"""The dashboard-wide filters in the sidebar. They live in the URL (bind="query-params"), so a
copied link opens exactly the same view."""
from __future__ import annotations

import shlex
from dataclasses import replace
from datetime import date, timedelta

import streamlit as st

from components import context, formatting as fmt
from queries import FILTER_FIELDS, Filters, spelled_as_offered

FILTER_KEYS = tuple(FILTER_FIELDS)
DEFAULT_WEEKS = 13  # a quarter: the span a Monday meeting usually looks back over
FOLLOWED_DEFAULT = "_period_default"   # the latest weeks as the period picker last offered them
LINK_CHECKED = "_link_checked"   # the address a session opened with was read (and put right)
LINK_NOTES = "_link_notes"   # {widget key: (value shown, what the sidebar says of the link's value)}
ONE_DAY = "_link_one_day"   # a link's one-day period, on its way to the picker (_hand_one_day_to_picker)


def default_period(first_day: date, last_day: date) -> tuple[date, date]:
    monday = last_day - timedelta(days=last_day.weekday())
    return max(first_day, monday - timedelta(weeks=DEFAULT_WEEKS - 1)), last_day


def latest_weeks(filters: Filters) -> str | None:
    """'the latest 13 weeks' when the period is the one the picker opens on, else None. A link to it
    carries no dates (the picker leaves its default out of the address), so it opens on the latest
    weeks of the data as they are then: the page says so, or a link sent on Friday would show other
    dates and figures after Monday's upload without a word."""
    span = data_span()
    if not span or (filters.date_from, filters.date_to) != default_period(*span):
        return None
    weeks = (filters.date_to - filters.date_from).days // 7 + 1
    return f"the latest {weeks} weeks" if weeks == DEFAULT_WEEKS else "every week so far"


def _options(frame, dimension: str) -> list[str]:
    return frame.loc[frame["dimension"] == dimension, "value"].tolist()


def sidebar_filters() -> Filters:
    """Render the filters once (from app.py) and remember them for the page that runs next."""
    span = data_span()
    options = context.query("filter_options")
    default, bounds = (default_period(*span), picker_bounds(span)) if span else (None, None)
    _put_link_right(default, bounds, options)
    with st.sidebar:
        st.markdown("**Filters** · apply to every dashboard page")
        period = None
        if span:   # no contacts yet -> no period
            first_day, last_day = bounds
            if st.session_state.get(FOLLOWED_DEFAULT, default) != default and \
                    tuple(st.session_state.get("period", ())) == st.session_state[FOLLOWED_DEFAULT]:
                # an upload moved the data on: a period left at the latest weeks moves with it, or
                # the week just loaded would stay out of view until the page is opened anew
                st.session_state["period"] = default
            st.session_state[FOLLOWED_DEFAULT] = default
            _write_one_day_back()
            period = st.date_input(
                "Period (contacts opened)", value=default,
                min_value=first_day, max_value=last_day, format="YYYY-MM-DD", key="period", bind="query-params",
            )
            # (day,) while the reader is still picking the second date: compared as (first, last)
            _link_note("period", (min(period), max(period)) if period else ())
            if period and (min(period), max(period)) == default:
                st.caption(f":material/update: {latest_weeks(Filters(*default)).capitalize()}: a link to this "
                           "view moves on with each upload. Pick dates to keep them in the link.")
        chosen = {
            "channel": st.multiselect("Channel", _options(options, "channel"), key="channel", bind="query-params",
                                      placeholder="All channels"),
            "team": st.multiselect("Team", _options(options, "team"), key="team", bind="query-params",
                                   placeholder="All teams"),
            "partner": st.multiselect("Partner", _options(options, "partner"), key="partner", bind="query-params",
                                      placeholder="In-house and all partners"),
            "product": st.multiselect("Product", _options(options, "product"), key="product", bind="query-params",
                                      placeholder="All products"),
        }
        for key, values in chosen.items():
            _link_note(key, values)
    date_from = date_to = None
    if period:   # one day while the reader is still picking the second
        date_from, date_to = min(period), max(period)
    filters = Filters(date_from, date_to, tuple(chosen["channel"]), tuple(chosen["team"]), tuple(chosen["partner"]),
                      tuple(chosen["product"]))
    st.session_state["_filters"] = filters
    with st.sidebar.expander("The same figures from the command line", icon=":material/terminal:"):
        # plain text: the shell colouring drew a continuing backslash at 3.4:1 on its grey (WCAG wants 4.5:1)
        st.code(kpis_command(filters), language=None, wrap_lines=True)
        st.caption("In the Charter Desk folder, this prints every figure of this view as JSON (README, "
                   "'Command line'); its dates stay as written when a link's latest weeks move on.")
    return filters


def kpis_command(filters: Filters) -> str:
    """`cli.py kpis` for the view these filters show: the period written out as dates, and each
    filter's values as the sidebar holds them (one option each, so a value with a comma stays whole).
    One option a line, continued with a backslash: the sidebar's code is twenty characters wide, and
    a line wrapped inside `--json` or a date read as two words."""
    options = [("--from", filters.date_from and filters.date_from.isoformat()),
               ("--to", filters.date_to and filters.date_to.isoformat())]
    options += [(f"--{name}", value) for name, field in FILTER_FIELDS.items() for value in getattr(filters, field)]
    lines = ["python cli.py kpis", "--json"] + [shlex.join(option) for option in options if option[1]]
    return " \\\n ".join(lines)


def _put_link_right(default: tuple[date, date] | None, bounds: tuple[date, date] | None, options) -> None:
    """As a link opens, before any widget reads it, rewrite the address to what can be shown of it
    (the widgets would drop what they cannot take without a word, or show a half-empty period), keep
    a note of what was changed, and run again on the new address."""
    if LINK_CHECKED in st.session_state:
        return
    st.session_state[LINK_CHECKED] = True
    wanted: dict[str, list[str]] = {}
    if default:   # there are contacts, hence a period picker
        period = _period_from_link(*bounds, default)
        if period is not None:
            one_day = period != default and period[0] == period[1]
            if one_day:
                _hand_one_day_to_picker(period)   # out of the address; the picker's run writes it back
            wanted["period"] = [] if period == default or one_day else [day.isoformat() for day in period]
    for key in FILTER_KEYS:
        found = _linked_values(key, _options(options, key))
        if found is not None:
            wanted[key] = found
    changed = {key: values for key, values in wanted.items() if values != st.query_params.get_all(key)}
    for key, values in changed.items():
        if values:
            st.query_params[key] = values
        else:
            del st.query_params[key]
    if changed:
        st.rerun()   # on the address as it now reads, which the widgets take as they are created


def _hand_one_day_to_picker(period: tuple[date, date]) -> None:
    """Streamlit reads a one-day range in the address (?period=d&period=d) as one date, which the picker
    shows as a half range, its second date empty. The day reaches the picker through the session
    instead, with the address rid of it for the run that creates the picker (the address would win),
    and written back in that run as the range it is, both dates (_write_one_day_back)."""
    st.session_state["period"] = st.session_state[ONE_DAY] = period


def _write_one_day_back() -> None:
    """Call just before the period picker is created: after that the address's period is the picker's."""
    period = st.session_state.pop(ONE_DAY, None)
    if period:
        st.query_params["period"] = [day.isoformat() for day in period]


def _link_note(key: str, shown: object) -> None:
    """What the sidebar says of a link's value, for as long as the widget shows what the link got."""
    notes = st.session_state.get(LINK_NOTES, {})
    if key in notes and notes[key][0] == shown:
        st.caption(f":material/link_off: {notes[key][1]}")
    elif key in notes:   # the reader picked another value: the note is done with
        del notes[key]


def _keep_note(key: str, shown: object, note: str) -> None:
    st.session_state.setdefault(LINK_NOTES, {})[key] = (shown, note)


def _linked_values(key: str, offered: list[str]) -> list[str] | None:
    """As a link opens, the values of a filter it names that the data has, found whatever their case
    (queries.spelled_as_offered, as `cli.py kpis` finds them); the others are named."""
    linked = [value for value in st.query_params.get_all(key) if value]
    if not linked:
        return None
    found, unknown = spelled_as_offered(linked, offered)
    if unknown:
        # the values come from the address bar: shown as text, never as markdown
        _keep_note(key, found, f"The link's {key} {fmt.literal(', '.join(unknown))} is not in the data, so it is left out.")
    return found


def _period_from_link(first_day: date, last_day: date, default: tuple[date, date]) -> tuple[date, date] | None:
    """As a link opens, the period to show for the one it names, which the picker would otherwise
    drop for its default without a word, or show half-empty: a single day becomes that day to that
    day, a period running past the data is cut to it, one outside it or unreadable gives the latest
    weeks. What the sidebar should say of it is kept for _link_note."""
    texts = [text for text in st.query_params.get_all("period") if text]
    if not texts:   # none, or an empty ?period=: the latest weeks, as on a fresh visit
        return None
    latest = f"so the latest weeks, {default[0]:%-d %b} to {default[1]:%-d %b %Y}, are shown instead."
    try:
        days = sorted(date.fromisoformat(text) for text in texts[:2])
    except ValueError:
        return _period_shown(default, f"The link's period {fmt.literal(' to '.join(texts[:2]))} is not a date "
                                      f"(write 2026-09-01), {latest}")
    start, end = days[0], days[-1]
    if end < first_day or start > last_day:
        return _period_shown(default, f"The link's period runs outside the data ({first_day:%-d %b %Y} to "
                                      f"{last_day:%-d %b %Y}), {latest}")
    shown = (max(start, first_day), min(end, last_day))
    if shown == (start, end):
        return shown
    return _period_shown(shown, f"The link's period, {start:%-d %b %Y} to {end:%-d %b %Y}, runs past the data, so "
                                f"it is cut to {shown[0]:%-d %b %Y} to {shown[1]:%-d %b %Y}.")


def _period_shown(days: tuple[date, date], note: str) -> tuple[date, date]:
    _keep_note("period", days, note)
    return days


def current_filters() -> Filters:
    """The filters the sidebar set in this run (pages call this; app.py renders the widgets)."""
    return st.session_state.get("_filters", Filters())


def previous_period(filters: Filters) -> Filters | None:
    """The same filters over the period of the same length just before, for "change vs previous";
    None when that period starts before the first contact: a quarter against the data's first
    two weeks would read as +1,150% (docs/definitions.md, reading 17). Its waiting times and
    resolutions are measured as they stood one period before the data's as_of, at the same age as
    the period in view (reading 37)."""
    if filters.date_from is None or filters.date_to is None:
        return None
    end = filters.date_from - timedelta(days=1)
    start = end - (filters.date_to - filters.date_from)
    span = data_span()
    if span is None or start < span[0]:
        return None
    as_of = context.as_of()
    measured_at = None if fmt.is_empty(as_of) else as_of - (filters.date_from - start)
    return replace(filters, date_from=start, date_to=end, measured_at=measured_at)


def churn_months(filters: Filters) -> tuple[date, date] | None:
    """The first days of the first and last calendar months the period touches: monthly churn counts
    whole months (docs/definitions.md, reading 10), every month the period touches."""
    if filters.date_from is None or filters.date_to is None:
        return None
    return filters.date_from.replace(day=1), filters.date_to.replace(day=1)


def months_before(filters: Filters) -> Filters | None:
    """What monthly churn is compared with: as many whole months just before the period's months. The
    previous period would share a month with them (24 Aug - 20 Nov and 27 May - 23 Aug both count
    August), so a change would partly compare a month with itself (reading 31)."""
    months = churn_months(filters)
    if months is None or previous_period(filters) is None:
        return None
    first, last = months
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    year, month = divmod(first.year * 12 + first.month - 1 - count, 12)
    return replace(filters, date_from=date(year, month + 1, 1), date_to=first - timedelta(days=1))


def data_span() -> tuple[date, date] | None:
    """The first and last day with a contact opened, or None when there is none."""
    return _days("first_day", "last_day")


def bill_span() -> tuple[date, date] | None:
    """The first and last billing period of the prices, or None when there is none."""
    return _days("first_bill_day", "last_bill_day")


def picker_bounds(span: tuple[date, date]) -> tuple[date, date]:
    """The days the period picker reaches: the contacts' and the bills' (prices dated before the
    first contact are still priced on the Pricing page)."""
    bills = bill_span()
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
