"""Charter Desk: the router and the shared chrome (page config, navigation, sidebar filters)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from components import context, presentation
from components.filters import sidebar_filters

# a local file: a material icon as the favicon is fetched from fonts.gstatic.com, absent on an offline network
st.set_page_config(page_title="Charter Desk", page_icon=str(Path(__file__).with_name("components") / "assets" / "icon.png"),
                   layout="wide", initial_sidebar_state=presentation.initial_sidebar_state())

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


def _overview_by_its_name() -> None:
    """/overview, the address people guess from the other pages' (/compliance, /pricing): Streamlit
    serves the default page only at /, and showed 'Page not found' over the Overview there. Moves to
    / with the link's filters, so the menu marks the Overview and a copied address is the usual one."""
    st.switch_page(EXECUTIVE_PAGES[0], query_params={key: st.query_params.get_all(key) for key in st.query_params})


OVERVIEW_BY_NAME = st.Page(_overview_by_its_name, title="Overview", url_path="overview", visibility="hidden")

page = st.navigation({"Dashboard": [*EXECUTIVE_PAGES, OVERVIEW_BY_NAME], "Manage": MANAGER_PAGES})
if page is OVERVIEW_BY_NAME:
    page.run()   # moves on at once, before the database is opened
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
sidebar_filters()
presentation.projector_switch()
if charter_problem is not None and page.url_path not in ("charter", "data"):
    # Figures would silently use the last good charter: say so and send people to the fix instead.
    st.error(f"The charter file cannot be used: {context.public_charter_problem(charter_problem)}", icon=":material/error:")
    st.page_link(MANAGER_PAGES[1], label="Repair it on the Charter page", icon=":material/edit_note:")
    st.stop()
page.run()
