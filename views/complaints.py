"""Complaints: how many, how fast we resolve them, how customers feel, and what they are about."""
import streamlit as st

from components import charts, context, empty, formatting as fmt
from components.filters import current_filters, previous_period
from components.headlines import complaints_headline
from components.labels import COMPLAINT_RESOLUTION_MEDIAN, COMPLAINT_RESOLUTION_P90
from components.layout import answer, compliance_comparison_text, header, period_text, side_by_side
from components.tables import show_table, whole_rows_height
from components.tiles import Tile, few_note, show_tiles, standard_tile

filters = current_filters()
empty.require_contacts()
header("Complaints", "How many complaints do we get, how fast do we put them right, and what are they about?", filters)

summary = context.query("complaints_summary", filters).iloc[0]
if not summary["count"]:
    empty.no_rows("complaints")
previous = previous_period(filters)
before = context.query("complaints_summary", previous).iloc[0] if previous else None


def tile(label: str, measure: str, kind: str, better: str | None, help_text: str, note: str | None = None) -> Tile:
    return Tile(label, fmt.plain(summary[measure]), kind, fmt.plain(before[measure]) if before is not None else None,
                better=better, help=help_text, note=note)


answer(complaints_headline(summary["count"], summary["per_1000_contacts"], summary["resolution_median_hours"],
                           summary["reopen_rate"], summary["csat_mean"],
                           before["per_1000_contacts"] if before is not None else None,
                           timed=summary["resolution_times"], resolved=summary["resolved"], rated=summary["rated"]))
# A figure over a handful of complaints is said to be so, as a compliance is (reading 27): one complaint's
# 25 hours is no median to compare weeks by, nor one rating of 1 a satisfaction level.
timed = few_note(summary["resolution_times"], "resolved complaint", "resolved complaints")
resolved = few_note(summary["resolved"], "resolved complaint", "resolved complaints")
rated = few_note(summary["rated"], "rating", "ratings")
st.caption("A complaint is a contact of kind 'complaint'. Resolution time is calendar time from opened to resolved. "
           "Reopen and follow-up rates are over resolved complaints; CSAT over every rated complaint (1-5).")
show_tiles([
    tile("Complaints", "count", "count", "lower", "Complaints opened in the period.",
         # of the period's complaints only: the ageing chart counts every open one, older ones too (reading 13)
         note=f"{fmt.count(summary['open'])} of this period's complaints still open"),
    tile("Per 1,000 contacts", "per_1000_contacts", "rate", "lower", "1,000 x complaints / all contacts opened."),
    tile(COMPLAINT_RESOLUTION_MEDIAN, "resolution_median_hours", "duration", "lower",
         "Half of the resolved complaints were resolved within this time.", note=timed),
    tile(COMPLAINT_RESOLUTION_P90, "resolution_p90_hours", "duration", "lower",
         "Nine in ten resolved complaints were resolved within this time.", note=timed),
    tile("Reopened", "reopen_rate", "share", "lower", "Resolved complaints reopened at least once / resolved complaints.",
         note=resolved),
    # "at all": the charter's follow-up promise (on the Overview) counts only follow-ups in time
    tile("Followed up at all", "follow_up_rate", "share", "higher",
         "Resolved complaints with a follow-up contact at any time / resolved complaints. The charter's follow-up "
         "promise (Overview, Charter compliance) counts only follow-ups within its deadline.", note=resolved),
    tile("CSAT (mean, 1-5)", "csat_mean", "score", "higher", "Average satisfaction score of rated complaints.",
         note=rated),
    tile("Satisfied (CSAT 4-5)", "csat_share_4_5", "share", "higher", "Share of rated complaints scoring 4 or 5.",
         note=rated),
], per_row=4)

# Spec section 5: the share of complaints resolved within each resolution promise, whatever else
# the promise covers (for one kept to complaints, its compliance on the Overview).
resolution = [s for s in context.charter().standards if s.measure == "resolution"]
if resolution:
    ids, as_of = [s.id for s in resolution], context.as_of()
    within = context.query("complaints_within_standards", filters, as_of=as_of, standard_ids=ids).set_index("standard_id")
    earlier = (context.query("complaints_within_standards", previous, as_of=as_of, standard_ids=ids).set_index("standard_id")
               if previous else None)
    st.caption("Resolved within the charter's promise, complaints only (met / (met + missed)). "
               + compliance_comparison_text(filters))
    show_tiles([standard_tile(s, within.loc[s.id], earlier.loc[s.id, "compliance"] if earlier is not None else None)
                for s in resolution], per_row=4)
else:
    st.caption("The charter has no resolution promise, so no share of complaints resolved within one is shown; "
               "add one on the Charter page.")

