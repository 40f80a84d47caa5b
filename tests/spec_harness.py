"""Helpers for the black-box conformance tests (tests/test_spec_*.py).

The engine is exercised only through its public command line (spec section 7):
``python cli.py load ...`` and ``python cli.py kpis --json``. Every test gets its own
database and charter file inside pytest's ``tmp_path`` (env ``DASHBOARD_DB`` and
``DASHBOARD_CHARTER``).

Nothing here computes a KPI: the expected numbers are written by hand in the tests.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

# The repository root (where cli.py lives), found relative to this file.
REPO = Path(__file__).resolve().parent.parent

CONTACT_COLUMNS = [
    "ticket_id", "opened_at", "customer_id", "kind", "channel", "priority", "team", "agent",
    "partner", "category", "acknowledged_at", "first_response_at", "resolved_at",
    "follow_up_at", "reopened_count", "csat", "updated_at",
]
CUSTOMER_COLUMNS = ["customer_id", "joined_at", "left_at", "segment", "product", "region"]
PRICE_COLUMNS = ["customer_id", "period", "price_paid", "product", "new_customer_price", "channel"]
COLUMNS = {"contacts": CONTACT_COLUMNS, "customers": CUSTOMER_COLUMNS, "prices": PRICE_COLUMNS}

BANDS = ["<1y", "1-2y", "2-3y", "3-5y", "5y+"]


def approx(value):
    """Float comparison. abs=1e-4 tolerates an engine that rounds its output to 4 decimals
    (the churn example in the brief does), while every discrepancy the tests look for is far
    larger than that."""
    return pytest.approx(value, abs=1e-4)


# ----------------------------------------------------------------------------- files

def write_csv(path: Path, rows: list[dict], columns: list[str]) -> Path:
    """Write rows (dicts; missing keys and None are blank) with the csv module, UTF-8."""
    unknown = {k for row in rows for k in row} - set(columns)
    assert not unknown, f"fixture uses unknown columns {unknown}"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: ("" if row.get(c) is None else row.get(c)) for c in columns})
    return path


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def std(measure: str, within, unit: str, *, id: str = "s", target: float = 0.9,
        scope: dict | None = None) -> dict:
    """One [[standard]] table of the charter (spec section 3)."""
    out = {"id": id, "name": f"test standard {id}", "measure": measure, "within": within,
           "unit": unit, "target": target}
    if scope is not None:
        out["scope"] = scope
    return out


def charter_toml(standards: list[dict], *, timezone: str = "Europe/London",
                 working_days=("Mon", "Tue", "Wed", "Thu", "Fri"), opens: str = "09:00",
                 closes: str = "17:30", holidays: str = "GB", holiday_subdivision: str = "ENG",
                 closed_dates=()) -> str:
    lines = [
        "[schedule]",
        f"timezone = {_toml_value(timezone)}",
        f"working_days = {_toml_value(list(working_days))}",
        f"opens = {_toml_value(opens)}",
        f"closes = {_toml_value(closes)}",
        f"holidays = {_toml_value(holidays)}",
    ]
    if holiday_subdivision:
        lines.append(f"holiday_subdivision = {_toml_value(holiday_subdivision)}")
    lines.append(f"closed_dates = {_toml_value(list(closed_dates))}")
    for s in standards:
        lines += ["", "[[standard]]"]
        lines += [f"{k} = {_toml_value(v)}" for k, v in s.items()]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- the CLI

class Desk:
    """One isolated Charter Desk: its own database and charter in tmp_path."""

    def __init__(self, tmp_path: Path):
        self.tmp = Path(tmp_path)
        self.db = self.tmp / "db.duckdb"
        self.charter_path = self.tmp / "charter.toml"
        self.env = dict(os.environ, DASHBOARD_DB=str(self.db),
                        DASHBOARD_CHARTER=str(self.charter_path))
        self._files = 0
        # A default charter so that a load never runs without one; tests overwrite it.
        self.charter([std("resolution", 1, "days", id="default")])

    def charter(self, standards: list[dict], **schedule) -> str:
        text = charter_toml(standards, **schedule)
        self.charter_path.write_text(text, encoding="utf-8")
        return text

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "cli.py", *args], cwd=REPO, env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    def write(self, table: str, rows: list[dict]) -> Path:
        self._files += 1
        return write_csv(self.tmp / f"{table}_{self._files}.csv", rows, COLUMNS[table])

    def load(self, table: str, rows: list[dict], *extra: str, expect_rc: int = 0):
        path = self.write(table, rows)
        args = ["load", table, str(path)]
        if table == "contacts" and "--preset" not in extra:
            args += ["--preset", "canonical"]
        proc = self.run(*args, *extra)
        detail = (f"`cli.py {' '.join(args[:2])} ... {' '.join(extra)}` exited {proc.returncode}"
                  f"\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        assert proc.returncode == expect_rc, detail
        if expect_rc == 0:
            # The fixtures have no bad rows; if the summary reports rejected rows, say so now
            # rather than through a confusing KPI mismatch later.
            text = proc.stdout + proc.stderr
            for pattern in (r"(\d+)\s+(?:rows?\s+)?rejected", r"rejected\D{0,12}?(\d+)"):
                m = re.search(pattern, text, re.IGNORECASE)
                if m:
                    assert int(m.group(1)) == 0, "fixture rows were rejected:\n" + detail
                    break
        return proc

    def kpis(self, date_from: str | None = None, date_to: str | None = None) -> dict:
        args = ["kpis", "--json"]
        if date_from:
            args += ["--from", date_from]
        if date_to:
            args += ["--to", date_to]
        proc = self.run(*args)
        assert proc.returncode == 0, (f"`cli.py {' '.join(args)}` exited {proc.returncode}"
                                      f"\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        try:
            return json.loads(proc.stdout)
        except json.JSONDecodeError as exc:  # pragma: no cover - diagnostic only
            raise AssertionError(f"kpis --json did not print JSON ({exc}):\n{proc.stdout}")


# ----------------------------------------------------------------------------- reading the JSON

def standard(kp: dict, sid: str = "s") -> dict:
    rows = [s for s in kp["standards"] if s["id"] == sid]
    assert len(rows) == 1, f"standard {sid!r} listed {len(rows)} times: {kp['standards']}"
    return rows[0]


def counts(row: dict, keys=("met", "missed", "pending", "invalid", "out_of_scope")) -> dict:
    """The outcome counts of a standards row, for one readable assertion."""
    return {k: row[k] for k in keys}


def weekly(kp: dict, sid: str = "s") -> dict:
    """standards_weekly rows of one standard, keyed by week label."""
    out = {}
    for row in kp["standards_weekly"]:
        if row["id"] == sid:
            assert row["week"] not in out, f"week {row['week']} listed twice for {sid}"
            out[row["week"]] = row
    return out


def week(kp: dict, sid: str, week_label: str) -> dict:
    rows = weekly(kp, sid)
    assert week_label in rows, f"no standards_weekly row for {sid} {week_label}: {sorted(rows)}"
    return rows[week_label]


def responsiveness(kp: dict) -> dict:
    """responsiveness_weekly rows keyed by week label."""
    out = {}
    for row in kp["responsiveness_weekly"]:
        assert row["week"] not in out, f"week {row['week']} listed twice"
        out[row["week"]] = row
    return out


def band(kp: dict, name: str) -> dict:
    rows = [b for b in kp["pricing_by_tenure"] if b["band"] == name]
    assert len(rows) == 1, f"band {name!r} listed {len(rows)} times: {kp['pricing_by_tenure']}"
    return rows[0]


def churn_months(kp: dict) -> dict:
    return {row["month"]: row for row in kp["churn_monthly"]}


def parse_instant(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert value.tzinfo is not None, f"as_of {text!r} has no offset (spec: printed in UTC)"
    return value


def utc(y, mo, d, h=0, mi=0, s=0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=timezone.utc)


def assert_as_of(kp: dict, expected: datetime):
    text = kp["as_of"]
    value = parse_instant(text)
    assert value.utcoffset().total_seconds() == 0, f"as_of {text!r} is not printed in UTC"
    assert value == expected, f"as_of {text!r}, expected {expected.isoformat()}"
