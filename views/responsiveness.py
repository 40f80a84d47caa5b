"""Responsiveness: how quickly do we acknowledge and answer, and is work piling up?"""
import streamlit as st

from components import charts, context, empty, formatting as fmt, links
from components.filters import current_filters, previous_period
from components.headlines import responsiveness_headline
from components.labels import ACKNOWLEDGE_MEDIAN, ACKNOWLEDGE_P90, FIRST_REPLY_MEDIAN, FIRST_REPLY_P90
from components.layout import answer, header, period_text, side_by_side
from components.tiles import Tile, few_note, show_tiles

BASES = {"working": "Working hours", "calendar": "Calendar hours"}

filters = current_filters()
empty.require_contacts()
header("Responsiveness", "How quickly do we acknowledge and answer customers, and is work piling up?", filters)

# ?hours=calendar is what someone editing the address would type: the choice's name, not its label
links.note_unknown_choice("hours", "waiting-time basis", BASES.values(), BASES["working"], "working", aliases=BASES)
basis = st.segmented_control("Measure waiting time in", list(BASES), format_func=BASES.get, default="working",
                             key="hours", bind="query-params", required=True,
                             help="Working hours count only the charter's opening hours (what the promises use); "
                                  "calendar hours are the elapsed time the customer waited.") or "working"  # ?hours= empty
column, unit, kind = ("bh", "working h", "working_hours") if basis == "working" else ("hours", "h", "duration")
# Each time is noted in the other basis too: the Overview's FIRST_REPLY_MEDIAN is calendar time
# with its working twin under it, so whichever basis this page shows, the Overview's figure is on it.
other_column, other_words, other_format = (("hours", "calendar time", fmt.duration) if basis == "working"
                                           else ("bh", "working time", fmt.working_hours))
summary = context.query("responsiveness_summary", filters).iloc[0]
if not summary["contacts"]:
    empty.no_rows()
previous = previous_period(filters)
before = context.query("responsiveness_summary", previous).iloc[0] if previous else None
# the times' and the acknowledged share's base as the Overview's reply-time tiles say it: a median of 4
# contacts is no settled figure (reading 27)
few_received = few_note(summary["contacts"], "contact received", "contacts received")


def tile(label: str, measure: str, help_text: str, better="lower", tile_kind: str = kind) -> Tile:
    twin = measure.removesuffix(f"_{column}") + f"_{other_column}" if measure.endswith(f"_{column}") else None
    notes = ([f"{other_format(summary[twin])} in {other_words}"] if twin else []) \
        + ([few_received] if few_received and measure != "contacts" else [])
    return Tile(label, fmt.plain(summary[measure]), tile_kind,
                fmt.plain(before[measure]) if before is not None else None, better=better, help=help_text,
                note=" · ".join(notes) or None)


answer(responsiveness_headline(
    summary["contacts"], summary[f"first_response_median_{column}"], summary[f"first_response_p90_{column}"],
    before[f"first_response_median_{column}"] if before is not None else None,
    before[f"first_response_p90_{column}"] if before is not None else None, working=basis == "working"))
st.caption(f"Times are {BASES[basis].lower()} from arrival (under each, the same time in "
           f"{other_words}, as the Overview notes it); median = half of contacts waited less, p90 = the slowest "
           "10% waited longer. A reply also counts as an acknowledgement. Stops recorded before the start are left out; "
           "contacts not answered yet are not in the times, so the latest week looks faster until they are.")
show_tiles([
    tile("Contacts received", "contacts", "Contacts opened in the period.", better=None, tile_kind="count"),
    tile("Acknowledged", "acknowledged_share", "Share of contacts acknowledged (or answered) so far.", "higher", "share"),
    tile(ACKNOWLEDGE_MEDIAN, f"ack_median_{column}", "Half of the contacts were acknowledged within this time."),
    tile(ACKNOWLEDGE_P90, f"ack_p90_{column}", "Nine in ten contacts were acknowledged within this time."),
    tile(FIRST_REPLY_MEDIAN, f"first_response_median_{column}", "Half of the contacts had a full reply within this time."),
    tile(FIRST_REPLY_P90, f"first_response_p90_{column}", "Nine in ten contacts had a full reply within this time."),
], per_row=6)

weekly = context.query("responsiveness_weekly", filters)
backlog = context.query("backlog_weekly", filters, tz=context.charter().schedule.timezone, as_of=context.as_of())
left, right = side_by_side("volume-and-backlog")
with left:
    charts.show(charts.weekly_bars(weekly, "week", "contacts", "Contacts", "Contacts received each week",
                                   f"Contacts opened per week (Monday to Sunday, charter time) · {period_text(filters)}",
                                   "Contacts per week"),
                weekly[["week", "contacts", "acknowledged_share"]], "volume", "contacts-weekly")
with right:
    charts.show(charts.lines(backlog, "week", [("open_backlog", "Open at week end", charts.SECONDARY, "solid")],
                             "Open backlog at each week's end",
                             f"Contacts not yet resolved at Sunday midnight (as of now for the current week; at the period's end for a week it cuts), "
                             f"including older ones · {period_text(filters)}", "Open contacts", value_format=",.0f",
                             from_zero=True),
                backlog, "backlog", "open-backlog-weekly")
left, right = side_by_side("response-times")
for container, measure, title in ((left, "ack", "Time to acknowledge"), (right, "first_response", "Time to first full reply")):
    with container:
        series = [(f"{measure}_median_{column}", "Median", charts.PRIMARY, "solid"),
                  (f"{measure}_p90_{column}", "p90 (slowest 10%)", charts.LIGHT, "dash")]
        hours = weekly[["week"] + [s[0] for s in series]]
        # drawn in the unit the tiles print: waits all under an hour in minutes ('43 min', not 0.7 h),
        # calendar waits whose p90 tile reads in days in days ('4.2 days', not 100 h)
        if hours[series[1][0]].max() < 1:
            per_hour, axis, suffix = 60, BASES[basis].replace("hours", "minutes"), " min"
        elif basis == "calendar" and summary[f"{measure}_p90_hours"] >= fmt.DAYS_FROM_HOURS:
            per_hour, axis, suffix = 1 / 24, "Calendar days", " days"
        else:
            per_hour, axis, suffix = 1, BASES[basis], f" {unit}"
        drawn = hours.assign(**{name: hours[name] * per_hour for name, *_ in series})
        charts.show(charts.lines(drawn, "week", series, f"{title}, week by week",
                                 f"{axis} from arrival, median and p90, by week of arrival · {period_text(filters)}",
                                 axis, suffix=suffix, from_zero=True),
                    hours, f"{measure}-{basis}", f"{measure}-times-{basis}-weekly")

arrivals = context.query("arrivals_heatmap", filters)
charts.show(charts.hour_weekday_heatmap(arrivals, "per_week", "When customers contact us",
                                        f"Average contacts per week by weekday and hour of arrival (charter local time) · {period_text(filters)}",
                                        "contacts / week"),
            arrivals, "arrivals", "arrivals-by-hour-and-weekday")
