"""Helpers for the browser tests: constants, waiting for Streamlit, reading what the page shows,
and the few widget interactions the tests need (sign in, upload, pick an option)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "browser"   # git-ignored (test-artifacts/)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new"]

# The demo company is generated deterministically; small so the server answers quickly.
DEMO_CONTACTS, DEMO_CUSTOMERS = 8000, 1500
MANAGER_PASSWORD = "e2e-Manager-pass-7"
MANAGER_NAME = "E2E tester"
SIGN_IN_COOKIE = "charterdesk_manager"   # where the browser keeps a manager's password sign-in

SERVER_START_TIMEOUT = 90      # seconds (first start imports pandas, plotly, duckdb ...)
RUN_TIMEOUT_MS = 60_000        # one script run of a page on a busy 2-core machine

IDLE_SELECTOR = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
ERROR_BOX = '[data-testid="stAlertContentError"]'
METRIC = '[data-testid="stMetric"]'

# Sidebar navigation: the title shown in the sidebar and the h1 the page draws.
PAGES = {
    "overview": ("Overview", "Overview"),
    "compliance": ("Charter compliance", "Charter compliance"),
    "responsiveness": ("Responsiveness", "Responsiveness"),
    "complaints": ("Complaints", "Complaints"),
    "pricing": ("Pricing & loyalty", "Pricing & loyalty"),
    "data": ("Data", "Data"),
    "charter": ("Charter", "Charter"),
}
DASHBOARD_PAGES = ["overview", "compliance", "responsiveness", "complaints", "pricing"]
# The first page the fresh test server is asked for (see the first_deep_link fixture).
FIRST_DEEP_LINK = "/complaints?channel=letter"


@dataclass
class Server:
    """The running test server (see the `server` fixture)."""
    base_url: str
    database: Path
    charter: Path
    log: Path

    def url(self, path: str = "") -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def make_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(RUN_TIMEOUT_MS)
    return context


@dataclass
class Session:
    """The pages one test opened; closed after it, screenshotted first when the test failed."""
    server: Server
    browser: Browser
    shared: BrowserContext
    opened: list[Page] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)
    watched: list[Page] = field(default_factory=list)   # pages of a wider-scoped fixture: not closed here

    def new_page(self, path: str | None = "", *, new_context: bool = False) -> Page:
        """A new tab at `path` (None: blank), waited for until Streamlit is idle. `new_context`
        gives it a browser context of its own (no cookies, cache or storage shared)."""
        if new_context:
            context = make_context(self.browser)
            self.contexts.append(context)
        else:
            context = self.shared
        page = context.new_page()
        self.opened.append(page)
        if path is not None:
            open_url(page, self.server.url(path))
        return page

    def watch(self, page: Page) -> Page:
        """Screenshot this page too if the test fails (a page shared by the tests of a module)."""
        self.watched.append(page)
        return page

    def pages(self) -> list[Page]:
        extra = [page for context in self.contexts for page in context.pages if page not in self.opened]
        return [page for page in self.opened + extra + self.watched if not page.is_closed()]

    def close(self) -> None:
        for page in self.opened:
            if not page.is_closed():
                page.close()
        for context in self.contexts:
            context.close()


def wait_idle(page: Page, timeout: float = RUN_TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished running the script for this page and drawn its result
    (no sleeping): the app says `notRunning`, the websocket is connected, no element is stale
    (left over from the previous run) and no skeleton placeholder is still waiting for its element.

    Right after an interaction the frontend may not have flagged the rerun yet, so that state has
    to hold for three polls in a row (~200 ms)."""
    page.evaluate("window.__e2eIdlePolls = 0")
    page.wait_for_function(
        """(idleSelector) => {
            const idle = !!document.querySelector(idleSelector + '[data-test-connection-state="CONNECTED"]')
                && !document.querySelector('[data-stale="true"]')
                && !document.querySelector('[data-testid="stMain"] [data-testid="stSkeleton"]');
            window.__e2eIdlePolls = idle ? (window.__e2eIdlePolls || 0) + 1 : 0;
            return window.__e2eIdlePolls >= 3;
        }""",
        arg=IDLE_SELECTOR, timeout=timeout, polling=100,
    )


