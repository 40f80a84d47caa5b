"""The Overview's content, gathered once from the named queries and drawn twice: on the Overview
page and in the meeting pack. Both therefore show exactly the same numbers, words and charts."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go

from charter.model import Charter
from components import charts, context, formatting as fmt, scorecard
from components.churn import (
    ChurnMonths, churn_period_text, churn_tile, counted_months_text, no_whole_month_text, whole_months,
)
from components.filters import describe, previous_period
from components.headlines import (
    StandardResult, Weakest, charter_headline, churn_headline, complaints_headline, pricing_headline,
    responsiveness_headline,
)
from components.labels import (
    COMPLAINT_RESOLUTION_MEDIAN, COMPLAINT_RESOLUTION_P90, FIRST_REPLY_MEDIAN, FIRST_REPLY_P90, LONG_TENURE_SHARE,
    promise_phrase, standard_label,
)
from components.layout import comparison_text, compliance_comparison_text, period_text
from components.tiles import FEW_JUDGED, Tile, few_note, provisional, rag_status, rag_text, standard_tile
from queries import Filters
from queries.pooled import (
    LONG_TENURE_YEARS, LOYALTY_COLUMNS, loyalty_penalty, priced_bands, share_above_new_price,
)


# The columns the Overview shows of wider queries: DuckDB then skips the medians it does not show
# (queries.only_columns), about half of the page's query time at 10 million contacts.
FIRST_REPLY = ("contacts", "first_response_median_hours", "first_response_p90_hours",
               "first_response_median_bh", "first_response_p90_bh")      # the previous period: the first three
WEEKLY_REPLY = ("week", "contacts", "first_response_median_hours", "first_response_p90_hours")
COMPLAINTS_BEFORE = ("per_1000_contacts", "resolution_median_hours")    # what the changes are worked out from


@dataclass
class Figure:
    key: str
    figure: go.Figure
    data: pd.DataFrame


@dataclass
class OverviewContent:
    period: str
    file_period: str      # the period in the pack's file name, as every download names it
    comparison: str
    compliance_comparison: str     # what the promises' changes are against, said under their tiles
    as_of: str
    filters: str
    contacts: int
    standard_tiles: list[Tile]      # the scorecard as tiles; scorecard_table as a table
    scorecard_table: pd.DataFrame
    tiles: list[Tile]
    headlines: list[tuple[str, str]]
    figures: list[Figure] = field(default_factory=list)


def _row(frame: pd.DataFrame) -> dict:
    return {k: fmt.plain(v) for k, v in frame.iloc[0].items()} if len(frame) else {}


def _standards(filters: Filters, previous: Filters | None, charter: Charter):
    as_of, ids = context.as_of(), [s.id for s in charter.standards]
    now = context.query("standards_summary", filters, as_of=as_of, standard_ids=ids).set_index("standard_id")
    before = (context.query("standards_summary", previous, as_of=as_of, standard_ids=ids).set_index("standard_id")
              if previous else None)
    tiles, results = [], []
    for standard in charter.standards:
        row = now.loc[standard.id]
        tiles.append(standard_tile(standard, row, before.loc[standard.id, "compliance"] if before is not None else None))
        results.append(StandardResult(standard_label(standard), promise_phrase(standard), standard.target,
                                      fmt.plain(row["compliance"]), int(row["met"] + row["missed"])))
    return tiles, results, scorecard.table(now.reset_index(), charter)


def _weakest(filters: Filters, charter: Charter, results: list[StandardResult]) -> Weakest | None:
    """The weakest partner (else team) on the standard furthest below its target."""
    judged = [(r, s) for r, s in zip(results, charter.standards) if r.compliance is not None]
    if not judged:
        return None
    result, standard = max(judged, key=lambda pair: pair[0].target - pair[0].compliance)
    for dimension in ("partner", "team"):
        frame = context.query("standards_breakdown", filters, dimension=dimension, as_of=context.as_of(),
                              standard_id=standard.id)
        # a partner on a handful of contacts is chance, not "the slowest partner": the same line as the
        # Compliance page's breakdown, which draws such a dot pale ("only 23"), so the headline never
        # blames a team whose dot that page says not to compare (reading 27)
        frame = frame[frame["met"] + frame["missed"] >= FEW_JUDGED]
        if dimension == "partner":
            frame = frame[frame["value"] != "In-house"]
        frame = frame.dropna(subset=["compliance"])
        if len(frame):
            worst = frame.sort_values("compliance").iloc[0]
            return Weakest(dimension, worst["value"], float(worst["compliance"]))
    return None


def _compliance_grid(filters: Filters, charter: Charter) -> Figure:
    weekly = context.query("standards_weekly", filters, as_of=context.as_of())
    targets = {s.id: s.target for s in charter.standards}
    labels = {s.id: standard_label(s) for s in charter.standards}
    weekly = weekly[weekly["standard_id"].isin(labels)].copy()
    if filters.date_to:
        # A follow-up counts in the week of its resolution, which can fall months after the period: the
        # grid keeps to the weeks it is captioned with (the scorecard above counts every follow-up).
        weekly = weekly[pd.to_datetime(weekly["week"]) <= pd.Timestamp(filters.date_to)]
    weekly["label"] = weekly["standard_id"].map(labels)
    weekly["status"] = [rag_status(c, targets[s]) for c, s in zip(weekly["compliance"], weekly["standard_id"])]
    weekly["text"] = [rag_text(c, targets[s], 0) for c, s in zip(weekly["compliance"], weekly["standard_id"])]
    weekly["provisional"] = [provisional(*counts) for counts in zip(weekly["met"], weekly["missed"], weekly["pending"])]
    order = {label: n for n, label in enumerate(labels.values())}
    weekly = weekly.sort_values(["label", "week"], key=lambda c: c.map(order) if c.name == "label" else c)
    figure = charts.rag_grid(weekly, "Charter promises kept, week by week",
                             "% of contacts meeting each promise · green at/above target, amber within 5 points, red (✕) below"
                             + f" · weeks of {period_text(filters)}"
                             + (" · follow-ups by week of resolution" if any(s.measure == "follow_up" for s in charter.standards) else ""))
    data = weekly[["standard_id", "label", "week", "met", "missed", "pending", "compliance", "status", "provisional"]]
    return Figure("compliance-grid", figure, data)


def _volume_and_reply(filters: Filters) -> Figure:
    weekly = context.query("responsiveness_weekly", filters, columns=WEEKLY_REPLY)
    figure = charts.volume_with_line(
        weekly, "week", "contacts", "Contacts received", "first_response_median_hours", FIRST_REPLY_MEDIAN,
        "Contacts received and how fast we replied",
        # as the Responsiveness page says: the part-week's line dips only because its slow replies are still to come
        f"Contacts per week (bars) and median hours to first full reply (line; replies still due are not in it, "
        f"so the latest week reads fast) · {period_text(filters)}",
        "Contacts per week", "Median hours to first reply", line_suffix=" h")
    return Figure("volume-reply", figure, weekly)


def _complaint_rate(filters: Filters) -> Figure:
    weekly = context.query("complaints_weekly", filters)
    figure = charts.volume_with_line(
        weekly, "week", "complaints", "Complaints", "per_1000_contacts", "Complaints per 1,000 contacts",
        "Complaints and the complaint rate", f"Complaints per week (bars) and per 1,000 contacts (line) · {period_text(filters)}",
        "Complaints per week", "Per 1,000 contacts")
    return Figure("complaint-rate", figure, weekly[["week", "contacts", "complaints", "per_1000_contacts"]])


# Bills and churn belong to customers, not contacts: a partner or team filter cannot narrow them.
CUSTOMER_TILES = (LONG_TENURE_SHARE, "Monthly churn")
CUSTOMERS_NOT_FILTERED = ("Prices and churn cover every customer: the channel, team and partner filters apply "
                          "to contacts only.")


def _contact_filters_on(filters: Filters) -> bool:
    return bool(filters.channels or filters.teams or filters.partners)


def _every_customer(filters: Filters) -> str:
    return " · every customer, whatever the channel, team or partner filter" if _contact_filters_on(filters) else ""


def _price_gap(pricing: pd.DataFrame, filters: Filters) -> Figure:
    shown = pricing.dropna(subset=["median_gap"])
    figure = charts.spread(shown, "band", "median_gap", "gap_p25", "gap_p75", "What loyal customers pay over the new-customer price",
                           f"Median price gap by tenure, with the middle half of customers (p25-p75) · price periods in {period_text(filters)}"
                           + _every_customer(filters),
                           "Price paid vs new-customer price")
    return Figure("price-gap", figure, pricing[["band", "rows", "customers", "median_gap", "gap_p25", "gap_p75", "share_above", "penalty"]])


def _churn_by_gap(by_gap: pd.DataFrame, filters: Filters, months: ChurnMonths) -> Figure:
    figure = charts.bars(by_gap, "band", "annualised_churn", "Do customers who pay more leave more?",
                         f"Annualised churn by how far the customer's price is above the new-customer price · {churn_period_text(filters, months)}"
                         + _every_customer(filters),
                         "Annualised churn", horizontal=False, percent_axis=True, value_format=".1%",
                         colours=charts.SECONDARY, text=[fmt.pct(v) for v in by_gap["annualised_churn"]])
    return Figure("churn-by-gap", figure, by_gap)


def gather(filters: Filters) -> OverviewContent:
    charter = context.charter()
    previous = previous_period(filters)
    as_of = context.as_of()
    churn_until = dict(as_of=as_of, tz=charter.schedule.timezone)   # churn runs to the local month of as_of
    price_filters = Filters(filters.date_from, filters.date_to, products=filters.products)
    previous_price_filters = Filters(previous.date_from, previous.date_to, products=filters.products) if previous else None

    standard_tiles, results, scorecard_table = _standards(filters, previous, charter)
    reply = _row(context.query("responsiveness_summary", filters, columns=FIRST_REPLY))
    reply_before = _row(context.query("responsiveness_summary", previous, columns=FIRST_REPLY[:3])) if previous else {}
    complaints = _row(context.query("complaints_summary", filters))
    complaints_before = _row(context.query("complaints_summary", previous, columns=COMPLAINTS_BEFORE)) if previous else {}
    walk = context.query("price_walk", price_filters, columns=LOYALTY_COLUMNS)
    walk_before = context.query("price_walk", previous_price_filters, columns=LOYALTY_COLUMNS) if previous else None
    pricing = context.query("pricing_by_tenure", price_filters)
    # the months churn counts, worked out once: the tile, the sentence and the chart name the same ones
    churn_counted = whole_months(price_filters, churn_until)
    monthly_churn, churn, annual = churn_tile(churn_counted, churn_until)

    long_share = share_above_new_price(walk)
    bills_in_period = int(pricing["rows"].sum())
    few_resolved = few_note(complaints.get("resolution_times"), "resolved complaint", "resolved complaints")
    # the reply times' base as the page has it, the contacts received (those answered are fewer still)
    few_received = few_note(reply.get("contacts"), "contact received", "contacts received")
    received = f" · {few_received}" if few_received else ""
    tiles = [
        Tile(FIRST_REPLY_MEDIAN, reply.get("first_response_median_hours"), "duration",
             reply_before.get("first_response_median_hours"), better="lower",
             help="Half of the contacts answered in full within this time (elapsed calendar hours).",
             note=f"{fmt.working_hours(reply.get('first_response_median_bh'))} in working time" + received),
        Tile(FIRST_REPLY_P90, reply.get("first_response_p90_hours"), "duration",
             reply_before.get("first_response_p90_hours"), better="lower",
             help="90th percentile of the time to first full reply (elapsed calendar hours).",
             note=f"{fmt.working_hours(reply.get('first_response_p90_bh'))} in working time" + received),
        Tile("Complaints per 1,000 contacts", complaints.get("per_1000_contacts"), "rate",
             complaints_before.get("per_1000_contacts"), better="lower",
             help="Complaints / all contacts opened in the period x 1,000.",
             note=fmt.plural(complaints.get('count'), 'complaint', 'complaints')),
        Tile(COMPLAINT_RESOLUTION_MEDIAN, complaints.get("resolution_median_hours"), "duration",
             complaints_before.get("resolution_median_hours"), better="lower",
             help="Half of the resolved complaints were resolved within this time (calendar time, opened to resolved).",
             # the Complaints page's tile of the same figure, by its name
             note=f"{COMPLAINT_RESOLUTION_P90.lower()} {fmt.duration(complaints.get('resolution_p90_hours'))}"
                  + (f" · {few_resolved}" if few_resolved else "")),
        Tile(LONG_TENURE_SHARE, long_share, "share",
             share_above_new_price(walk_before) if walk_before is not None else None, better="lower",
             help=f"Share of the bills of customers with {LONG_TENURE_YEARS}+ completed years that were above the "
                  "price a new customer would pay for the same product and period.",
             note=f"{fmt.money(loyalty_penalty(walk, LONG_TENURE_YEARS))} loyalty penalty from {LONG_TENURE_YEARS}y+ customers"),
        monthly_churn,
    ]
    oldest = pricing.loc[pricing["band"] == "5y+", "median_gap"]
    if churn_counted.filters is None:
        # no whole month yet: no bars, as no tile figure, and no query for them
        by_gap, churn_line = None, no_whole_month_text(churn_counted)
    else:
        by_gap = context.query("churn_by_band", churn_counted.filters, grouping="price_gap", **churn_until)
        by_gap = priced_bands(by_gap[by_gap["active_customer_months"] > 0].dropna(subset=["annualised_churn"]))
        highest, lowest = (by_gap.iloc[-1], by_gap.iloc[0]) if len(by_gap) > 1 else ({}, {})
        churn_line = churn_headline(churn, annual, highest.get("band"), highest.get("annualised_churn"),
                                    lowest.get("band"), lowest.get("annualised_churn"),
                                    months=counted_months_text(churn_counted))
    headlines = [
        ("Charter", charter_headline(results, _weakest(filters, charter, results))),
        ("Responsiveness", responsiveness_headline(reply.get("contacts"), reply.get("first_response_median_hours"),
                                                   reply.get("first_response_p90_hours"),
                                                   reply_before.get("first_response_median_hours"),
                                                   reply_before.get("first_response_p90_hours"))),
        ("Complaints", complaints_headline(complaints.get("count"), complaints.get("per_1000_contacts"),
                                           complaints.get("resolution_median_hours"), complaints.get("reopen_rate"),
                                           complaints.get("csat_mean"), complaints_before.get("per_1000_contacts"),
                                           timed=complaints.get("resolution_times"), resolved=complaints.get("resolved"),
                                           rated=complaints.get("rated"))),
        ("Pricing", pricing_headline(long_share, fmt.plain(oldest.iloc[0]) if len(oldest) else None,
                                     loyalty_penalty(walk), loyalty_penalty(walk, LONG_TENURE_YEARS),
                                     LONG_TENURE_YEARS, bills_in_period=bills_in_period,
                                     any_bills=bills_in_period > 0 or context.has_bills())),
        ("Churn", churn_line),
    ]
    if _contact_filters_on(filters):
        # said where the figures are, or a partner's view quotes the company's loyalty penalty as the partner's
        headlines = [(area, f"{text} {CUSTOMERS_NOT_FILTERED}" if area == "Pricing" else text)
                     for area, text in headlines]
        tiles = [replace(tile, note=f"{tile.note} · all customers") if tile.label in CUSTOMER_TILES else tile
                 for tile in tiles]
    content = OverviewContent(
        period=period_text(filters), file_period=fmt.file_period(filters.date_from, filters.date_to),
        comparison=comparison_text(filters), compliance_comparison=compliance_comparison_text(filters), as_of=fmt.moment(as_of),
        filters=describe(filters), contacts=int(reply.get("contacts") or 0), standard_tiles=standard_tiles,
        scorecard_table=scorecard_table, tiles=tiles, headlines=headlines,
    )
    if content.contacts:
        content.figures = [_compliance_grid(filters, charter), _volume_and_reply(filters), _complaint_rate(filters)]
    if pricing["median_gap"].notna().any():
        content.figures.append(_price_gap(pricing, filters))
    if by_gap is not None and len(by_gap):
        content.figures.append(_churn_by_gap(by_gap, filters, churn_counted))
    return content
