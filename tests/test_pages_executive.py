"""The executive pages (Overview, Charter compliance, Responsiveness, Complaints, Pricing & loyalty)
through AppTest on a real DuckDB file.

The small company of tests/page_helpers.py has ten contacts over two weeks of February 2026
(GMT, so local = UTC) and four customers; every expected figure below is worked out by hand:

reply (first response within 24 h, target 90%): T01 2 h, T03 1 h, T04 6 h, T05 exactly 24 h (met:
  the deadline counts), T06 1 h, T07 0.5 h met; T02 28 h, T08 26 h, T09 never answered (deadline
  13 Feb, before as_of 15 Feb 21:00) missed; T10 opened 15 Feb 20:00 still pending -> 6 / 9 = 66.7%.
resolve (complaints resolved within 7 days, target 95%): T05 met, T04 (9 days) missed, T09 pending
  -> 1 / 2 = 50.0%.
first response, calendar hours: 0.5 1 1 2 6 24 26 28 -> median 4.0 h, p90 26 + 0.3 x 2 = 26.6 h.
complaints T04, T05, T09 of 10 contacts -> 300.0 per 1,000; resolution 216 h and 48 h -> median
  132 h = 5.5 days, p90 199.2 h = 8.3 days; reopened 1 of 2 resolved, followed up 1 of 2; CSAT 2
  and 5 -> 3.50, 50.0% rated 4-5.
prices (period 9 Feb): C1 6 years 120 vs 100, C2 <1y 100 vs 100, C3 3 years 110 vs 100, C4 2 years
  50 vs 40 -> 3y+ all above (100.0%), 5y+ median gap +20.0%, penalty 20 + 10 + 10 = GBP 40.
churn (February): 4 customers active on 1 Feb, C3 leaves on 20 Feb -> 25.0%.
"""
from __future__ import annotations

import base64
import json
import os
import struct
from datetime import date
from pathlib import Path

import pytest

from page_helpers import (
    as_read, build_small_company, column_settings, load_more_contacts, metrics, new_app, open_page, rerun_with,
    shown_cells, texts,
)

OVERVIEW = "views/overview.py"
COMPLIANCE = "views/compliance.py"
RESPONSIVENESS = "views/responsiveness.py"
COMPLAINTS = "views/complaints.py"
PRICING = "views/pricing.py"
PAGES = {OVERVIEW: "Overview", COMPLIANCE: "Charter compliance", RESPONSIVENESS: "Responsiveness",
         COMPLAINTS: "Complaints", PRICING: "Pricing & loyalty"}


@pytest.fixture
def company(tmp_path, monkeypatch):
    build_small_company(tmp_path, Path(os.environ["DASHBOARD_DB"]), Path(os.environ["DASHBOARD_CHARTER"]))


@pytest.fixture
def empty_store(tmp_path, monkeypatch):
    build_small_company(tmp_path, Path(os.environ["DASHBOARD_DB"]), Path(os.environ["DASHBOARD_CHARTER"]),
                        with_data=False)


def title(at) -> str:
    return at.title[0].value


# ----------------------------------------------------------------------------- Overview

def test_overview_shows_the_hand_computed_kpis(company):
    at = open_page(new_app())
    assert title(at) == "Overview"
    shown = metrics(at)
    assert shown["Replies"] == "66.7%"
    assert shown["Complaint resolutions"] == "50.0%"
    assert shown["Median time to first reply"] == "4.0 h"
    assert shown["Slowest 10% waited over"] == "26.6 h"
    assert shown["Complaints per 1,000 contacts"] == "300.0"
    assert shown["Median complaint resolution"] == "5.5 days"
    assert shown["3y+ customers paying above new price"] == "100.0%"
    assert shown["Monthly churn"] == "-"     # 2-15 Feb: February is not over (as_of 15 Feb), reading 48
    words = texts(at)
    assert "Feb 2026 is not over yet: churn counts whole months" in words
    assert "Complaint resolutions met the 7-day promise 50.0% of the time (based on only 2 contacts), below the 95% target" \
        in words
    assert "2 of 2 promises are below target" in words
    assert "10 contacts received; half had a first full reply within 4.0 h and nine in ten within 26.6 h (calendar time)" in words
    assert "3 complaints (300.0 per 1,000 contacts)" in words
    assert words.count(":red-badge[") == 2           # both promises red: far below target
    assert "2 Feb - 15 Feb 2026 (2 weeks)" in words     # the period is always on screen
    assert any(b.label == "Meeting pack (HTML)" for b in at.get("download_button"))
    # the weekly reply line says why its part-week dips, as the Responsiveness page does
    [reply_chart] = charts_titled(at, "how fast we replied")
    assert "replies still due are not in it, so the latest week reads fast" in reply_chart["layout"]["title"]["subtitle"]["text"].replace("<br>", " ")


def test_overview_numbers_follow_the_sidebar_filters(company):
    at = open_page(new_app())
    rerun_with(at, "channel", ["email"])
    shown = metrics(at)
    # email: T01 T05 T06 met, T02 T08 missed, T10 pending -> 3 / 5; only email complaint T05 met
    assert shown["Replies"] == "60.0%"
    assert shown["Complaint resolutions"] == "100.0%"
    # email replies: 1 2 24 26 28 h -> median 24.0 h; 1 complaint of 6 email contacts
    assert shown["Median time to first reply"] == "24.0 h"
    assert shown["Complaints per 1,000 contacts"] == "166.7"
    # prices and churn are every customer's: said on the headline, the tiles and the charts
    assert shown["Monthly churn"] == "-"     # February in progress (the product filter on churn: below)
    assert "Prices and churn cover every customer: the channel, team and partner filters apply to contacts only." \
        in texts(at)
    notes = [c.value for c in at.caption if c.value.endswith("· all customers")]
    assert len(notes) == 2
    rerun_with(at, "channel", [])
    assert "Prices and churn cover every customer" not in texts(at)
    assert not [c.value for c in at.caption if c.value.endswith("· all customers")]
    rerun_with(at, "product", ["Broadband"])
    shown = metrics(at)
    assert shown["3y+ customers paying above new price"] == "-"   # no 3y+ Broadband customer: empty, not 0%


def test_overview_reads_its_filters_from_the_query_string(company):
    at = open_page(new_app({"channel": "email"}))
    assert at.multiselect(key="channel").value == ["email"]
    assert metrics(at)["Replies"] == "60.0%"


def test_the_next_run_after_an_upload_shows_the_new_figures(company, tmp_path):
    """Cached results key on the data version read once per run: the run after an upload (here
    from the test, through the normal upload path) must read the new version, not reuse the old."""
    from charter.model import load_charter
    from store import db
    from store.ingest import load_path
    from page_helpers import CONTACT_COLUMNS, write_csv

    at = open_page(new_app())
    assert metrics(at)["Complaints per 1,000 contacts"] == "300.0"
    extra = write_csv(tmp_path / "one_more.csv", CONTACT_COLUMNS, [dict(
        ticket_id="T11", opened_at="2026-02-10 11:00", customer_id="C4", kind="complaint", channel="chat",
        team="Repairs", category="repair")])
    con = db.connect(os.environ["DASHBOARD_DB"])
    try:
        load_path(con, "contacts", extra, "test", load_charter(os.environ["DASHBOARD_CHARTER"]),
                  preset_name="canonical")
    finally:
        con.close()
    at.run()
    assert metrics(at)["Complaints per 1,000 contacts"] == "363.6"   # 4 complaints of 11 contacts


def test_downloads_name_the_period_on_screen_and_only_there(company):
    """Every CSV of a dashboard page names the sidebar's period (its file name is only known to the
    browser: tests/browser/test_downloads.py); a page without the period on screen names none, even
    after one that had it (the period of the page before must not travel)."""
    from components.tables import EXPORT_PERIOD

    at = open_page(new_app({"period": ["2026-02-02", "2026-02-15"]}))
    assert at.session_state[EXPORT_PERIOD] == "2026-02-02-to-2026-02-15"
    at.switch_page("views/data.py").run()
    assert not at.exception and EXPORT_PERIOD not in at.session_state


def test_meeting_pack_is_one_self_contained_html_file(company):
    from components import meeting_pack, overview
    from queries import Filters

    content = overview.gather(Filters(date(2026, 2, 2), date(2026, 2, 15)))
    html = meeting_pack.build_html(content)
    assert html.startswith("<!DOCTYPE html>")
    assert "66.7%" in html and "300.0" in html and "GBP 40" in html
    assert "Complaint resolutions met the 7-day promise 50.0% of the time" in html
    assert "2 Feb - 15 Feb 2026 (2 weeks)" in html
    # the scorecard table has the invalid contacts its footnote speaks of; the tiles' better/worse words
    # Replies: 6 met, 3 missed, T10 pending (1 of 10: provisional), none invalid, in the columns' order
    # named as the app's scorecard and its CSV name them (the pack said 'Achieved' for the compliance)
    assert ("<tr><th>Promise</th><th>Within</th><th class='num'>Target</th><th class='num'>Compliance</th>"
            "<th>Status</th><th class='num'>Met</th><th class='num'>Missed</th><th class='num'>Pending</th>"
            "<th class='num'>Invalid</th></tr>") in html
    assert '</table><p class="note">Compliance = met / (met + missed). Provisional: 5% or more' in html   # as under the app's
    assert (" provisional</td><td class='num'>6</td><td class='num'>3</td><td class='num'>1</td>"
            "<td class='num'>0</td></tr>") in html
    second_week = meeting_pack.build_html(overview.gather(Filters(date(2026, 2, 9), date(2026, 2, 15))))
    assert "(better)</div>" in second_week and "(worse)</div>" in second_week   # against 2-8 Feb
    assert html.count('class="plotly-graph-div"') == len(content.figures) >= 4
    assert "<script src=" not in html and "Plotly.newPlot" in html   # plotly.js is embedded: works offline
    assert len(html) > 1_000_000
    assert meeting_pack.file_name(content) == "charter-desk-meeting-pack-2026-02-02-to-2026-02-15.html"


# ----------------------------------------------------------------------------- Charter compliance

