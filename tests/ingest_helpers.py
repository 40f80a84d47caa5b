"""Shared helpers for the upload tests (tests/test_ingest_*.py, tests/test_realdata.py).

Every test works on a real DuckDB file inside pytest's tmp_path and real CSV bytes; nothing is
mocked. Expected values are written by hand in the tests, never computed with these helpers.
"""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from charter.model import parse_charter  # noqa: E402
from store import db  # noqa: E402
from store.ingest import load_file, load_path  # noqa: E402

FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
VENDORS = FIXTURES / "vendors"
BAD = FIXTURES / "bad"
USER = "tester"


CONTACT_HEADER = ("ticket_id,opened_at,customer_id,kind,channel,priority,team,agent,partner,category,"
                  "acknowledged_at,first_response_at,resolved_at,follow_up_at,reopened_count,csat,updated_at")


# The tests' own charter (not data/charter.toml, which managers edit): Europe/London, the usual
# working week and a standard of each measure, so that every upload also refreshes the clocks.
CHARTER_TOML = """
[schedule]
timezone = "Europe/London"
working_days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
opens = "09:00"
closes = "17:30"
holidays = "GB"
holiday_subdivision = "ENG"
closed_dates = ["2026-12-24"]

[[standard]]
id = "ack"
name = "Acknowledge within 1 working hour"
measure = "acknowledge"
within = 1
unit = "business_hours"
target = 0.95

[[standard]]
id = "reply"
name = "Reply within 3 working days"
measure = "first_response"
within = 3
unit = "business_days"
target = 0.9

[[standard]]
id = "complaints"
name = "Resolve complaints within 8 weeks"
measure = "resolution"
within = 56
unit = "days"
target = 0.98
scope = { kind = "complaint" }

[[standard]]
id = "follow_up"
name = "Call back within 2 working days"
measure = "follow_up"
within = 2
unit = "business_days"
target = 0.9
scope = { kind = "complaint" }
"""
_CHARTER = parse_charter(CHARTER_TOML)


def charter():
    return _CHARTER


def write_charter(folder: Path) -> Path:
    path = folder / "test-charter.toml"
    path.write_text(CHARTER_TOML, encoding="utf-8")
    return path


def open_db(tmp_path: Path, name: str = "uploads.duckdb"):
    return db.connect(tmp_path / name)


def load(con, table: str, data: bytes | str, file_name: str = "upload.csv", **options):
    """One upload through the same code path as the Data page and the CLI."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return load_file(con, table, data, file_name, USER, charter(), **options)


def load_fixture(con, table: str, path: Path, **options):
    return load_path(con, table, path, USER, charter(), **options)


def utc(text: str) -> datetime:
    """'2026-07-13 09:00' -> an aware UTC datetime, to compare with TIMESTAMPTZ values."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def csv_text(header: str, *rows: str, newline: str = "\n") -> str:
    return newline.join((header, *rows)) + newline


def contact_row(ticket_id: str, opened_at: str, *, updated_at: str = "", agent: str = "", channel: str = "email",
                kind: str = "", csat: str = "", first_response_at: str = "", resolved_at: str = "",
                customer_id: str = "", team: str = "", category: str = "") -> str:
    """A canonical contacts row (CONTACT_HEADER order)."""
    values = [ticket_id, opened_at, customer_id, kind, channel, "", team, agent, "", category, "",
              first_response_at, resolved_at, "", "", csat, updated_at]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


def dump(con) -> dict[str, list[tuple]]:
    """The full content of every table in the database (the whole persistent state, derived tables
    included), in a stable order, for before/after comparisons."""
    cursor = con.cursor()
    try:
        names = [r[0] for r in cursor.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND database_name = current_database() "
            "ORDER BY table_name").fetchall()]
        return {name: [_hashable(row) for row in cursor.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()]
                for name in names}
    finally:
        cursor.close()


def _hashable(row: tuple) -> tuple:
    """A row whose lists (a rejected row's cells, a batch's headers) are tuples, so rows can be counted."""
    return tuple(tuple(value) if isinstance(value, list) else value for value in row)


def rows(con, sql: str, parameters=None) -> list[tuple]:
    cursor = con.cursor()
    try:
        return cursor.execute(sql, parameters or []).fetchall()
    finally:
        cursor.close()


def contact(con, ticket_id: str) -> dict:
    """The current (winning) row of one ticket, canonical columns only."""
    cursor = con.cursor()
    try:
        cursor.execute("SELECT * EXCLUDE (batch_id, row_number) FROM contacts WHERE ticket_id = ?", [ticket_id])
        names = [d[0] for d in cursor.description]
        found = cursor.fetchall()
    finally:
        cursor.close()
    assert len(found) == 1, f"expected one current row for {ticket_id}, found {len(found)}"
    return dict(zip(names, found[0]))


@contextmanager
def database_held_open(path: Path) -> Iterator[int]:
    """Another process (as the running dashboard would) holds the database file open until the block
    ends; yields its process id."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from store import db; con = db.connect(sys.argv[1]); "
                               "print('open', flush=True); sys.stdin.readline()", str(path)],
        cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    try:
        assert holder.stdout.readline().strip() == "open"
        yield holder.pid
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)


def run_cli(*args: str, db_path: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python cli.py ...` in a separate process against db_path (the test's connection must be closed)."""
    environment = {**os.environ, "DASHBOARD_DB": str(db_path),
                   "DASHBOARD_CHARTER": str(write_charter(db_path.parent)), **(env or {})}
    environment.pop("CHARTERDESK_DEBUG", None)
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "cli.py"), *args], cwd=PROJECT_ROOT,
                          env=environment, capture_output=True, text=True, timeout=120)


# The sidebar's filter values counted over every current contact, to check the stored ones
# (store/filter_values.py) against.
FILTER_VALUES_AFRESH = """
SELECT 'channel' AS dimension, channel AS value, count(*) AS n FROM contacts WHERE channel IS NOT NULL GROUP BY ALL
UNION ALL SELECT 'team', team, count(*) FROM contacts WHERE team IS NOT NULL GROUP BY ALL
UNION ALL SELECT 'partner', coalesce(partner, 'In-house'), count(*) FROM contacts GROUP BY ALL
ORDER BY ALL"""
