"""Shared helpers for the manager-page tests (tests/test_page_data.py, test_page_charter.py,
test_auth.py): the real app through Streamlit's AppTest, a real DuckDB file (tests/conftest.py
points DASHBOARD_DB and DASHBOARD_CHARTER into tmp_path) and real CSV bytes.

Expected numbers are written by hand in the tests, never computed here.
"""
from __future__ import annotations

import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from charter.model import load_charter  # noqa: E402
from components.auth import ENV_HASH, hash_password  # noqa: E402
from page_helpers import as_read  # noqa: E402
from store import db  # noqa: E402
from store.ingest import load_file  # noqa: E402

APP = PROJECT_ROOT / "app.py"
PASSWORD = "correct horse battery staple"
PASSWORD_HASH = hash_password(PASSWORD)  # once: scrypt is slow on purpose
# A non-empty at.secrets replaces st.secrets for the run, so a developer's own
# .streamlit/secrets.toml never leaks into the tests.
NO_SECRETS = {"charterdesk_tests": True}

CONTACT_HEADER = "ticket_id,opened_at,channel,acknowledged_at,first_response_at"


def app(monkeypatch, *, password_hash: str | None = PASSWORD_HASH, secrets: dict | None = None,
        user: dict | None = None) -> AppTest:
    if password_hash:
        monkeypatch.setenv(ENV_HASH, password_hash)
    else:
        monkeypatch.delenv(ENV_HASH, raising=False)
    from components.auth import failure_book

    failure_book.clear()   # wrong passwords are counted per server process: each test is a new server
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.secrets = dict(secrets or NO_SECRETS)
    if user is not None:
        at.user = user
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label: str):
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return found[0]


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def sign_in(at: AppTest, password: str = PASSWORD, name: str = "Ann Manager") -> AppTest:
    at.text_input(key="manager_name").input(name)
    at.text_input(key="manager_password").input(password)
    button(at, "Sign in").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def values(elements) -> list[str]:
    return [as_read(str(e.value)) for e in elements]


def contacts_csv(rows: list[str], header: str = CONTACT_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def load_directly(table: str, data: bytes, name: str) -> int:
    """Load a file through the store (the CLI's path), as if an earlier week had been loaded."""
    con = db.connect()
    try:
        return load_file(con, table, data, name, "earlier load", load_charter()).batch_id
    finally:
        con.close()


def scalar(sql: str, parameters: list | None = None):
    con = db.connect()
    try:
        return con.execute(sql, parameters or []).fetchall()[0][0]
    finally:
        con.close()


def rows(sql: str, parameters: list | None = None) -> list[tuple]:
    con = db.connect()
    try:
        return con.execute(sql, parameters or []).fetchall()
    finally:
        con.close()


def database_state() -> tuple:
    """Everything an upload, undo or charter save changes, to prove that nothing did."""
    return tuple(scalar(f"SELECT count(*) FROM {table}") for table in (
        "contacts", "contact_versions", "batches", "rejected_rows", "audit_log", "saved_presets",
        "contact_facts")) + (tuple(rows("SELECT value FROM meta WHERE key = 'data_version'")),
                             tuple(rows("SELECT * FROM contacts ORDER BY ticket_id")))
