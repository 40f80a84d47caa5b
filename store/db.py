"""The one owner of the database connection: where the file lives, schema creation, the data version.

Everything else receives a connection (or a cursor of it) and never opens the file itself.
"""
from __future__ import annotations

import hashlib
import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from store.tables import TABLES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = PROJECT_ROOT / "data" / "dashboard.duckdb"
SCHEMA_FILE = Path(__file__).with_name("schema.sql")

# DuckDB lets one process write at a time; inside the process, writers queue here so that two
# uploads never interleave (readers use their own cursors and see committed snapshots).
_writer_lock = threading.RLock()


class DatabaseBusy(RuntimeError):
    """Another process (usually the running dashboard) holds the database file."""


class DatabaseUnusable(RuntimeError):
    """The database file is missing, unreadable or damaged; the message says what to do."""


def _unusable(target: Path, error: Exception) -> DatabaseUnusable:
    detail = getattr(error, "strerror", None) or str(error).splitlines()[0].removeprefix("IO Error: ").rstrip("!.")
    return DatabaseUnusable(f"The database {target} cannot be opened: {detail}. Check the file's permissions; "
                            "if it is damaged, restore the last backup (python cli.py restore FOLDER).")


class SettingError(ValueError):
    """A DASHBOARD_* setting in the environment cannot be used."""


def database_path() -> Path:
    return Path(os.environ.get("DASHBOARD_DB") or DEFAULT_DATABASE)


def memory_limit() -> str | None:
    """DASHBOARD_MEMORY_LIMIT (e.g. "1GB"): the most memory DuckDB may hold in this process; beyond
    it DuckDB evicts cached blocks and spills work to disk. Unset: DuckDB's default, 80% of RAM."""
    value = os.environ.get("DASHBOARD_MEMORY_LIMIT", "").strip()
    if not value:
        return None
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", value, re.IGNORECASE):
        raise SettingError(f"DASHBOARD_MEMORY_LIMIT must look like 1GB or 512MB, not {value!r}")
    return value


DEFAULT_MAX_UPLOAD_MB = 200


def max_upload_bytes() -> int:
    """DASHBOARD_MAX_UPLOAD_MB: the largest accepted upload (keep .streamlit/config.toml's maxUploadSize in step)."""
    text = os.environ.get("DASHBOARD_MAX_UPLOAD_MB", "").strip() or str(DEFAULT_MAX_UPLOAD_MB)
    try:
        megabytes = float(text)
    except ValueError:
        megabytes = float("nan")
    if not 0 < megabytes < 1024 * 1024:   # NaN fails too: a typo must not refuse every file as too large
        raise SettingError(f"DASHBOARD_MAX_UPLOAD_MB must be a number of megabytes above 0 (e.g. 200), not {text!r}")
    return int(megabytes * 1024 * 1024)


# Every connection to the database, the read-only ones of the benchmark included.
# asof_loop_join_threshold: DuckDB turns an ASOF join whose left side it *estimates* at under 64
# rows into a nested loop over both sides. Its estimates for derived lists are often near zero
# whatever the real size: churn by price-gap band, when it was an ASOF join over a list of months,
# took 130 s instead of 0.5 s at 1M contacts; the charter's deadline lookup is one today.
SESSION_SETTINGS = "SET GLOBAL TimeZone = 'UTC'; SET GLOBAL asof_loop_join_threshold = 0;"


def _checked_settings() -> str | None:
    """Every DASHBOARD_* setting, checked when a database is opened (not mid-upload); the memory limit."""
    limit = memory_limit()
    max_upload_bytes()
    return limit


