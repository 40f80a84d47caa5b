"""Scenario 7: the breaches one click away. On the compliance page a click on a week of the trend or
on a bar of the breakdown lists only the breaches behind it: as many as the chart's own CSV says
were missed there; the link then holds the drill-through and opens it elsewhere. "Show all" lists
every breach again, as many as the Missed tile counts."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest

from browser_helpers import assert_no_errors, metrics, open_url, wait_idle

pytestmark = pytest.mark.browser


def chart(page, title: str):
    return page.locator('[data-testid="stPlotlyChart"]').filter(has_text=title)


def chart_csv(page, title: str) -> list[dict]:
    """The rows of the "Download the data (CSV)" under the chart titled `title`."""
    column = chart(page, title).locator("xpath=ancestor::*[@data-testid='stVerticalBlock'][1]")   # its half of a pair
    with page.expect_download() as info:
        column.get_by_role("button", name="Download the data (CSV)").click()
    return list(csv.DictReader(io.StringIO(open(info.value.path(), "rb").read().decode("utf-8-sig"))))


def breaches_listed(page) -> int:
    found = re.search(r"^([\d,]+) breach(?:es)?$", page.locator('[data-testid="stMain"]').inner_text(), re.MULTILINE)
    assert found, "no breach count under 'The breaches behind the numbers'"
    return int(found.group(1).replace(",", ""))


def click(page, mark) -> str:
    """Click a point at its centre and return what the page then says it shows."""
    mark.scroll_into_view_if_needed()
    box = mark.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    shown = page.get_by_text(re.compile(r"^Showing only "))
    shown.wait_for()
    wait_idle(page)
    return shown.inner_text()


def show_all(page) -> None:
    page.get_by_role("button", name="Show all").click()
    page.get_by_text(re.compile(r"^Showing only ")).wait_for(state="detached")
    wait_idle(page)


def test_a_click_on_a_week_or_a_bar_lists_only_its_breaches(app):
    page = app.new_page("/compliance")
    missed = int(dict(metrics(page))["Missed (breaches)"].replace(",", ""))
    assert breaches_listed(page) == missed > 0

    weekly = {row["week"][:10]: int(row["missed"]) for row in chart_csv(page, "Compliance week by week")}
    points = chart(page, "Compliance week by week").locator(".scatterlayer .trace").first.locator(".points path")
    assert points.count() == len(weekly)
    shown = click(page, points.nth(len(weekly) // 2))
    week = datetime.strptime(shown.removeprefix("Showing only w/c ").strip(), "%d %b %Y").date().isoformat()
    assert breaches_listed(page) == weekly[week], shown

    # The link now holds the week: opened in another browser, it lists the same breaches.
    assert f"week={week}" in page.url
    elsewhere = app.new_page(None, new_context=True)
    open_url(elsewhere, page.url)
    assert elsewhere.get_by_text(re.compile(r"^Showing only ")).inner_text() == shown
    assert breaches_listed(elsewhere) == weekly[week]

    show_all(page)
    assert breaches_listed(page) == missed and "week=" not in page.url

    by_partner = {row["value"]: int(row["missed"]) for row in chart_csv(page, "Compliance by partner")}
    dots = chart(page, "Compliance by partner").locator(".scatterlayer .trace").first.locator(".points path")
    assert dots.count() == len(by_partner)
    shown = click(page, dots.first)
    partner = shown.removeprefix("Showing only partner: ").strip()
    assert breaches_listed(page) == by_partner[partner], shown
    assert "bar=" in page.url
    show_all(page)
    assert breaches_listed(page) == missed and "bar=" not in page.url
    assert_no_errors(page)
