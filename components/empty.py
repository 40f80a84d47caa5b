"""Empty states that say what to do: no data loaded yet, or nothing matching the filters."""
from __future__ import annotations

import streamlit as st

from components import context


HELPDESK_EXPORT = "Upload your helpdesk export on the **Data** page (Zendesk, Freshdesk, Zammad, osTicket or any CSV)"
# Prices and customers come from billing or the CRM, not from the helpdesk: say which two files, and
# where the Data page asks for each, or a manager looks for them in the helpdesk's export settings.
BILLING_AND_CRM_FILES = ("Upload two files from your billing system or CRM on the **Data** page: *Customers* "
                         "(each customer's id, the date they joined and, if they left, the date they left) and *Prices* (what "
                         "each customer paid per billing period), chosen under 'What is in the file?'")


def no_data_yet(what: str = "contacts", how: str = HELPDESK_EXPORT) -> None:
    """Nothing loaded: point to the Data page (or the demo) and stop the page here. `how`: which
    file to upload there, in a sentence."""
    with st.container(border=True, key="no-data-yet"):
        st.markdown(f"### No {what} loaded yet")   # under the page's question (h2); legible.css keeps its h4 size
        st.markdown(
            f"This page fills in as soon as {what} are loaded. {how}, or try the dashboard with the "
            "bundled demo company by running `python cli.py demo`."
        )
        st.page_link("views/data.py", label="Go to the Data page", icon=":material/upload_file:")
    st.stop()


def require_contacts() -> None:
    if not context.has_contacts():
        no_data_yet()


def no_standards(purpose: str = "") -> None:
    """The charter promises nothing yet: point to the Charter page (`purpose`: what for, e.g.
    ' to compare service by tenure')."""
    st.info(f"The charter has no standards yet: add your promises on the Charter page{purpose}.",
            icon=":material/edit_note:")


def no_rows(what: str = "contacts", stop: bool = True, advice: str | None = None) -> None:
    """Data exists, but the filters leave nothing: say so (and how to widen the view)."""
    st.info(advice or (f"No {what} match the filters for this period. Widen the period or clear a filter in the "
                       "sidebar to see figures here."), icon=":material/filter_alt_off:")
    if stop:
        st.stop()