def open_url(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def heading(page: Page) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text().strip()


def expect_heading(page: Page, text: str) -> None:
    page.locator('[data-testid="stMain"] h1').filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")).first \
        .wait_for(state="visible")


def go_to(page: Page, url_path: str) -> None:
    """Follow the sidebar navigation link of a page and wait for it to be drawn."""
    title, h1 = PAGES[url_path]
    link = page.locator('[data-testid="stSidebarNav"] a').filter(
        has=page.get_by_text(title, exact=True))
    link.click()
    page.wait_for_url(re.compile(rf"/{'' if url_path == 'overview' else url_path}(\?.*)?$"))
    wait_idle(page)
    expect_heading(page, h1)
    wait_idle(page)


def assert_no_errors(page: Page, where: str = "") -> None:
    exceptions = page.locator(EXCEPTION)
    assert exceptions.count() == 0, f"stException on {where or page.url}: {exceptions.first.inner_text()[:500]}"
    errors = page.locator(ERROR_BOX)
    assert errors.count() == 0, f"error box on {where or page.url}: {errors.first.inner_text()[:500]}"


def metrics(page: Page, scope: str = '[data-testid="stMain"]') -> list[tuple[str, str]]:
    """(label, value) of every KPI tile, in page order."""
    tiles = page.locator(f"{scope} {METRIC}")
    return [(tile.locator('[data-testid="stMetricLabel"]').inner_text().strip(),
             tile.locator('[data-testid="stMetricValue"]').inner_text().strip()) for tile in tiles.all()]


def sign_in(page: Page, password: str = MANAGER_PASSWORD, name: str = MANAGER_NAME) -> None:
    """Sign in as manager with the password form on the Data page (the page must be showing)."""
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("Your name (recorded in the audit log)").fill(name)
    form.get_by_label("Manager password").fill(password)
    form.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as manager").wait_for()
    wait_idle(page)


def upload(page: Page, path: Path) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    # The chip shows the name, shortened in the middle when long ("missing...olumns.csv").
    page.locator('[data-testid="stFileUploader"]').get_by_text(path.name[:7]).wait_for()
    wait_idle(page)


def choose(page: Page, widget: str, label: str, option: str) -> None:
    """Pick `option` in the selectbox or multiselect (`widget` = its data-testid) labelled `label`.

    The dropdown is a react-aria popover, which closes when the page scrolls: scroll the field into
    view first, and if the list still is not open after the click, open it from the keyboard."""
    box = page.locator(f'[data-testid="{widget}"]').filter(has=page.get_by_text(label, exact=True))
    field = box.get_by_role("combobox")
    field.scroll_into_view_if_needed()
    wanted = page.get_by_role("option", name=option, exact=True)
    for attempt in range(3):
        field.click()
        try:
            wanted.wait_for(timeout=3_000)
            break
        except PlaywrightTimeoutError:
            field.press("ArrowDown")
        try:
            wanted.wait_for(timeout=3_000)
            break
        except PlaywrightTimeoutError:
            options = [o.inner_text() for o in page.get_by_role("option").all()]
            page.keyboard.press("Escape")
    else:
        raise AssertionError(f"'{option}' is not offered by '{label}' (offered: {options})")
    wanted.click()
    if widget == "stMultiSelect":
        page.keyboard.press("Escape")
    wait_idle(page)


def table_rows(page: Page, column: str) -> list[dict[str, str]]:
    """The rows of the st.dataframe that has a column headed `column`, read from the grid's
    accessible table. The grid is virtualised: only the rows and columns it draws are in it."""
    frame = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').filter(
        has=page.locator('[role="columnheader"]', has_text=re.compile(rf"^\s*{re.escape(column)}\s*$"))).first
    frame.locator('[role="row"]').nth(1).wait_for(state="attached")
    headers = [cell.inner_text().strip() for cell in frame.locator('[role="columnheader"]').all()]
    return [dict(zip(headers, (cell.inner_text().strip() for cell in row.locator('[role="gridcell"]').all())))
            for row in frame.locator('[role="row"]').all()[1:]]
