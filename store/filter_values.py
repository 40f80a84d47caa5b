"""The channels, teams and partners the sidebar offers, with how many current contacts carry each,
kept current by every contacts upload and undo.

Counting them over every contact was 0.15-0.2 s of each page's first visit at 10 million contacts.
An upload subtracts the counts of the current rows it is about to replace and adds those of the
rows that replace them, so its cost follows the upload.
"""
from __future__ import annotations

from store import db

# Bumped when contact_filter_values changes shape or meaning: a database stored under another
# layout (or from before it) counts them again once (charter.engine.refresh).
LAYOUT = "1"

# Per dimension and value, the current contacts among {rows} (a condition on `contacts`, picked
# once for the three counts); a blank partner is in-house, a blank channel or team is not offered.
COUNTS = """
WITH picked AS MATERIALIZED (SELECT channel, team, partner FROM contacts WHERE {rows})
SELECT 'channel' AS dimension, channel AS value, {sign} count(*) AS n FROM picked WHERE channel IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'team', team, {sign} count(*) FROM picked WHERE team IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'partner', coalesce(partner, 'In-house'), {sign} count(*) FROM picked GROUP BY ALL
"""


def is_current(cursor) -> bool:
    return db.read_meta(cursor, "filter_values_layout") == LAYOUT


def rebuild(cursor) -> None:
    cursor.execute("DELETE FROM contact_filter_values").fetchall()
    cursor.execute("INSERT INTO contact_filter_values " + COUNTS.format(sign="", rows="TRUE")).fetchall()
    db.write_meta(cursor, "filter_values_layout", LAYOUT)


def remove(cursor, rows: str) -> None:
    """Before the current contacts that `rows` selects are replaced or removed."""
    if is_current(cursor):
        cursor.execute("INSERT INTO contact_filter_values " + COUNTS.format(sign="-", rows=rows)).fetchall()


def add(cursor, rows: str) -> None:
    """After the current contacts that `rows` selects were written: counts them in, and folds each
    value's rows into one (a value no contact carries any more is dropped)."""
    if not is_current(cursor):
        rebuild(cursor)
        return
    cursor.execute("INSERT INTO contact_filter_values " + COUNTS.format(sign="", rows=rows)).fetchall()
    cursor.execute("""CREATE OR REPLACE TEMP TABLE folded_filter_values AS
                      SELECT dimension, value, sum(n)::BIGINT AS n FROM contact_filter_values GROUP BY ALL HAVING sum(n) <> 0;
                      DELETE FROM contact_filter_values;
                      INSERT INTO contact_filter_values SELECT * FROM folded_filter_values;
                      DROP TABLE folded_filter_values""").fetchall()