def charts_titled(at, words: str) -> list[dict]:
    """The Plotly specs of the page's charts whose title contains `words`, in page order."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return [spec for spec in specs if words in spec["layout"]["title"]["text"]]


def test_compliance_page_shows_outcomes_breaches_and_the_what_if(company):
    at = open_page(new_app(), COMPLIANCE)
    assert title(at) == "Charter compliance"
    shown = metrics(at)
    assert (shown["Compliance"], shown["Met the promise"], shown["Missed (breaches)"], shown["Pending"],
            shown["Invalid"]) == ("66.7%", "6", "3", "1", "0")
    assert "**3 breaches**" in texts(at)
    # 'All promises at a glance' in eight columns, to fit a 1024 px laptop with the sidebar open: the promise
    # with its deadline, and a provisional status (1 of 10 pending) marked, said so under it; the CSV keeps all ten
    scorecard = at.table[0].value
    assert list(scorecard.columns) == ["Target", "Compliance", "Status", "Met", "Missed", "Pending", "Invalid"]
    assert scorecard.loc["Replies within 24 hours"].tolist() == [0.9, 2 / 3, "Below target *", 6, 3, 1, 0]
    assert any(text.startswith("Compliance = met / (met + missed). \\* Provisional: 5% or more")
               for text in (caption.value for caption in at.caption))
    # the two weeks rest on 4 and 5 judged contacts: paler points, and the subtitle says why
    [trend] = charts_titled(at, "Compliance week by week")
    assert "pale: fewer than 30 contacts" in trend["layout"]["title"]["subtitle"]["text"].replace("<br>", " ")
    assert trend["data"][0]["marker"]["opacity"] == [0.45, 0.45]
    breaches = next(df.value for df in at.dataframe if "ticket_id" in df.value.columns and len(df.value) == 3)
    assert sorted(breaches["ticket_id"]) == ["T02", "T08", "T09"]
    # what-if: 48 hours instead of 24 -> T02 and T08 become met: 8 / 9
    assert shown["Under the charter (24 hours)"] == "66.7%"
    assert shown["If we promised 48 hours"] == "88.9%"
    # its change is the gap to the charter, said so, not judged 'better' (a looser promise is not)
    whatif = next(m for m in at.metric if m.label == "If we promised 48 hours")
    assert (whatif.delta, whatif.proto.delta_description) == ("+22.2 pts", "vs the charter")
    # its chart names the target line in the subtitle: a label at the line's end sat under the last points
    [gap_chart] = charts_titled(at, "vs 48 hours")
    assert "dotted line: target 90%" in gap_chart["layout"]["title"]["subtitle"]["text"].replace("<br>", " ")
    assert [note["text"] for note in gap_chart["layout"].get("annotations", [])] == ["so far"]
    # ending at the part-week band's right edge: centred it ran onto a right-hand axis
    [so_far] = gap_chart["layout"]["annotations"]
    [band] = [shape for shape in gap_chart["layout"]["shapes"] if shape.get("fillcolor") == "#D9E2EC"]
    assert so_far["xanchor"] == "right" and so_far["x"] == band["x1"]
    # In working time (Mon-Fri 09:00-17:00). 8 working hours: T02 (12 h of work), T08 (10 h), T09 (never
    # answered) and T05 (exactly 8 h: due at Wednesday's closing, answered Thursday 09:00) miss; T10,
    # opened on Sunday, is due Monday 17:00 -> 5 / 9. Two working days: every answer came in time;
    # T09 (Thursday: due Monday 17:00) and T10 (due Wednesday) are pending -> 8 / 8.
    for promise, label, expected in (("8:business_hours", "If we promised 8 working hours", "55.6%"),
                                     ("2:business_days", "If we promised 2 working days", "100.0%")):
        at.selectbox(key="promise").set_value(promise).run()
        assert not at.exception, [e.value for e in at.exception]
        assert metrics(at)[label] == expected
    at.selectbox(key="standard").set_value("resolve").run()
    shown = metrics(at)
    assert shown["Compliance"] == "50.0%" and shown["Pending"] == "1"
    assert "**1 breach**" in texts(at)
    rerun_with(at, "channel", ["email"])
    assert metrics(at)["Compliance"] == "100.0%"


def test_the_what_if_marks_its_partial_week_provisional_and_its_so_far_label_clear_of_the_points(company):
    """The week of 9 Feb, the one the data ends in, has T10 pending under 24 and 48 hours (1 of 5, 5% or
    more: reading 25): both of its what-if points are hollow, as in the compliance trend, the legend
    says what hollow means and the hover says 'provisional'; the week of 2 Feb, settled, is not. The
    part-week's 'so far' sits above the plot, in room made for it, not on the last points, with large
    text too."""
    from components import charts

    at = open_page(new_app({"promise": "48 hours"}), COMPLIANCE)
    [gap_chart] = charts_titled(at, "vs 48 hours")
    charter_line, what_if = gap_chart["data"][:2]
    assert charter_line["marker"]["color"] == [charts.PRIMARY, "white"]
    assert what_if["marker"]["color"] == [charts.SECONDARY, "white"]
    assert what_if["customdata"] == ["", " (provisional)"] and "%{customdata}" in what_if["hovertemplate"]
    assert "Hollow: provisional" in [trace.get("name") for trace in gap_chart["data"]]
    at = open_page(new_app({"promise": "48 hours", "period": ["2026-02-02", "2026-02-08"]}), COMPLIANCE)
    [settled] = charts_titled(at, "vs 48 hours")
    assert settled["data"][0]["marker"]["color"] == [charts.PRIMARY]
    assert "Hollow: provisional" not in [trace.get("name") for trace in settled["data"]]

    for link in ({"promise": "48 hours"}, {"promise": "48 hours", "projector": "true"}):
        at = open_page(new_app(link), COMPLIANCE)
        for chart in (charts_titled(at, "48 hours")[0], charts_titled(at, "Compliance week by week")[0]):
            [so_far] = chart["layout"]["annotations"]
            assert (so_far["yref"], so_far["y"], so_far["yanchor"]) == ("y domain", 1, "bottom")   # above the plot
            # the room above the plot, beyond what the title and subtitle take, holds the label's line
            title = chart["layout"]["title"]
            heading = (title["pad"]["t"] + 1.3 * title["font"]["size"] * (title["text"].count("<br>") + 1)
                       + 1.3 * title["subtitle"]["font"]["size"] * (title["subtitle"]["text"].count("<br>") + 1))
            assert chart["layout"]["margin"]["t"] - heading >= 1.3 * so_far["font"]["size"]


def test_a_custom_what_if_travels_in_the_link(company):
    """'Another promise…' with its own number and unit is in the link: whoever opens it sees the same
    what-if (8 working hours: 5 of 9 met, worked out above)."""
    at = open_page(new_app(), COMPLIANCE)
    at.selectbox(key="promise").set_value("other").run()
    at.number_input(key="within").set_value(8.0).run()
    at.selectbox(key="unit").set_value("business_hours").run()
    assert metrics(at)["If we promised 8 working hours"] == "55.6%"
    # what the address bar then holds (the labels shown, as Streamlit writes a bound selectbox)
    shared = open_page(new_app({"promise": "Another promise…", "within": "8", "unit": "working hours"}), COMPLIANCE)
    assert metrics(shared)["If we promised 8 working hours"] == "55.6%"
    # working days are whole days, as in the charter: 2.5 is shown for 2, and says so
    halves = open_page(new_app({"promise": "Another promise…", "within": "2.5", "unit": "working days"}), COMPLIANCE)
    assert metrics(halves)["If we promised 2 working days"] == "100.0%"
    assert "Working days are whole days: shown for 2." in texts(halves)
    # the longest promise the charter allows, linked, is shown as linked (the box once reset it to 24)
    longest = open_page(new_app({"promise": "Another promise…", "within": "2000", "unit": "working hours"}), COMPLIANCE)
    assert "If we promised 2000 working hours" in metrics(longest)
    beyond = open_page(new_app({"promise": "Another promise…", "within": "400", "unit": "working days"}), COMPLIANCE)
    assert "If we promised 250 working days" in metrics(beyond)
    assert "At most 250 working days: shown for that." in texts(beyond)
    # past the box's reach (a year in hours), or not a number: Streamlit shows 24 without a word; the page says so
    for given in ("9999", "ten"):
        past = open_page(new_app({"promise": "Another promise…", "within": given, "unit": "working days"}), COMPLIANCE)
        assert "If we promised 24 working days" in metrics(past)
        assert f"The link's promise length {given} is not a number from 0 to 8,760, so 24 is shown." in as_read(texts(past))
    assert "The link's promise length" not in as_read(texts(beyond))


@pytest.mark.parametrize("link", [{"hours": ""}, {"by": ""}, {"standard": ""}, {"promise": ""}, {"within": ""},
                                  {"unit": ""}, {"within": "ten", "unit": "fortnights"}])
def test_an_empty_or_mangled_control_in_a_link_falls_back_to_its_default(company, link):
    for page in (COMPLIANCE, RESPONSIVENESS):
        at = open_page(new_app(link), page)   # open_page asserts that no exception reached the page
        assert title(at) in ("Charter compliance", "Responsiveness")


def test_compliance_filters_and_query_string(company):
    at = open_page(new_app({"channel": "email"}), COMPLIANCE)
    shown = metrics(at)
    assert shown["Compliance"] == "60.0%" and shown["Missed (breaches)"] == "2"
    rerun_with(at, "channel", ["phone"])
    assert metrics(at)["Compliance"] == "100.0%"
    # a shared link also carries the page's own choices (the URL holds what the widget shows)
    at = open_page(new_app({"standard": "Complaint resolutions", "by": "Team", "channel": "phone"}), COMPLIANCE)
    assert at.selectbox(key="standard").value == "resolve" and at.button_group(key="by").value == "team"
    assert metrics(at)["Compliance"] == "0.0%"          # the phone complaint T04 took 9 days


def test_a_page_control_in_a_link_matches_whatever_its_case(company):
    """?by=team and ?standard=complaint resolutions, typed by hand or lower-cased by a chat tool, are
    the choices 'Team' and 'Complaint resolutions', as the sidebar's ?team=billing is 'Billing'; the
    address is put right so that a link copied again names them as shown."""
    at = open_page(new_app({"standard": "complaint resolutions", "by": "team", "hours": "calendar hours"}), COMPLIANCE)
    assert at.selectbox(key="standard").value == "resolve" and at.button_group(key="by").value == "team"
    assert not [c for c in at.caption if "link_off" in c.value]
    assert at.query_params["by"] == "Team" and at.query_params["standard"] == "Complaint resolutions"
    assert metrics(at)["Compliance"] == "50.0%"
    at = open_page(new_app({"hours": "calendar hours"}), RESPONSIVENESS)
    assert at.query_params["hours"] == "Calendar hours"
    unknown = open_page(new_app({"by": "region"}), COMPLIANCE)
    assert any("breakdown region is not one of the choices" in c.value for c in unknown.caption)


def test_expectation_gap_uses_the_charter_deadline_definition(company):
    """1 hour: only T03 (exactly 1 h), T06 and T07 meet it; T10's deadline equals as_of -> pending."""
    from charter.engine import DEADLINES
    from queries import Filters
    from queries.kpis import as_of
    from queries.whatif import expectation_gap, expectation_gap_sql
    from store import db

    con = db.connect()
    try:
        total = expectation_gap(con, Filters(), "reply", 1, "hours", as_of(con)).iloc[0]
    finally:
        con.close()
    assert (total["alternative_met"], total["alternative_missed"], total["alternative_pending"]) == (3, 6, 1)
    assert total["alternative_compliance"] == pytest.approx(1 / 3)
    assert (total["charter_met"], total["charter_missed"]) == (6, 3)
    for unit, (join, deadline) in DEADLINES.items():
        assert join in expectation_gap_sql(unit) and deadline in expectation_gap_sql(unit)


# The reply promise's breaches, most late first: T09 59 h (never answered; deadline 13 Feb 10:00,
# as_of 15 Feb 21:00), T02 4 h (answered after 28 h), T08 2 h (26 h).
BREACHES_MOST_LATE_FIRST = ["T09", "T02", "T08"]
REPLY_BREACHES = dict(standard_id="reply", outcomes=["missed"], week=None, dimension="partner", dimension_value=None,
                      tz="Europe/London")


def test_a_drill_through_travels_in_the_link(company):
    """?week= lists that week's breaches (T08 and T09 in week 2); ?bar= one bar of the breakdown
    the link names (email: T02 and T08). "Show all" and another breakdown drop them; a mangled
    week is ignored."""
    at = open_page(new_app({"week": "2026-02-09"}), COMPLIANCE)
    assert "**2 breaches**" in texts(at) and "Showing only w/c 9 Feb 2026" in texts(at)
    at.button(key="drill-clear").click().run()
    assert "**3 breaches**" in texts(at) and "week" not in at.query_params

    at = open_page(new_app({"by": "Channel", "bar": "email"}), COMPLIANCE)
    assert "**2 breaches**" in texts(at) and "Showing only channel: email" in texts(at)
    at.button_group(key="by").set_value("team").run()
    assert "**3 breaches**" in texts(at) and "bar" not in at.query_params

    at = open_page(new_app({"week": "2026-02-31"}), COMPLIANCE)
    assert "**3 breaches**" in texts(at) and "Showing only" not in texts(at)

    # a date that is no week on the trend (a Wednesday, 1900) or a bar not in view lists everything,
    # not "0 breaches" under a heading naming it
    for link in ({"week": "2026-02-11"}, {"week": "1900-01-01"}, {"by": "Channel", "bar": "fax"}):
        at = open_page(new_app(link), COMPLIANCE)
        assert "**3 breaches**" in texts(at) and "Showing only" not in texts(at), link
        assert "week" not in at.query_params and "bar" not in at.query_params, link


def test_a_contact_list_stops_at_its_row_limit_and_counts_every_match(company):
    from queries import Filters, run
    from queries.kpis import as_of
    from store import db

    con = db.connect()
    try:
        narrowing = REPLY_BREACHES | {"as_of": as_of(con)}
        listed = run(con, "standard_contacts", Filters(), row_limit=2, **narrowing)
        every = run(con, "standard_contacts", Filters(), row_limit=None, **narrowing)

        def drilled(**narrower) -> list[str]:
            return list(run(con, "standard_contacts", Filters(), row_limit=None, **(narrowing | narrower))["ticket_id"])
        # a week (T02 is in the first), a dimension on the facts, and ones only the contacts carry
        assert drilled(week=date(2026, 2, 9)) == ["T09", "T08"]
        assert drilled(dimension="channel", dimension_value="email") == ["T02", "T08"]     # T09 came by web
        assert drilled(dimension="partner", dimension_value="In-house") == BREACHES_MOST_LATE_FIRST
        assert drilled(dimension="category", dimension_value="=cmd|' /C calc'!A0") == ["T09"]
        assert drilled(dimension="priority", dimension_value="(blank)") == BREACHES_MOST_LATE_FIRST
        assert drilled(dimension="agent", dimension_value="Ann") == []
    finally:
        con.close()
    assert list(listed["ticket_id"]) == BREACHES_MOST_LATE_FIRST[:2] and list(listed["matching"]) == [3, 3]
    assert list(listed["hours_late"].round(6)) == [59.0, 4.0]
    assert list(every["ticket_id"]) == BREACHES_MOST_LATE_FIRST and list(every["matching"]) == [3, 3, 3]


def _two_listed_breaches_script():
    import streamlit as st

    from components import context, drill
    from queries import Filters

    narrowing = dict(standard_id="reply", outcomes=["missed"], week=None, dimension="partner", dimension_value=None,
                     tz="Europe/London", as_of=context.as_of())
    every = context.rows_on_demand("standard_contacts", Filters(), row_limit=None, **narrowing)
    st.session_state["every_breach"] = every
    drill.show_contacts(context.query("standard_contacts", Filters(), row_limit=2, **narrowing), every,
                        ["hours_left"], "breaches", height=300, order="most hours late first")


def test_a_cut_list_says_so_and_its_download_asks_for_every_contact(company):
    """The grid shows the two most late; the download's rows come from a query run on the click, in
    a thread of the server's, not in the script run: run here in another thread, after the run."""
    from concurrent.futures import ThreadPoolExecutor

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_two_listed_breaches_script)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert ("Showing the first 2, most hours late first; the CSV download has all 3, with their channel, agent, kind"
            ", week of arrival, priority and clock stopped too.") in texts(at)
    grid = at.dataframe[0].value
    assert list(grid["ticket_id"]) == BREACHES_MOST_LATE_FIRST[:2]
    assert not {"matching", "outcome", "hours_left"} & set(grid.columns)
    download = next(e for e in at.main if type(e).__name__ == "DownloadButton")
    assert download.proto.deferred_file_id, "the CSV is made on the click, not with every rerun"
    with ThreadPoolExecutor(1) as elsewhere:
        every = elsewhere.submit(at.session_state["every_breach"]).result()
    assert list(every["ticket_id"]) == BREACHES_MOST_LATE_FIRST


