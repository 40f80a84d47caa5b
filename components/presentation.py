"""Large text for a meeting-room screen: one switch in the sidebar, kept in the link (?projector=true)
so the room's bookmark opens large, with the sidebar folded away. Tiles, headings and captions grow
with the page's root font size (components/assets/projector.css); charts are drawn larger by
`charts.show`."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

PROJECTOR = "projector"
TEXT_SCALE = 1.3   # 13 px chart text becomes 17 px, the size read from the back of a meeting room
PROJECTOR_STYLE = Path(__file__).with_name("assets") / "projector.css"
SMALL_SCREEN_STYLE = Path(__file__).with_name("assets") / "small_screens.css"
LEGIBLE_STYLE = Path(__file__).with_name("assets") / "legible.css"


def text_scale() -> float:
    """How much larger than usual text is drawn in this session: TEXT_SCALE with the switch on, else 1."""
    return TEXT_SCALE if st.session_state.get(PROJECTOR) else 1.0


OPENED_LARGE = "_opened_with_large_text"


def initial_sidebar_state() -> str:
    """A session opened from a link with large text (the meeting room's bookmark) starts with the
    sidebar folded away: the charts get the screen's width, the filters are one click away. Decided
    once per session: Streamlit folds the sidebar again whenever this value changes, which would
    shut it under the hand of whoever turns the switch on. (A browser where someone opened or closed
    the sidebar keeps it so: Streamlit remembers that choice, and it wins.)"""
    if OPENED_LARGE not in st.session_state:
        st.session_state[OPENED_LARGE] = st.query_params.get(PROJECTOR) == "true"
    return "collapsed" if st.session_state[OPENED_LARGE] else "auto"


def projector_switch() -> None:
    """The sidebar's switch (app.py renders it once, under the filters, for every page)."""
    with st.sidebar:
        st.toggle("Large text for a projector", key=PROJECTOR, bind="query-params",
                  help="Bigger numbers, captions and chart text, for a screen read from across a room. "
                       "A link copied with it on opens with it on.")
    if text_scale() != 1.0:
        st.html(PROJECTOR_STYLE)  # style only: Streamlit puts it outside the page flow


def fit_small_screens() -> None:
    """Narrower margins and less blank above the title on a small screen (a 1024 px laptop with the
    sidebar open, 1280x720 at 125% zoom), for every page alike (components/assets/small_screens.css)."""
    st.html(SMALL_SCREEN_STYLE)  # style only: Streamlit puts it outside the page flow


def legible() -> None:
    """Captions dark enough to read, and a keyboard focus that can be seen and is not under the
    header bar (components/assets/legible.css); app.py draws it once, for every page."""
    st.html(LEGIBLE_STYLE)  # style only: Streamlit puts it outside the page flow
