"""Benchmark data: the demo generator (demo/generate.py) at any size, split into a history and a week.

The contacts come from demo.generate.contact_chunks (deterministic, vectorised, written a million
rows at a time), so the benchmark data has the same realistic shape as the demo: arrivals by hour
and weekday, bank holidays, complaints, partners, slow weeks, missing values. The history is every
contact except the last `weekly` ones by opening time; the weekly file is those last contacts (the
newest week, as a manager would export it) plus a re-export of `weekly_updates` recent history rows
with a later updated_at and a resolution, as a helpdesk export of "tickets changed this week" has.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from demo.generate import (CONTACT_COLUMNS, CUSTOMER_COLUMNS, PRICE_COLUMNS, Window, build_price_book,
                           contact_chunks, customers_table, draw_customers, price_history, write_csv)

SEED = 20261123
END_DATE = date(2026, 11, 20)
WEEKS = 104


@dataclass(frozen=True)
class BenchFiles:
    history: Path     # contacts.csv without the newest week
    weekly: Path      # the newest week's contacts (+ re-exported updates)
    customers: Path
    prices: Path


def _split(tables, keep: int):
    """Yield the first `keep` rows of a stream of Arrow tables; return the rest as one table."""
    rest, seen = [], 0
    for table in tables:
        if seen >= keep:
            rest.append(table)
        elif seen + table.num_rows <= keep:
            yield table
        else:
            yield table.slice(0, keep - seen)
            rest.append(table.slice(keep - seen))
        seen += table.num_rows
    return pa.concat_tables(rest) if rest else None


def _updates(tail: pa.Table, count: int) -> pa.Table:
    """`count` recent history rows re-exported: still-open ones now resolved, all with a later
    updated_at (so they replace their earlier version)."""
    rows = tail.slice(max(0, tail.num_rows - count))
    later = "2026-11-20 23:59:00"
    resolved = pc.if_else(pc.is_null(rows["resolved_at"]), pa.scalar(later), rows["resolved_at"].cast(pa.string()))
    rows = rows.set_column(rows.schema.get_field_index("resolved_at"), "resolved_at", resolved)
    updated = pa.array([later] * rows.num_rows, type=pa.string())
    return rows.set_column(rows.schema.get_field_index("updated_at"), "updated_at", updated)


def _as_text(table: pa.Table) -> pa.Table:
    return pa.table({name: table[name].cast(pa.string()) for name in table.column_names})


def write_bench_csvs(out_dir: str | Path, history: int, weekly: int = 100_000, weekly_updates: int = 10_000,
                     customers: int | None = None, seed: int = SEED) -> BenchFiles:
    """history + (weekly - weekly_updates) contacts are generated; `customers` defaults to one
    per ten contacts (a utility's contact rate), with a monthly price row each."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    new_in_week = weekly - weekly_updates
    total = history + new_in_week
    customers = customers if customers is not None else max(1_000, total // 10)
    window = Window.ending(END_DATE, WEEKS)
    rng = np.random.default_rng([seed, 1])
    customer_list = draw_customers(rng, customers, window)
    book = build_price_book(rng, window)
    prices = write_csv(out / "prices.csv", PRICE_COLUMNS, price_history(seed, customer_list, book, window))
    customers_path = write_csv(out / "customers.csv", CUSTOMER_COLUMNS, [customers_table(customer_list)])

    history_path = out / "history.csv"
    state: dict[str, pa.Table | None] = {"tail": None, "newest": None}

    def history_tables():
        splitter = _split(contact_chunks(seed, total, window, customer_list), history)
        while True:
            try:
                table = next(splitter)
            except StopIteration as done:
                state["newest"] = done.value
                return
            state["tail"] = table
            yield table

    write_csv(history_path, CONTACT_COLUMNS, history_tables())
    parts = []
    if weekly_updates and state["tail"] is not None:
        parts.append(_updates(_as_text(state["tail"]), weekly_updates))
    if state["newest"] is not None:
        parts.append(_as_text(state["newest"]))
    weekly_path = write_csv(out / "weekly.csv", CONTACT_COLUMNS, parts)
    return BenchFiles(history_path, weekly_path, customers_path, prices)
