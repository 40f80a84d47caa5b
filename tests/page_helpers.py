"""Helpers for the executive-page tests: a small hand-made company whose every KPI is worked out by
hand (see EXPECTED in test_pages_executive.py), and AppTest plumbing."""
from __future__ import annotations

import re

import csv
from pathlib import Path

from streamlit.testing.v1 import AppTest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
APP = PROJECT_ROOT / "app.py"

# Two simple promises so every number can be checked with a pencil: calendar-time clocks only.
CHARTER = """
[schedule]
timezone = "Europe/London"
working_days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
opens = "09:00"
closes = "17:00"
holidays = ""

[[standard]]
id = "reply"
name = "We reply within 24 hours"
measure = "first_response"
within = 24
unit = "hours"
target = 0.90

[[standard]]
id = "resolve"
name = "We resolve complaints within 7 days"
measure = "resolution"
within = 7
unit = "days"
target = 0.95
scope = { kind = "complaint" }
"""

CONTACT_COLUMNS = ["ticket_id", "opened_at", "customer_id", "kind", "channel", "priority", "team", "agent", "partner",
                   "category", "acknowledged_at", "first_response_at", "resolved_at", "follow_up_at",
                   "reopened_count", "csat", "updated_at"]
# February 2026 (GMT = UTC). Week 1 starts Mon 2 Feb, week 2 Mon 9 Feb.
CONTACTS = [
    dict(ticket_id="T01", opened_at="2026-02-02 10:00", customer_id="C1", channel="email", team="Billing",
         category="bill query", first_response_at="2026-02-02 12:00", resolved_at="2026-02-02 12:00"),       # 2 h
    dict(ticket_id="T02", opened_at="2026-02-02 11:00", customer_id="C2", channel="email", team="Billing",
         category="bill query", first_response_at="2026-02-03 15:00", resolved_at="2026-02-03 15:00"),       # 28 h
    dict(ticket_id="T03", opened_at="2026-02-03 09:00", customer_id="C3", channel="phone", team="Repairs",
         partner="FixRight Repairs", category="repair", first_response_at="2026-02-03 10:00",
         resolved_at="2026-02-03 10:00"),                                                                     # 1 h
    dict(ticket_id="T04", opened_at="2026-02-03 14:00", customer_id="C1", kind="complaint", channel="phone",
         team="Repairs", partner="FixRight Repairs", category="repair not fixed",
         first_response_at="2026-02-03 20:00", resolved_at="2026-02-12 14:00", follow_up_at="2026-02-13 10:00",
         reopened_count=1, csat=2),                                                                           # 6 h; 9 days
    dict(ticket_id="T05", opened_at="2026-02-04 09:00", customer_id="C2", kind="complaint", channel="email",
         team="Billing", category="billing error", first_response_at="2026-02-05 09:00",
         resolved_at="2026-02-06 09:00", csat=5),                                                             # 24 h; 2 days
    dict(ticket_id="T06", opened_at="2026-02-09 10:00", customer_id="C3", channel="email", team="Billing",
         category="bill query", first_response_at="2026-02-09 11:00"),                                        # 1 h
    dict(ticket_id="T07", opened_at="2026-02-10 10:00", customer_id="C4", channel="chat", team="Repairs",
         category="repair", first_response_at="2026-02-10 10:30"),                                            # 0.5 h
    dict(ticket_id="T08", opened_at="2026-02-11 10:00", customer_id="C1", channel="email", team="Billing",
         category="bill query", first_response_at="2026-02-12 12:00"),                                        # 26 h
    dict(ticket_id="T09", opened_at="2026-02-12 10:00", customer_id="C2", kind="complaint", channel="web",
         team="Billing", category="=cmd|' /C calc'!A0"),                                                      # open
    dict(ticket_id="T10", opened_at="2026-02-15 20:00", customer_id="C3", channel="email", team="Billing",
         category="bill query", updated_at="2026-02-15 21:00"),                                               # open; as_of
]

