"""Backups: the whole database exported as Parquet files (DuckDB EXPORT DATABASE) and restored
into a fresh file that replaces the live one only once the import has fully succeeded."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from store import db


def _quoted(path: Path) -> str:
    # EXPORT/IMPORT take a literal, not a bound parameter; the path comes from the operator.
    return "'" + str(path).replace("'", "''") + "'"


def backup(con, folder: str | Path) -> Path:
    target = Path(folder).resolve()
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} is not empty; choose a new folder for the backup.")
    created = not target.exists()
    target.mkdir(parents=True, exist_ok=True)
    try:
        db.run_script(con.cursor(), f"EXPORT DATABASE {_quoted(target)} (FORMAT parquet)")
        _leave_out_macros(target / "schema.sql")
    except BaseException as error:   # a full disk or Ctrl-C: no partial backup that blocks the retry into the same folder
        if created:
            shutil.rmtree(target, ignore_errors=True)
        else:
            _empty(target)
        if isinstance(error, (duckdb.Error, OSError)):
            reason = "the disk is full" if "No space left" in str(error) else str(error).splitlines()[0]
            raise BackupFailed(f"The backup could not be written to {target}: {reason}. Nothing was kept; "
                               "free some space or choose another folder, then run it again.") from error
        raise
    return target


class BackupFailed(RuntimeError):
    """Writing the backup failed; what it had written is removed."""


def _empty(folder: Path) -> None:
    for item in folder.iterdir():
        if item.is_dir():
            shutil.rmtree(item, ignore_errors=True)
        else:
            item.unlink(missing_ok=True)


def _leave_out_macros(schema: Path) -> None:
    """The macros are code, not data: a restore creates them from store/schema.sql. DuckDB exports
    them in its catalog's order (alphabetical for macros created once), in which `in_view` comes
    before the `opened_near` it calls, and IMPORT DATABASE then fails."""
    statements = schema.read_text(encoding="utf-8").split(";\n")
    kept = [s for s in statements if not s.lstrip().upper().startswith("CREATE MACRO")]
    schema.write_text(";\n".join(kept), encoding="utf-8")


def restore(folder: str | Path, database: str | Path | None = None) -> Path:
    source = Path(folder).resolve()
    if not (source / "schema.sql").exists() or not (source / "load.sql").exists():
        raise FileNotFoundError(f"{source} does not look like a Charter Desk backup (no schema.sql / load.sql).")
    live = Path(database) if database else db.database_path()
    db.refuse_while_in_use(live)
    staging = live.with_name(live.name + ".restoring")
    live.parent.mkdir(parents=True, exist_ok=True)
    db.remove_database_files(staging)
    try:
        fresh = duckdb.connect(str(staging))
        try:
            db.run_script(fresh, f"IMPORT DATABASE {_quoted(source)}")
            db.forget_schema(fresh)   # a backup's catalog may lack macros or columns its meta claims
            db.run_script(fresh, "CHECKPOINT")
        finally:
            fresh.close()
        db.connect(staging).close()  # the schema's macros and any newer tables are (re)created
        db.replace_database(staging, live)
    except BaseException:   # a failed import or Ctrl-C: no half-imported copy beside the live file
        db.remove_database_files(staging)
        raise
    return live
