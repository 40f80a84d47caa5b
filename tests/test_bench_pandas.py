"""The pandas side of benchmark figure (e) computes the KPIs the app computes (bench/pandas_kpis.py).

Figure (e) compares the app with "the same KPIs computed the way an analyst would with pandas".
This runs that script and `cli.py kpis --json` on one small file, under the bundled charter, and
checks the figures both compute the same way (bench/compare.py `disagreements`) against each other
and against values worked out by hand.
"""
from __future__ import annotations

import json
import subprocess
import sys

from spec_harness import REPO, Desk

from bench.compare import disagreements

ROWS = [
    # T1: a phone enquiry exported twice; the later version (updated 6 Jan) replaces the first.
    {"ticket_id": "T1", "opened_at": "2026-01-05 09:00:00", "kind": "enquiry", "channel": "phone",
     "acknowledged_at": "2026-01-05 09:10:00", "first_response_at": "2026-01-05 09:30:00",
     "updated_at": "2026-01-05 09:30:00"},
    {"ticket_id": "T1", "opened_at": "2026-01-05 09:00:00", "kind": "enquiry", "channel": "phone",
     "acknowledged_at": "2026-01-05 09:10:00", "first_response_at": "2026-01-05 11:00:00",
     "resolved_at": "2026-01-06 10:00:00", "updated_at": "2026-01-06 10:00:00"},
    # T2: an emailed complaint, resolved, followed up, reopened once, rated 4.
    {"ticket_id": "T2", "opened_at": "2026-01-05 10:00:00", "kind": "complaint", "channel": "email",
     "acknowledged_at": "2026-01-05 10:30:00", "first_response_at": "2026-01-06 10:00:00",
     "resolved_at": "2026-01-07 10:00:00", "follow_up_at": "2026-01-08 10:00:00",
     "reopened_count": 1, "csat": 4, "updated_at": "2026-01-08 10:00:00"},
    # T3: a web complaint still open, acknowledged before it was opened (an invalid duration).
    {"ticket_id": "T3", "opened_at": "2026-01-06 12:00:00", "kind": "complaint", "channel": "web",
     "acknowledged_at": "2026-01-06 11:00:00", "updated_at": "2026-01-06 12:00:00"},
    # T4: a chat the next week, never acknowledged.
    {"ticket_id": "T4", "opened_at": "2026-01-13 09:00:00", "kind": "enquiry", "channel": "chat",
     "updated_at": "2026-01-13 09:00:00"},
]


def test_the_pandas_script_computes_the_apps_kpis(tmp_path):
    desk = Desk(tmp_path)
    desk.charter_path.write_text((REPO / "data" / "charter.toml").read_text(encoding="utf-8"), encoding="utf-8")
    path = desk.write("contacts", ROWS)
    desk.load("contacts", ROWS)
    app = desk.kpis()
    report = tmp_path / "pandas.json"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "pandas_kpis.py"), str(path), str(report)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert float(done.stdout.strip()) > 0   # the seconds it reports for its work
    ours = json.loads(report.read_text())

    # Worked by hand: 4 contacts (T1 once); complaints T2 and T3, of which T2 is resolved,
    # reopened and followed up; one invalid duration (T3's acknowledgement).
    assert ours["data_quality"] == {"contacts": 4, "invalid_durations": 1}
    assert {key: ours["complaints"][key] for key in ("count", "per_1000_contacts", "reopen_rate", "follow_up_rate", "csat_mean")} \
        == {"count": 2, "per_1000_contacts": 500.0, "reopen_rate": 1.0, "follow_up_rate": 1.0, "csat_mean": 4.0}
    # Out of scope: live replies are phone/chat (T2, T3 out), written replies email/letter/web
    # (T1, T4 out), complaints T2 and T3 (T1, T4 out), follow-up only resolved complaints (T2).
    assert {s["id"]: s["out_of_scope"] for s in ours["standards"]} == {
        "ack": 0, "reply_live": 2, "reply_written": 2, "complaint_8_weeks": 2, "complaint_follow_up": 3}
    assert {s["id"]: s["invalid"] for s in ours["standards"]}["ack"] == 1
    # Weeks of 5 and 12 January: 3 contacts (all acknowledged) and 1 (not).
    assert [(w["week"], w["contacts"], w["acknowledged_share"]) for w in ours["responsiveness_weekly"]] == [
        ("2026-01-05", 3, 1.0), ("2026-01-12", 1, 0.0)]
    # First responses that week: T1's latest version 2 h after opening (its first said 0.5 h),
    # T2's 24 h; T3 has none.
    assert ours["responsiveness_weekly"][0]["first_response_median_hours"] == (2 + 24) / 2

    compared, differ = disagreements(ours, app)
    assert (compared, differ) == (5 * 2 + 2 * 2 + 5 + 2, [])
    ours["complaints"]["count"] = 3
    assert disagreements(ours, app)[1] == ["complaints.count"]