CUSTOMER_COLUMNS = ["customer_id", "joined_at", "left_at", "segment", "product", "region"]
CUSTOMERS = [
    dict(customer_id="C1", joined_at="2020-01-01", product="Energy"),                     # 6 years: 5y+
    dict(customer_id="C2", joined_at="2025-06-01", product="Energy"),                     # <1y
    dict(customer_id="C3", joined_at="2022-03-01", left_at="2026-02-20", product="Energy"),  # 3 years: 3-5y; leaves
    dict(customer_id="C4", joined_at="2024-01-01", product="Broadband"),                  # 2 years: 2-3y
]
PRICE_COLUMNS = ["customer_id", "period", "price_paid", "product", "new_customer_price", "channel"]
PRICES = [
    dict(customer_id="C1", period="2026-02-09", price_paid="120", product="Energy", new_customer_price="100"),
    dict(customer_id="C2", period="2026-02-09", price_paid="100", product="Energy", new_customer_price="100"),
    dict(customer_id="C3", period="2026-02-09", price_paid="110", product="Energy", new_customer_price="100"),
    dict(customer_id="C4", period="2026-02-09", price_paid="50", product="Broadband", new_customer_price="40"),
]


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
    return path


def build_small_company(folder: Path, database: Path, charter_file: Path, *, with_data: bool = True) -> None:
    """Write the charter and load the three CSVs through the normal upload path."""
    from charter.model import load_charter
    from store import db
    from store.ingest import load_path

    charter_file.write_text(CHARTER, encoding="utf-8")
    con = db.connect(database)
    try:
        if with_data:
            charter = load_charter(charter_file)
            for table, columns, rows in (("customers", CUSTOMER_COLUMNS, CUSTOMERS),
                                         ("prices", PRICE_COLUMNS, PRICES),
                                         ("contacts", CONTACT_COLUMNS, CONTACTS)):
                load_path(con, table, write_csv(folder / f"{table}.csv", columns, rows), "test", charter,
                          preset_name="canonical")
    finally:
        con.close()


def load_more_contacts(folder: Path, *contacts: dict) -> None:
    """Contacts loaded after the company was built, through the upload path (Charter Desk's columns)."""
    import os

    from charter.model import load_charter
    from store import db
    from store.ingest import load_path

    con = db.connect()
    try:
        extra = write_csv(folder / "more_contacts.csv", CONTACT_COLUMNS, list(contacts))
        load_path(con, "contacts", extra, "test", load_charter(Path(os.environ["DASHBOARD_CHARTER"])),
                  preset_name="canonical")
    finally:
        con.close()


def new_app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


def open_page(at: AppTest, page: str | None = None) -> AppTest:
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    """Metric label -> shown value (first occurrence)."""
    shown: dict[str, str] = {}
    for metric in at.metric:
        shown.setdefault(metric.label, metric.value)
    return shown


def texts(at: AppTest) -> str:
    """Everything written as markdown, captions, info and titles, for 'is this sentence on screen'."""
    parts = [e.value for kind in ("markdown", "caption", "info", "title", "header", "subheader", "warning") for e in getattr(at, kind)]
    return as_read("\n".join(str(p) for p in parts))


def shown_cells(dataframe):
    """A grid's cells as the browser draws them (a Styler's formatted text), not the values beneath."""
    import pyarrow as pa

    return pa.ipc.open_stream(dataframe.proto.arrow_data.styler.display_values).read_pandas()


def column_settings(dataframe) -> dict:
    """The grid's column_config as sent to the browser: column name -> its settings."""
    import json

    return json.loads(dataframe.proto.columns)


def as_read(markdown: str) -> str:
    """Markdown as a reader sees it: backslash escapes (uploaded names are escaped) do not show."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def rerun_with(at: AppTest, key: str, value) -> AppTest:
    at.multiselect(key=key).set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    return at
