"""The upload history and undo: undoing a batch restores exactly the state before it."""
from __future__ import annotations

import pandas as pd

from charter.model import Charter
from store import db
from store.ingest import refresh_after_change, stored_rejected
from store.tables import TABLES


class UnknownBatch(LookupError):
    pass


class AlreadyUndone(UnknownBatch):
    """The batch was undone before: by someone else, or by the run of a second click on the same button."""


def list_batches(con) -> pd.DataFrame:
    return con.cursor().execute(
        """SELECT batch_id, table_name, file_name, loaded_at, loaded_by, checksum, preset, encoding,
                  rows_in_file, rows_loaded, rows_new, rows_updated, rows_unchanged, rows_rejected,
                  status, undone_at, undone_by
           FROM batches ORDER BY batch_id DESC"""
    ).df()


def rejected_rows(con, batch_id: int) -> pd.DataFrame:
    """A batch's rejected rows as the upload showed them: row, reason and the row's cells."""
    cursor = con.cursor()
    headers = cursor.execute("SELECT headers FROM batches WHERE batch_id = ?", [batch_id]).fetchall()
    return stored_rejected(cursor, batch_id, headers[0][0] if headers else None)


def undo_batch(con, batch_id: int, user: str, charter: Charter | None) -> str:
    """Remove the batch's row versions; every key it touched falls back to its best remaining version."""
    with db.write_transaction(con) as cursor:
        row = cursor.execute("SELECT table_name, status, file_name FROM batches WHERE batch_id = ?",
                             [batch_id]).fetchall()
        if not row:
            raise UnknownBatch(f"There is no batch {batch_id} (see `python cli.py batches`).")
        if row[0][1] != "loaded":
            raise AlreadyUndone(f"Batch {batch_id} ({row[0][2]}) was already undone; nothing was changed.")
        table = TABLES[row[0][0]]
        keys = ", ".join(table.key)
        db.run_script(cursor, f"CREATE OR REPLACE TEMP TABLE affected_keys AS SELECT DISTINCT {keys} "
                              f"FROM {table.versions} WHERE batch_id = {int(batch_id)}")
        db.run_script(cursor, f"CREATE OR REPLACE TEMP TABLE affected_before AS SELECT DISTINCT {table.key[0]} AS ticket_id "
                              f"FROM {table.versions} WHERE batch_id = {int(batch_id)}")
        cursor.execute(f"DELETE FROM {table.versions} WHERE batch_id = ?", [batch_id]).fetchall()
        refresh_after_change(cursor, table, charter)
        cursor.execute("UPDATE batches SET status = 'undone', undone_at = now(), undone_by = ? WHERE batch_id = ?",
                       [user, batch_id]).fetchall()
        db.bump_data_version(cursor)
        touched = cursor.execute("SELECT count(*) FROM affected_keys").fetchone()[0]
        db.record_audit(cursor, user, "undo", f"batch {batch_id} ({row[0][2]}, {table.name}): "
                                              f"{touched:,} {table.name} touched")
    # Not "back to the state before it": a later upload's changes to the same rows stay in force.
    return (f"Batch {batch_id} ({row[0][2]}) undone: its {touched:,} {table.name} now show their newest version "
            "from the uploads still in force, or are gone if only this upload had them.")