def _one_long_breach_script():
    import pandas as pd

    from components import drill

    listed = pd.DataFrame({"ticket_id": ["T1", "T2"], "hours_late": [16476.84, 3.0], "hours_left": [None, None],
                           "outcome": ["missed", "missed"], "matching": [2, 2]})
    drill.show_contacts(listed, lambda: listed, ["hours_left"], "breaches", height=300, order="most hours late first")


def test_a_contact_list_writes_hours_with_thousands_and_keeps_its_ticket_in_view(company):
    """Hours late as people write them ('16,476.8 h', not '16476.8 h') while the grid still holds the
    number; the ticket column stays put when a narrow screen scrolls the list sideways."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_one_long_breach_script).run()
    assert not at.exception, [e.value for e in at.exception]
    grid = at.dataframe[0]
    assert list(shown_cells(grid)["hours_late"]) == ["16,476.8 h", "3.0 h"]
    assert list(grid.value["hours_late"]) == [16476.84, 3.0]
    assert column_settings(grid)["ticket_id"]["pinned"] is True


# ----------------------------------------------------------------------------- Responsiveness

def test_responsiveness_page_in_working_and_calendar_hours(company):
    at = open_page(new_app(), RESPONSIVENESS)
    assert title(at) == "Responsiveness"
    shown = metrics(at)
    assert shown["Contacts received"] == "10"
    assert shown["Acknowledged"] == "80.0%"          # T09 and T10 not yet
    at.button_group(key="hours").set_value("calendar").run()
    assert not at.exception
    shown = metrics(at)
    assert shown["Median time to first reply"] == "4.0 h"
    assert shown["Slowest 10% waited over"] == "26.6 h"
    # the page's answer in one sentence, in the basis shown (the two weeks have no previous period)
    assert ("10 contacts received; half had a first full reply within 4.0 h and nine in ten within 26.6 h "
            "(calendar time).") in as_read(texts(at))
    at.button_group(key="hours").set_value("working").run()
    assert f"within {metrics(at)['Median time to first reply']} and nine in ten within {metrics(at)['Slowest 10% waited over']} (working time)." \
        in as_read(texts(at))
    at.button_group(key="hours").set_value("calendar").run()
    rerun_with(at, "channel", ["email"])
    shown = metrics(at)
    assert (shown["Contacts received"], shown["Median time to first reply"], shown["Slowest 10% waited over"]) == ("6", "24.0 h", "27.2 h")
    # waits all under an hour are drawn in minutes, as the tiles print them: chat's T07, answered in 30 minutes
    rerun_with(at, "channel", ["chat"])
    assert metrics(at)["Slowest 10% waited over"] == "30 min"
    wait_charts = charts_titled(at, "week by week")
    assert [spec["layout"]["yaxis"]["title"]["text"] for spec in wait_charts] == ["Calendar minutes", "Calendar minutes"]
    assert wait_charts[1]["data"][1]["y"]["bdata"] == base64.b64encode(struct.pack("<d", 30.0)).decode()
    rerun_with(at, "channel", ["email"])   # 24.0 h and more: in hours
    assert {spec["layout"]["yaxis"]["title"]["text"] for spec in charts_titled(at, "week by week")} == {"Calendar hours"}


def test_calendar_waits_of_days_are_drawn_in_days_as_their_tiles_print_them(company, tmp_path):
    """A letter answered after four days: the tile reads '4.0 days', and its chart drew 96 on an axis
    of hours beside it."""
    load_more_contacts(tmp_path, dict(ticket_id="T13", opened_at="2026-02-09 09:00", channel="letter",
                                      first_response_at="2026-02-13 09:00"))
    at = open_page(new_app({"hours": "Calendar hours", "channel": "letter"}), RESPONSIVENESS)
    assert metrics(at)["Slowest 10% waited over"] == "4.0 days"
    wait_charts = charts_titled(at, "week by week")
    assert [spec["layout"]["yaxis"]["title"]["text"] for spec in wait_charts] == ["Calendar days", "Calendar days"]
    assert wait_charts[1]["data"][1]["y"]["bdata"] == base64.b64encode(struct.pack("<d", 4.0)).decode()


def test_open_backlog_at_each_week_end_carries_over(company):
    """Week 1 ends Mon 9 Feb 00:00: T01-T05 were opened and only T04 (resolved 12 Feb) is open -> 1.
    Week 2 ends at as_of, 15 Feb 21:00: T04 is resolved, T06-T10 are open -> 5. Email only: T01,
    T02 and T05 were resolved in week 1 -> 0, then T06, T08 and T10 -> 3. Week 2 alone still counts
    T04 (opened in week 1). As of 12 Feb 12:00: T04 (resolved at 14:00) and T06-T09 -> 5, T10 not
    opened yet. As of 15 Feb 20:00, the instant T10 is opened: it is in -> 5 (T06-T10). A period
    ending Wed 11 Feb cuts week 2 at its end, Thu 12 Feb 00:00: T06-T08 and T04, resolved after it,
    -> 4 (T09 and T10 are opened after the period)."""
    from datetime import datetime, timezone

    from queries import Filters, run
    from queries.kpis import as_of
    from store import db

    con = db.connect()
    try:
        def backlog(filters: Filters, moment=None) -> list[tuple[date, int]]:
            frame = run(con, "backlog_weekly", filters, tz="Europe/London", as_of=moment or as_of(con))
            return [(week.date(), count) for week, count in zip(frame["week"], frame["open_backlog"])]
        february = Filters(date(2026, 2, 1), date(2026, 2, 28))
        assert backlog(february) == [(date(2026, 2, 2), 1), (date(2026, 2, 9), 5)]
        assert backlog(Filters(date(2026, 2, 1), date(2026, 2, 28), channels=("email",))) == [
            (date(2026, 2, 2), 0), (date(2026, 2, 9), 3)]
        assert backlog(Filters(date(2026, 2, 9), date(2026, 2, 15))) == [(date(2026, 2, 9), 5)]
        assert backlog(february, datetime(2026, 2, 12, 12, tzinfo=timezone.utc)) == [
            (date(2026, 2, 2), 1), (date(2026, 2, 9), 5)]
        assert backlog(february, datetime(2026, 2, 15, 20, tzinfo=timezone.utc)) == [
            (date(2026, 2, 2), 1), (date(2026, 2, 9), 5)]
        assert backlog(Filters(date(2026, 2, 1), date(2026, 2, 11))) == [(date(2026, 2, 2), 1), (date(2026, 2, 9), 4)]
    finally:
        con.close()


def test_arrivals_per_week_are_averaged_over_the_weeks_with_any_contact(company):
    """February has contacts in two weeks. Chat has one, T07 (Tue 10 Feb 10:00): 1 in that cell, 0.5
    a week over the two. Email on Mondays at 10:00: T01 (2 Feb) and T06 (9 Feb) -> 2, 1 a week."""
    from queries import Filters, run
    from store import db

    con = db.connect()
    try:
        def cells(filters: Filters) -> dict[tuple[int, int], tuple[int, float]]:
            frame = run(con, "arrivals_heatmap", filters)
            return {(w, h): (n, avg) for w, h, n, avg in frame[["weekday", "hour", "contacts", "per_week"]].itertuples(index=False)}
        assert cells(Filters(date(2026, 2, 1), date(2026, 2, 28), channels=("chat",))) == {(2, 10): (1, 0.5)}
        assert cells(Filters(date(2026, 2, 1), date(2026, 2, 28), channels=("email",)))[(1, 10)] == (2, 1.0)
    finally:
        con.close()


def test_responsiveness_query_string(company):
    at = open_page(new_app({"channel": "phone"}), RESPONSIVENESS)
    assert metrics(at)["Contacts received"] == "2"
    at = open_page(new_app({"channel": "email", "hours": "Calendar hours"}), RESPONSIVENESS)
    assert at.button_group(key="hours").value == "calendar"
    assert metrics(at)["Median time to first reply"] == "24.0 h"


# ----------------------------------------------------------------------------- Complaints

def test_complaints_page_kpis_and_filters(company):
    at = open_page(new_app(), COMPLAINTS)
    assert title(at) == "Complaints"
    shown = metrics(at)
    assert shown["Complaints"] == "3"
    assert shown["Per 1,000 contacts"] == "300.0"
    assert shown["Median complaint resolution"] == "5.5 days"
    assert shown["Slowest 10% resolved over"] == "8.3 days"
    assert shown["Reopened"] == "50.0%"
    assert shown["Followed up at all"] == "50.0%"
    assert shown["CSAT (mean, 1-5)"] == "3.50"
    assert shown["Satisfied (CSAT 4-5)"] == "50.0%"
    assert "1 of this period's complaints still open" in texts(at)
    # the page's answer in one sentence, the Overview's (3 complaints of 10 contacts, T04 9 days and T05 2)
    assert ("3 complaints (300.0 per 1,000 contacts); half were resolved within 5.5 days (based on only 2 resolved "
            "complaints); 50.0% of resolved complaints were reopened; satisfaction averaged 3.50 out of 5 (based on "
            "only 2 ratings).") in as_read(texts(at))
    rerun_with(at, "channel", ["phone"])
    shown = metrics(at)
    assert (shown["Complaints"], shown["Per 1,000 contacts"], shown["Median complaint resolution"]) == ("1", "500.0", "9.0 days")


def test_complaint_figures_over_a_handful_of_complaints_say_what_they_rest_on(company):
    """A new customer's first weeks: the reopen rate, the follow-up rate and the resolution times rest
    on the resolved complaints (T04 and T05), the CSAT tiles on the rated ones (T04 2, T05 5). Under 30
    (reading 27's line for a compliance) each tile says so; it did not, and one complaint's 9 days read
    as a settled median, one rating of 2 as the customers' satisfaction."""
    at = open_page(new_app(), COMPLAINTS)
    captions = [c.value for c in at.caption]
    assert captions.count("based on only 2 resolved complaints") == 4   # median, p90, reopened, followed up
    assert captions.count("based on only 2 ratings") == 2               # CSAT mean, satisfied
    assert "of this period's complaints still open" in texts(at)        # the count's own note unchanged
    rerun_with(at, "channel", ["phone"])                                 # T04 alone
    captions = [c.value for c in at.caption]
    assert captions.count("based on only 1 resolved complaint") == 4
    assert captions.count("based on only 1 rating") == 2
    overview = [c.value for c in open_page(new_app(), OVERVIEW).caption]
    assert any(c.startswith("slowest 10% resolved over") and c.endswith(" · based on only 2 resolved complaints")
               for c in overview)
    # the reply times rest on the 10 contacts received (8 of them answered): said as well
    assert sum(c.endswith("in working time · based on only 10 contacts received") for c in overview) == 2
    # the complaints tile's count in the singular: it read "1 complaints"
    assert "3 complaints" in overview
    phone = [c.value for c in open_page(new_app({"channel": "phone"})).caption]
    assert "1 complaint" in phone and "1 complaints" not in phone


def test_complaints_resolved_within_each_resolution_promise(company):
    """Spec section 5: the share of complaints resolved within each resolution standard. With the
    7-day promise covering every contact it is 4 met (T01-T03, T05) of 5 judged (T04 missed), 80.0%,
    on the Overview; the Complaints page shows its complaints alone: T05 met, T04 missed, T09
    pending -> 50.0%. Without a resolution promise the page says how to get one."""
    charter_file = Path(os.environ["DASHBOARD_CHARTER"])
    scoped = charter_file.read_text(encoding="utf-8")
    charter_file.write_text(scoped.replace('scope = { kind = "complaint" }\n', ""), encoding="utf-8")
    assert metrics(open_page(new_app(), OVERVIEW))["Resolutions"] == "80.0%"
    at = open_page(new_app(), COMPLAINTS)
    assert not at.exception
    assert metrics(at)["Resolutions"] == "50.0%"
    assert any("Target 95% · 7 days · 1 missed · 1 pending" in c.value for c in at.caption)
    charter_file.write_text(scoped[:scoped.index('[[standard]]\nid = "resolve"')], encoding="utf-8")
    at = open_page(new_app(), COMPLAINTS)
    assert not at.exception and "Resolutions" not in metrics(at)
    assert any("The charter has no resolution promise" in c.value for c in at.caption)


def test_the_open_complaints_tile_says_it_counts_the_periods_complaints_only(company, tmp_path):
    """The tile counts complaints opened in the period and still open; the ageing chart every complaint
    open at as_of, older ones too (reading 13). With a complaint opened on 2 Feb and still open, the
    week of 9 Feb has 1 of its own complaints open (T09) and 2 open in all: each figure says what it
    counts, so 1 beside 2 is no contradiction."""
    load_more_contacts(tmp_path, dict(ticket_id="T11", opened_at="2026-02-02 09:30", customer_id="C4",
                                      kind="complaint", channel="email", team="Billing", category="billing error",
                                      first_response_at="2026-02-02 10:00"))
    at = open_page(new_app({"period": ["2026-02-09", "2026-02-15"]}), COMPLAINTS)
    assert "1 of this period's complaints still open" in texts(at)
    [ageing] = charts_titled(at, "Open complaints by age")
    assert "before the period too" in ageing["layout"]["title"]["subtitle"]["text"].replace("<br>", " ")
    assert sum(int(n) for n in ageing["data"][0]["text"]) == 2


def test_open_complaints_by_age_at_as_of(company):
    """Complaints: T04 (opened 3 Feb 14:00, resolved 12 Feb 14:00), T05 (resolved 6 Feb), T09 (opened
    12 Feb 10:00, open). At as_of, 15 Feb 21:00: T09 only, 3 days 11 h -> 3-7 d. As of 12 Feb 12:00:
    T09 is 2 h old (0-2 d) and T04, resolved later that day, is open, 8 days 22 h -> 8-14 d. As of
    6 Feb 12:00: T04 (2 days 22 h -> 0-2 d); T05 was resolved that morning, T09 not yet opened."""
    from datetime import datetime, timezone

    from queries import Filters, run
    from queries.kpis import as_of
    from store import db

    con = db.connect()
    try:
        def ageing(moment) -> dict[str, int]:
            frame = run(con, "complaints_ageing", Filters(date(2026, 2, 1), date(2026, 2, 28)), as_of=moment)
            return {band: n for band, n in zip(frame["band"], frame["open_complaints"]) if n}
        assert ageing(as_of(con)) == {"3-7 d": 1}
        assert ageing(datetime(2026, 2, 12, 12, tzinfo=timezone.utc)) == {"0-2 d": 1, "8-14 d": 1}
        assert ageing(datetime(2026, 2, 6, 12, tzinfo=timezone.utc)) == {"0-2 d": 1}
    finally:
        con.close()


def test_complaints_query_string_and_neutralised_category(company):
    at = open_page(new_app({"channel": "web"}), COMPLAINTS)
    assert metrics(at)["Complaints"] == "1"
    categories = next(df.value for df in at.dataframe if "category" in df.value.columns)
    assert categories["category"].tolist() == ["'=cmd|' /C calc'!A0"]   # shown as text, never a formula


# ----------------------------------------------------------------------------- Pricing & loyalty

def test_pricing_page_kpis_and_product_filter(company):
    at = open_page(new_app(), PRICING)
    assert title(at) == "Pricing & loyalty"
    shown = metrics(at)
    assert shown["3y+ customers paying above new price"] == "100.0%"
    assert shown["Median gap after 5+ years"] == "+20.0%"
    assert shown["Loyalty penalty"] == "GBP 40"
    assert shown["Monthly churn"] == "-"     # February in progress (reading 48)
    # the tiles' notes: C1's and C3's bills are the 3y+ ones; C1's +20% is the only 5y+ gap
    assert "of 2 bills with a benchmark" in texts(at)
    assert "middle half +20.0% to +20.0%" in texts(at)
    # the page's answer in one sentence, the Overview's: C1 and C3 (3y+) both above; penalty 20 + 10 + 10
    # each figure as its tile prints it (a sentence's '95%' sat above a tile's 94.9%)
    assert "Customers of 3+ years paid more than a new customer on 100.0% of their bills (5+ years: a median +20.0%)" \
        in as_read(texts(at))
    assert "GBP 40 in the period" in as_read(texts(at))
    # the price walk ticks each whole year, and says '10 = 10 or more' only where it reaches 10 (here 5 years at most)
    [walk] = charts_titled(at, "Price walking")
    assert walk["layout"]["xaxis"]["dtick"] == 1
    import numpy as np
    years = walk["data"][-1]["x"]   # Plotly's typed array
    assert np.frombuffer(base64.b64decode(years["bdata"]), dtype=years["dtype"]).max() < 10
    assert "10 or more" not in walk["layout"]["title"]["subtitle"]["text"]
    rerun_with(at, "product", ["Energy"])
    shown = metrics(at)
    assert shown["Loyalty penalty"] == "GBP 30"        # C4's Broadband bill drops out


def test_monthly_churn_is_compared_with_the_months_before_not_with_itself(company, tmp_path):
    """Churn counts whole months: the week of 9-15 Feb counts February, and so would the week before
    it. Its change is against January (nobody left: 0 of 4), not February again (C3 leaves on 20 Feb:
    1 of 4, a change of 0)."""
    # a contact in October, so that the week before 9 Feb is inside the data and compared with; one on
    # 28 February, so that February is over (reading 48)
    load_more_contacts(tmp_path, dict(ticket_id="T12", opened_at="2025-10-01 11:00"),
                       dict(ticket_id="T13", opened_at="2026-02-28 09:00", channel="email"))
    for page in (PRICING, None):
        at = open_page(new_app({"period": ["2026-02-09", "2026-02-15"]}), page)
        churn = next(metric for metric in at.metric if metric.label == "Monthly churn")
        assert (churn.value, churn.delta) == ("25.0%", "+25.0 pts"), page
        assert "96.8% a year · Feb 2026" in texts(at), page    # 1 - 0.75^12 = 1 - 0.0317


def test_monthly_churn_counts_whole_months_not_the_month_in_progress(company, tmp_path):
    """Monthly churn is a whole month's leavers over its starters (reading 48): the month of as_of, a few
    days in, read as a fraction of a month. With a contact on 3 March (as_of), 9 Feb - 3 Mar counts
    February alone: C3 of 4 -> 25.0% (counting March too, 1 / (4 + 3) = 14.3%); its change is against
    January (nobody left). 2-15 Feb, all inside February in progress, has no whole month: no 0%."""
    load_more_contacts(tmp_path, dict(ticket_id="T12", opened_at="2025-10-01 11:00"),
                       dict(ticket_id="T13", opened_at="2026-03-03 09:00", channel="email"))
    for page in (PRICING, None):
        at = open_page(new_app({"period": ["2026-02-09", "2026-03-03"]}), page)
        churn = next(metric for metric in at.metric if metric.label == "Monthly churn")
        assert (churn.value, churn.delta) == ("25.0%", "+25.0 pts"), page
        assert "96.8% a year · Feb 2026 (change vs Jan 2026) · Mar 2026 left out until it ends" in texts(at), page
        [chart] = charts_titled(at, "Churn by price gap" if page else "Do customers who pay more leave more?")
        assert chart["layout"]["title"]["subtitle"]["text"].replace("<br>", " ").endswith(
            "months Feb 2026 · Mar 2026 left out until it ends"), page
    for page in (PRICING, None):
        at = open_page(new_app({"period": ["2026-03-01", "2026-03-03"]}), page)
        assert metrics(at)["Monthly churn"] == "-", page
        assert "Mar 2026 is not over yet: churn counts whole months" in texts(at), page
        assert not at.exception
    # the product filter applies to churn: Energy, C3 of C1, C2, C3; Broadband, C4 stays
    at = open_page(new_app({"period": ["2026-02-09", "2026-03-03"]}), PRICING)
    rerun_with(at, "product", ["Energy"])
    assert metrics(at)["Monthly churn"] == "33.3%"
    rerun_with(at, "product", ["Broadband"])
    assert metrics(at)["Monthly churn"] == "0.0%"


def test_the_churn_sentence_names_the_months_the_churn_tile_names(company, tmp_path):
    """The tile said 'Jan - Feb 2026', the sentence beside it only 'Monthly churn averaged 12.5%', under a
    header naming 5 Jan - 3 Mar: the sentence read as the period's days. as_of 3 Mar, so 5 Jan - 3 Mar
    counts January and February whole: 0 leavers of 4, then C3 of 4 -> 1 / 8 = 12.5% a month,
    1 - 0.875^12 = 79.9% a year; compared with Nov - Dec 2025 (nobody left)."""
    from components import meeting_pack, overview
    from queries import Filters

    load_more_contacts(tmp_path, dict(ticket_id="T12", opened_at="2025-10-01 11:00"),
                       dict(ticket_id="T13", opened_at="2026-03-03 09:00", channel="email"))
    at = open_page(new_app({"period": ["2026-01-05", "2026-03-03"]}))
    tile_note = "79.9% a year · Jan - Feb 2026 (change vs Nov - Dec 2025) · Mar 2026 left out until it ends"
    assert metrics(at)["Monthly churn"] == "12.5%" and tile_note in texts(at)
    sentence = "Monthly churn averaged 12.5% in Jan - Feb 2026 (79.9% a year)"
    assert sentence in texts(at)
    pack = meeting_pack.build_html(overview.gather(Filters(date(2026, 1, 5), date(2026, 3, 3))))
    assert sentence in pack and tile_note in pack
    # one month, as the tile names it (9 Feb - 3 Mar: February alone)
    at = open_page(new_app({"period": ["2026-02-09", "2026-03-03"]}))
    assert "· Feb 2026 (change vs Jan 2026)" in texts(at)
    assert "Monthly churn averaged 25.0% in Feb 2026 (96.8% a year)" in texts(at)


def test_a_period_inside_the_month_in_progress_runs_no_churn_by_price_gap_query(company, tmp_path, monkeypatch):
    """1-3 March, as_of 3 March: no whole month, so no churn and no churn-by-price-gap bars; the Overview
    still ran that query and threw its rows away. The queries the page runs are recorded where every named
    query runs (queries.run_sql, as bench/visit_pages.py records them), each still run as it was."""
    import queries

    load_more_contacts(tmp_path, dict(ticket_id="T13", opened_at="2026-03-03 09:00", channel="email"))
    churn_by_band = queries.sql_text("churn_by_band")
    ran: list[dict] = []
    original = queries.run_sql

    def recording(con, sql, filters=queries.NO_FILTERS, **parameters):
        if sql == churn_by_band:
            ran.append(parameters)
        return original(con, sql, filters, **parameters)

    monkeypatch.setattr(queries, "run_sql", recording)
    at = open_page(new_app({"period": ["2026-03-01", "2026-03-03"]}))
    assert "Mar 2026 is not over yet: churn counts whole months" in texts(at)
    assert ran == []
    # February whole: the query runs (what is recorded is what the page asks)
    open_page(new_app({"period": ["2026-02-09", "2026-03-03"]}))
    assert [parameters.get("grouping") for parameters in ran] == ["price_gap"]

def test_a_month_whose_last_day_is_as_of_counts_whole(company, tmp_path):
    """as_of on 28 February: February is as whole as the data will make it, and counts (C3 of 4)."""
    load_more_contacts(tmp_path, dict(ticket_id="T13", opened_at="2026-02-28 09:00", channel="email"))
    at = open_page(new_app({"period": ["2026-02-09", "2026-02-28"]}))
    assert metrics(at)["Monthly churn"] == "25.0%"
    assert "left out until it ends" not in texts(at)


def test_a_tile_without_a_value_has_no_note_about_nothing(company):
    """2-8 Feb has no bill (they are dated 9 Feb): the tile shows '-', and its note read
    '- loyalty penalty from 3y+ customers'."""
    at = open_page(new_app({"period": ["2026-02-02", "2026-02-08"]}))
    assert metrics(at)["3y+ customers paying above new price"] == "-"
    assert "loyalty penalty from 3y+" not in texts(at)
    assert "complaints" in [c.value for c in at.caption if c.value.endswith("complaints")][0]   # notes of tiles with values stay


def test_pricing_says_the_filters_left_no_contact_rather_than_none_linked_to_a_customer(company):
    at = open_page(new_app({"channel": "chat", "team": "Billing"}), PRICING)   # chat is Repairs' T07 only
    shown = texts(at)
    assert "No contacts match the filters for this period." in shown
    assert "linked to a known customer" not in shown


def test_pricing_query_string(company):
    at = open_page(new_app({"product": "Broadband"}), PRICING)
    assert metrics(at)["Loyalty penalty"] == "GBP 10"


# ----------------------------------------------------------------------------- shared behaviour

def test_csv_downloads_neutralise_formula_cells(company):
    import pandas as pd

    from components.tables import csv_bytes
    from queries import Filters, run
    from store import db

    con = db.connect()
    try:
        categories = run(con, "complaints_by", Filters(), dimension="category")
    finally:
        con.close()
    text = csv_bytes(categories).decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text and "\n=cmd" not in text
    frame = pd.DataFrame({"text": ["+1", "-2", "@x", "\tx", "\rx", "plain", None], "number": [-1, 2, 3, 4, 5, 6, 7]})
    lines = csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert lines[1:4] == ["'+1,-1", "'-2,2", "'@x,3"]   # numbers stay numbers
    assert "plain,6" in lines and ",7" in lines


@pytest.mark.parametrize("page", list(PAGES))
def test_empty_database_says_what_to_do(empty_store, page):
    at = open_page(new_app(), None if page == OVERVIEW else page)
    words = texts(at)
    assert "loaded yet" in words and "python cli.py demo" in words and "Data" in words
    # a screen reader's outline of the empty page: "No ... loaded yet" is an h3 (was an h4), under the title
    # (h1) and question (h2) where the page draws them (Pricing's h1, h5, h4 skipped two levels)
    levels = [{"title": 1, "header": 2, "subheader": 3}.get(node.type) or len(node.value) - len(node.value.lstrip("#"))
              for node in at.main if node.type in ("title", "header", "subheader", "markdown")]
    headings = [level for level in levels if level]
    assert 3 in headings and (1 not in headings or headings[:2] == [1, 2])
    assert all(after <= before + 1 for before, after in zip(headings, headings[1:]))


def test_empty_pricing_page_asks_for_the_customers_and_prices_files_not_a_helpdesk_export(empty_store):
    """Prices and customers come from billing or the CRM: the page sent a new customer to upload
    'your helpdesk export (Zendesk, Freshdesk, ...)' for them."""
    words = texts(open_page(new_app(), PRICING))
    assert "helpdesk" not in words and "Zendesk" not in words
    assert "billing system or CRM" in words and "*Customers*" in words and "*Prices*" in words
    assert "What is in the file?" in words
    # nor does its header say "data as of -" before the first contacts (as_of is theirs)
    assert "data as of -" not in words and "no contacts loaded yet" in words
    # the other pages still ask for the helpdesk's export
    assert "Upload your helpdesk export" in texts(open_page(new_app(), COMPLAINTS))


@pytest.mark.parametrize("page", [OVERVIEW, COMPLIANCE, RESPONSIVENESS, COMPLAINTS])
def test_filters_with_no_matching_contacts_say_so(company, page):
    at = open_page(new_app({"channel": "chat", "team": "Billing"}), None if page == OVERVIEW else page)
    assert "match the filters" in texts(at)


def test_a_period_without_bills_says_so_on_pricing_and_overview(company):
    """Every bill is dated 9 Feb: 2-8 Feb has contacts but no bill, which is not a filter to clear."""
    query = {"period": ["2026-02-02", "2026-02-08"]}
    at = open_page(new_app(query), PRICING)
    assert "No bill is dated in this period" in texts(at) and "clear a filter" not in texts(at)
    # and where the bills are, so "widen the period" says how far (a new customer's bills of the 1st fall
    # before the helpdesk export's first day, where the period opens)
    assert "the bills loaded are dated 9 Feb 2026." in texts(at)
    # churn counts customers, not bills: shown as the Overview shows it, with its charts
    assert not at.exception
    assert [m.label for m in at.metric] == ["Monthly churn"]
    assert "Does it cost us customers?" in [h.value for h in at.subheader]
    at = open_page(new_app(query))
    assert "No bill is dated in this period" in texts(at) and "load prices" not in texts(at)


def test_bills_dated_before_the_first_contact_can_be_put_in_view(company, tmp_path):
    """The helpdesk's export starts on 2 Feb, the billing history earlier: a bill of 5 Jan (C1 paid
    130 against a new customer's 100) is reachable by the period picker and by a link, not reset to
    the default period with an 'outside the data' note."""
    from charter.model import load_charter
    from page_helpers import PRICE_COLUMNS, write_csv
    from store import db
    from store.ingest import load_path

    con = db.connect()
    try:
        january = write_csv(tmp_path / "january.csv", PRICE_COLUMNS, [dict(
            customer_id="C1", period="2026-01-05", price_paid="130", product="Energy", new_customer_price="100")])
        load_path(con, "prices", january, "test", load_charter(Path(os.environ["DASHBOARD_CHARTER"])),
                  preset_name="canonical")
    finally:
        con.close()
    at = open_page(new_app({"period": ["2026-01-05", "2026-01-31"]}), PRICING)
    assert at.date_input(key="period").value == (date(2026, 1, 5), date(2026, 1, 31))
    assert at.date_input(key="period").min == date(2026, 1, 5)
    assert "outside the data" not in texts(at)
    assert metrics(at)["Loyalty penalty"] == "GBP 30"
    # churn counts January whole, and its charts say so rather than the period's days
    churn_charts = charts_titled(at, "Churn by")
    subtitles = [chart["layout"]["title"]["subtitle"]["text"].replace("<br>", " ") for chart in churn_charts]
    assert len(subtitles) == 2 and all(text.endswith("· months Jan 2026") for text in subtitles), subtitles
    # the period the page opens on (the contacts' 2-15 Feb) leaves out 5 Jan and says where the bills are
    at = open_page(new_app({"period": ["2026-02-02", "2026-02-08"]}), PRICING)
    assert "the bills loaded are dated from 5 Jan 2026 to 9 Feb 2026." in texts(at)


def test_numbers_are_formatted_for_people():
    from components import formatting as fmt
    from components.headlines import headline_pct
    from components.tiles import rag_status

    assert (fmt.pct(0.914), fmt.hours(3.2), fmt.money(1_234_567), fmt.money(37_600), fmt.pct(None)) == \
        ("91.4%", "3.2 h", "GBP 1.2m", "GBP 37.6k", "-")
    assert (fmt.duration(0.2), fmt.duration(5.25), fmt.duration(132)) == ("12 min", "5.2 h", "5.5 days")
    assert fmt.period(date(2026, 8, 24), date(2026, 11, 20)) == "24 Aug - 20 Nov 2026 (89 days)"
    assert [rag_status(c, 0.90) for c in (0.90, 0.85, 0.8499, None)] == ["green", "amber", "red", None]
    assert headline_pct(0.946, 0.95) == "94.6%" and headline_pct(0.91, 0.95) == "91.0%"
    # never the 'all' or 'none' a share is not: 2 breaches in 5,000 are not '100.0%' met
    assert [fmt.pct(v) for v in (4998 / 5000, 1 / 5000, 0.99999, 0.00001, 1.0, 0.0, 0.9994)] == \
        ["99.96%", "0.02%", ">99.99%", "<0.01%", "100.0%", "0.0%", "99.9%"]
    assert (fmt.pct(0.996, 0), fmt.pct(1.25), fmt.pct(-0.0)) == ("99.6%", "125.0%", "0.0%")


def test_a_figure_below_its_target_never_reads_as_the_target():
    """245 of 258 = 94.96% against 95% printed '95.0%' beside 'Just below target'."""
    from components import formatting as fmt
    from components.headlines import headline_pct
    from components.tiles import Tile

    assert [fmt.pct_against(v, 0.95) for v in (245 / 258, 0.94996, 0.9504, 0.95, 0.93)] == \
        ["94.96%", "94.99%", "95.0%", "95.0%", "93.0%"]
    assert (headline_pct(245 / 258, 0.95), headline_pct(0.954, 0.95), headline_pct(0.95, 0.95)) == ("94.96%", "95.4%", "95.0%")
    assert Tile("Acknowledgements", 245 / 258, target=0.95).text == "94.96%"
    assert fmt.pct_against(0.946, 0.95, 0) == "94.6%"
    # a target is written as the charter sets it, everywhere: never rounded to one it did not set
    assert [fmt.target(t) for t in (0.95, 0.955, 0.9, 1.0, 0.9999)] == ["95%", "95.5%", "90%", "100%", "99.99%"]
    # one scale down a table column: 'GBP 9,516' and 'GBP 19,600', not 'GBP 19.6k'
    assert [fmt.money_whole(v) for v in (9516.4, 19600, -12.5, None)] == ["GBP 9,516", "GBP 19,600", "-GBP 12", "-"]


def test_the_scorecard_s_note_sits_under_its_table_above_its_download(company):
    """'All promises at a glance': what its columns mean was said under the 'Download CSV' button, apart
    from the table it explains; it comes right after the table, the download after it."""
    at = open_page(new_app(), COMPLIANCE)
    drawn = [node for node in at.main if node.type in ("table", "caption", "download_button")]
    first_table = next(n for n, node in enumerate(drawn) if node.type == "table")
    after = drawn[first_table + 1:first_table + 3]
    assert [node.type for node in after] == ["caption", "download_button"], [node.type for node in after]
    assert after[0].value.startswith("Compliance = met / (met + missed).")
    assert after[1].proto.label == "Download CSV"


def test_the_scorecard_table_prints_percentages_and_never_a_target_it_misses():
    # a first version of the per-row format left every compliance as 0.919887 (a later dict format reset it)
    import re

    import pandas as pd

    from components.scorecard import style as style_scorecard

    # the page shows it as a static table named by its promises, counts with thousands ('17,304')
    frame = pd.DataFrame({"Promise": ["a", "b", "c"], "Target": [0.95, 0.9, 0.9], "Compliance": [245 / 258, 0.919887, None],
                          "Status": ["Just below target", "On target", "No data"], "Met": [245, 17304, 0],
                          "Missed": [13, 1507, 0], "Pending": [0, 26, 0], "Invalid": [1, 1234, 0]}).set_index("Promise")
    cells = re.findall(r">([^<>]+)</td>", style_scorecard(frame.style).to_html())
    # st.table reads each cell as markdown: the '-' of a compliance not judged yet is escaped, or it
    # would be an empty list item, drawn as a dot (tests/browser/test_navigation.py shows the '-')
    assert cells == ["95%", "94.96%", "Just below target", "245", "13", "0", "1",
                     "90%", "92.0%", "On target", "17,304", "1,507", "26", "1,234",
                     "90%", "\\-", "No data", "0", "0", "0", "0"]


def test_a_change_that_rounds_to_nothing_reads_no_change_on_the_tile_and_in_the_meeting_pack():
    """'0.0 days' in grey said nothing of its direction in the meeting pack: a change that rounds to
    nothing is 'no change' beside it, on screen (the metric's description) and in the pack alike; a
    real change keeps its better or worse, a neutral one none."""
    from components import meeting_pack
    from components.tiles import Tile

    steady = Tile("Median complaint resolution", 161.6, "duration", 160.9, better="lower")
    assert (steady.change, steady.verdict, steady.verdict_words) == ("0.0 days", "same", "no change")
    assert '0.0 days (no change)</div>' in meeting_pack._tile(steady)
    churn = Tile("Monthly churn", 0.0091, "share", 0.0089, better="lower")
    assert (churn.change, churn.verdict_words) == ("0.0 pts", "no change")
    assert Tile("Median time", 5.3, "duration", 6.3, better="lower").verdict_words == "better"
    assert Tile("Met the promise", 120, "count", 100, better=None).verdict_words is None
    assert Tile("Met the promise", 120, "count", 120, better=None).verdict_words == "no change"
    assert Tile("If we promised 48 hours", 0.9, "share", 0.9, compared_with="vs the charter").verdict_words == "vs the charter"


def test_changes_and_words_agree_with_the_printed_figures():
    from components.headlines import complaints_headline, pricing_headline, responsiveness_headline
    from components.tiles import change_text

    # 91.989% -> 92.643% print as 92.0% and 92.6%: the change is 0.6 points, not the 0.65 of the raw values
    assert change_text(0.92643, 0.91989, "share") == "+0.6 pts"
    # 57.27 and 57.32 both print as 57.3: not "down from 57.3"
    assert "steady on the previous period" in complaints_headline(100, 57.27, 10, 0.1, 4, 57.32)
    assert "down from 60.0" in complaints_headline(100, 57.27, 10, 0.1, 4, 60)
    assert complaints_headline(1, 200, 5, 0, None).startswith("1 complaint (200.0 per 1,000 contacts)")   # not '1 complaints'
    # the median held (3.4 against 4.0 min) while the slowest tenth went from 0.6 h to 10.1 h
    text = responsiveness_headline(500, 3.4 / 60, 10.1, 4.0 / 60, 0.6)
    assert "the median about the same as in the previous period" in text
    assert "but the slowest tenth waited longer (10.1 h against 36 min)" in text
    assert "slowest tenth" not in responsiveness_headline(500, 3.4 / 60, 10.1, 4.0 / 60, 10.0)
    assert responsiveness_headline(1, None, None) == "1 contact received; none has had a first full reply yet."
    assert responsiveness_headline(1, 2.0, 2.0).startswith("1 contact received; half had")
    assert "slowest tenth" not in responsiveness_headline(500, 2.0, 12.0, 1.0, 6.0)   # both slower: said once
    # in working time, the change worded as its tile words it: 1.6 h after 2.03 h is "-0.4 h" on the tile
    assert "(working time), the median 0.4 h faster than" in responsiveness_headline(500, 1.6, 24.7, 2.03, 31.1,
                                                                                      working=True)
    assert change_text(1.6, 2.03, "working_hours") == "-0.4 h"
    # a change in the unit its value is printed in: 47.1 h after 63.9 h is 16.8 h less, not '-0.7 days'
    assert change_text(47.1, 63.9, "duration") == "-16.8 h"
    assert change_text(63.9, 47.1, "duration") == "+0.7 days"
    # two medians of about two days that differ by half an hour print as "0.0 days" apart: about the same
    assert "the median about the same as in the previous period" in responsiveness_headline(500, 50.0, 80.0, 49.5, 80.0)
    # the penalty of all customers and of the long-standing ones, each named
    assert pricing_headline(0.95, 0.29, 654_186.5, 591_202.53).endswith(
        "the loyalty penalty across all customers came to GBP 654.2k in the period, GBP 591.2k of it from customers of 3+ years.")
    # an empty period says why
    assert "load prices and customers" in pricing_headline(None, None, None, any_bills=False)
    assert "No bill is dated in this period" in pricing_headline(None, None, None, bills_in_period=0)
    assert "has a new-customer price" in pricing_headline(None, None, None, bills_in_period=12)


# ----------------------------------------------------------------------------- demo smoke tests

@pytest.fixture(scope="module")
def demo_database(tmp_path_factory):
    pytest.importorskip("demo.generate")
    from demo.load import build_demo_database

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo_database(path, contacts=20_000, customers=3_000)
    return path


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_on_the_demo_company(demo_database, monkeypatch, page):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_database))
    at = open_page(new_app(), None if page == OVERVIEW else page)
    assert title(at) == PAGES[page]
    assert len(at.metric) >= 4
    assert all(m.value not in ("", "nan", "None") for m in at.metric)
    assert not at.error


