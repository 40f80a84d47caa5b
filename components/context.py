"""What every page shares: the cached database connection, the charter, the data version and
cached query results. Pages ask for numbers by query name; caches key on the data version, which
changes with each upload, undo or charter edit, so nobody ever sees stale figures.
"""
from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from typing import Callable

import pandas as pd
import streamlit as st

from charter import engine
from charter.model import Charter, CharterError, charter_path, load_charter, parse_charter
from components.charter_editor import describe_changes
from queries import Filters, NO_FILTERS, run
from queries.kpis import as_of as query_as_of, kpi_report
from queries.whatif import expectation_gap
from store import db


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    return db.connect(path)


def connection():
    return _connection(str(db.database_path()))


@st.cache_resource(show_spinner=False)
def _charter(path: str, modified: float) -> Charter:
    return load_charter(path)


def charter() -> Charter:
    path = charter_path()
    return _charter(str(path), path.stat().st_mtime if path.exists() else 0.0)


# (database, data version, charter fingerprint) already found current in this process: the check
# reads every contact's timestamps (about a second at 10 million contacts), and its answer can only
# change with the data version (every upload, undo and refresh bumps it) or the charter.
_facts_found_current: set[tuple] = set()


def ensure_facts_current() -> None:
    """The charter file may have been edited by hand, or the database written by an earlier
    version: recompute what is derived (engine.refresh) once if so."""
    con, current = connection(), charter()
    note_charter_edits_outside_the_app(current)
    checked = (str(db.database_path()), db.data_version(con), current.fingerprint())
    if checked in _facts_found_current:
        return
    cursor = con.cursor()
    try:
        if engine.facts_are_current(cursor, current):
            _facts_found_current.add(checked)
            return
    finally:
        cursor.close()
    with st.spinner("Bringing the figures up to date with the charter (after a charter edit or an upgrade)…"):
        with db.write_transaction(con) as writer:
            if not engine.facts_are_current(writer, current):
                engine.refresh(writer, current)
                db.bump_data_version(writer)


# The charter's text as the app last knew it is kept in the database (meta "charter_text"): a file
# edited by hand changes every figure, and the audit log should say so as it says so of an edit made
# on the Charter page. (database, charter file hash) already found noted in this process:
_charter_texts_noted: set[tuple[str, str]] = set()
CHARTER_TEXT = "charter_text"
EDITED_OUTSIDE = "charter file edited outside Charter Desk"


def note_charter_edits_outside_the_app(current: Charter) -> None:
    """Write an audit entry when the charter file differs from the one the app last knew (an edit by
    hand or by a deployment), naming what changed. The first charter a database meets is only noted."""
    noted = (str(db.database_path()), charter_file_signature())
    if noted in _charter_texts_noted:
        return
    # as written, line ends included: the Charter page notes the text it saves, byte for byte
    text = charter_path().read_bytes().decode("utf-8", errors="replace")
    con = connection()
    cursor = con.cursor()
    try:
        known = db.read_meta(cursor, CHARTER_TEXT)
    finally:
        cursor.close()
    if known != text:
        with db.write_transaction(con) as writer:
            known = db.read_meta(writer, CHARTER_TEXT)   # another session may have noted it meanwhile
            if known is not None and known != text:
                db.record_audit(writer, "(not through Charter Desk)", EDITED_OUTSIDE,
                                "; ".join(_changes_from(known, current))[:2000])
            db.write_meta(writer, CHARTER_TEXT, text)
    _charter_texts_noted.add(noted)


def _changes_from(known_text: str, current: Charter) -> list[str]:
    """What changed, in the Charter page's own words for an edit."""
    try:
        known = parse_charter(known_text, check_holidays=False)
    except CharterError:   # the text it replaced could not be read either
        return ["the file was replaced"]
    return describe_changes(known, current) or ["the file's layout or comments changed; no figure changes"]


def data_version() -> int:
    return db.data_version(connection())


def charter_file_signature() -> str:
    """The charter file's content hash: keys caches without parsing it, so a broken charter file
    does not take the pages (or the Charter page that repairs it) down with it."""
    path = charter_path()
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


# The data version and charter signature as read at the start of this script run (app.py calls
# start_run on every run). Reading them costs about a millisecond each time (a DuckDB round trip),
# and the Overview asks for some twenty cached results per run.
_RUN_CACHE_KEY = "_context_cache_key_this_run"


