"""Charter Desk: the router and the shared chrome (page config, navigation, sidebar filters)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from components import context, links, presentation, tables
from components.filters import sidebar_filters

# a local file: a material icon as the favicon is fetched from fonts.gstatic.com, absent on an offline network
st.set_page_config(page_title="Charter Desk", page_icon=str(Path(__file__).with_name("components") / "assets" / "icon.png"),
                   layout="wide", initial_sidebar_state=presentation.initial_sidebar_state())
links.one_entry_per_step()
presentation.fit_small_screens()
presentation.legible()

EXECUTIVE_PAGES = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", url_path="", default=True),
    st.Page("views/compliance.py", title="Charter compliance", icon=":material/rule:", url_path="compliance"),
    st.Page("views/responsiveness.py", title="Responsiveness", icon=":material/timer:", url_path="responsiveness"),
    st.Page("views/complaints.py", title="Complaints", icon=":material/report:", url_path="complaints"),
    st.Page("views/pricing.py", title="Pricing & loyalty", icon=":material/sell:", url_path="pricing"),
]
MANAGER_PAGES = [
    st.Page("views/data.py", title="Data", icon=":material/upload_file:", url_path="data"),
    st.Page("views/charter.py", title="Charter", icon=":material/edit_note:", url_path="charter"),
]


def _moved_to(target: st.Page):
    """A page that moves on to `target` with every value of the link, before the database is opened."""
    def move() -> None:
        st.switch_page(target, query_params={key: st.query_params.get_all(key) for key in st.query_params})
    return move


# Addresses people guess, which Streamlit answered with 'Page not found' over the Overview: /overview
# (the default page lives at /, the others by name) and a name capitalised (/Compliance), as link values
# ignore case. Each moves to the page's own address, so the menu marks it and a copied link is the usual one.
GUESSED_ADDRESSES = [st.Page(_moved_to(target), title=target.title, url_path=address, visibility="hidden")
                     for target, address in [(EXECUTIVE_PAGES[0], "overview"), (EXECUTIVE_PAGES[0], "Overview"),
                                             *((p, p.url_path.capitalize()) for p in EXECUTIVE_PAGES[1:] + MANAGER_PAGES)]]

page = st.navigation({"Dashboard": [*EXECUTIVE_PAGES, *GUESSED_ADDRESSES], "Manage": MANAGER_PAGES})
if any(page is guessed for guessed in GUESSED_ADDRESSES):
    page.run()
try:
    context.ensure_facts_current()
    charter_problem = None
except context.CharterError as error:
    charter_problem = error
except (context.DatabaseBusy, context.DatabaseUnusable, context.SettingError) as error:
    # Nothing can be shown without the database: say why, in words for anyone with the link.
    st.error(f"Charter Desk cannot open its database: {context.public_reason(error)}", icon=":material/error:")
    st.stop()
context.start_run()
tables.forget_export_period()
links.follow_page(page.url_path)
sidebar_filters()
presentation.projector_switch()
if charter_problem is not None and page.url_path not in ("charter", "data"):
    # Figures would silently use the last good charter: say so and send people to the fix instead.
    st.error(f"The charter file cannot be used: {context.public_charter_problem(charter_problem)}", icon=":material/error:")
    st.page_link(MANAGER_PAGES[1], label="Repair it on the Charter page", icon=":material/edit_note:")
    st.stop()
page.run()
