"""What a shared link names that a page cannot show. Streamlit gives a widget bound to the address
its default when the link's value is not one of its choices, without a word: the reader would take
the default for what the sender saw. (The sidebar's filters are put right in components/filters.py.)"""
from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from components import formatting as fmt


def note_unknown_choice(key: str, what: str, labels: Iterable[str], shown_instead: str) -> None:
    """Call before the page's widget bound to `key`, whose choices read `labels`. A link's value in
    another case is that choice (?by=team is 'Team', as the sidebar's filters match whatever their
    case): the address is put right and the page run again on it, which the widget then takes."""
    given = st.query_params.get(key)
    if not given or key in st.session_state:
        return
    labels = list(labels)
    if given in labels:
        return
    same = [label for label in labels if label.casefold() == given.casefold()]
    if same:
        st.query_params[key] = same[0]
        st.rerun()
    else:
        st.caption(f":material/link_off: The link's {what} {fmt.literal(given)} is not one of the choices here, "
                   f"so {fmt.literal(shown_instead)} is shown.")


def note_number_out_of_range(key: str, what: str, low: float, high: float, shown_instead: float) -> None:
    """Call before a number box bound to `key`: Streamlit gives a linked value outside the box's range
    (or not a number) the default without a word; the page says so."""
    given = st.query_params.get(key)
    if not given or key in st.session_state:
        return
    try:
        inside = low <= float(given) <= high
    except ValueError:
        inside = False
    if not inside:
        st.caption(f":material/link_off: The link's {what} {fmt.literal(given)} is not a number from {low:g} to "
                   f"{high:,g}, so {shown_instead:g} is shown.")


def note_dropped_drill(what: str, given: str) -> None:
    """A drill-through the link names that the chart does not have (a Wednesday, a partner not in view)."""
    st.caption(f":material/link_off: The link's {what} {fmt.literal(given)} is not on the chart, so every breach "
               "is listed.")
