"""Scenario 7: two people at once. A viewer keeps browsing the dashboard while a manager, in another
browser context, loads a file and then undoes it. The viewer never sees an exception or an error
box, and ends up with the same numbers as before (the load was undone).

contacts_concurrent.csv holds 25 contacts (E2E-CC-001..025), 5 of them complaints, opened 9-13
November 2026, inside the default period.
"""
from __future__ import annotations

import itertools
import re

import pytest

from browser_helpers import (
    DASHBOARD_PAGES, FIXTURES, PAGES, assert_no_errors, choose, go_to, heading, metrics, sign_in, upload, wait_idle,
)

pytestmark = pytest.mark.browser

FILE = FIXTURES / "contacts_concurrent.csv"
ROWS = 25
MIN_PAGES_PER_ACTION = 2


def contacts_received(page) -> int:
    text = page.locator('[data-testid="stMain"]').inner_text()
    found = re.search(r"Responsiveness · ([\d,]+) contacts received", text)
    assert found, text[:1000]
    return int(found.group(1).replace(",", ""))


def test_viewer_browses_while_manager_uploads_and_undoes(app):
    viewer = app.new_page("/")
    contacts_before = contacts_received(viewer)
    tiles_before = metrics(viewer)

    manager = app.new_page("/data", new_context=True)  # a second person: a browser context of its own
    sign_in(manager)
    upload(manager, FILE)
    load = manager.get_by_role("button", name=f"Load {ROWS} rows into contacts")
    load.wait_for()

    tour = itertools.cycle(DASHBOARD_PAGES[1:] + ["data"] + DASHBOARD_PAGES[:1])
    visited = []

    def browse_until(done) -> None:
        """The viewer moves page to page (without waiting for the manager) until `done()` holds
        and at least a few pages were drawn meanwhile; every page must come up clean."""
        count = 0
        while count < MIN_PAGES_PER_ACTION or not done():
            url_path = next(tour)
            go_to(viewer, url_path)
            assert heading(viewer) == PAGES[url_path][1]
            assert_no_errors(viewer, f"viewer on {url_path} while the manager worked")
            visited.append(url_path)
            count += 1
            assert count < 30, "the manager's action never finished"

    # The manager's click returns at once; the load runs on the server while the viewer browses.
    load.click()
    loaded = manager.get_by_text(re.compile(r"Batch \d+: contacts_concurrent\.csv loaded into contacts"))
    browse_until(lambda: loaded.count() > 0)
    wait_idle(manager)
    assert_no_errors(manager, "manager after the load")
    batch = int(re.search(r"Batch (\d+):", loaded.inner_text()).group(1))

    # Now the other way round: the manager undoes while the viewer keeps going.
    choose(manager, "stSelectbox", "Undo an upload", f"Batch {batch} · contacts_concurrent.csv (contacts, {ROWS} rows loaded)")
    manager.get_by_role("button", name="Undo this batch…").click()
    wait_idle(manager)
    manager.get_by_role("button", name=f"Yes, undo batch {batch}").click()
    undone = manager.locator('[data-testid="stMain"] [data-testid="stAlertContentSuccess"]').filter(
        has_text=re.compile(rf"Batch {batch} \(contacts_concurrent\.csv\) undone"))
    browse_until(lambda: undone.count() > 0)
    wait_idle(manager)
    assert_no_errors(manager, "manager after the undo")

    assert len(visited) >= 2 * MIN_PAGES_PER_ACTION
    go_to(viewer, "overview")
    assert_no_errors(viewer, "viewer at the end")
    assert contacts_received(viewer) == contacts_before
    assert metrics(viewer) == tiles_before