def test_uploaded_names_show_as_typed_never_as_markdown():
    from components.formatting import literal

    # CommonMark renders a backslash-escaped punctuation mark as the mark itself
    assert literal("[x](https://evil)") == r"\[x\]\(https\:\/\/evil\)".replace(r"\/", "/")
    assert literal("![](t.png) :red[alarm] **b**") == r"\!\[\]\(t\.png\) \:red\[alarm\] \*\*b\*\*"
    assert literal("Smith & Sons_Ltd") == r"Smith & Sons\_Ltd"


def test_a_category_name_on_a_chart_axis_is_text_and_short():
    """A partner named with HTML rendered as bold and a link; a 900-character name squeezed every bar."""
    import pandas as pd

    from components import charts

    frame = pd.DataFrame({"partner": ['<b>x</b><a href="#">y</a>', "A" * 900, "In-house"], "n": [1, 2, 3]})
    axis = charts.bars(frame, "partner", "n", "t", "s", "n").layout.yaxis
    assert list(axis.tickvals) == list(frame["partner"])   # clicks still name the whole value
    assert list(axis.ticktext) == ["&lt;b&gt;x&lt;/b&gt;&lt;a href=\"#\"&gt;y&lt;/a&gt;", "A" * 39 + "…", "In-house"]


def test_a_link_naming_what_is_not_in_the_data_says_so(company):
    """The date picker and the filters drop what is not in the data; the sidebar says what was left
    out instead of silently showing something else. A value from the address bar is text, not markdown."""
    at = open_page(new_app({"partner": ["Ghost Partner", "FixRight Repairs"], "channel": "[fax](http://e.com)",
                            "period": ["1999-01-04", "2026-02-15"]}))
    shown = texts(at)
    assert "The link's partner Ghost Partner is not in the data, so it is left out." in shown
    assert "The link's channel [fax](http://e.com) is not in the data, so it is left out." in shown
    # a period running past the data is cut to it (the data's two weeks), not replaced
    assert ("The link's period, 4 Jan 1999 to 15 Feb 2026, runs past the data, so it is cut to 2 Feb 2026 to "
            "15 Feb 2026.") in shown
    assert at.date_input(key="period").value == (date(2026, 2, 2), date(2026, 2, 15))
    assert "partner: FixRight Repairs" in shown   # what the link named and the data has still applies
    at = open_page(new_app({"partner": "FixRight Repairs"}))
    assert "not in the data" not in texts(at) and "outside the data" not in texts(at)


