"""(e) of bench/run.py: the KPIs of `cli.py kpis --json` computed the way an analyst would with
pandas, straight from the contacts CSV: read it, keep each ticket's latest version, group.

    python bench/pandas_kpis.py contacts.csv [report.json]

It prints the seconds spent after its imports (read, parse, group, write the report) and writes the
same keys as spec section 6 for contacts: as_of, standards, standards_weekly, responsiveness_weekly,
complaints, data_quality (no prices in the file, so no pricing). Written to be quick (vectorised,
one boolean column per outcome, groupby sums) and simpler than the app in the analyst's favour:
deadlines in calendar time (working hours and bank holidays would be far more code), times taken
as written (no time zone, so durations across a clock change are an hour off) and no cleaning of
the text (the app trims and lower-cases on upload). bench/run.py checks that the figures both
compute the same way agree.
"""
import json
import sys
import time

import pandas as pd

started = time.perf_counter()
times = ["opened_at", "acknowledged_at", "first_response_at", "resolved_at", "follow_up_at", "updated_at"]
df = pd.read_csv(sys.argv[1], parse_dates=times)
df = df.sort_values("updated_at", kind="stable").drop_duplicates("ticket_id", keep="last")
as_of = df[times].max().max()
df["week"] = df["opened_at"].dt.to_period("W-SUN").dt.start_time
ack_stop = df[["acknowledged_at", "first_response_at"]].min(axis=1)
complaint = df["kind"] == "complaint"
resolved = df["resolved_at"].notna()

# The bundled charter's five standards (data/charter.toml), deadlines in calendar time.
hour, day = pd.Timedelta(hours=1), pd.Timedelta(days=1)
standards = [  # id, in scope, clock start, clock stop, deadline, week it counts in
    ("ack", pd.Series(True, index=df.index), df["opened_at"], ack_stop, df["opened_at"] + hour, df["week"]),
    ("reply_live", df["channel"].isin(["phone", "chat"]), df["opened_at"], df["first_response_at"], df["opened_at"] + day, df["week"]),
    ("reply_written", df["channel"].isin(["email", "letter", "web"]), df["opened_at"], df["first_response_at"], df["opened_at"] + 3 * day, df["week"]),
    ("complaint_8_weeks", complaint, df["opened_at"], df["resolved_at"], df["opened_at"] + 56 * day, df["week"]),
    ("complaint_follow_up", complaint & resolved, df["resolved_at"], df["follow_up_at"], df["resolved_at"] + 2 * day,
     df["resolved_at"].dt.to_period("W-SUN").dt.start_time),
]
summary, weekly = [], []
for sid, scope, start, stop, deadline, week in standards:
    stopped = stop.notna() & (stop <= as_of)
    invalid = stop < start
    met = ~invalid & stopped & (stop <= deadline)
    missed = ~invalid & ~met & (stopped | (as_of > deadline))
    flags = pd.DataFrame({"met": met, "missed": missed, "pending": ~invalid & ~met & ~missed, "invalid": invalid})[scope]
    counts = flags.groupby(week[scope]).sum()
    counts["compliance"] = counts["met"] / (counts["met"] + counts["missed"])
    weekly += [{"id": sid, "week": str(w.date()), **row} for w, row in counts.to_dict("index").items()]
    totals = counts[["met", "missed", "pending", "invalid"]].sum()
    summary.append({"id": sid, **totals.to_dict(), "out_of_scope": int(len(df) - scope.sum()),
                    "compliance": totals["met"] / (totals["met"] + totals["missed"])})

df["ack_h"] = ((ack_stop - df["opened_at"]).dt.total_seconds() / 3600).where(ack_stop >= df["opened_at"])
df["first_h"] = ((df["first_response_at"] - df["opened_at"]).dt.total_seconds() / 3600).where(df["first_response_at"] >= df["opened_at"])
df["resolve_h"] = ((df["resolved_at"] - df["opened_at"]).dt.total_seconds() / 3600).where(df["resolved_at"] >= df["opened_at"])
by_week = df.groupby("week")
responsiveness = pd.DataFrame({
    "contacts": by_week.size(), "acknowledged_share": ack_stop.notna().groupby(df["week"]).mean(),
    "ack_median_hours": by_week["ack_h"].median(), "ack_p90_hours": by_week["ack_h"].quantile(0.9),
    "first_response_median_hours": by_week["first_h"].median(), "first_response_p90_hours": by_week["first_h"].quantile(0.9),
})
complaints = df[complaint]
resolved_complaints = complaints[complaints["resolved_at"].notna()]
report = {
    "as_of": str(as_of),
    "standards": summary,
    "standards_weekly": weekly,
    "responsiveness_weekly": [{"week": str(w.date()), **row} for w, row in responsiveness.to_dict("index").items()],
    "complaints": {"count": len(complaints), "per_1000_contacts": 1000 * len(complaints) / len(df),
                   "resolution_median_hours": complaints["resolve_h"].median(),
                   "resolution_p90_hours": complaints["resolve_h"].quantile(0.9),
                   "reopen_rate": (resolved_complaints["reopened_count"] > 0).mean(),
                   "follow_up_rate": resolved_complaints["follow_up_at"].notna().mean(),
                   "csat_mean": complaints["csat"].mean()},
    "data_quality": {"contacts": len(df), "invalid_durations": int(((ack_stop < df["opened_at"]) | (df["first_response_at"] < df["opened_at"])
                                                                  | (df["resolved_at"] < df["opened_at"]) | (df["follow_up_at"] < df["resolved_at"])).sum())},
}
text = json.dumps(report, default=lambda value: value.item() if hasattr(value, "item") else str(value))
if len(sys.argv) > 2:
    with open(sys.argv[2], "w") as out:
        out.write(text)
print(time.perf_counter() - started)
