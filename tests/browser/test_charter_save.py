"""A manager double-clicks "Save the charter". Streamlit starts the second click's run while the
first still recomputes every clock (a schedule edit: about a second on the demo's 150,000 contacts),
and both saved and audited the same edit. The edit is a closed day after the demo's data ends, so no
figure another test reads changes; the test takes it out again at the end.
"""
from __future__ import annotations

import pytest

from browser_helpers import assert_no_errors, go_to, open_url, sign_in, table_rows, wait_idle

pytestmark = pytest.mark.browser

CLOSED_DATES = 'textarea[aria-label="Other closed dates (one per line, YYYY-MM-DD)"]'
EXTRA_DAY = "2026-12-30"


def charter_edits(page) -> list[str]:
    go_to(page, "data")
    return [row["detail"] for row in table_rows(page, "detail") if row["action"] == "edit charter"]


def save_closed_dates(page, text: str, *, double_click: bool) -> None:
    go_to(page, "charter")
    area = page.locator(f"{CLOSED_DATES}:visible").first
    area.fill(text)
    area.blur()
    wait_idle(page)
    save = page.get_by_role("button", name="Save the charter")
    if double_click:
        save.dblclick(delay=100)
    else:
        save.click()
    # the page's message, not the toast that says the same and may or may not still be up
    page.get_by_test_id("stAlertContentSuccess").get_by_text("Charter saved").wait_for(timeout=60_000)
    wait_idle(page)
    assert_no_errors(page)


def test_a_double_click_on_save_saves_and_audits_the_edit_once(app):
    page = app.new_page("/data")
    sign_in(page)
    before = charter_edits(page)
    go_to(page, "charter")
    written = page.locator(f"{CLOSED_DATES}:visible").first.input_value()
    save_closed_dates(page, f"{written}\n{EXTRA_DAY}".strip(), double_click=True)
    added = charter_edits(page)
    assert len(added) == len(before) + 1, added
    assert EXTRA_DAY in added[0]
    save_closed_dates(page, written, double_click=False)   # as it was, for the tests after this one
    assert len(charter_edits(page)) == len(before) + 2


def test_a_target_over_100_percent_is_refused_in_words_not_kept_on_screen_only(app):
    """Streamlit keeps a typed value outside a number box's limits on screen and returns the old one:
    the box read 150 while the review said 90% and Save would have stored 90%. Now the value comes
    through, the charter's check refuses it and Save is off until it is put right."""
    page = app.new_page("/data")
    sign_in(page)
    go_to(page, "charter")
    page.get_by_role("tab", name="Acknowledgements").click()
    box = page.locator('input[aria-label="Target (% of contacts)"]:visible').first
    box.fill("150")
    box.press("Enter")
    wait_idle(page)
    page.get_by_text("The charter cannot be saved as it is").wait_for(timeout=30_000)
    assert "got 1.5 (150%)" in page.get_by_test_id("stAlertContentError").first.inner_text()
    assert page.get_by_role("button", name="Save the charter").is_disabled()
    page.get_by_role("button", name="Discard my edits").click()
    wait_idle(page)
    assert page.locator('input[aria-label="Target (% of contacts)"]:visible').first.input_value() != "150"


# Each tab of the charter editor: its name, and whether it is drawn whole inside the tab bar's box.
EDITOR_TABS = """() => {
  const bar = document.querySelector('[data-testid="stMain"] [role="tablist"]');
  const box = bar.getBoundingClientRect();
  return [...bar.querySelectorAll('[role="tab"]')].map(tab => {
    const own = tab.getBoundingClientRect();
    return [tab.innerText.trim(), own.left >= box.left - 1 && own.right <= box.right + 1];
  });
}"""


def test_every_tab_of_the_charter_editor_is_in_view_on_a_laptop(app):
    """At 1280 px with the sidebar open the tab bar scrolled sideways and cut its last promise
    ('Complaint follo'); the tabs now go onto a second line, and the last one opens its promise."""
    page = app.new_page(None, new_context=True)   # a fresh browser: the sidebar open, as a laptop has it
    page.set_viewport_size({"width": 1280, "height": 720})
    open_url(page, app.server.url("/data"))
    sign_in(page)
    go_to(page, "charter")
    tabs = page.evaluate(EDITOR_TABS)
    assert tabs[0][0] == "Schedule" and len(tabs) > 2, tabs
    assert all(whole for _, whole in tabs), tabs
    last = page.locator('[data-testid="stMain"] [role="tab"]').last
    last.click()
    wait_idle(page)
    assert last.get_attribute("aria-selected") == "true"
    page.get_by_role("button", name="Remove this standard").locator("visible=true").first.wait_for()
    assert_no_errors(page, "charter")


def test_a_promise_s_clock_is_read_whole_on_a_1280_px_laptop(app):
    """The Clock box says what the clock measures ('Acknowledge (from receipt to acknowledgement (or
    first reply))'); beside Within, Unit and Target it was cut to 'Acknowledge (from receipt to ackno'."""
    page = app.new_page("/data")
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page)
    go_to(page, "charter")
    page.get_by_role("tab", name="Acknowledgements").click()
    wait_idle(page)
    clock = page.locator('input[aria-label="Clock"]:visible').first
    assert clock.input_value() == "Acknowledge (from receipt to acknowledgement (or first reply))"
    widths = clock.evaluate("element => [element.scrollWidth, element.clientWidth]")
    assert widths[0] <= widths[1], f"the clock's words need {widths[0]} px and have {widths[1]} px"