@pytest.mark.parametrize("period, shown, note", [
    # wholly outside the data: the latest weeks (all of the small company's two), said so
    (["2027-01-04", "2027-01-10"], (date(2026, 2, 2), date(2026, 2, 15)),
     "The link's period runs outside the data (2 Feb 2026 to 15 Feb 2026), so the latest weeks, 2 Feb to "
     "15 Feb 2026, are shown instead."),
    # not a date: the same, naming what the link said
    (["2026-02-30", "2026-03-31"], (date(2026, 2, 2), date(2026, 2, 15)),
     "The link's period 2026-02-30 to 2026-03-31 is not a date (write 2026-09-01), so the latest weeks"),
    # one day, as one date or as both: that day at both ends of the picker (Streamlit gave it half a range)
    (["2026-02-09"], (date(2026, 2, 9), date(2026, 2, 9)), None),
    (["2026-02-09", "2026-02-09"], (date(2026, 2, 9), date(2026, 2, 9)), None),
    # ends first: put in order
    (["2026-02-13", "2026-02-09"], (date(2026, 2, 9), date(2026, 2, 13)), None),
])
def test_a_linked_period_is_shown_as_near_to_what_it_says_as_the_data_allows(company, period, shown, note):
    at = open_page(new_app({"period": period}))
    assert at.date_input(key="period").value == shown
    assert (note in as_read(texts(at))) if note else ("link_off" not in texts(at))
    assert at.session_state["_filters"].date_from == shown[0] and at.session_state["_filters"].date_to == shown[-1]
    # the address names the days shown (both, for one day), unless they are the latest weeks, left out of a link
    latest = (date(2026, 2, 2), date(2026, 2, 15))
    assert at.query_params.get("period") == (None if shown == latest else [day.isoformat() for day in shown])


