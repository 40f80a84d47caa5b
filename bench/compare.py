"""Figure (e): do the pandas script and the app compute the same KPIs? (No side effects on import:
the tests use it too.)"""
from __future__ import annotations


def disagreements(pandas_report: dict, app_report: dict) -> tuple[int, list[str]]:
    """The figures the pandas script computes the same way as the app (counts, shares, complaint
    rates: nothing that depends on working time or on time zones) compared: (how many were
    compared, the ones that differ). Shows that both sides of (e) compute the same KPIs."""
    pairs = []
    for ours, theirs in zip(app_report["standards"], pandas_report["standards"]):
        pairs += [(f"{ours['id']}.{key}", ours[key], theirs[key]) for key in ("invalid", "out_of_scope")]
    weeks = {row["week"]: row for row in pandas_report["responsiveness_weekly"]}
    for row in app_report["responsiveness_weekly"]:
        theirs = weeks.get(row["week"], {})
        pairs += [(f"responsiveness {row['week']}.{key}", row[key], theirs.get(key))
                  for key in ("contacts", "acknowledged_share")]
    pairs += [(f"complaints.{key}", app_report["complaints"][key], pandas_report["complaints"][key])
              for key in ("count", "per_1000_contacts", "reopen_rate", "follow_up_rate", "csat_mean")]
    pairs += [(f"data_quality.{key}", value, pandas_report["data_quality"][key])
              for key, value in app_report["data_quality"].items()]
    differ = [name for name, ours, theirs in pairs
              if theirs is None or (ours != theirs and abs(ours - theirs) > 1e-9 * max(1, abs(ours)))]
    return len(pairs), differ
