"""Pricing & loyalty: do loyal customers pay more than new ones, and does it cost us customers?"""
import streamlit as st

from components import charts, context, empty, formatting as fmt
from components.churn import churn_period_text, churn_tile, no_whole_month_text, whole_months
from components.filters import bill_span, current_filters, previous_period
from components.headlines import pricing_headline
from components.labels import LONG_TENURE_SHARE, standard_label
from components.layout import answer, header, period_text, side_by_side
from components.tables import show_table
from components.tiles import Tile, show_tiles
from queries import Filters
from queries.pooled import (
    LONG_TENURE_YEARS, LOYALTY_COLUMNS, benchmarked_bills, loyalty_penalty, priced_bands,
    share_above_new_price,
)

filters = current_filters()
header("Pricing & loyalty", "Do loyal customers pay more than new ones, and does it cost us customers?", filters,
       note="Prices are the billing periods that start within the period; the product filter applies to them, the "
            "channel, team and partner filters only to the service comparison at the bottom. Tenure = completed years "
            "since joining. Benchmark = the new-customer price for the same product and period (else the median paid by "
            "customers of under a year).")

# Prices and churn describe customers, not contacts: only the period and the product filter apply.
prices_in_view = Filters(filters.date_from, filters.date_to, products=filters.products)
previous = previous_period(filters)
prices_before = Filters(previous.date_from, previous.date_to, products=filters.products) if previous else None
as_of = context.as_of()
churn_until = dict(as_of=as_of, tz=context.charter().schedule.timezone)   # churn runs to the local month of as_of
pricing = context.query("pricing_by_tenure", prices_in_view)
bills_in_view = bool(pricing["rows"].sum())
if not bills_in_view:
    if not context.has_bills():
        empty.no_data_yet("prices and customers", empty.BILLING_AND_CRM_FILES)
    # only the period and the product filter apply to bills: name the one that emptied the view; churn
    # counts customers, not bills, so it is still shown (as the Overview shows it) below
    # where the bills are: a new customer's monthly bills of the 1st fall before the helpdesk export's first
    # day, where the period opens, and "widen the period" alone leaves them to guess how far
    first_bill, last_bill = bill_span()
    dated = fmt.day(first_bill) if first_bill == last_bill else f"from {fmt.day(first_bill)} to {fmt.day(last_bill)}"
    empty.no_rows("price rows", stop=bool(filters.products), advice=None if filters.products else (
        "No bill is dated in this period (a bill carries the date its billing period starts); the bills loaded are "
        f"dated {dated}. Widen the period in the sidebar to see prices; churn, which counts customers, is below."))
walk = context.query("price_walk", prices_in_view)
walk_before = context.query("price_walk", prices_before, columns=LOYALTY_COLUMNS) if previous else None
# the previous period gives only the 5y+ median gap's change: its bands' other figures are not computed
pricing_before = context.query("pricing_by_tenure", prices_before, columns=("band", "median_gap")) if previous else None
churn_counted = whole_months(prices_in_view, churn_until)
churn_shown = churn_tile(churn_counted, churn_until)[0]


def oldest_gap(frame, column: str = "median_gap"):
    return fmt.plain(frame.loc[frame["band"] == "5y+", column].iloc[0]) if frame is not None else None


if not bills_in_view:
    show_tiles([churn_shown], per_row=4)
else:
    answer(pricing_headline(
        share_above_new_price(walk), oldest_gap(pricing), loyalty_penalty(walk),
        loyalty_penalty(walk, LONG_TENURE_YEARS), LONG_TENURE_YEARS, bills_in_period=int(pricing["rows"].sum())))
    show_tiles([
        Tile(LONG_TENURE_SHARE, share_above_new_price(walk), "share",
             share_above_new_price(walk_before) if walk_before is not None else None, better="lower",
             help=f"Share of the bills of customers with {LONG_TENURE_YEARS}+ completed years above the benchmark.",
             note=f"of {fmt.plural(benchmarked_bills(walk), 'bill', 'bills')} with a benchmark"),
        Tile("Median gap after 5+ years", oldest_gap(pricing), "gap", oldest_gap(pricing_before), better="lower",
             help="Median of price paid / benchmark - 1 for customers of 5 years or more.",
             note=f"middle half {fmt.signed_pct(oldest_gap(pricing, 'gap_p25'))} to {fmt.signed_pct(oldest_gap(pricing, 'gap_p75'))}"),
        Tile("Loyalty penalty", loyalty_penalty(walk), "money", loyalty_penalty(walk_before) if walk_before is not None else None,
             better="lower", help="Sum over bills of what customers paid above the benchmark (never below zero).",
             note=f"{fmt.money(loyalty_penalty(walk, LONG_TENURE_YEARS))} from {LONG_TENURE_YEARS}y+ customers"),
        churn_shown,
    ], per_row=4)

    left, right = side_by_side("price-gap")
    with left:
        shown = pricing.dropna(subset=["median_gap"])
        charts.show(charts.spread(shown, "band", "median_gap", "gap_p25", "gap_p75", "Price gap by tenure",
                                  f"Price paid vs new-customer price: median and middle half (p25-p75) · bills in {period_text(filters)}",
                                  "Gap vs new-customer price", x_title="Tenure band"),
                    pricing, "gap-by-band", "price-gap-by-tenure-band")
    with right:
        curve = walk.dropna(subset=["median_gap"])
        charts.show(charts.spread(curve, "tenure_years", "median_gap", "gap_p25", "gap_p75", "Price walking",
                                  "Median price gap by completed years as a customer"
                                  # said only where the curve reaches 10: below, it named a point not drawn
                                  + (" (10 = 10 or more)" if (curve["tenure_years"] >= 10).any() else "")
                                  + f" · bills in {period_text(filters)}",
                                  "Gap vs new-customer price", as_line=True,
                                  x_title="Completed years as a customer"),
                    walk, "price-walk", "price-walking-curve")

    st.caption("By tenure band: customers, median gap, share of bills above the benchmark and the loyalty penalty in money.")
    show_table(pricing, "pricing-bands", "pricing-by-tenure",
               formats={"rows": fmt.count, "customers": fmt.count, "median_gap": fmt.signed_pct, "gap_p25": fmt.signed_pct,
                        "gap_p75": fmt.signed_pct, "share_above": fmt.pct, "penalty": fmt.money_whole},
               column_config={"band": "Tenure", "rows": "Bills", "customers": "Customers", "median_gap": "Median gap",
                              "gap_p25": "Gap p25", "gap_p75": "Gap p75", "share_above": "Paying above new price",
                              "penalty": "Loyalty penalty"})