def test_an_exact_spelling_in_a_link_wins_over_one_differing_only_in_case(company, tmp_path):
    """Teams are free text: with 'Billing' and 'billing' both in the data, ?team=Billing is Billing."""
    load_more_contacts(tmp_path, dict(ticket_id="T11", opened_at="2026-02-10 11:00", channel="email", team="billing"))
    at = open_page(new_app({"team": "Billing"}))
    assert at.multiselect(key="team").value == ["Billing"] and at.query_params["team"] == "Billing"
    at = open_page(new_app({"team": "BILLING"}))
    assert at.multiselect(key="team").value == ["Billing"]   # no exact match: the first spelling offered


def test_the_latest_weeks_are_said_to_move_on_with_the_data(company, tmp_path):
    """The period the picker opens on is left out of the address, so a link to it opens on the
    latest weeks of the data as they are then: the header and the sidebar say so; chosen dates do not."""
    at = open_page(new_app())    # the small company has two weeks: all of them are shown
    assert ":material/update: every week so far" in at.caption[0].value
    assert "Every week so far: a link to this view moves on with each upload." in texts(at)
    at.date_input(key="period").set_value((date(2026, 2, 2), date(2026, 2, 8))).run()
    assert at.session_state["_filters"].date_to == date(2026, 2, 8)
    assert "update:" not in at.caption[0].value and "moves on with each upload" not in texts(at)

    # a contact in October: the picker now opens on the 13 weeks to 15 Feb
    load_more_contacts(tmp_path, dict(ticket_id="T12", opened_at="2025-10-01 11:00"))
    at = open_page(new_app())
    assert at.date_input(key="period").value == (date(2025, 11, 17), date(2026, 2, 15))
    assert ":material/update: the latest 13 weeks" in at.caption[0].value
    assert "The latest 13 weeks: a link to this view moves on with each upload." in texts(at)


def test_a_linked_period_cut_to_one_day_keeps_its_note(company):
    """The data starts on 2 Feb: a link for 1 Jan to 2 Feb is cut to that one day, and says so."""
    at = open_page(new_app({"period": ["2026-01-01", "2026-02-02"]}))
    assert at.date_input(key="period").value == (date(2026, 2, 2), date(2026, 2, 2))
    assert ("The link's period, 1 Jan 2026 to 2 Feb 2026, runs past the data, so it is cut to 2 Feb 2026 to "
            "2 Feb 2026.") in as_read(texts(at))


def test_a_link_naming_a_choice_a_page_does_not_offer_says_what_is_shown_instead(company):
    """Streamlit gives such a widget its default without a word; the page says so (hand-edited or
    outdated links: a renamed promise, a breakdown or a drill-through that is not there)."""
    at = open_page(new_app({"standard": "Nonexistent", "by": "Agent", "bar": "Nobody", "promise": "99 working days"}),
                   COMPLIANCE)
    shown = as_read(texts(at))
    assert "The link's promise Nonexistent is not one of the choices here, so Replies is shown." in shown
    assert "The link's breakdown Agent is not one of the choices here, so Partner is shown." in shown
    assert "The link's partner Nobody is not on the chart, so every breach is listed." in shown
    assert "The link's expected promise 99 working days is not one of the choices here" in shown
    at = open_page(new_app({"hours": "Minutes"}), RESPONSIVENESS)
    assert "The link's waiting-time basis Minutes is not one of the choices here, so Working hours is shown." in \
        as_read(texts(at))
    at = open_page(new_app({"by": "Team", "hours": "Calendar hours"}), COMPLIANCE)
    assert "link_off" not in texts(at)


def test_a_link_naming_the_waiting_time_basis_by_its_short_name_opens_it(company):
    """?hours=calendar (the choice's name, as someone editing the address types it) was refused with
    'not one of the choices here' and working hours were shown; it is the calendar basis."""
    at = open_page(new_app({"hours": "calendar"}), RESPONSIVENESS)
    assert not at.exception and "link_off" not in texts(at)
    assert at.query_params["hours"] in ("Calendar hours", ["Calendar hours"])
    assert "Times are calendar hours from arrival" in as_read(texts(at))


def test_a_links_unknown_promise_is_still_noted_when_another_value_of_it_is_put_right(company):
    """?standard=Nonexistent&by=team: putting 'team' right reruns the page, and the promise's note was
    lost while the default promise stayed on screen. It stays until the reader picks a promise."""
    at = open_page(new_app({"standard": "Nonexistent", "by": "team"}), COMPLIANCE)
    assert at.button_group(key="by").value == "team" and at.selectbox(key="standard").value == "reply"
    note = "The link's promise Nonexistent is not one of the choices here, so Replies is shown."
    assert note in as_read(texts(at))
    rerun_with(at, "channel", ["phone"])          # another choice: the default promise is still shown
    assert note in as_read(texts(at))
    at.selectbox(key="standard").set_value("resolve").run()
    assert not at.exception and note not in as_read(texts(at))


def test_a_links_note_is_about_its_own_visit_and_its_own_default(company):
    """The note is dropped on another page (a widget bound to the address keeps its value across
    pages, so coming back showed it again) and when the default it names is no longer the one shown
    (the expected promise of another standard)."""
    at = open_page(new_app({"hours": "Minutes"}), RESPONSIVENESS)
    note = "The link's waiting-time basis Minutes is not one of the choices here"
    assert note in as_read(texts(at))
    at.switch_page(COMPLIANCE).run()
    at.switch_page(RESPONSIVENESS).run()
    assert not at.exception and note not in as_read(texts(at))

    at = open_page(new_app({"standard": "Complaint resolutions", "promise": "99 working days"}), COMPLIANCE)
    before = [line for line in as_read(texts(at)).splitlines() if "expected promise 99 working days" in line]
    assert len(before) == 1
    at.selectbox(key="standard").set_value("reply").run()
    assert not at.exception
    assert at.selectbox(key="promise").value == "48:hours"   # 24 hours is the reply promise's own
    assert "expected promise 99 working days" not in as_read(texts(at))   # it said '... so 24 hours is shown'


def test_a_link_may_name_a_promise_by_its_charter_id(company):
    """The charter editor says a promise's id is used in links: ?standard=resolve is that promise, and
    the address is put right to the label the page shows."""
    at = open_page(new_app({"standard": "RESOLVE"}), COMPLIANCE)
    assert at.selectbox(key="standard").value == "resolve"
    assert at.query_params["standard"] == "Complaint resolutions"
    assert "link_off" not in texts(at)


def test_a_linked_filter_value_matches_whatever_its_case(company):
    """?channel=EMAIL&team=billing&partner=in-house: the values the data spells Email, Billing and
    In-house, as the charter's scopes match them; a value the data lacks is still named."""
    at = open_page(new_app({"channel": ["EMAIL", "pigeon"], "team": "billing", "partner": "in-house"}))
    assert at.multiselect(key="channel").value == ["email"]
    assert at.multiselect(key="team").value == ["Billing"]
    assert at.multiselect(key="partner").value == ["In-house"]
    assert "The link's channel pigeon is not in the data, so it is left out." in texts(at)
    assert "EMAIL" not in texts(at) and "billing" not in texts(at)
    # the address says what is shown, so the link copied from it again opens the same view
    assert (at.query_params["channel"], at.query_params["team"], at.query_params["partner"]) == \
        ("email", "Billing", "In-house")


def test_no_change_against_a_previous_period_before_the_data(company):
    """The company's contacts start on Mon 2 Feb 2026: a week from 9 Feb is compared with 2-8 Feb; a
    week from 5 Feb would be compared with days before the data, so no change is shown."""
    at = open_page(new_app({"period": ["2026-02-09", "2026-02-15"]}), RESPONSIVENESS)
    assert "changes vs 2 Feb - 8 Feb 2026 (7 days)" in texts(at)
    assert any(m.delta for m in at.metric)
    # good and bad said in words too, the same way the colour says it (red-green colour blindness)
    from streamlit.proto.Metric_pb2 import Metric
    words_of_colour = {Metric.MetricColor.GREEN: "better", Metric.MetricColor.RED: "worse", Metric.MetricColor.GRAY: ""}
    judged = [(m.proto.color, m.proto.delta_description, m.delta) for m in at.metric if m.delta]
    assert {colour for colour, _, _ in judged} >= {Metric.MetricColor.GREEN, Metric.MetricColor.RED}
    # a grey change that rounds to nothing says so ('no change'); a neutral one says nothing
    assert all(words == ("no change" if not any(digit in delta for digit in "123456789") else words_of_colour[colour])
               for colour, words, delta in judged)
    at = open_page(new_app({"period": ["2026-02-05", "2026-02-11"]}), RESPONSIVENESS)
    assert "changes vs" not in texts(at) and not any(m.delta for m in at.metric)