weekly = context.query("complaints_weekly", filters)
days = context.query("complaint_resolution_days", filters)
left, right = side_by_side("volume-and-resolution")
with left:
    charts.show(charts.volume_with_line(
        weekly, "week", "complaints", "Complaints", "per_1000_contacts", "Per 1,000 contacts",
        "Complaint volume and rate", f"Complaints per week (bars) and per 1,000 contacts (line) · {period_text(filters)}",
        "Complaints per week", "Per 1,000 contacts"),
        weekly, "complaints-weekly", "complaints-weekly")
with right:
    marks = [(v / 24, f"{label} {fmt.duration(v)}") for v, label in
             ((summary["resolution_median_hours"], "median"), (summary["resolution_p90_hours"], "p90")) if not fmt.is_empty(v)]
    charts.show(charts.distribution(days, "days", "complaints", "How long complaints take to resolve",
                                    f"Resolved complaints by whole days from opened to resolved (60 = 60 days or more) · {period_text(filters)}",
                                    "Days to resolve", "Complaints", marks=marks, last_label="60+"),
                days, "resolution-days", "complaint-resolution-days")

ageing = context.query("complaints_ageing", filters, as_of=context.as_of())
left, right = side_by_side("ageing")
with left:
    charts.show(charts.bars(ageing, "band", "open_complaints", "Open complaints by age",
                            f"Complaints still open at {fmt.moment(context.as_of())}, by days since opened "
                            f"(any complaint opened up to {fmt.day(filters.date_to)}, before the period too)",
                            "Open complaints", horizontal=False, value_format=",.0f",
                            text=[fmt.count(v) for v in ageing["open_complaints"]],
                            colours=[charts.NEUTRAL, charts.NEUTRAL, charts.LIGHT, charts.PRIMARY, charts.RAG_COLOURS["red"]]),
                ageing, "ageing", "open-complaints-by-age")
with right:
    in_days = weekly.assign(resolution_median_days=weekly["resolution_median_hours"] / 24,
                            resolution_p90_days=weekly["resolution_p90_hours"] / 24)
    charts.show(charts.lines(in_days, "week", [("resolution_median_days", "Median", charts.PRIMARY, "solid"),
                                               ("resolution_p90_days", "p90 (slowest 10%)", charts.LIGHT, "dash")],
                             "Resolution time, week by week",
                             f"Days from opened to resolved, complaints by week opened (recent weeks: only those "
                             f"resolved so far) · {period_text(filters)}", "Days", suffix=" days", from_zero=True),
                in_days[["week", "resolution_median_days", "resolution_p90_days"]], "resolution-weekly",
                "complaint-resolution-weekly")

st.subheader("What complaints are about, and who handled them")
categories = context.query("complaints_by", filters, dimension="category")
partners = context.query("complaints_by", filters, dimension="partner")
left, right = side_by_side("causes")
with left:
    top = categories.head(10)
    charts.show(charts.bars(top, "value", "complaints", "Top complaint categories",
                            f"Complaints by category, most first (top 10 of {len(categories)}) · {period_text(filters)}",
                            "Complaints", value_format=",.0f",
                            text=[f"{fmt.count(n)} ({fmt.pct(s, 0)})" for n, s in zip(top["complaints"], top["share_of_complaints"])]),
                categories, "categories", "complaints-by-category")
with right:
    charts.show(charts.bars(partners, "value", "per_1000_contacts", "Complaint rate by partner",
                            f"Complaints per 1,000 contacts each partner (or in-house) handled; number of complaints "
                            f"in brackets · {period_text(filters)}",
                            "Per 1,000 contacts", colours=charts.SECONDARY,
                            text=[f"{fmt.number(r)}  ({fmt.count(n)})" for r, n in zip(partners["per_1000_contacts"], partners["complaints"])]),
                partners, "partners", "complaints-by-partner")

# A category names the complaint itself, so "per 1,000 contacts of the category" says nothing here.
show_table(categories.drop(columns="per_1000_contacts").rename(columns={"value": "category"}), "categories-table",
           "complaint-categories", height=whole_rows_height(len(categories)),
           formats={"complaints": fmt.count, "share_of_complaints": fmt.pct, "resolution_median_hours": fmt.duration,
                    "reopen_rate": fmt.pct, "csat_mean": lambda v: fmt.number(v, 2), "open": fmt.count},
           column_config={"category": "Category", "complaints": "Complaints", "share_of_complaints": "Share of complaints",
                          "resolution_median_hours": "Median resolution", "reopen_rate": "Reopened",
                          "csat_mean": "CSAT (mean)", "open": "Still open"})
