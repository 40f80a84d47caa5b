"""Charter compliance: are we keeping each promise, where do we break it, and which contacts?"""
import streamlit as st

from components import charts, context, drill, empty, formatting as fmt, links, scorecard
from components.filters import current_filters, previous_period
from components.labels import DIMENSIONS, unique_standard_labels
from components.layout import compliance_comparison_text, header, period_text, side_by_side
from components.tables import show_table
from components.tiles import PROVISIONAL_NOTE, Tile, judged_note, provisional, rag_status, show_tiles
from components import expectation_gap

# Contacts listed on screen per list: the latest quarter at 10 million contacts has some 100,000
# breaches; the screen shows the most late, the CSV download all of them.
LISTED = 1_000

filters = current_filters()
empty.require_contacts()
header("Charter compliance", "Are we keeping each promise, where do we break it, and which contacts?", filters)

charter, as_of = context.charter(), context.as_of()
if not charter.standards:
    empty.no_standards()
    st.stop()
ids = [s.id for s in charter.standards]
summary = context.query("standards_summary", filters, as_of=as_of, standard_ids=ids)
if not (summary[["met", "missed", "pending", "invalid"]].to_numpy().sum()):
    empty.no_rows("contacts in scope of the charter")

st.subheader("All promises at a glance")
promises = scorecard.table(summary, charter)
show_table(scorecard.on_screen(promises), "compliance-all", scorecard.FILE_NAME, style=scorecard.style, wrap=True,
           downloaded=lambda: promises, caption=scorecard.NOTE_ON_SCREEN)

st.divider()
# The URL carries the label shown (?standard=Complaint+resolutions), so labels must be unique; a
# link may name the promise by its id as well (?standard=complaint_follow_up, as the charter has it).
labels = unique_standard_labels(charter.standards)
links.note_unknown_choice("standard", "promise", labels.values(), labels[ids[0]], ids[0], aliases=labels)
chosen = st.columns(2)[0].selectbox("Promise to look into", ids, format_func=labels.get, key="standard",
                                    bind="query-params")
standard = charter.standard(chosen)
row = summary.set_index("standard_id").loc[chosen]
previous = previous_period(filters)
before = (context.query("standards_summary", previous, as_of=as_of, standard_ids=ids).set_index("standard_id").loc[chosen]
          if previous else None)
st.subheader(fmt.literal(standard.name))  # scope values in a name may come from uploads
st.caption(f"Promise: {standard.promise} ({standard.measure.replace('_', ' ')} clock) · target {fmt.target(standard.target)} · "
           "compliance = met / (met + missed); pending (clock still running, deadline not reached) and invalid "
           "(stop before start) contacts are shown beside it, never inside it. " + compliance_comparison_text(filters))
compliance = fmt.plain(row["compliance"])
unsettled = provisional(row["met"], row["missed"], row["pending"])
show_tiles([
    Tile("Compliance", compliance, "share", fmt.plain(before["compliance"]) if before is not None else None,
         rated=True, status=rag_status(compliance, standard.target), target=standard.target,
         note=f"Target {fmt.target(standard.target)}" + judged_note(row["met"], row["missed"])
              + (" · provisional" if unsettled else ""),
         help=f"{PROVISIONAL_NOTE.capitalize()}." if unsettled else None),
    Tile("Met the promise", row["met"], "count", before["met"] if before is not None else None, better=None),
    Tile("Missed (breaches)", row["missed"], "count", before["missed"] if before is not None else None, better="lower"),
    Tile("Pending", row["pending"], "count", better=None, note="not yet due: not counted",
         help="Clock still running and the deadline is after the data's as-of time."),
    Tile("Invalid", row["invalid"], "count", better=None, note="stop before start: excluded",
         help="The clock stops before it starts (e.g. a reply dated before the contact). Counted on the Data page."),
], per_row=5)

reset = drill.reset_counter()
weekly = context.query("standards_weekly", filters, as_of=as_of)
weekly = weekly[weekly["standard_id"] == chosen]
left, right = side_by_side("trend-and-breakdown")
with left:
    trend_state = charts.show(
        charts.compliance_trend(weekly, standard.target, "Compliance week by week",
                                # follow-ups run to the weeks their complaints were resolved, past the period's end
                                "% of in-scope contacts meeting the promise, by week of resolution · complaints opened "
                                f"{period_text(filters)}" if standard.measure == "follow_up" else
                                f"% of in-scope contacts meeting the promise, by week of arrival · {period_text(filters)}"),
        weekly, f"trend-{chosen}-{reset}", f"compliance-weekly-{chosen}", selectable=True)
with right:
    links.note_unknown_choice("by", "breakdown", DIMENSIONS.values(), DIMENSIONS["partner"], "partner")
    dimension = st.segmented_control("Break down by", list(DIMENSIONS), format_func=DIMENSIONS.get, default="partner",
                                     key="by", bind="query-params", required=True) or "partner"  # ?by= empty
    breakdown = context.query("standards_breakdown", filters, dimension=dimension, as_of=as_of, standard_id=chosen)
    bars_state = charts.show(
        charts.compliance_by_value(breakdown, standard.target, f"Compliance by {DIMENSIONS[dimension].lower()}",
                               f"% meeting the promise, worst first · {period_text(filters)}"),
        breakdown, f"breakdown-{chosen}-{dimension}-{reset}", f"compliance-by-{dimension}-{chosen}", selectable=True)

week, value = drill.through(trend_state, bars_state, (filters, chosen), dimension, weekly["week"], breakdown["value"])
st.subheader("The breaches behind the numbers")
st.caption("Contacts that missed the promise: the clock stopped after the deadline, or is still running past it. "
           "Click a week or a dot above, or pick them here, to list only their breaches. Times are charter local time; "
           "hours late are elapsed hours.")
drill.pickers(week, value, weekly["week"], breakdown.sort_values("compliance")["value"], dimension)   # worst first, as drawn
drill.show_selection(week, dimension, value)
narrowing = dict(standard_id=chosen, week=week, dimension=dimension, dimension_value=value, tz=charter.schedule.timezone,
                 as_of=as_of)


def contacts_with(outcome: str):
    """The first LISTED contacts with this outcome, and all of them on demand (for the download)."""
    return (context.query("standard_contacts", filters, outcomes=[outcome], row_limit=LISTED, **narrowing),
            context.rows_on_demand("standard_contacts", filters, outcomes=[outcome], row_limit=None, **narrowing))


breaches, all_breaches = contacts_with("missed")
st.markdown(f"**{fmt.plural(drill.matching(breaches), 'breach', 'breaches')}**")
if len(breaches):
    drill.show_contacts(breaches, all_breaches, ["hours_left"], f"breaches-{chosen}", height=380,
                        order="most hours late first")

pending, all_pending = contacts_with("pending")
with st.expander(f"Pending: {fmt.plural(drill.matching(pending), 'contact', 'contacts')} still within the deadline "
                 "(not counted in compliance)"):
    if len(pending):
        drill.show_contacts(pending, all_pending, ["hours_late", "clock_stopped"], f"pending-{chosen}", height=320,
                            order="least time left first")
    else:
        st.caption("None: every contact in view has either met or missed this promise.")

st.divider()
expectation_gap.section(filters, standard)