def test_a_previous_period_is_measured_as_it_stood_at_the_same_age(tmp_path):
    """The period in view has had until as_of to close its slow cases; the previous period, measured
    as the data stands now, has had a period longer, so its slow cases count and the period in view
    looked faster than it was ('2.8 h faster' for a like-for-like 1 h). Measured at $measured_at,
    a reply, acknowledgement, resolution or follow-up call made after it has not happened yet.
    2-3 March 2026 is GMT: local times are UTC."""
    from datetime import UTC, datetime

    from ingest_helpers import load, open_db
    from queries import Filters, run

    con = open_db(tmp_path)
    load(con, "contacts", "ticket_id,opened_at,kind,first_response_at,resolved_at,follow_up_at\n"
                          "P1,2026-03-02 09:00,complaint,2026-03-02 10:00,2026-03-02 19:00,\n"         # 1 h; resolved in 10 h
                          "P2,2026-03-03 09:00,complaint,2026-03-10 09:00,2026-03-20 09:00,2026-03-21 10:00\n"  # 168 h; 408 h
                          "P3,2026-03-04 09:00,enquiry,2026-03-04 12:00,,\n")                          # 3 h
    now = Filters(date(2026, 3, 2), date(2026, 3, 8))
    then = Filters(date(2026, 3, 2), date(2026, 3, 8), measured_at=datetime(2026, 3, 8, tzinfo=UTC))
    columns = ("resolution_median_hours", "resolved", "open", "follow_up_rate")
    assert run(con, "complaints_summary", now, columns=columns).iloc[0].tolist() == [209.0, 2, 0, 0.5]
    assert run(con, "complaints_summary", then, columns=columns).iloc[0].tolist() == [10.0, 1, 1, 0.0]
    columns = ("contacts", "acknowledged_share", "first_response_median_hours")
    assert run(con, "responsiveness_summary", now, columns=columns).iloc[0].tolist() == [3, 1.0, 3.0]
    assert run(con, "responsiveness_summary", then, columns=columns).iloc[0].tolist() == [3, 2 / 3, 2.0]


def test_the_header_says_the_previous_period_is_measured_as_it_stood(company):
    """The company's data ends on Sun 15 Feb 2026 21:00 (as_of): the week of 9 Feb is compared with
    2-8 Feb as it stood a week earlier, on 8 Feb."""
    at = open_page(new_app({"period": ["2026-02-09", "2026-02-15"]}), RESPONSIVENESS)
    assert "changes vs 2 Feb - 8 Feb 2026 (7 days) as it stood on 8 Feb 2026" in texts(at)


def test_the_week_the_data_ends_in_is_shaded_as_in_progress(company):
    """The company's data ends on Sunday 15 Feb 2026 21:00 (as_of), inside the week of 9 Feb: with that
    week in view every weekly chart shades it; a period ending a week earlier shades nothing."""
    def shaded(at) -> int:
        return sum('"so far"' in chart.proto.spec for chart in at.get("plotly_chart"))

    at = open_page(new_app(), RESPONSIVENESS)
    assert shaded(at) == 4   # contacts, backlog, time to acknowledge, time to reply
    at = open_page(new_app({"period": ["2026-02-02", "2026-02-08"]}), RESPONSIVENESS)
    assert shaded(at) == 0


def test_the_week_by_week_grid_keeps_its_fixed_rag_scale():
    """Red, amber and green are levels 0, 1 and 2 (3, 4 and 5 paler when provisional) on a fixed scale
    (a grid with only amber and green cells must not draw amber as red), without a colour bar, cells
    apart; weeks labelled by Monday."""
    import pandas as pd

    from components import charts

    cells = pd.DataFrame({"label": ["Replies", "Replies"], "week": pd.to_datetime(["2026-02-02", "2026-02-09"]),
                          "status": ["amber", "green"], "text": ["93%", "97%"]})
    grid = charts.rag_grid(cells, "t", "s").data[0]
    assert (grid.zmin, grid.zmax, grid.showscale, grid.xgap, grid.ygap) == (-0.5, 5.5, False, 2, 2)
    assert list(grid.z[0]) == [1.0, 2.0]
    # each level's colour, read off the scale at the level's place on it
    def colour(level: float) -> str:
        place = (level - grid.zmin) / (grid.zmax - grid.zmin)
        return [c for edge, c in grid.colorscale if edge <= place][-1]
    assert [colour(level) for level in range(6)] == [
        charts.RAG_COLOURS["red"], charts.RAG_COLOURS["amber"], charts.RAG_COLOURS["green"],
        charts.RAG_PALE["red"], charts.RAG_PALE["amber"], charts.RAG_PALE["green"]]
    unsettled = charts.rag_grid(cells.assign(provisional=[False, True]), "t", "s").data[0]
    assert list(unsettled.z[0]) == [1.0, 5.0] and list(unsettled.text[0]) == ["93", "97"]
    assert list(unsettled.customdata[0]) == ["93%", "97% · provisional: deadlines still to pass"]
    counted = charts.rag_grid(cells.assign(status=["red", "green"], text=["0%", "97%"], met=[0, 97], missed=[1, 3]),
                              "t", "s").data[0]
    assert list(counted.customdata[0]) == ["✕\u20090% (0 of 1 met) · based on only 1 contact",
                                           "97% (97 of 100 met)"]   # what a share rests on
    assert list(grid.text[0]) == ["93", "97"] and list(grid.customdata[0]) == ["93%", "97%"]   # % in the hover
    missed = charts.rag_grid(cells.assign(status=["red", "green"], text=["81%", "97%"]), "t", "s").data[0]
    assert list(missed.text[0]) == ["✕\u200981", "97"]   # a missed week says so without its colour (colour-blind readers)
    axis = charts.rag_grid(cells, "t", "s").layout.xaxis
    assert list(axis.ticktext) == ["2 Feb", "9 Feb"] and grid.texttemplate == "%{text}"
    two_years = pd.DataFrame({"label": "Replies", "week": pd.date_range("2025-01-06", periods=100, freq="7D"),
                              "status": ["red"] + ["green"] * 99, "text": "97%"})
    long_grid = charts.rag_grid(two_years, "t", "s").data[0]
    assert list(long_grid.text[0][:2]) == ["✕", ""]                      # too narrow for a percentage: marks only
    assert list(long_grid.customdata[0][:2]) == ["✕\u200997%", "97%"]   # the hover keeps the figure


def test_chart_titles_wrap_to_fit_a_half_width_chart_on_a_projector():
    """Plotly cuts a title line that does not fit ('...over the new-customer pric'): titles and
    subtitles are wrapped, narrow for the half-width charts, wider for the full-width grid."""
    import pandas as pd

    from components import charts

    frame = pd.DataFrame({"band": ["<1y", "5y+"], "value": [0.1, 0.2]})
    title = "What loyal customers pay over the new-customer price"
    subtitle = "Median price gap by tenure, with the middle half of customers (p25-p75) · price periods in 24 Aug - 20 Nov 2026 (89 days)"
    fig = charts.bars(frame, "band", "value", title, subtitle, "share")
    title_lines, subtitle_lines = fig.layout.title.text.split("<br>"), fig.layout.title.subtitle.text.split("<br>")
    assert " ".join(title_lines) == title and len(title_lines) == 2
    assert all(len(line) <= charts.TITLE_WIDTH for line in title_lines)
    assert " ".join(subtitle_lines) == subtitle and all(len(line) <= charts.SUBTITLE_WIDTH for line in subtitle_lines)
    one_line = charts.bars(frame, "band", "value", "Churn by tenure", "short", "share")
    assert fig.layout.margin.t > one_line.layout.margin.t and fig.layout.height > one_line.layout.height
    cells = pd.DataFrame({"label": ["Replies"], "week": pd.to_datetime(["2026-02-02"]), "status": ["green"],
                          "text": ["97%"]})
    assert "<br>" not in charts.rag_grid(cells, title, "short").layout.title.text   # full width: one line


def test_large_text_draws_every_chart_text_larger_and_wraps_its_title_for_it():
    """On a projector (components/presentation) a chart's every font size is 1.3 times larger, its
    title and subtitle are wrapped for the larger text and given room, and its plot area grows; the
    chart drawn as usual is left as it was (the meeting pack and the CSV use it)."""
    import pandas as pd

    from components import charts

    frame = pd.DataFrame({"band": ["<1y", "5y+"], "value": [0.1, 0.2]})
    title = "What loyal customers pay over the new-customer price"
    subtitle = "Median price gap by tenure, with the middle half of customers (p25-p75) · price periods in 24 Aug - 20 Nov 2026 (89 days)"
    usual = charts.bars(frame, "band", "value", title, subtitle, "share", target=0.15, text=["10%", "20%"])
    before = usual.to_json()
    large = charts.enlarged(usual, 1.3)
    assert usual.to_json() == before                                        # a copy: the usual chart is unchanged
    assert large.layout.font.size == 16.9 and large.layout.title.font.size == 22.1    # 13 and 17 px x 1.3
    assert large.layout.title.subtitle.font.size == 16.2 and large.layout.legend.font.size == 15.6
    assert [note.font.size for note in large.layout.annotations] == [15.6]   # the target line's label, 12 px
    title_lines, subtitle_lines = large.layout.title.text.split("<br>"), large.layout.title.subtitle.text.split("<br>")
    assert " ".join(title_lines) == title and " ".join(subtitle_lines) == subtitle   # the same words
    assert all(len(line) <= int(charts.TITLE_WIDTH / 1.3) for line in title_lines)    # 33 characters a line
    assert all(len(line) <= int(charts.SUBTITLE_WIDTH / 1.3) for line in subtitle_lines)
    assert len(subtitle_lines) > len(usual.layout.title.subtitle.text.split("<br>"))
    assert large.layout.margin.t > usual.layout.margin.t                    # room for the taller heading
    usual_plot = usual.layout.height - usual.layout.margin.t - usual.layout.margin.b
    large_plot = large.layout.height - large.layout.margin.t - large.layout.margin.b
    assert large_plot == round(usual_plot * charts.PLOT_GROWTH)
    # the legend under the plot moves down with the larger tick labels above it
    assert usual.layout.legend.y == -0.14 and large.layout.legend.y == round(-0.14 * 1.3 * 1.3 / charts.PLOT_GROWTH, 3)
    # a bar's figure above it is not shrunk to the bar's width ("13.9%" over a narrow bar)
    assert usual.data[0].constraintext is None and large.data[0].constraintext == "inside"
    cells = pd.DataFrame({"label": ["Replies"], "week": pd.to_datetime(["2026-02-02"]), "status": ["green"],
                          "text": ["97%"], "met": [97], "missed": [3]})
    grid = charts.rag_grid(cells, "t", "s")
    big_grid = charts.enlarged(grid, 1.3)
    assert big_grid.data[0].textfont.size == round(grid.data[0].textfont.size * 1.3, 1)   # the cells' figures
    assert big_grid.layout.yaxis.tickfont.size == round(12.5 * 1.3, 1)                     # the promises' names
    # fewer, larger week labels: four of thirteen weeks, where the usual chart has six (a pack drawn while
    # large text is on keeps its six: the thinning is the large copy's own)
    weeks = pd.DataFrame({"week": pd.date_range("2026-08-24", periods=13, freq="7D"), "n": range(13)})
    trend = charts.weekly_bars(weeks, "week", "n", "Contacts", "t", "s", "contacts")
    assert list(trend.layout.xaxis.ticktext) == ["24 Aug", "14 Sep", "5 Oct", "26 Oct", "16 Nov"]
    assert list(charts.enlarged(trend, 1.3).layout.xaxis.ticktext) == ["24 Aug", "21 Sep", "19 Oct", "16 Nov"]
    # two years of weeks: five month labels, never turned (turned, they ran into the legend as 'Nov 202')
    years = pd.DataFrame({"week": pd.date_range("2024-11-25", periods=105, freq="7D"), "n": range(105)})
    long_trend = charts.weekly_bars(years, "week", "n", "Contacts", "t", "s", "contacts")
    assert list(long_trend.layout.xaxis.ticktext) == ["Nov 2024", "Apr 2025", "Sep 2025", "Feb 2026", "Jul 2026"]
    assert long_trend.layout.xaxis.tickangle == 0
    # the week labels above the grid keep their room, larger, under a heading as tall as any chart's
    # with one line of title and one of subtitle (102 px as usual: 78 and the toolbar's strip above the title)
    usual_heading = 78 + charts.MODEBAR_ROOM
    one_line_heading = charts.enlarged(charts.bars(frame, "band", "value", "t", "s", "share"), 1.3).layout.margin.t
    assert big_grid.layout.margin.t == one_line_heading + round((grid.layout.margin.t - usual_heading) * 1.3)
    assert grid.layout.margin.t > usual_heading


def test_large_text_for_a_projector_is_one_switch_that_travels_in_the_link(company):
    """The sidebar's switch: off, charts are drawn at 13 px and no projector style is on the page; a
    link with ?projector=true opens with it on, every chart at 1.3 x 13 px and the page's root text
    larger; switched off again, all is as usual."""
    import json

    from components.presentation import PROJECTOR_STYLE

    def chart_font_sizes(at) -> set[float]:
        return {json.loads(chart.proto.spec)["layout"]["font"]["size"] for chart in at.get("plotly_chart")}

    def projector_style_on(at) -> bool:
        return any("font-size: 130%" in element.proto.body for element in at.get("html"))

    at = open_page(new_app())
    assert chart_font_sizes(at) == {13} and not projector_style_on(at)
    assert at.toggle(key="projector").value is False
    at = open_page(new_app({"projector": "true"}))
    assert at.toggle(key="projector").value is True
    assert chart_font_sizes(at) == {16.9} and projector_style_on(at)
    assert "font-size: 130%" in PROJECTOR_STYLE.read_text()
    at.toggle(key="projector").set_value(False).run()
    assert chart_font_sizes(at) == {13} and not projector_style_on(at)
    at = open_page(new_app({"projector": "true"}), COMPLIANCE)   # every page, not only the Overview
    assert chart_font_sizes(at) == {16.9}


