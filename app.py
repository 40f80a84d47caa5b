"""Charter Desk: the router and the shared chrome (page config, navigation, sidebar filters)."""
from __future__ import annotations

import streamlit as st

from components import context
from components.filters import sidebar_filters

st.set_page_config(page_title="Charter Desk", page_icon=":material/verified:", layout="wide")

EXECUTIVE_PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/compliance.py", title="Charter compliance", icon=":material/rule:", url_path="compliance"),
    st.Page("pages/responsiveness.py", title="Responsiveness", icon=":material/timer:", url_path="responsiveness"),
    st.Page("pages/complaints.py", title="Complaints", icon=":material/report:", url_path="complaints"),
    st.Page("pages/pricing.py", title="Pricing & loyalty", icon=":material/sell:", url_path="pricing"),
]
MANAGER_PAGES = [
    st.Page("pages/data.py", title="Data", icon=":material/upload_file:", url_path="data"),
    st.Page("pages/charter.py", title="Charter", icon=":material/edit_note:", url_path="charter"),
]

page = st.navigation({"Dashboard": EXECUTIVE_PAGES, "Manage": MANAGER_PAGES})
try:
    context.ensure_facts_current()
except context.CharterError as error:
    st.error(f"The charter file cannot be used: {error} Fix it on the Charter page or in data/charter.toml.")
sidebar_filters()
page.run()
