"""What a shared link names that a page cannot show. Streamlit gives a widget bound to the address
its default when the link's value is not one of its choices, without a word: the reader would take
the default for what the sender saw. (The sidebar's filters are put right in components/filters.py.)"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import streamlit as st

from components import formatting as fmt


# key -> (the note on a link's value the page could not show, the value the widget took instead).
# Streamlit drops the link's value from the address as the widget takes its default, so a rerun
# (a later link value's case put right, a filter changed) would otherwise lose the note while the
# default is still on screen.
_NOTED = "_links_unshown_values"
_PAGE = "_links_page"
_ARRIVED = "_links_arrived"   # this run is the first on its page since another page (or the session's first)
# The script (a file of the repository, never data) and the style that keeps its element out of sight.
HISTORY_SCRIPT = Path(__file__).with_name("assets") / "history.js"
HISTORY_ELEMENT = ('<style>.stElementContainer:has(#charter-desk-history) { display: none; }</style>'
                   f'<script id="charter-desk-history">{HISTORY_SCRIPT.read_text(encoding="utf-8")}</script>')


def one_entry_per_step() -> None:
    """Call first on every run: the browser's Back goes to where the reader was before their last
    click or key, not to an address the app put right by itself on the way (a shared link's outdated
    period or partner, see filters._put_link_right; a guessed address). Drawn before anything else, so
    it is in the page as early as can be; what the first run put right before it was, it passes over
    (components/assets/history.js). Its element takes no room."""
    st.html(HISTORY_ELEMENT, unsafe_allow_javascript=True)


def follow_page(page: str) -> None:
    """Call on every run with the page's address, before the page runs: a link's notes are about the
    visit it opened, and what a page keeps for coming back to it is for the next visit. (A widget bound to
    the address keeps its value across pages, so its presence cannot tell.)"""
    st.session_state[_ARRIVED] = st.session_state.get(_PAGE) != page
    if st.session_state[_ARRIVED]:
        st.session_state[_PAGE] = page
        st.session_state.pop(_NOTED, None)


def arrived_on_this_page() -> bool:
    return st.session_state.get(_ARRIVED, True)


def _forget_note(key: str) -> None:
    st.session_state.get(_NOTED, {}).pop(key, None)


def _note_unshown(key: str, note: str | None, instead) -> None:
    """Show `note` (the link's value cannot be shown, so the widget takes `instead`) and remember it;
    with None, show the note remembered for this widget while it still holds that same `instead`."""
    noted = st.session_state.setdefault(_NOTED, {})
    if note:
        noted[key] = (note, instead)
    elif key in noted and (noted[key][1] != instead or st.session_state.get(key, instead) != instead):
        del noted[key]   # the reader picked another value, or the default is another one now
    if key in noted:
        st.caption(noted[key][0])


def note_unknown_choice(key: str, what: str, labels: Iterable[str], shown_instead: str, instead,
                        aliases: Mapping[str, str] | None = None) -> None:
    """Call before the page's widget bound to `key`, whose choices read `labels` (`instead`, reading
    `shown_instead`, is the one it takes for a value it does not have). A link's value in
    another case is that choice (?by=team is 'Team', as the sidebar's filters match whatever their
    case), as is one of `aliases` (another name for a choice: a promise's id): the address is put
    right and the page run again on it, which the widget then takes."""
    given = st.query_params.get(key)
    labels = list(labels)
    if given in labels:   # the link's value, or the widget's own once a reader picks one
        _forget_note(key)
        return
    if not given or key in st.session_state:
        _note_unshown(key, None, instead)
        return
    same = [label for label in labels if label.casefold() == given.casefold()] + [
        label for alias, label in (aliases or {}).items() if alias.casefold() == given.casefold()]
    if same:
        st.query_params[key] = same[0]
        st.rerun()
    _note_unshown(key, f":material/link_off: The link's {what} {fmt.literal(given)} is not one of the choices "
                       f"here, so {fmt.literal(shown_instead)} is shown.", instead)


def note_number_out_of_range(key: str, what: str, low: float, high: float, shown_instead: float) -> None:
    """Call before a number box bound to `key`: Streamlit gives a linked value outside the box's range
    (or not a number) the default without a word; the page says so."""
    given = st.query_params.get(key)
    if not given or key in st.session_state:
        _note_unshown(key, None, shown_instead)
        return
    try:
        inside = low <= float(given) <= high
    except ValueError:
        inside = False
    if inside:
        _forget_note(key)
        return
    _note_unshown(key, f":material/link_off: The link's {what} {fmt.literal(given)} is not a number from {low:g} "
                       f"to {high:,g}, so {shown_instead:g} is shown.", shown_instead)


def note_dropped_drill(what: str, given: str) -> None:
    """A drill-through the link names that the chart does not have (a Wednesday, a partner not in view)."""
    st.caption(f":material/link_off: The link's {what} {fmt.literal(given)} is not on the chart, so every breach "
               "is listed.")