st.subheader("Does it cost us customers?")
if churn_counted.filters is None:
    st.info(no_whole_month_text(churn_counted), icon=":material/calendar_month:")
else:
    by_tenure = context.query("churn_by_band", churn_counted.filters, grouping="tenure", **churn_until)
    by_gap = context.query("churn_by_band", churn_counted.filters, grouping="price_gap", **churn_until)
    by_gap = by_gap[by_gap["active_customer_months"] > 0]
    # customers with no bill yet have no price gap: in the CSV, not a bar (as on the Overview)
    priced = priced_bands(by_gap)
    left, right = side_by_side("churn")
    for container, frame, drawn, name, key in ((left, by_tenure, by_tenure, "tenure", "churn-by-tenure"),
                                               (right, by_gap, priced, "price gap", "churn-by-price-gap")):
        with container:
            colours = charts.PRIMARY if name == "tenure" else charts.SECONDARY
            charts.show(charts.bars(drawn, "band", "annualised_churn", f"Churn by {name}",
                                    f"Annualised churn, 1 - (1 - average monthly churn)^12, by {name} band at each month's start · "
                                    f"{churn_period_text(filters, churn_counted)}", "Annualised churn", horizontal=False,
                                    percent_axis=True, value_format=".1%", colours=colours,
                                    text=[fmt.pct(v) for v in drawn["annualised_churn"]]),
                        frame, key, key)

st.subheader("Do long-standing customers get worse service?")
st.caption("Contacts from known customers in the period, by the customer's tenure on the day they got in touch "
           "(all sidebar filters apply).")
service = (context.query("service_by_tenure", filters, as_of=as_of, standard_ids=[s.id for s in context.charter().standards])
           if context.charter().standards else None)
if service is None:
    empty.no_standards(" to compare service by tenure")
elif not service["contacts"].sum():
    if not context.query("responsiveness_summary", filters, columns=("contacts",))["contacts"].iloc[0]:
        empty.no_rows(stop=False)   # no contact at all, linked or not: the filters are why
    else:
        st.info("No contacts in view are linked to a known customer (customer_id), so service cannot be compared by "
                "tenure.", icon=":material/link_off:")
else:
    labels = {s.id: standard_label(s) for s in context.charter().standards}
    service = service.assign(promise=service["standard_id"].map(labels))
    volumes = service.drop_duplicates("band")
    left, right = side_by_side("service-by-tenure")   # equal halves: the charts wrap subtitles for half width
    with left:
        charts.show(charts.bars(volumes, "band", "complaints_per_1000", "Complaint rate by tenure",
                                f"Complaints per 1,000 contacts from customers in each band · {period_text(filters)}",
                                "Per 1,000 contacts", horizontal=False, colours=charts.PRIMARY,
                                text=[fmt.number(v) for v in volumes["complaints_per_1000"]]),
                    volumes[["band", "contacts", "complaints", "complaints_per_1000"]], "service-complaints",
                    "complaint-rate-by-tenure")
    with right:
        charts.show(charts.grouped_bars(service, "band", "promise", "compliance", "Charter compliance by tenure",
                                        f"% meeting each promise (met / (met + missed)) for contacts from customers in each band · {period_text(filters)}",
                                        "% met"),
                    service[["band", "standard_id", "promise", "met", "missed", "compliance"]], "service-compliance",
                    "compliance-by-tenure")