def connect(path: str | Path | None = None, *, create: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database (creating the file and schema when new, unless create=False: a backup of
    a mistyped DASHBOARD_DB must not copy a new, empty file). Instants are kept in UTC."""
    target = Path(path) if path else database_path()
    limit = _checked_settings()
    if not create and not target.exists():
        raise DatabaseUnusable(no_database_message(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(target))
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            holder = re.search(r"PID (\d+)", str(error))
            raise DatabaseBusy(
                f"The database {target} is in use by another program (usually the running dashboard"
                f"{f', process {holder.group(1)}' if holder else ''}). Stop it and retry, or upload "
                "through the Data page while it runs."
            ) from error
        raise _unusable(target, error) from error
    except (duckdb.Error, OSError) as error:
        raise _unusable(target, error) from error
    try:
        run_script(con, SESSION_SETTINGS)
        if limit:
            run_script(con, f"SET GLOBAL memory_limit = '{limit}';")
        with _writer_lock:
            ensure_schema(con)   # the first read of the file's catalog: where a damaged file shows
    except duckdb.Error as error:
        con.close()
        raise _unusable(target, error) from error
    return con


def no_database_message(target: Path) -> str:
    return (f"There is no database at {target} (DASHBOARD_DB). Load a file first "
            "(python cli.py load ...) or build the demo (python cli.py demo).")


def connect_empty() -> duckdb.DuckDBPyConnection:
    """An empty database in memory with the whole schema: what a report reads where there is no database
    file yet (spec section 7 answers `kpis` and `batches` with exit 0 then), without creating the file."""
    _checked_settings()   # a bad DASHBOARD_* setting is an error here as with a database file
    con = duckdb.connect()
    run_script(con, SESSION_SETTINGS)
    ensure_schema(con)
    return con


def refuse_while_in_use(live: Path) -> None:
    """DatabaseBusy while another process (the running dashboard) has the file open: replacing the
    file under it would leave it working on the old, unlinked copy, and its later uploads would be
    lost at its next restart. A damaged file is not in use: replacing it is the point of a restore."""
    if live.exists():
        try:
            connect(live).close()
        except DatabaseUnusable:
            pass


def replace_database(built: Path, live: Path) -> None:
    """Put a fully built database file in place of the live one (restore, demo): until this moment
    the live file is untouched, so a failure or Ctrl-C on the way leaves it as it was."""
    refuse_while_in_use(live)
    Path(str(live) + ".wal").unlink(missing_ok=True)
    os.replace(built, live)


def remove_database_files(path: Path) -> None:
    """A database file and its write-ahead log, where they exist (a half-built copy)."""
    for leftover in (path, Path(str(path) + ".wal")):
        leftover.unlink(missing_ok=True)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create or upgrade the tables and macros, unless this very schema file already did: running
    its statements rewrites every macro in the catalog, a sixth of what a `cli.py kpis` costs."""
    schema = SCHEMA_FILE.read_text()
    stamp = hashlib.sha256(schema.encode()).hexdigest()[:16]
    try:
        applied = read_meta(con, "schema")
    except duckdb.CatalogException:   # a new file: no meta table yet
        applied = None
    if applied != stamp:
        run_script(con, schema + f"\nINSERT OR REPLACE INTO meta VALUES ('schema', '{stamp}');")


def read_meta(cursor, key: str) -> str | None:
    """A value of the meta table (None: not set). Not named `meta`: before the table exists, DuckDB
    would look for a Python object of that name to scan instead (replacement scans)."""
    row = cursor.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    return row[0][0] if row else None


def write_meta(cursor, key: str, value: str) -> None:
    cursor.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value]).fetchall()


def forget_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The next connect runs the whole schema file again."""
    run_script(con, "DELETE FROM meta WHERE key = 'schema'")


def rows_are_in_order(cursor) -> bool:
    return read_meta(cursor, "rows_in_order") is not None


def put_rows_in_order(cursor) -> None:
    """A database loaded before uploads kept rows in order (store.tables, cluster_by) has them
    shuffled across row groups, so no date filter can skip one: store them again in order, once
    (inside the caller's transaction; a new database is marked in order by the schema)."""
    for table in TABLES.values():
        run_script(cursor, f"CREATE OR REPLACE TEMP TABLE rows_in_order AS SELECT * FROM {table.name} ORDER BY {table.cluster_by}")
        run_script(cursor, f"DELETE FROM {table.name}")
        run_script(cursor, f"INSERT INTO {table.name} SELECT * FROM rows_in_order")
        run_script(cursor, "DROP TABLE rows_in_order")
    write_meta(cursor, "rows_in_order", "yes")


def run_script(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Run several statements, consuming every result (DuckDB 2 wants results finished)."""
    con.execute(sql).fetchall()


@contextmanager
def transaction(cursor: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One atomic write on this cursor: all of it commits, or none of it does."""
    with _writer_lock:
        run_script(cursor, "BEGIN TRANSACTION")
        try:
            yield cursor
        except BaseException:
            run_script(cursor, "ROLLBACK")
            raise
        run_script(cursor, "COMMIT")


@contextmanager
def write_transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh cursor with one atomic write on it."""
    cursor = con.cursor()
    try:
        with transaction(cursor):
            yield cursor
    finally:
        cursor.close()


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that changes with every upload, undo or charter edit; caches key on it."""
    return int(read_meta(con.cursor(), "data_version") or 0)


def bump_data_version(cursor: duckdb.DuckDBPyConnection) -> None:
    cursor.execute(
        """INSERT INTO meta VALUES ('data_version', '1')
           ON CONFLICT (key) DO UPDATE SET value = (CAST(meta.value AS BIGINT) + 1)::VARCHAR"""
    ).fetchall()


def record_audit(cursor: duckdb.DuckDBPyConnection, user: str, action: str, detail: str) -> None:
    cursor.execute(
        "INSERT INTO audit_log VALUES (now(), ?, ?, ?)", [user, action, detail]
    ).fetchall()


def audit_entries(con: duckdb.DuckDBPyConnection, limit: int = 200):
    """The latest audit-log entries (who uploaded, undid, saved a preset or edited the charter)."""
    cursor = con.cursor()
    try:
        return cursor.execute(
            "SELECT * FROM audit_log ORDER BY happened_at DESC LIMIT ?", [limit]).df()
    finally:
        cursor.close()