def test_a_compliance_is_never_printed_rounded_up_across_the_line_that_coloured_it():
    from components.tiles import rag_text

    # target 95%: amber from 90% (a shortfall of up to 5 points), red below
    assert rag_text(0.8992, 0.95, 0) == "89.9%"     # red: a '90%' would read as amber
    assert rag_text(0.8999, 0.95, 0) == "89.9%"     # cut, not rounded to 90.0%
    assert rag_text(0.90, 0.95, 0) == "90%"         # exactly the amber line: amber
    assert rag_text(0.9492, 0.95, 0) == "94.9%"     # amber: not the 95% it falls short of
    assert rag_text(0.50, 0.95, 0) == "50%" and rag_text(0.97, 0.95, 0) == "97%"
    assert rag_text(0.8496, 0.90) == "84.96%"       # one decimal shown: one more where 85.0% would mislead
    # the same in the Overview's sentences and the charts' hover labels
    import pandas as pd

    from components import charts
    from components.headlines import headline_pct
    assert headline_pct(0.8996, 0.95) == "89.96%" and headline_pct(0.946, 0.95) == "94.6%"
    weekly = pd.DataFrame({"week": pd.to_datetime(["2026-02-02"]), "compliance": [0.89996], "met": [1], "missed": [0],
                           "pending": [0]})
    trend = charts.compliance_trend(weekly, 0.95, "t", "s").data[0]
    assert trend.customdata[0][5] == "89.99%" and "%{customdata[5]}" in trend.hovertemplate
    # the weakest partner the Charter headline names, as its bar on the Compliance page prints it (it said '90.0%')
    from components.headlines import StandardResult, Weakest, charter_headline
    follow_up = StandardResult("Complaint follow-ups", "the 2-working-day promise", 0.95, 0.93, 100)
    assert "the slowest partner was FixRight Repairs (89.99%)" in \
        charter_headline([follow_up], Weakest("partner", "FixRight Repairs", 0.89996))
    # and the Charter page's compliance now
    from charter.model import load_charter
    from components.charter_editor import standards_table
    charter = load_charter(Path(__file__).resolve().parents[1] / "data" / "charter.toml")
    first = charter.standards[0]
    summary = pd.DataFrame([{"standard_id": first.id, "compliance": first.target - 0.05 - 0.00004, "met": 1, "missed": 1}])
    assert standards_table(charter, summary).iloc[0]["Compliance now"] == \
        f"{100 * (first.target - 0.05) - 0.01:.2f}%"   # 89.99% under a 95% target, not a rounded-up 90.0%


def test_a_compliance_whose_deadlines_have_not_all_passed_is_marked_provisional(company):
    """Reading 25: 5% or more of the in-scope contacts pending. The small company's resolution
    promise has T05 met, T04 missed and T09 pending (1 of 3): provisional on the scorecard tile and the
    Compliance page; a hand-made week with 1 pending of 20 (5%) is, 1 of 21 (4.8%) is not."""
    import pandas as pd

    from components import charts
    from components.tiles import provisional

    assert provisional(19, 0, 1) and not provisional(20, 0, 1) and not provisional(0, 0, 0)
    at = open_page(new_app())
    notes = [c.value for c in at.caption if "Target 95%" in c.value]
    assert notes and all(note.endswith("· provisional") for note in notes)
    at = open_page(new_app({"standard": "Complaint resolutions"}), COMPLIANCE)
    assert "Target 95% · based on only 2 contacts · provisional" in [c.value for c in at.caption]
    weekly = pd.DataFrame({"week": pd.to_datetime(["2026-02-02", "2026-02-09"]), "compliance": [1.0, 1.0],
                           "met": [20, 19], "missed": [0, 0], "pending": [1, 1]})
    trend = charts.compliance_trend(weekly, 0.95, "t", "s")
    points = trend.data[0]
    assert list(points.marker.color) == [charts.RAG_COLOURS["green"], "white"]     # the provisional one hollow
    assert "provisional" not in points.customdata[0][6] and "provisional" in points.customdata[1][6]
    assert "Hollow: provisional" in [t.name for t in trend.data]


def test_the_weekly_grid_keeps_to_the_period_its_caption_names(company):
    """Follow-ups count in the week of resolution. With the first week in view (T04 and T05 opened
    then), T05's missed follow-up (resolved 6 Feb) is in it; T04's (resolved 12 Feb) belongs to the
    week of 9 Feb, outside the period: the grid stops at the period's end, and says how it counts."""
    import json

    charter_file = Path(os.environ["DASHBOARD_CHARTER"])
    charter_file.write_text(charter_file.read_text(encoding="utf-8") + (
        '\n[[standard]]\nid = "call_back"\nname = "We call back"\nmeasure = "follow_up"\nwithin = 2\n'
        'unit = "business_days"\ntarget = 0.9\nscope = { kind = "complaint" }\n'), encoding="utf-8")
    at = open_page(new_app({"period": ["2026-02-02", "2026-02-08"]}))
    [grid] = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")
              if "week by week" in chart.proto.spec and '"heatmap"' in chart.proto.spec]
    assert [week[:10] for week in grid["data"][0]["x"]] == ["2026-02-02"]
    assert "follow-ups by week of resolution" in json.dumps(grid["layout"]["title"])


def test_a_compliance_on_few_contacts_says_so_and_its_dot_is_pale(company):
    """Reading 27: fewer than 30 met or missed contacts. The small company's reply promise rests on
    6 met + 3 missed = 9 contacts, its resolution promise on 1 + 1 = 2: both tiles say so. In a
    breakdown, a partner on 10 contacts is pale and named 'only 10'; one on 100 is not, and with no
    such value the subtitle does not explain pale dots."""
    import pandas as pd

    from components import charts
    from components.tiles import few_judged

    from components.tiles import judged_note

    assert few_judged(29, 0) and not few_judged(30, 0) and not few_judged(0, 0)   # none judged: no share at all
    assert judged_note(1, 0) == " · based on only 1 contact" and judged_note(40, 2) == ""
    at = open_page(new_app())
    notes = [c.value for c in at.caption if c.value.startswith("Target ")]
    assert any("· 3 missed · 1 pending · based on only 9 contacts" in note for note in notes)
    assert any("· 1 missed · 1 pending · based on only 2 contacts · provisional" in note for note in notes)
    breakdown = pd.DataFrame({"value": ["Small", "Large"], "compliance": [0.80, 0.99], "met": [8, 99],
                              "missed": [2, 1], "pending": 0})
    dots = charts.compliance_by_value(breakdown, 0.95, "t", "% meeting the promise")
    assert list(dots.data[0].marker.opacity) == [0.45, 1.0]                  # worst first: Small, then Large
    small, large = dots.layout.yaxis.ticktext
    assert "only 10" in small and "only" not in large
    assert dots.layout.title.subtitle.text.replace("<br>", " ").endswith("pale: based on fewer than 30 contacts")
    settled = charts.compliance_by_value(breakdown.assign(met=[80, 99]), 0.95, "t", "% meeting the promise")
    assert list(settled.data[0].marker.opacity) == [1.0, 1.0]
    assert settled.layout.title.subtitle.text == "% meeting the promise · dashed line: target 95%"
    # the axis: down to the lowest dot (80%) less 3 points, five ticks at most: every 10 points here; every
    # 25 from 0%, where 21 ticks overlapped, and a dot at 0% clear of the names
    assert list(settled.layout.xaxis.tickvals) == [0.7, 0.8, 0.9, 1.0]
    nothing_met = charts.compliance_by_value(breakdown.assign(compliance=[0.0, 0.99]), 0.95, "t", "s")
    assert list(nothing_met.layout.xaxis.tickvals) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert nothing_met.layout.xaxis.range[0] < 0
    # partners at 37.9%, 54.8% and 57.6% of a 90% promise: eight ticks from 30% turned on their side and ran
    # into each other in the 200 px of axis a half-width chart has at 1280 px
    partners = pd.DataFrame({"value": ["FixRight", "In-house", "Swift"], "compliance": [0.379, 0.548, 0.576],
                             "met": [100, 200, 300], "missed": [164, 165, 221], "pending": 0})
    assert list(charts.compliance_by_value(partners, 0.9, "t", "s").layout.xaxis.tickvals) == [0.2, 0.4, 0.6, 0.8, 1.0]
    for lowest in range(0, 100):   # wherever the worst dot is: at most five ticks, round ones, to 100%, and none past it
        ticks = list(charts.compliance_by_value(breakdown.assign(compliance=[lowest / 100, 0.99]), 0.9, "t", "s")
                     .layout.xaxis.tickvals)
        assert len(ticks) <= 5 and ticks[-1] == 1.0 and ticks[0] <= lowest / 100, (lowest, ticks)


def test_a_week_on_few_contacts_is_pale_in_the_overview_grid_as_on_the_compliance_page(company):
    """Reading 27 in the week-by-week grid: a week resting on fewer than 30 met or missed contacts is
    drawn in the pale of its colour (as a provisional one is), its hover says on how many, and the
    subtitle says what pale means; a week on 30 or more keeps its full colour. The small company's
    weeks all rest on a handful of contacts."""
    import numpy as np
    import pandas as pd

    from components import charts
    from components.tiles import FEW_JUDGED

    cells = pd.DataFrame({"label": ["Follow-ups", "Follow-ups"], "week": pd.to_datetime(["2026-02-02", "2026-02-09"]),
                          "status": ["red", "green"], "text": ["25%", "97%"], "met": [1, 97], "missed": [3, 3]})
    grid = charts.rag_grid(cells, "t", "s")
    assert list(grid.data[0].z[0]) == [3.0, 2.0]   # pale red on 4 contacts, full green on 100
    assert list(grid.data[0].customdata[0]) == ["✕\u200925% (1 of 4 met) · based on only 4 contacts",
                                                "97% (97 of 100 met)"]
    assert grid.layout.title.subtitle.text.replace("<br>", " ") == f"s · pale: fewer than {FEW_JUDGED} contacts"
    both = charts.rag_grid(cells.assign(provisional=[False, True]), "t", "s")
    assert list(both.data[0].z[0]) == [3.0, 5.0]
    assert both.layout.title.subtitle.text.replace("<br>", " ") == (
        f"s · pale: provisional (deadlines still to pass) or fewer than {FEW_JUDGED} contacts")
    settled = charts.rag_grid(cells.assign(met=[40, 97]), "t", "s")
    assert list(settled.data[0].z[0]) == [0.0, 2.0] and settled.layout.title.subtitle.text == "s"

    at = open_page(new_app())
    [grid] = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")
              if "week by week" in chart.proto.spec and '"heatmap"' in chart.proto.spec]
    z = grid["data"][0]["z"]
    levels = np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"])
    levels = levels[~np.isnan(levels)]
    assert len(levels) and (levels >= 3).all()
    assert f"pale: provisional (deadlines still to pass) or fewer than {FEW_JUDGED} contacts" in (
        grid["layout"]["title"]["subtitle"]["text"].replace("<br>", " "))


def test_a_point_shows_its_status_by_its_shape_too():
    """Red and green points look alike to a colour-blind reader: on target a circle, within 5 points
    a diamond, below an x, and the legend names each shape shown."""
    import pandas as pd

    from components import charts

    weekly = pd.DataFrame({"week": pd.to_datetime(["2026-02-02", "2026-02-09", "2026-02-16"]),
                           "compliance": [0.96, 0.92, 0.80], "met": [96, 92, 80], "missed": [4, 8, 20], "pending": 0})
    figure = charts.compliance_trend(weekly, 0.95, "t", "s")
    assert list(figure.data[0].marker.symbol) == ["circle", "diamond", "x"]
    assert [trace.name for trace in figure.data if trace.showlegend is not False] == [
        "Compliance", "On target", "Within 5 points", "Below", "Target 95%"]
    breakdown = pd.DataFrame({"value": ["A", "B"], "compliance": [0.80, 0.99], "met": [8, 99], "missed": [2, 1], "pending": 0})
    dots = charts.compliance_by_value(breakdown, 0.95, "t", "s")
    assert list(dots.data[0].marker.symbol) == ["x", "circle"]   # worst first
    # the hover names the value once: %{y} is the axis' tick text, which carries the figure as well
    assert dots.data[0].hovertemplate.startswith("%{customdata[4]}: <b>%{customdata[3]}</b>")
    assert [list(row[3:]) for row in dots.data[0].customdata] == [["80.0%", "A"], ["99.0%", "B"]]
    assert [trace.name for trace in dots.data if trace.showlegend is not False] == ["On target", "Below"]
    # the subtitle names the target line: a label beside it was cut at the axis' end, 7 points past 95%
    assert [(shape.x0, shape.line.dash) for shape in dots.layout.shapes] == [(0.95, "dash")]
    assert not dots.layout.annotations
    assert dots.layout.title.subtitle.text.startswith("s · dashed line: target 95%")

