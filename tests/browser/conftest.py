"""End-to-end set-up: one real Streamlit server per test session (small demo database, a known
manager password, its own charter copy) and Debian's Chromium driven by Playwright.

Nothing here is mocked: the server is `streamlit run app.py` in a subprocess, the database is a
real DuckDB file built by demo.load.build_demo_database, the browser is /usr/bin/chromium. When
Chromium cannot start, the tests error out (never skip).
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from browser_helpers import (
    ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, DEMO_CONTACTS, DEMO_CUSTOMERS, FIRST_DEEP_LINK, MANAGER_PASSWORD,
    PROJECT_ROOT, SERVER_START_TIMEOUT, SIGN_IN_COOKIE, Server, Session, heading, make_context, open_url,
)

# ----------------------------------------------------------------------------- the server

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _python() -> str:
    venv = PROJECT_ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except OSError:
        return False


def _stop(process: subprocess.Popen) -> None:
    """Stop the server and everything it started (its own process group)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _password_hash(password: str) -> str:
    """A salted scrypt hash in the documented `scrypt$n$r$p$salt_hex$hash_hex` form, made here with
    hashlib (not with the app's own helper), as `python cli.py set-manager-password` would store it."""
    n, r, p, salt = 2**14, 8, 1, os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    """`streamlit run app.py` on a free port against a small demo database in a temporary folder.

    The manager password hash goes in through CHARTERDESK_MANAGER_PASSWORD_HASH (components/auth.py
    reads it before secrets), and `--secrets.files` points at an empty temporary secrets file, so
    neither the repository's nor the home folder's .streamlit/secrets.toml can change the test."""
    folder = tmp_path_factory.mktemp("e2e-server")
    database, charter = folder / "dashboard.duckdb", folder / "charter.toml"
    secrets, log = folder / "secrets.toml", folder / "server.log"
    shutil.copy(PROJECT_ROOT / "data" / "charter.toml", charter)
    secrets.write_text("# empty on purpose: the manager password comes from the environment\n", encoding="utf-8")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DASHBOARD_", "CHARTERDESK_", "STREAMLIT_"))}
    env.update(DASHBOARD_DB=str(database), DASHBOARD_CHARTER=str(charter),
               CHARTERDESK_MANAGER_PASSWORD_HASH=_password_hash(MANAGER_PASSWORD), PYTHONUNBUFFERED="1")

    build = subprocess.run(
        [_python(), "-c", "import sys; from demo.load import build_demo_database; "
                          "print(build_demo_database(sys.argv[1], contacts=int(sys.argv[2]), customers=int(sys.argv[3])))",
         str(database), str(DEMO_CONTACTS), str(DEMO_CUSTOMERS)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, f"building the demo database failed:\n{build.stdout}\n{build.stderr}"

    # a free port, or the one a shared machine gives this run (CHARTERDESK_E2E_PORT)
    port = int(os.environ.get("CHARTERDESK_E2E_PORT") or 0) or _free_port()
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [_python(), "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
             "--browser.gatherUsageStats", "false", "--secrets.files", str(secrets)],
            cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
    running = Server(f"http://127.0.0.1:{port}", database, charter, log)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(running.url("_stcore/health")):
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode}:\n{running.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not answer /_stcore/health within {SERVER_START_TIMEOUT}s:\n"
                                   f"{running.log_tail()}")
            time.sleep(0.25)
        yield running
    finally:
        _stop(process)


# ----------------------------------------------------------------------------- the browser

@pytest.fixture(scope="session")
def playwright_instance() -> Playwright:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Browser:
    """Debian's Chromium. A launch failure is an error of every browser test, never a skip."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/test.sh does).", pytrace=False)
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def shared_context(browser: Browser) -> BrowserContext:
    """One browser context for the tests' ordinary pages, so Streamlit's static files come from the
    browser cache after the first page. Every page (tab) is still its own Streamlit session."""
    context = make_context(browser)
    yield context
    context.close()


@pytest.fixture(scope="session")
def first_deep_link(server: Server, shared_context: BrowserContext):
    """What the very first page the fresh server is asked for shows, when that first request is a
    deep link with a filter (a bookmark opened right after a restart). Every test's `app` fixture
    depends on this one, so no other page can reach the server before it, whatever tests run."""
    page = shared_context.new_page()
    open_url(page, server.url(FIRST_DEEP_LINK))
    seen = {
        "path": urlparse(page.url).path,
        "query": parse_qs(urlparse(page.url).query),
        "heading": heading(page) if page.locator('[data-testid="stMain"] h1').count() else None,
        "channel": [tag.get_attribute("title") for tag in page.locator(
            '[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
            has=page.get_by_text("Channel", exact=True)).locator("[data-tag] span[title]").all()],
        "navigation": [link.inner_text().splitlines()[-1].strip()
                       for link in page.locator('[data-testid="stSidebarNav"] a').all()],
        "exceptions": page.locator('[data-testid="stException"]').count(),
    }
    yield page, seen
    page.close()


@pytest.fixture
def app(browser: Browser, shared_context: BrowserContext, server: Server, first_deep_link) -> Session:
    """Pages for one test. Afterwards the server log must not have gained a traceback: that would
    be an error some user saw (or a failure the app hid without handling it)."""
    start = server.log.stat().st_size
    # A manager's sign-in lasts the working day in its browser (a cookie): one test's sign-in in the
    # shared context must not make the next test's visitor a manager.
    shared_context.clear_cookies(name=SIGN_IN_COOKIE)
    session = Session(server, browser, shared_context)
    yield session
    session.close()
    with open(server.log, "rb") as handle:
        handle.seek(start)
        logged = handle.read().decode("utf-8", errors="replace")
    assert "Traceback (most recent call last)" not in logged, f"the server logged a traceback:\n{logged[-4000:]}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, save a full-page screenshot of every page the test had open."""
    report = yield
    session = item.funcargs.get("app") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(session, Session):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("::")[-1])
        saved = []
        for number, page in enumerate(session.pages()):
            target = ARTIFACTS / f"{stem}-{report.when}-{number}.png"
            try:
                page.screenshot(path=str(target), full_page=True, timeout=10_000)
                saved.append(f"{target} ({page.url})")
            except Exception as error:  # the page may be gone; the report matters more
                saved.append(f"{target}: no screenshot ({error})")
        if saved:
            report.sections.append(("screenshots", "\n".join(saved)))
    return report


