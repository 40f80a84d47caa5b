"""Scenario 4: the filters live in the URL. A link copied from one browser opens exactly the same
view (page, sidebar filters, page widgets, KPI values) in a fresh browser context, and a deep link
to another page with the same query opens that page directly with those filters."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from browser_helpers import PAGES, assert_no_errors, choose, go_to, heading, metrics, open_url, wait_idle

pytestmark = pytest.mark.browser

FILTER_LABELS = ["Channel", "Team", "Partner", "Product"]
PERIOD = "Period (contacts opened)"


def set_period(page, start: str, end: str) -> None:
    """Type both dates into the sidebar's date range (year, month, day segments); the range is
    committed when its calendar popover closes."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    for which, value in (("start", start), ("end", end)):
        year, month, day = value.split("-")
        for part, text in (("year", year), ("month", month), ("day", day)):
            sidebar.get_by_role("spinbutton", name=f"{part}, {PERIOD} {which} date").click()
            page.keyboard.type(text)
    page.keyboard.press("Escape")
    wait_idle(page)
    page.wait_for_url(f"**period={start}&period={end}*")
    wait_idle(page)


def view(page) -> dict:
    """Everything that makes up the filtered view, as the user sees it."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    main = page.locator('[data-testid="stMain"]')
    filters = {}
    for label in FILTER_LABELS:
        box = sidebar.locator('[data-testid="stMultiSelect"]').filter(has=page.get_by_text(label, exact=True))
        filters[label] = [tag.get_attribute("title") for tag in box.locator("[data-tag] span[title]").all()]
    promise = main.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("Promise to look into", exact=True))
    return {
        "heading": heading(page),
        "period": [field.input_value() for field in sidebar.locator('[data-testid="stDateInput"] input[type="date"]').all()],
        "filters": filters,
        "promise": promise.get_by_role("combobox").input_value() if promise.count() else None,
        "header": main.locator('[data-testid="stCaptionContainer"]').first.inner_text(),
        "tiles": metrics(page),
    }


def test_filtered_link_opens_the_same_view_in_a_new_context(app):
    # The filters are set on the Data page (no charts, so its reruns are quick) and must follow the
    # user to the compliance page, in the sidebar and in the address.
    page = app.new_page("/data")
    choose(page, "stMultiSelect", "Channel", "email")
    choose(page, "stMultiSelect", "Team", "Billing")
    set_period(page, "2026-09-01", "2026-10-31")
    assert parse_qs(urlparse(page.url).query) == {
        "channel": ["email"], "team": ["Billing"], "period": ["2026-09-01", "2026-10-31"]}
    go_to(page, "compliance")
    choose(page, "stSelectbox", "Promise to look into", "Replies to email, letter and web")
    assert_no_errors(page)

    link = page.url
    address = urlparse(link)
    assert address.path == "/compliance"
    assert parse_qs(address.query) == {
        "channel": ["email"], "team": ["Billing"], "period": ["2026-09-01", "2026-10-31"],
        "standard": ["Replies to email, letter and web"],
    }
    shown = view(page)
    # What the choices mean, written by hand: 1 Sep - 31 Oct is 61 days.
    assert shown["period"] == ["2026-09-01", "2026-10-31"]
    assert shown["filters"] == {"Channel": ["email"], "Team": ["Billing"], "Partner": [], "Product": []}
    assert "1 Sep - 31 Oct 2026 (61 days)" in shown["header"]
    assert "channel: email · team: Billing" in shown["header"]
    assert shown["promise"] == "Replies to email, letter and web"
    assert len(shown["tiles"]) >= 5

    # The same link in a fresh browser context (a new Streamlit session, nothing remembered).
    fresh = app.new_page(None, new_context=True)
    open_url(fresh, link)
    fresh.get_by_text("channel: email · team: Billing").first.wait_for()
    wait_idle(fresh)
    assert_no_errors(fresh)
    assert urlparse(fresh.url).path == "/compliance"
    assert view(fresh) == shown

    # A deep link to another page with the same filters opens that page with them, even when the
    # link was edited by hand and gives the period's dates the wrong way round.
    other = fresh.context.new_page()
    reversed_period = address.query.replace("period=2026-09-01&period=2026-10-31", "period=2026-10-31&period=2026-09-01")
    assert reversed_period != address.query
    open_url(other, f"{address.scheme}://{address.netloc}/complaints?{reversed_period}")
    assert heading(other) == "Complaints"
    assert_no_errors(other)
    seen = view(other)
    assert sorted(seen["period"]) == shown["period"]
    assert seen["filters"] == shown["filters"]
    assert "1 Sep - 31 Oct 2026 (61 days)" in seen["header"]
    assert "channel: email · team: Billing" in seen["header"]
    assert seen["tiles"], "the Complaints page shows no KPI tiles for the linked filters"


def test_a_one_day_link_shows_that_day_at_both_ends_of_the_picker(app):
    """Streamlit writes a one-day period as one date in the address and reads it back as half a range:
    a link for one day opened with the picker's second date empty. It opens on that day at both ends,
    with the figures of the same day picked in the picker, and the address still says that day."""
    picked = app.new_page("/compliance")
    set_period(picked, "2026-09-15", "2026-09-15")
    expected = view(picked)
    assert expected["period"] == ["2026-09-15", "2026-09-15"]
    assert "15 Sep - 15 Sep 2026 (1 day)" in expected["header"]
    for link in ("/compliance?period=2026-09-15", picked.url):
        page = app.new_page(None, new_context=True)
        open_url(page, app.server.url(link) if link.startswith("/") else link)
        assert view(page) == expected, link
        assert parse_qs(urlparse(page.url).query) == {"period": ["2026-09-15", "2026-09-15"]}, link
        assert_no_errors(page)


def test_first_deep_link_after_a_restart(app, first_deep_link):
    """The first request a freshly started server gets is a bookmark to a page with a filter
    (/complaints?channel=letter). It must open that page, with the filter and the app's own
    navigation (a `pages/` folder next to st.navigation used to switch Streamlit to its legacy
    multipage mode for exactly this request)."""
    page, seen = first_deep_link
    app.watch(page)
    assert seen["exceptions"] == 0
    assert seen["path"] == "/complaints"
    assert seen["query"] == {"channel": ["letter"]}
    assert seen["heading"] == "Complaints"
    assert seen["channel"] == ["letter"]
    assert seen["navigation"] == [title for title, _ in PAGES.values()]


@pytest.mark.parametrize("address, path, title", [
    ("/overview?channel=email&channel=phone&by=Team", "/", "Overview"),
    ("/Compliance?channel=email&channel=phone&by=Team", "/compliance", "Charter compliance"),
])
def test_a_guessed_address_opens_its_page_with_the_link_filters(app, address, path, title):
    """/overview, guessed from /compliance or /pricing (the default page lives at /), and a page's name
    capitalised showed Streamlit's 'Page not found' over the Overview. They now move to the page's
    own address with every value of the link kept."""
    page = app.new_page(address)
    page.wait_for_url(lambda url: urlparse(url).path == path)
    wait_idle(page)
    assert heading(page) == PAGES[path.strip("/") or "overview"][1]
    assert parse_qs(urlparse(page.url).query) == {"channel": ["email", "phone"], "by": ["Team"]}
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]').inner_text().splitlines()[-1] == title
    assert_no_errors(page)


@pytest.mark.parametrize("link, corrected", [
    ("/compliance?channel=fax&team=Billing&period=2020-01-01&period=2020-02-01", "/compliance?team=Billing"),
    ("/overview?team=billing", "/?team=Billing"),
])
def test_back_from_a_link_put_right_goes_where_the_reader_came_from(app, link, corrected):
    """A shared link naming what the data does not have (a channel, a period long gone), or a guessed
    address, is put right as it opens. Each change the app made added an entry to the browser's
    history: Back landed on the link as it was, or half put right (/compliance?channel=fax&team=Billing),
    instead of the page the reader came from. Back now goes there, and Forward to the link put right."""
    page = app.new_page("/responsiveness", new_context=True)   # a history of its own
    open_url(page, app.server.url(link))
    page.wait_for_url(app.server.url(corrected))
    wait_idle(page)
    page.go_back()
    try:   # passing over the entries the app added by itself, Back goes on to the page before the link
        page.wait_for_url(app.server.url("/responsiveness"), timeout=15_000)
    except PlaywrightTimeoutError:
        pass   # said below, with the address Back landed on
    wait_idle(page)
    assert (page.url, heading(page)) == (app.server.url("/responsiveness"), "Responsiveness")
    page.go_forward()
    wait_idle(page)
    assert page.url == app.server.url(corrected)
    assert_no_errors(page)


def test_switching_promise_drops_a_what_if_that_is_the_new_promise_itself(app):
    """'3 working days' compared with the acknowledgement promise is the written replies' own
    promise: on switching to them the what-if falls back to its first choice, and the address stops
    naming 3 working days (a copied link said one thing while the page showed another)."""
    page = app.new_page("/compliance")
    choose(page, "stSelectbox", "Promise to look into", "Acknowledgements")
    choose(page, "stSelectbox", "Compare with the promise customers expect", "3 working days")
    assert parse_qs(urlparse(page.url).query)["promise"] == ["3 working days"]
    choose(page, "stSelectbox", "Promise to look into", "Replies to email, letter and web")
    assert "promise" not in parse_qs(urlparse(page.url).query)
    assert any(label == "If we promised 24 hours" for label, _ in metrics(page))
    assert_no_errors(page, "compliance")


# The sidebar's text inputs (the period picker) whose text is wider than the box.
CUT_SIDEBAR_INPUTS = """() => [...document.querySelectorAll('[data-testid="stSidebar"] input')]
  .filter(input => input.scrollWidth > input.clientWidth + 1).map(input => input.value)"""


def sidebar_width(page) -> int:
    return round(page.locator('[data-testid="stSidebar"]').evaluate("e => e.getBoundingClientRect().width"))


def test_large_text_for_a_projector_opens_from_a_link_and_stays_on_across_pages(app):
    """The meeting room's bookmark (?projector=true) opens with large text and the sidebar folded: the
    page's root text is 1.3 x 16 px and the charts' titles 1.3 x 17 px. It stays on from page to page, and switched
    off everything is as usual and the address stops naming it."""
    def sizes(page) -> tuple[str, str]:
        root = page.evaluate("getComputedStyle(document.documentElement).fontSize")
        chart_title = page.locator('[data-testid="stPlotlyChart"] .gtitle').first
        chart_title.wait_for(state="attached")
        return root, chart_title.evaluate("title => getComputedStyle(title).fontSize")

    def tile_number(page) -> float:   # tiles.css sizes it by the window's width: the root alone would not do
        value = page.locator('[data-testid="stMain"] [data-testid="stMetricValue"]').first
        return float(value.evaluate("v => getComputedStyle(v).fontSize").removesuffix("px"))

    page = app.new_page("/compliance?projector=true")
    assert sizes(page) == ("20.8px", "22.1px")
    large_number = tile_number(page)
    # the room's bookmark opens with the sidebar folded away, the charts across the whole screen
    assert page.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "true"
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.locator('[data-testid="stSidebar"][data-collapsed="false"]').wait_for()
    go_to(page, "responsiveness")
    assert parse_qs(urlparse(page.url).query).get("projector") == ["true"]
    assert sizes(page) == ("20.8px", "22.1px")
    # the open sidebar grows with its text: the period picker shows both dates whole
    assert sidebar_width(page) == 390
    assert not page.evaluate(CUT_SIDEBAR_INPUTS)
    page.locator('[data-testid="stSidebar"]').get_by_text("Large text for a projector", exact=True).click()
    wait_idle(page)
    assert "projector" not in parse_qs(urlparse(page.url).query)
    assert sizes(page) == ("16px", "17px")
    assert sidebar_width(page) == 300
    assert large_number >= 1.25 * tile_number(page)
    # switched on from the sidebar, large text leaves the sidebar open under the reader's hand
    page.locator('[data-testid="stSidebar"]').get_by_text("Large text for a projector", exact=True).click()
    wait_idle(page)
    assert sizes(page) == ("20.8px", "22.1px")
    assert page.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "false"
    assert_no_errors(page, "responsiveness")
