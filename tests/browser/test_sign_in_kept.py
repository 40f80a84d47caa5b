"""A manager's password sign-in lasts its working day in that browser: a reload or a second tab
keeps it (it used to live only in the tab's session, so a reload signed the manager out), Sign out
ends it in the browser and on the server, and a cookie that is not a current sign-in leaves the
visitor a viewer, with no error.

Every test has a browser context of its own: the cookie is the browser's, shared by its tabs.
"""
from __future__ import annotations

import time

import pytest

from browser_helpers import (
    EXCEPTION, MANAGER_NAME, SIGN_IN_COOKIE, assert_no_errors, open_url, sign_in, wait_idle,
)

pytestmark = pytest.mark.browser

SIGNED_IN = f"Signed in as manager {MANAGER_NAME} (password)"
WORKING_DAY = 12 * 3600


def sign_in_cookie(page) -> dict | None:
    found = [cookie for cookie in page.context.cookies() if cookie["name"] == SIGN_IN_COOKIE]
    return found[0] if found else None


def reload(page) -> None:
    page.reload()
    wait_idle(page)


def is_manager(page) -> bool:
    """The Data page as a manager draws the banner and the uploader; as a viewer, the sign-in form."""
    main = page.locator('[data-testid="stMain"]')
    manager = main.get_by_text(SIGNED_IN).count() == 1 and main.locator('[data-testid="stFileUploader"]').count() == 1
    viewer = main.locator('[data-testid="stForm"]').get_by_label("Manager password").count() == 1
    assert manager != viewer, f"neither clearly a manager nor a viewer:\n{main.inner_text()[:1500]}"
    return manager


def test_a_reload_keeps_the_manager_signed_in_until_they_sign_out(app):
    page = app.new_page("/data", new_context=True)
    assert not is_manager(page)
    before = time.time()
    sign_in(page)
    assert is_manager(page)
    # The script that writes the cookie is in the page but takes no room in it.
    script = page.locator(f'[data-testid="stElementContainer"]:has(#{SIGN_IN_COOKIE})')
    assert script.count() == 1 and not script.is_visible()
    page.wait_for_function(f"document.cookie.includes('{SIGN_IN_COOKIE}=')")
    cookie = sign_in_cookie(page)
    assert (cookie["path"], cookie["sameSite"], cookie["secure"]) == ("/", "Strict", False)   # plain http here
    assert before + WORKING_DAY - 60 <= cookie["expires"] <= time.time() + WORKING_DAY + 60

    reload(page)
    assert is_manager(page)
    assert_no_errors(page, "reloaded, signed in")
    second_tab = page.context.new_page()
    open_url(second_tab, app.server.url("/data"))
    assert is_manager(second_tab)

    page.get_by_role("button", name="Sign out").click()
    # The click's run may start only after the page has looked idle for a while on a busy host.
    page.locator('[data-testid="stMain"] [data-testid="stForm"]').get_by_label("Manager password").wait_for()
    wait_idle(page)
    assert not is_manager(page)
    page.wait_for_function(f"!document.cookie.includes('{SIGN_IN_COOKIE}=')")
    assert sign_in_cookie(page) is None
    reload(page)
    assert not is_manager(page)
    assert_no_errors(page, "reloaded after signing out")

    # A copy of the token kept from before (another browser, a saved cookie) is worthless now.
    page.context.add_cookies([cookie])
    reload(page)
    assert not is_manager(page)
    reload(second_tab)
    assert not is_manager(second_tab)
    assert_no_errors(second_tab, "the second tab after signing out")


def test_a_tampered_cookie_leaves_a_viewer_without_an_error(app):
    page = app.new_page("/data", new_context=True)
    sign_in(page)
    page.wait_for_function(f"document.cookie.includes('{SIGN_IN_COOKIE}=')")
    genuine = sign_in_cookie(page)
    expires, nonce, name, signature = genuine["value"].split(".")
    other_signature = signature[:-2] + ("AA" if not signature.endswith("AA") else "BB")
    page.context.clear_cookies()
    for value in (f"{expires}.{nonce}.{name}.{other_signature}",            # the signature changed
                  f"{int(expires) + 3600}.{nonce}.{name}.{signature}",      # the expiry moved on
                  "9999999999.forged.QWRtaW4.a-signature-nobody-made",      # made up
                  "%3Cscript%3Ealert(1)%3C%2Fscript%3E"):
        page.context.add_cookies([{**genuine, "value": value}])
        reload(page)
        assert not is_manager(page), value
        assert_no_errors(page, f"with the cookie {value!r}")
        assert page.locator(EXCEPTION).count() == 0
        page.context.clear_cookies()
    page.context.add_cookies([genuine])   # the genuine one, untouched, still signs in
    reload(page)
    assert is_manager(page)