def start_run() -> None:
    """Key every cached result of this run on the data and charter as they are now. Safe because
    every write in the app (upload, undo, charter save, preset) ends its run with st.rerun, and
    ensure_facts_current, which can write, runs before this."""
    st.session_state[_RUN_CACHE_KEY] = _current_cache_key()


def _current_cache_key() -> tuple[int, str]:
    return data_version(), charter_file_signature()


def cache_key() -> tuple[int, str]:
    return st.session_state.get(_RUN_CACHE_KEY) or _current_cache_key()


@st.cache_data(show_spinner=False, max_entries=500)
def _cached_query(name: str, filters: Filters, key: tuple, parameters: tuple,
                  columns: tuple[str, ...] | None) -> pd.DataFrame:
    return run(connection(), name, filters, columns=columns, **dict(parameters))


def query(name: str, filters: Filters = NO_FILTERS, *, columns: tuple[str, ...] | None = None,
          **parameters) -> pd.DataFrame:
    """A named query's result, cached until the data or the charter changes. `columns`: only these
    (queries.only_columns: the others are not computed)."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in parameters.items()))
    return _cached_query(name, filters, cache_key(), frozen, columns).copy()


@st.cache_data(show_spinner=False, max_entries=50)
def _cached_kpis(filters: Filters, key: tuple) -> dict:
    return kpi_report(connection(), charter(), filters)


def rows_on_demand(name: str, filters: Filters = NO_FILTERS, **parameters) -> Callable[[], pd.DataFrame]:
    """A named query's result, run when called rather than now, and not cached: what a download
    button gives when the screen shows only the first rows (the button calls it on a click,
    outside any script run, so it holds the connection rather than looking it up then)."""
    con = connection()
    return lambda: run(con, name, filters, **parameters)


def kpis(filters: Filters = NO_FILTERS) -> dict:
    return _cached_kpis(filters, cache_key())


@st.cache_data(show_spinner=False, max_entries=20)
def _cached_as_of(key: tuple) -> datetime | None:
    return query_as_of(connection())


def as_of() -> datetime | None:
    return _cached_as_of(cache_key())


@st.cache_data(show_spinner=False, max_entries=100)
def _cached_whatif(filters: Filters, standard_id: str, within: float, unit: str, key: tuple) -> pd.DataFrame:
    return expectation_gap(connection(), filters, standard_id, within, unit, as_of())


def whatif(filters: Filters, standard_id: str, within: float, unit: str) -> pd.DataFrame:
    """One standard's contacts judged against the charter and against `within` `unit` (by week, and
    a total row with week NULL)."""
    return _cached_whatif(filters, standard_id, float(within), unit, cache_key()).copy()


def has_contacts() -> bool:
    return as_of() is not None


def has_bills() -> bool:
    """Any price row of a known customer loaded, whatever the period (a whole-history query: ask only
    when the period has none)."""
    return bool(query("pricing_by_tenure")["rows"].sum())


DatabaseBusy, DatabaseUnusable, SettingError = db.DatabaseBusy, db.DatabaseUnusable, db.SettingError


def public_reason(error: Exception) -> str:
    """Why the database cannot be opened, in words for whoever holds a link to the dashboard: the
    file's path and the process holding it are for the administrator (the whole message goes to the
    server's log)."""
    logging.getLogger("charterdesk").error("cannot open the database: %s", error)
    if isinstance(error, DatabaseBusy):
        return ("another program (a command-line load, restore or demo build) is using it. Reload this "
                "page in a minute; if it persists, the administrator will find which program in the server's log.")
    if isinstance(error, DatabaseUnusable):
        return ("the database file is missing, unreadable or damaged. The administrator will find the "
                "details in the server's log (a damaged file is mended by restoring the last backup).")
    return str(error)   # a malformed DASHBOARD_* setting names only the setting and its value


def public_charter_problem(error: CharterError) -> str:
    """What is wrong with the charter, for whoever holds a link: the file by its name, not its folder
    on the server (the whole message goes to the server's log)."""
    logging.getLogger("charterdesk").error("the charter cannot be used: %s", error)
    path = charter_path()
    return str(error).replace(str(path), f"'{path.name}'")

__all__ = ["CharterError", "DatabaseBusy", "DatabaseUnusable", "SettingError", "as_of", "charter", "connection", "data_version", "ensure_facts_current",
           "has_bills", "has_contacts", "kpis", "public_charter_problem", "public_reason", "query", "rows_on_demand", "start_run", "whatif"]
