"""Scenario 7: the breaches one click away. On the compliance page a click on a week of the trend or
on a bar of the breakdown lists only the breaches behind it: as many as the chart's own CSV says
were missed there; the link then holds the drill-through and opens it elsewhere. "Show all" lists
every breach again, as many as the Missed tile counts."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from urllib.parse import parse_qs, urlparse

import pytest

from browser_helpers import assert_no_errors, choose, go_to, metrics, open_url, wait_idle

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


def test_a_drill_through_is_still_there_back_on_the_page(app):
    """A switch to another page dropped the drill-through (Streamlit keeps only the widgets' values in
    the address). Back on the compliance page in the same session, with the same filters, it lists the
    same breaches and the link names it again; after other filters it is gone, as it was of another view."""
    page = app.new_page("/compliance")
    weeks = chart(page, "Compliance week by week").locator(".scatterlayer .trace").first.locator(".points path")
    click(page, weeks.nth(weeks.count() // 2))
    shown = click(page, chart(page, "Compliance by partner").locator(".scatterlayer .trace").first.locator(".points path").first)
    listed, link = breaches_listed(page), parse_qs(urlparse(page.url).query)
    assert set(link) == {"week", "bar"}, link

    go_to(page, "data")
    assert parse_qs(urlparse(page.url).query) == {}
    go_to(page, "compliance")
    assert page.get_by_text(re.compile(r"^Showing only ")).all_inner_texts() == [shown]
    assert breaches_listed(page) == listed
    assert parse_qs(urlparse(page.url).query) == link

    go_to(page, "data")
    choose(page, "stMultiSelect", "Channel", "email")
    go_to(page, "compliance")
    assert page.get_by_text(re.compile(r"^Showing only ")).count() == 0
    assert parse_qs(urlparse(page.url).query) == {"channel": ["email"]}
    assert_no_errors(page)


# The breach list's grid: how wide its columns run and how wide its box is, and its column headers.
BREACH_GRID = """() => {
  const grid = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]')]
    .find(frame => [...frame.querySelectorAll('[role="columnheader"]')].some(h => h.innerText.trim() === 'Hours late'));
  const scroller = grid.querySelector('.dvn-scroller');
  return {scroll: scroller.scrollWidth, client: scroller.clientWidth,
          headers: [...grid.querySelectorAll('[role="columnheader"]')].map(h => h.innerText.trim())};
}"""


@pytest.mark.parametrize("width, height, projector", [(1280, 720, False), (1366, 768, False), (1920, 1080, True),
                                                      (1280, 720, True)])
def test_the_breach_list_shows_every_column_without_scrolling_sideways(app, width, height, projector):
    """A laptop with the sidebar open, a projector with large text: the list of breaches scrolled its
    team, partner and category out of view. The columns left to the CSV are said above the list."""
    page = app.new_page(None, new_context=True)   # the sidebar as a fresh browser has it: open at these widths
    page.set_viewport_size({"width": width, "height": height})
    open_url(page, app.server.url("/compliance" + ("?projector=true" if projector else "")))
    page.locator('[data-testid="stMain"] [data-testid="stDataFrame"] [role="columnheader"]').first.wait_for(state="attached")
    grid = page.evaluate(BREACH_GRID)
    assert grid["scroll"] <= grid["client"], f"{width}x{height}, projector {projector}: {grid}"
    assert grid["headers"] == ["Ticket", "Opened", "Hours late", "Deadline", "Team", "Partner", "Category"], grid
    assert page.get_by_text(re.compile(
        r"CSV download (has|adds).* channel, agent, kind, week of arrival, priority and clock stopped")).first.is_visible()
    assert_no_errors(page)


def test_a_week_s_breaches_fit_a_1024_px_laptop_with_the_sidebar_open(app):
    """At 1024 px with the sidebar open the grid has 562 px: the breaches of a clicked week scrolled
    sideways there, the ticket column pinned while the others slid under it."""
    page = app.new_page(None, new_context=True)   # the sidebar as a fresh browser has it: open at 1024 px
    page.set_viewport_size({"width": 1024, "height": 768})
    open_url(page, app.server.url("/compliance"))
    assert page.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "false"
    weeks = chart(page, "Compliance week by week").locator(".scatterlayer .trace").first.locator(".points path")
    click(page, weeks.nth(weeks.count() // 2))
    assert breaches_listed(page) > 0
    grid = page.evaluate(BREACH_GRID)
    assert grid["scroll"] <= grid["client"], grid
    assert_no_errors(page)
