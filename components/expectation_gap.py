"""The expectation-gap what-if: what compliance would have been had the charter promised something
else (e.g. 24 hours instead of 3 working days), over the same contacts and clocks."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from charter.model import LONGEST, UNIT_LABELS, UNITS, Standard
from components import charts, context, formatting as fmt, links
from components.layout import period_text
from components.tiles import Tile, provisional, show_tiles
from queries import Filters

ALTERNATIVES = ("24:hours", "48:hours", "72:hours", "4:business_hours", "8:business_hours", "1:business_days",
                "2:business_days", "3:business_days", "5:business_days", "7:days")
OTHER = "other"


def promise_words(within: float, unit: str) -> str:
    label = UNIT_LABELS[unit]
    return f"{within:g} {label[:-1] if within == 1 else label}"


def _words(code: str) -> str:
    if code == OTHER:
        return "Another promise…"
    within, unit = code.split(":")
    return promise_words(float(within), unit)


def _chosen_promise(standard: Standard) -> tuple[float, str]:
    own = f"{standard.within:g}:{standard.unit}"
    options = [code for code in ALTERNATIVES if code != own] + [OTHER]
    if st.session_state.get("promise", options[0]) not in options:
        # the promise chosen for another standard is this one's own: back to the first choice through
        # the box's value, which the address follows (it went on naming the old promise)
        st.session_state["promise"] = options[0]
    links.note_unknown_choice("promise", "expected promise", [_words(code) for code in options], _words(options[0]),
                              options[0])
    left, middle, right = st.columns([2, 1, 1])
    code = left.selectbox("Compare with the promise customers expect", options, format_func=_words, key="promise",
                          bind="query-params")
    if code != OTHER:
        within, unit = code.split(":")
        return float(within), unit
    # in the link too, so that a shared what-if shows the same promise
    # the box reaches the longest promise of any unit (a year in hours): a linked 2,000 working hours is
    # shown as linked, not reset to the default
    longest = float(max(LONGEST.values()))
    with middle:
        links.note_number_out_of_range("within", "promise length", 0.0, longest, 24.0)
    within = middle.number_input("Within", min_value=0.0, max_value=longest, value=24.0, step=1.0,
                                 format="%g", key="within", bind="query-params")
    with right:
        links.note_unknown_choice("unit", "unit", [UNIT_LABELS[unit] for unit in UNITS], UNIT_LABELS[UNITS[0]],
                                  UNITS[0])
    unit = right.selectbox("Unit", UNITS, format_func=UNIT_LABELS.get, key="unit", bind="query-params") or UNITS[0]
    if unit == "business_days" and within != int(within):   # as in the charter: whole working days
        st.caption(f"Working days are whole days: shown for {int(within)}.")
        within = float(int(within))
    if within > LONGEST[unit]:   # as long as a charter may promise (the working calendar's reach)
        st.caption(f"At most {LONGEST[unit]:,} {UNIT_LABELS[unit]}: shown for that.")
        within = float(LONGEST[unit])
    return within, unit


def section(filters: Filters, standard: Standard) -> None:
    st.subheader("Expectation gap: what if we promised something else?")
    st.caption("The same contacts and the same clocks, judged against another deadline. Hours and days are elapsed "
               "time; working hours and days follow the charter's opening hours and holidays — exactly as if the "
               "charter said so.")
    within, unit = _chosen_promise(standard)
    frame = context.whatif(filters, standard.id, within, unit)
    total = frame[frame["week"].isna()]
    weekly = frame[frame["week"].notna()]
    if total.empty or not (total["charter_met"].iloc[0] + total["charter_missed"].iloc[0]):
        st.info("No contact in view has been judged against this promise yet.", icon=":material/hourglass_empty:")
        return
    row = {k: fmt.plain(v) for k, v in total.iloc[0].items()}
    alternative = promise_words(within, unit)
    extra_breaches = row["alternative_missed"] - row["charter_missed"]
    show_tiles([
        Tile(f"Under the charter ({standard.promise})", row["charter_compliance"], "share", better=None,
             note=f"{fmt.count(row['charter_missed'])} breaches"),
        # a looser promise is not 'better': the change is the gap to the charter, not a verdict
        Tile(f"If we promised {alternative}", row["alternative_compliance"], "share", row["charter_compliance"],
             note=f"{fmt.count(row['alternative_missed'])} breaches", compared_with="vs the charter"),
        Tile("Change in breaches", extra_breaches, "count", better=None,
             note=(f"{'more' if extra_breaches > 0 else 'fewer'} breaches if we promised {alternative}" if extra_breaches
                   else f"the same breaches if we promised {alternative}"),
             help="Missed under the alternative minus missed under the charter."),
    ], per_row=3)
    chart = weekly[["week", "charter_compliance", "alternative_compliance", "charter_missed", "alternative_missed"]]
    figure = charts.lines(
        chart, "week", [("charter_compliance", f"Charter: {standard.promise}", charts.PRIMARY, "solid"),
                        ("alternative_compliance", f"What if: {alternative}", charts.SECONDARY, "dash")],
        f"Compliance under the charter vs {alternative}",
        f"% of contacts meeting each promise, by week · dotted line: target {fmt.target(standard.target)} · {period_text(filters)}",
        "% met (of met + missed)", y_format=".0%", value_format=".1%",
        # a week with deadlines still to pass (the part-week the data ends in) can still fall: hollow
        provisional={f"{side}_compliance": [provisional(*counts) for counts in zip(
            weekly[f"{side}_met"], weekly[f"{side}_missed"], weekly[f"{side}_pending"])]
            for side in ("charter", "alternative")})
    # named in the subtitle: a label at the line's end sat under the lines' last points
    figure.add_hline(y=standard.target, line=dict(color=charts.TARGET, dash="dot", width=1.2))
    charts.show(figure, pd.DataFrame(chart), f"whatif-{standard.id}", f"expectation-gap-{standard.id}")
