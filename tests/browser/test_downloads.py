"""Scenarios 5 and 6: what people take away from the Overview. The scorecard CSV and the meeting
pack HTML must say exactly what the page shows."""
from __future__ import annotations

import csv
import io
import re

import pytest

from browser_helpers import METRIC, assert_no_errors, metrics, open_url

pytestmark = pytest.mark.browser

# the Compliance page's table "All promises at a glance", column for column
SCORECARD_HEADER = ["Promise", "Within", "Target", "Compliance", "Status", "Provisional", "Met", "Missed", "Pending",
                    "Invalid"]


@pytest.fixture(scope="module")
def overview(shared_context, server):
    """One Overview page for both tests (downloads do not rerun the page, so it stays as drawn)."""
    page = shared_context.new_page()
    open_url(page, server.url("/"))
    yield page
    page.close()


def scorecard_tiles(page) -> list[dict]:
    """The Charter scorecard tiles as drawn: label, value, badge and the note's counts."""
    tiles = []
    section = page.locator('[data-testid="stMain"] [data-testid="stHorizontalBlock"]').filter(
        has=page.get_by_text(re.compile(r"· [\d,]+ missed · [\d,]+ pending( · provisional)?$")))
    for metric in section.first.locator(METRIC).all():
        tile = metric.locator("xpath=ancestor::*[@data-testid='stVerticalBlock'][1]").inner_text()
        note = re.search(r"Target (\d+)% · .* · ([\d,]+) missed · ([\d,]+) pending", tile)
        assert note, f"no note in tile {tile!r}"
        tiles.append({
            "label": metric.locator('[data-testid="stMetricLabel"]').inner_text().strip(),
            "value": metric.locator('[data-testid="stMetricValue"]').inner_text().strip(),
            "badge": next(b for b in ("Just below target", "Below target", "On target", "No data") if b in tile),
            "target": int(note.group(1)),
            "missed": int(note.group(2).replace(",", "")),
            "pending": int(note.group(3).replace(",", "")),
            "provisional": tile.rstrip().endswith("· provisional"),
        })
    return tiles


def sidebar_period(page) -> str:
    """The sidebar's period as downloads name it: '2026-08-24-to-2026-11-20'."""
    first, last = [field.input_value() for field in page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"] input[type="date"]').all()]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", first) and first < last
    return f"{first}-to-{last}"


def download_csv(page, button: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).first.click()   # the first on the page: its top table's
    download = info.value
    assert download.failure() is None
    return download.suggested_filename, open(download.path(), "rb").read()


def test_scorecard_csv_matches_the_tiles(app, overview):
    page = app.watch(overview)
    tiles = scorecard_tiles(page)
    assert len(tiles) == 5  # the default charter's five promises

    name, raw = download_csv(page, "Download the scorecard (CSV)")
    # named with the period in the sidebar, so this Monday's file is told apart from last Monday's
    assert name == f"charter-scorecard-{sidebar_period(page)}.csv"
    assert raw.startswith(b"\xef\xbb\xbf"), "the CSV should carry a UTF-8 byte-order mark for Excel"
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig")))
    header, *rows = list(reader)
    assert header == SCORECARD_HEADER
    assert len(rows) == len(tiles)
    for row, tile in zip((dict(zip(header, r)) for r in rows), tiles):
        assert row["Promise"] == tile["label"]
        # Full precision in the file, rounded on the tile.
        assert f"{100 * float(row['Compliance']):.1f}%" == tile["value"], (row, tile)
        assert round(100 * float(row["Target"])) == tile["target"]
        assert int(row["Missed"]) == tile["missed"] and int(row["Pending"]) == tile["pending"]
        assert row["Status"] == tile["badge"], (row, tile)
        assert (row["Provisional"] == "yes") == tile["provisional"], (row, tile)
        # compliance = met / (met + missed), by hand from the file's own counts
        met, missed = int(row["Met"]), int(row["Missed"])
        assert float(row["Compliance"]) == pytest.approx(met / (met + missed))
    assert_no_errors(page)

    # The Compliance page offers the same scorecard: the same file, byte for byte (the Overview's
    # once had status codes and True/False where this one has the words on screen).
    compliance = app.new_page("/compliance")
    assert download_csv(compliance, "Download CSV") == (name, raw)


def test_meeting_pack_opens_offline_with_the_overview_numbers(app, overview, tmp_path):
    page = app.watch(overview)
    shown = metrics(page)
    header = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()
    period = re.search(r"(\d{1,2} \w{3}(?: \d{4})? - \d{1,2} \w{3} \d{4} \([^)]*\))", header).group(1)
    headlines = page.locator('[data-testid="stMain"]').inner_text()
    charts = page.locator('[data-testid="stMain"] [data-testid="stPlotlyChart"]').count()
    assert charts >= 3

    with page.expect_download() as info:
        page.get_by_role("button", name="Meeting pack (HTML)").click()
    download = info.value
    assert download.failure() is None
    name = download.suggested_filename
    assert name == f"charter-desk-meeting-pack-{sidebar_period(page)}.html"
    saved = tmp_path / name
    download.save_as(saved)
    assert_no_errors(page)

    # Open the file as someone would from an email attachment, with the network switched off.
    pack = app.new_page(None, new_context=True)
    pack.context.route(re.compile(r"^https?://"), lambda route: route.abort())
    pack.goto(saved.as_uri())
    pack.wait_for_load_state("load")
    assert pack.title().startswith("Charter Desk — meeting pack")
    assert pack.locator("h1").inner_text() == "Charter Desk — meeting pack"
    assert period in pack.locator(".meta").inner_text()
    packed = [(tile.locator(".label").inner_text().strip(), tile.locator(".value").inner_text().strip())
              for tile in pack.locator(".tile").all()]
    assert packed == shown, "the meeting pack's tiles differ from the Overview's KPI tiles"
    assert pack.locator(".headlines li").count() == 5  # Charter, Responsiveness, Complaints, Pricing, Churn
    for item in pack.locator(".headlines li").all():
        area, _, text = item.inner_text().partition(" ")
        assert f"{area} · {text.strip()}" in headlines
    # plotly.js is inside the file: every chart draws without the network.
    pack.wait_for_function("() => typeof window.Plotly === 'object'")
    pack.locator(".chart .js-plotly-plot .main-svg").first.wait_for()
    assert pack.locator(".chart .js-plotly-plot").count() == charts
