"""One figure, one reading: where two places an executive looks at (the Overview and a page, a headline
and the tile beside it, the dashboard and `cli.py kpis`) show the same number, they print it alike, or
the page says why they differ. Each test reads the figure through both paths, on real DuckDB files
loaded through the upload path, and checks a hand-worked value where the number itself is at stake."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from page_helpers import (
    CONTACT_COLUMNS, build_small_company, metrics, new_app, open_page, texts, write_csv,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
COMPLIANCE, RESPONSIVENESS, COMPLAINTS, PRICING = ("views/compliance.py", "views/responsiveness.py",
                                                  "views/complaints.py", "views/pricing.py")


@pytest.fixture
def company(tmp_path):
    build_small_company(tmp_path, Path(os.environ["DASHBOARD_DB"]), Path(os.environ["DASHBOARD_CHARTER"]))


def tile_notes(at) -> dict[str, str]:
    """Metric label -> the caption drawn under it in its tile (the tile's note), where it has one."""
    notes: dict[str, str] = {}

    def walk(block) -> None:
        children = list(getattr(block, "children", {}).values())
        labels = [child.label for child in children if getattr(child, "type", None) == "metric"]
        captions = [child.value for child in children if getattr(child, "type", None) == "caption"]
        if len(labels) == 1 and captions:
            notes.setdefault(labels[0], captions[0])
        for child in children:
            walk(child)

    walk(at.main)
    return notes


# ----------------------------------------------------------------------------- the Charter headline

def _teams_company(tmp_path: Path) -> None:
    """Three in-house teams answering within 24 hours (met: 1 h) or not (missed: 30 h), in February 2026:
    Small 5 met of 25 (20.0%, on only 25 contacts), Big 12 of 40 (30.0%), Main 60 of 100 (60.0%).
    The promise: 77 / 165 = 46.7%, far below its 90% target; no complaint, so 'resolve' is not judged."""
    build_small_company(tmp_path, Path(os.environ["DASHBOARD_DB"]), Path(os.environ["DASHBOARD_CHARTER"]),
                        with_data=False)
    rows = []
    for team, met, missed in (("Small", 5, 20), ("Big", 12, 28), ("Main", 60, 40)):
        for number in range(met + missed):
            day, hour = 2 + number % 5, 9 + number // 5 % 8    # Mon 2 - Fri 6 Feb, 09:00 onwards
            replied = 1 if number < met else 30
            rows.append(dict(ticket_id=f"{team}-{number}", opened_at=f"2026-02-{day:02d} {hour:02d}:00",
                             channel="email", team=team,
                             first_response_at=f"2026-02-{day + (hour + replied) // 24:02d} {(hour + replied) % 24:02d}:00"))
    from charter.model import load_charter
    from store import db
    from store.ingest import load_path

    con = db.connect()
    try:
        load_path(con, "contacts", write_csv(tmp_path / "teams.csv", CONTACT_COLUMNS, rows), "test",
                  load_charter(Path(os.environ["DASHBOARD_CHARTER"])), preset_name="canonical")
    finally:
        con.close()


def test_the_charter_headline_never_names_a_team_the_compliance_page_marks_as_too_few_to_compare(tmp_path):
    _teams_company(tmp_path)
    overview = open_page(new_app())
    assert metrics(overview)["Replies"] == "46.7%"
    words = texts(overview)
    # Small (20.0%) rests on 25 contacts: the Compliance page draws its dot pale, 'only 25'
    assert "the weakest team was Big (30.0%)" in words, words
    assert "Small" not in words
    # the same team and figure on the Compliance page's breakdown, where it is not marked as too few
    compliance = open_page(new_app({"by": "team"}), COMPLIANCE)
    [bars] = [json.loads(c.proto.spec) for c in compliance.get("plotly_chart") if "Compliance by team" in c.proto.spec]
    ticks = {text.split("  ")[0]: text for text in bars["layout"]["yaxis"]["ticktext"]}
    assert "<b>30.0%</b>" in ticks["Big"] and "only" not in ticks["Big"]
    assert "only 25" in ticks["Small"]


# ----------------------------------------------------------------------------- Complaints

def test_the_complaints_sentence_prints_satisfaction_as_its_tile_does(company):
    from page_helpers import as_read

    # CSAT 2 and 5 -> 3.50: the tile prints two decimals, and so does the sentence above it
    complaints = open_page(new_app(), COMPLAINTS)
    tile = metrics(complaints)["CSAT (mean, 1-5)"]
    assert tile == "3.50"
    assert f"satisfaction averaged {tile} out of 5 (based on only 2 ratings)." in as_read(texts(complaints))
    # the Overview's sentence (and so the meeting pack's) says it alike
    assert f"satisfaction averaged {tile} out of 5 (based on only 2 ratings)." in texts(open_page(new_app()))


def test_a_sentence_says_its_base_where_the_tile_beside_it_does(company):
    """The tiles say 'based on only N ...' under 30 (few_note); the sentences quoted the same figures as
    settled. T04 (9 days, reopened, CSAT 2) and T05 (2 days, CSAT 5) are the 2 resolved and rated
    complaints of 3; the 7-day promise judged those 2 (T04 missed). The reopen rate's base is the
    resolution time's, said once."""
    from components import meeting_pack, overview
    from components.headlines import complaints_headline
    from components.tiles import FEW_JUDGED
    from page_helpers import as_read
    from queries import Filters

    complaints = ("3 complaints (300.0 per 1,000 contacts); half were resolved within 5.5 days (based on only 2 "
                  "resolved complaints); 50.0% of resolved complaints were reopened; satisfaction averaged 3.50 out "
                  "of 5 (based on only 2 ratings).")
    charter = "Complaint resolutions met the 7-day promise 50.0% of the time (based on only 2 contacts), below the 95% target"
    on_overview = as_read(texts(open_page(new_app())))
    assert complaints in on_overview and charter in on_overview
    assert complaints in as_read(texts(open_page(new_app(), COMPLAINTS)))
    notes = tile_notes(open_page(new_app(), COMPLAINTS))
    assert notes["CSAT (mean, 1-5)"] == "based on only 2 ratings"     # the tile beside it, alike
    pack = meeting_pack.build_html(overview.gather(Filters(date(2026, 2, 2), date(2026, 2, 15))))
    assert "satisfaction averaged 3.50 out of 5 (based on only 2 ratings)" in pack
    # the tiles' bound, not a second one: 29 ratings are few, 30 are not
    assert complaints_headline(40, 10, 5, 0.1, 4.0, timed=FEW_JUDGED - 1, resolved=FEW_JUDGED - 1,
                               rated=FEW_JUDGED - 1).count("based on only 29") == 2
    assert "based on only" not in complaints_headline(40, 10, 5, 0.1, 4.0, timed=FEW_JUDGED, resolved=FEW_JUDGED,
                                                      rated=FEW_JUDGED)
    assert complaints_headline(1, 200, 5, 0, 1.0, timed=1, resolved=1, rated=1).endswith(
        "satisfaction averaged 1.00 out of 5 (based on only 1 rating).")


def test_the_responsiveness_tiles_say_a_small_base_as_the_overview_does(company):
    """10 contacts received, under the 30 the Overview's reply-time tiles note; the Responsiveness page's
    times and acknowledged share said nothing of it. The count itself needs no such note."""
    notes = tile_notes(open_page(new_app(), RESPONSIVENESS))
    for label in ("Acknowledged", "Median time to acknowledge", "Median time to first reply"):
        assert notes[label].endswith("based on only 10 contacts received"), label
    assert "based on only" not in notes.get("Contacts received", "")


# ----------------------------------------------------------------------------- Responsiveness

def test_the_overview_reply_times_are_on_the_responsiveness_tiles_in_both_bases(company):
    """The Overview shows calendar hours with the working twin under them; the Responsiveness page shows
    one basis at a time, and notes the other under each time, so the Overview's figure is on it."""
    overview = open_page(new_app())
    shown, notes = metrics(overview), tile_notes(overview)
    # first replies 0.5 1 1 2 6 24 26 28 h (calendar) -> median 4.0 h
    assert shown["Median time to first reply"] == "4.0 h"
    working = open_page(new_app(), RESPONSIVENESS)
    few = " · based on only 10 contacts received"
    assert tile_notes(working)["Median time to first reply"] == f"{shown['Median time to first reply']} in calendar time{few}"
    assert tile_notes(working)["Slowest 10% waited over"] == f"{shown['Slowest 10% waited over']} in calendar time{few}"
    # (the company's 10 contacts are under the 30 a tile calls few, which the Overview's note adds)
    assert notes["Median time to first reply"] == \
        f"{metrics(working)['Median time to first reply']} in working time · based on only 10 contacts received"
    calendar = working
    calendar.button_group(key="hours").set_value("calendar").run()
    assert metrics(calendar)["Median time to first reply"] == shown["Median time to first reply"]
    assert tile_notes(calendar)["Median time to first reply"].split(" · ")[0] == notes["Median time to first reply"].split(" · ")[0]


def test_the_reply_and_resolution_times_have_one_name_on_every_page(company):
    """The Overview's 'Slowest 10% waited over' was 'Replied within (p90)' on the Responsiveness page, its
    'Median complaint resolution' 'Resolved within (median)' on the Complaints page: one figure read as
    two. First replies 0.5 1 1 2 6 24 26 28 h (calendar): p90 26.6 h; resolutions 9 and 2 days: 5.5 days."""
    from components import meeting_pack, overview
    from components.labels import COMPLAINT_RESOLUTION_MEDIAN, FIRST_REPLY_MEDIAN, FIRST_REPLY_P90
    from queries import Filters

    on_overview = metrics(open_page(new_app()))
    responsiveness = open_page(new_app(), RESPONSIVENESS)
    responsiveness.button_group(key="hours").set_value("calendar").run()     # the Overview's basis
    assert metrics(responsiveness)[FIRST_REPLY_P90] == on_overview[FIRST_REPLY_P90] == "26.6 h"
    assert metrics(responsiveness)[FIRST_REPLY_MEDIAN] == on_overview[FIRST_REPLY_MEDIAN] == "4.0 h"
    assert metrics(open_page(new_app(), COMPLAINTS))[COMPLAINT_RESOLUTION_MEDIAN] == \
        on_overview[COMPLAINT_RESOLUTION_MEDIAN] == "5.5 days"
    pack = meeting_pack.build_html(overview.gather(Filters(date(2026, 2, 2), date(2026, 2, 15))))
    assert all(label in pack for label in (FIRST_REPLY_MEDIAN, FIRST_REPLY_P90, COMPLAINT_RESOLUTION_MEDIAN))



def test_the_acknowledgement_and_slowest_resolution_times_are_named_as_the_reply_times_are(company):
    """'Acknowledged within (median)', 'Acknowledged within (p90)' and 'Resolved within (p90)' sat beside
    'Median time to first reply' and 'Slowest 10% waited over': a statistician's words beside an
    executive's for the same kind of figure. Each now has its name in labels.py, in the same pattern,
    on every page that shows it. No contact has an acknowledgement of its own, so a reply is one:
    0.5 1 1 2 6 24 26 28 h (calendar) -> median 4.0 h, p90 26.6 h; resolutions 216 and 48 h -> p90 8.3 days."""
    from components import meeting_pack, overview
    from components.labels import (
        ACKNOWLEDGE_MEDIAN, ACKNOWLEDGE_P90, COMPLAINT_RESOLUTION_MEDIAN, COMPLAINT_RESOLUTION_P90,
        FIRST_REPLY_MEDIAN, FIRST_REPLY_P90,
    )
    from queries import Filters

    assert all(label.startswith("Median ") for label in (ACKNOWLEDGE_MEDIAN, FIRST_REPLY_MEDIAN,
                                                          COMPLAINT_RESOLUTION_MEDIAN))
    assert all(label.startswith("Slowest 10% ") and label.endswith(" over")
               for label in (ACKNOWLEDGE_P90, FIRST_REPLY_P90, COMPLAINT_RESOLUTION_P90))
    responsiveness = open_page(new_app(), RESPONSIVENESS)
    responsiveness.button_group(key="hours").set_value("calendar").run()
    shown = metrics(responsiveness)
    assert (shown[ACKNOWLEDGE_MEDIAN], shown[ACKNOWLEDGE_P90]) == ("4.0 h", "26.6 h")
    complaints = open_page(new_app(), COMPLAINTS)
    assert metrics(complaints)[COMPLAINT_RESOLUTION_P90] == "8.3 days"
    # the Overview notes the figure under its median, by the same name
    under_median = tile_notes(open_page(new_app()))[COMPLAINT_RESOLUTION_MEDIAN]
    assert under_median.startswith(f"{COMPLAINT_RESOLUTION_P90.lower()} 8.3 days")
    pack = meeting_pack.build_html(overview.gather(Filters(date(2026, 2, 2), date(2026, 2, 15))))
    assert f"{COMPLAINT_RESOLUTION_P90.lower()} 8.3 days" in pack
    # and no page's tile keeps the old words
    for page in (responsiveness, complaints):
        assert not [m.label for m in page.metric if "within (" in m.label]

# ----------------------------------------------------------------------------- Pricing

def test_the_loyalty_share_has_one_name_on_the_overview_and_the_pricing_page(company):
    overview, pricing = metrics(open_page(new_app())), metrics(open_page(new_app(), PRICING))
    [label] = [name for name in overview if "paying above new price" in name]
    assert pricing[label] == overview[label] == "100.0%"


# ----------------------------------------------------------------------------- kpis --json

def test_kpis_help_says_which_figures_its_dates_select(tmp_path):
    """--from/--to keep contacts (spec reading 14); prices and churn cover every period, unlike the
    Pricing page for the same dates: the help says so where the analyst picks the dates."""
    done = subprocess.run([sys.executable, "cli.py", "kpis", "--help"], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, check=True)
    help_text = " ".join(done.stdout.split())
    assert "contacts opened" in help_text
    assert "pricing_by_tenure and churn_monthly cover every period" in help_text
    # the sidebar's filters, and the one of them the Pricing page applies to prices and churn
    assert "--channel, --team, --partner and --product are the sidebar's filters" in help_text
    assert "of the filters only --product applies to them, as on the Pricing page" in help_text


def _kpis(*options: str) -> subprocess.CompletedProcess:
    """`cli.py kpis --json` in its own process, on the test's database and charter (the environment's)."""
    environment = {key: value for key, value in os.environ.items() if key != "CHARTERDESK_DEBUG"}
    return subprocess.run([sys.executable, "cli.py", "kpis", "--json", *options], cwd=PROJECT_ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def _report(*options: str) -> dict:
    done = _kpis(*options)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _reply(report: dict) -> dict:
    [reply] = [standard for standard in report["standards"] if standard["id"] == "reply"]
    return {key: reply[key] for key in ("met", "missed", "pending", "compliance")}


def test_kpis_with_the_sidebar_filters_gives_the_figures_of_the_page_a_shared_link_opens(company):
    """An executive's link ?channel=email and `kpis --channel email` give the same figures. By hand, the
    email contacts T01 T02 T05 T06 T08 T10: replies met 3 (2 h, 24 h, 1 h), missed 2 (28 h, 26 h), T10
    pending: 60.0%, against 6 met, 3 missed, 66.7% over all ten; 1 complaint (T05) of 6 contacts, 166.7
    per 1,000, against 3 of 10. Prices and churn are not contacts: the channel leaves them as they were,
    as on the Pricing page, and the report says so; the product selects them there and here."""
    everything, email = _report(), _report("--channel", "EMAIL")   # matched whatever its case, as a link's
    assert _reply(everything) == {"met": 6, "missed": 3, "pending": 1, "compliance": 6 / 9}
    assert _reply(email) == {"met": 3, "missed": 2, "pending": 1, "compliance": 0.6}
    assert (email["complaints"]["count"], email["data_quality"]["contacts"]) == (1, 6)
    assert email["filters"] == {"from": None, "to": None, "channel": ["email"], "team": [], "partner": [],
                                "product": [], "not_applied_to_pricing_and_churn": ["channel"]}
    assert everything["filters"]["not_applied_to_pricing_and_churn"] == []
    assert (email["pricing_by_tenure"], email["churn_monthly"]) == (everything["pricing_by_tenure"],
                                                                   everything["churn_monthly"])

    # repeated or as a comma list, as the sidebar's two picks: email (6) and phone (T03, T04) are 8 contacts
    both = _report("--channel", "email", "--channel", "phone")
    assert both["data_quality"]["contacts"] == 8 and both["filters"]["channel"] == ["email", "phone"]
    assert _report("--channel", "email,phone")["standards"] == both["standards"]
    # Broadband is C4's alone: its bill is the one price row left, and the report says nothing was set aside
    broadband = _report("--product", "broadband")
    assert [band["rows"] for band in broadband["pricing_by_tenure"]] == [0, 0, 1, 0, 0]
    assert broadband["data_quality"]["contacts"] == 1 and broadband["filters"]["not_applied_to_pricing_and_churn"] == []

    # the pages last: the app then holds the database, which a command then could not open
    compliance = metrics(open_page(new_app({"channel": "email"}), COMPLIANCE))
    assert (compliance["Compliance"], compliance["Met the promise"], compliance["Missed (breaches)"],
            compliance["Pending"]) == ("60.0%", "3", "2", "1")
    complaints = metrics(open_page(new_app({"channel": "email"}), COMPLAINTS))
    assert (complaints["Complaints"], complaints["Per 1,000 contacts"]) == (
        "1", "166.7") == (f"{email['complaints']['count']}", f"{email['complaints']['per_1000_contacts']:.1f}")


def test_kpis_refuses_a_filter_value_the_data_does_not_have(company):
    """Leaving a mistyped channel out would print everyone's figures under a filter the analyst believes
    applied: it is refused in plain words naming what the data has, with no traceback and no report."""
    done = _kpis("--channel", "email", "--channel", "fax")
    assert done.returncode == 2 and done.stdout == ""
    assert "refused: --channel 'fax' is not in the data (its channel values are chat, email, phone, web)" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_sidebar_gives_the_command_line_that_prints_the_figures_on_screen(company):
    """The sidebar writes out the `kpis` command of the view in it, the link's latest weeks as dates; run,
    it prints the page's figures. Email and phone contacts handled in-house: the six email ones (T03 and
    T04, by phone, went to FixRight Repairs), so replies 3 met, 2 missed, 60.0%, where email and phone
    from anyone are 5 met of 7 and everything 6 of 9."""
    import gc
    import shlex

    import streamlit as st

    at = open_page(new_app({"channel": ["email", "phone"], "partner": "in-house"}), COMPLIANCE)
    shown = metrics(at)
    assert (shown["Compliance"], shown["Met the promise"], shown["Missed (breaches)"]) == ("60.0%", "3", "2")
    [command] = [code.value for code in at.sidebar.code]
    assert command == ("python cli.py kpis \\\n --json \\\n --from 2026-02-02 \\\n --to 2026-02-15 \\\n --channel email \\\n"
                       " --channel phone \\\n --partner In-house")
    st.cache_resource.clear()   # the app lets go of the database, as a stopped server would
    del at
    gc.collect()
    words = shlex.split(command.replace("\\\n", " "))   # as a shell reads the lines it continues
    assert words[:4] == ["python", "cli.py", "kpis", "--json"]
    assert _reply(_report(*words[4:])) == {"met": 3, "missed": 2, "pending": 1, "compliance": 0.6}
    assert _reply(_report("--channel", "email,phone"))["compliance"] == 5 / 7


# ----------------------------------------------------------------------------- previous period

def test_the_churn_tile_names_the_months_its_change_is_against_on_screen_and_in_the_meeting_pack(company, tmp_path):
    """The header names the previous period (2-8 Feb for 9-15 Feb); churn counts whole months, so its
    change is against January, not February again (reading 31). The tile's help said so, which the
    meeting pack, with no tooltips, leaves out: its note names the months. Feb: C3 of 4 leaves -> 25.0%,
    1 - 0.75^12 = 96.8% a year; January: nobody -> +25.0 pts."""
    from components import meeting_pack, overview
    from page_helpers import load_more_contacts
    from queries import Filters

    load_more_contacts(tmp_path, dict(ticket_id="T12", opened_at="2025-10-01 11:00"),   # 2-8 Feb is in the data
                       dict(ticket_id="T13", opened_at="2026-02-28 09:00", channel="email"))   # February is over
    note = "96.8% a year · Feb 2026 (change vs Jan 2026)"
    for page in ("views/overview.py", PRICING):
        at = open_page(new_app({"period": ["2026-02-09", "2026-02-15"]}), page)
        assert "changes vs 2 Feb - 8 Feb 2026" in texts(at)
        assert (metrics(at)["Monthly churn"], tile_notes(at)["Monthly churn"]) == ("25.0%", note), page
    pack = meeting_pack.build_html(overview.gather(Filters(date(2026, 2, 9), date(2026, 2, 15))))
    assert '<div class="value">25.0%</div><div class="change" style="color:#' in pack
    assert f'<div class="note">{note}</div>' in pack


def test_the_promises_changes_say_they_are_judged_now_where_the_header_says_as_it_stood(company, tmp_path):
    """The header's 'as it stood on 8 Feb' dates waiting and resolution times (reading 37); a promise's
    change compares with the previous period's contacts judged as the data stands now. Said under the
    promises on the Overview, in the meeting pack, on the Compliance page and beside the Complaints
    page's resolution promise. Replies, 9-15 Feb: T06 T07 met, T08 (26 h) and T09 (never) missed, T10
    pending -> 2 / 4 = 50.0%; 2-8 Feb: T01 T03 T04 T05 met, T02 (28 h) missed -> 4 / 5 = 80.0%: -30.0 pts."""
    from components import meeting_pack, overview
    from page_helpers import load_more_contacts
    from queries import Filters

    load_more_contacts(tmp_path, dict(ticket_id="T12", opened_at="2025-10-01 11:00"))   # 2-8 Feb is in the data
    said = ("Changes compare with the contacts of 2 Feb - 8 Feb 2026 (7 days) judged as the data stands now, "
            "not as they stood on 8 Feb 2026 as waiting and resolution times are.")
    week = {"period": ["2026-02-09", "2026-02-15"]}
    at = open_page(new_app(week))
    assert "as it stood on 8 Feb 2026" in texts(at)
    replies = next(metric for metric in at.metric if metric.label == "Replies")
    assert (replies.value, replies.delta) == ("50.0%", "-30.0 pts")
    assert said in texts(at)
    assert said in texts(open_page(new_app(week), COMPLIANCE))
    assert said in texts(open_page(new_app(week), COMPLAINTS))
    assert said in meeting_pack.build_html(overview.gather(Filters(date(2026, 2, 9), date(2026, 2, 15))))
    # no previous period, nothing to say
    assert "Changes compare with" not in texts(open_page(new_app()))


def test_the_meeting_pack_s_charts_carry_the_words_the_page_gives_a_screen_reader(company):
    """The Overview's charts have a text alternative on the page (charts.text_alternative, as
    st.plotly_chart's alt); the meeting pack drew the same charts with none. Each chart's box in the
    pack is now a figure named with the same words, taken from the chart's own data."""
    import re
    from html import escape

    from components import charts, meeting_pack, overview
    from queries import Filters

    content = overview.gather(Filters(date(2026, 2, 2), date(2026, 2, 15)))
    pack = meeting_pack.build_html(content)
    named = re.findall(r'<div class="chart" role="figure" aria-label="([^"]*)">', pack)
    assert content.figures and len(named) == len(content.figures) == pack.count('<div class="chart"')
    for label, figure in zip(named, content.figures):
        words = charts.text_alternative(figure.figure)
        assert words and label == escape(words)
        assert ": " in words and any(character.isdigit() for character in words)   # a title and its figures
