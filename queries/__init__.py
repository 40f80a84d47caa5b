"""The query registry: every number on every screen is one named SQL file in this folder.

Pages, the command line and the tests call `run(con, "name", filters, **parameters)`; user values
only ever travel as bound parameters ($name), never as SQL text.
"""
from __future__ import annotations

import re
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # DuckDB's .df() imports pandas itself; `cli.py kpis` never needs it (0.3 s of its start)
    import pandas as pd

QUERY_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Filters:
    """The dashboard-wide filters; empty lists mean 'all'."""
    date_from: date | None = None
    date_to: date | None = None
    channels: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    # Waiting times and resolutions as they stood at this instant (None: as the data stands). A
    # previous period is measured at its own age: its slow cases closed since would otherwise make
    # the period in view, whose slow cases are still open, look faster than it is (reading 37).
    measured_at: datetime | None = None

    def parameters(self) -> dict:
        return {
            "date_from": self.date_from, "date_to": self.date_to,
            "channels": list(self.channels), "teams": list(self.teams),
            "partners": list(self.partners), "products": list(self.products),
            "measured_at": self.measured_at,
        }


NO_FILTERS = Filters()

# The sidebar's filters (the keys of its link) and the Filters field each one sets.
FILTER_FIELDS = {"channel": "channels", "team": "teams", "partner": "partners", "product": "products"}


def spelled_as_offered(wanted: list[str], offered: list[str]) -> tuple[list[str], list[str]]:
    """The wanted values as the data spells them, found whatever their case (a link's ?team=billing
    or `kpis --team billing` is the data's 'Billing', as the charter's scopes match; an exact match
    wins where the data has both), without repeats; and the wanted values the data does not have."""
    spelled: dict[str, str] = {}
    for value in offered:
        spelled.setdefault(value.casefold(), value)

    def match(value: str) -> str | None:
        return value if value in offered else spelled.get(value.casefold())
    found = list(dict.fromkeys(match(value) for value in wanted if match(value) is not None))
    return found, [value for value in wanted if match(value) is None]


@lru_cache(maxsize=None)
def sql_text(name: str) -> str:
    path = QUERY_DIR / f"{name}.sql"
    if not path.exists():
        raise KeyError(f"No query named {name!r} in queries/")
    return path.read_text(encoding="utf-8")


def bind(sql: str, parameters: dict) -> dict:
    """DuckDB refuses unused parameters, so pass only those the statement mentions."""
    return {key: value for key, value in parameters.items() if f"${key}" in sql}


def only_columns(sql: str, columns: tuple[str, ...] | None) -> str:
    """The query keeping only `columns` (None: all). DuckDB then does not compute the others at all
    (a median nobody reads is not computed), so a tile that shows two numbers of a wide summary
    costs a fraction of the whole query. Columns are names written in code, never user input."""
    if not columns:
        return sql
    for column in columns:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", column):
            raise ValueError(f"not a column name: {column!r}")
    return f"SELECT {', '.join(columns)} FROM (\n{sql.rstrip().removesuffix(';')}\n)"


def _executed(cursor, sql: str, filters: Filters, columns: tuple[str, ...] | None, parameters: dict):
    """The cursor, with `sql` (only `columns` of it) run on it and the filters and parameters bound."""
    sql = only_columns(sql, columns)
    return cursor.execute(sql, bind(sql, filters.parameters() | parameters))


def execute(cursor, sql: str, filters: Filters = NO_FILTERS, *, columns: tuple[str, ...] | None = None,
            **parameters) -> pd.DataFrame:
    """Run on this very cursor, so a caller inside a transaction sees its own uncommitted rows."""
    return _executed(cursor, sql, filters, columns, parameters).df()


def run_sql(con, sql: str, filters: Filters = NO_FILTERS, *, columns: tuple[str, ...] | None = None,
            **parameters) -> pd.DataFrame:
    with closing(con.cursor()) as cursor:   # a cursor of its own: DuckDB wants one per thread
        return execute(cursor, sql, filters, columns=columns, **parameters)


def run(con, name: str, filters: Filters = NO_FILTERS, *, columns: tuple[str, ...] | None = None,
        **parameters) -> pd.DataFrame:
    return run_sql(con, sql_text(name), filters, columns=columns, **parameters)


def run_rows(con, name: str, filters: Filters = NO_FILTERS, *, columns: tuple[str, ...] | None = None,
             **parameters) -> list[dict]:
    """A named query's rows as dictionaries of plain Python values (no pandas)."""
    with closing(con.cursor()) as cursor:
        result = _executed(cursor, sql_text(name), filters, columns, parameters)
        names = [column[0] for column in result.description]
        return [dict(zip(names, row)) for row in result.fetchall()]


def available() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))
