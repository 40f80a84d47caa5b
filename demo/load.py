"""Build the bundled demo database: generate the fictional company's exports and load them through
the same upload path a manager uses (so the demo also exercises presets, batches and the charter)."""
from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Callable

from charter.model import load_charter
from store import db
from store.ingest import load_path

DEMO_USER = "demo"


def build_demo_database(path: str | Path | None = None, contacts: int = 150_000, customers: int = 20_000,
                        progress: Callable[[str], None] = lambda message: None) -> str:
    """(Re)create the database file with demo data; returns a one-line summary."""
    from demo.generate import write_demo_csvs

    target = Path(path) if path else db.database_path()
    charter = load_charter()   # a broken charter stops here, before anything is touched
    db.refuse_while_in_use(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not os.access(target.parent, os.W_OK):   # before a minute of generating for nothing
        raise PermissionError(errno.EACCES, "cannot write in the database's folder", str(target.parent))
    # Built beside the live file and put in its place only when complete: a full disk, a bad
    # charter or Ctrl-C on the way leaves the existing database as it was.
    building = target.with_name(target.name + ".building")
    try:
        db.remove_database_files(building)
        with tempfile.TemporaryDirectory(prefix="charterdesk-demo-") as folder:
            progress(f"Generating demo exports ({contacts:,} contacts, {customers:,} customers)…")
            files = write_demo_csvs(folder, contacts=contacts, customers=customers)
            con = db.connect(building)
            try:
                loaded = []
                for table in ("customers", "prices", "contacts"):
                    progress(f"Loading {table}…")
                    result = load_path(con, table, files[table], DEMO_USER, charter, preset_name="canonical")
                    loaded.append(f"{result.rows_loaded:,} {table}")
            finally:
                con.close()
        db.replace_database(building, target)
    finally:
        db.remove_database_files(building)
    return f"Demo database ready at {target}: " + ", ".join(loaded) + "."
