"""Browser tests: Playwright drives Debian's Chromium against a live portal.

The portal runs under pytest-django's ``live_server`` (a real threaded HTTP
server over the test database, SQLite or PostgreSQL). Playwright's own browser
download does not work here, so the tests use ``/usr/bin/chromium``
(``apt-get install chromium``). Without it they skip on a developer machine;
with ``CARECOVER_REQUIRE_BROWSER=1`` (set by ``.ci/run``) they fail instead.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

#: Debian's Chromium; ``CARECOVER_CHROMIUM`` points elsewhere (e.g. to check the skip).
CHROMIUM = Path(os.environ.get("CARECOVER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}


def _missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (install it with `apt-get install -y chromium`)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="module")
def browser(django_db_setup: None) -> Iterator[Browser]:
    """Headless Chromium for a test module; skipped (or failed in CI) when absent.

    Playwright's sync API keeps an asyncio loop in this thread, and Django
    refuses ORM calls while one exists; the tests and the per-test database
    flush are synchronous, so the check is lifted while the browser is open
    (the test database is set up before the loop starts).
    """
    reason = _missing_browser()
    if reason is not None:
        if os.environ.get("CARECOVER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (CARECOVER_REQUIRE_BROWSER=1): {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def _no_request_until_flushed() -> Iterator[None]:
    """Set up before the database, torn down after its flush: lets requests run again.

    ``_append_only_rows_cleared`` takes ``_REQUESTS`` and keeps it through
    pytest-django's flush (a late request on the shared SQLite connection
    made the flush fail: "database table is locked"); this releases it.
    """
    yield
    if _CLEANING.is_set():
        _CLEANING.clear()
        _REQUESTS.release()


@pytest.fixture(autouse=True)
def _append_only_rows_cleared(
    _no_request_until_flushed: None, transactional_db: None
) -> Iterator[None]:
    """Empty append-only tables after a test so that pytest-django's flush succeeds.

    The live server needs committed data, hence a flushed (transactional)
    database. PostgreSQL's flush is a TRUNCATE, which row triggers ignore; on
    SQLite it is a DELETE, which the append-only triggers (audit/0002) refuse,
    so they are lifted just long enough to empty their tables.
    """
    yield
    if connection.vendor != "sqlite":
        return
    # A request the browser sent late (a favicon after a 403 page) may still be
    # running on the shared connection: wait for it, and let none start until
    # the flush after this is done (``_no_request_until_flushed`` lets go).
    _REQUESTS.acquire()
    _CLEANING.set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        triggers = cursor.fetchall()
        for name, _, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        for table in sorted({table for _, table, _ in triggers}):
            cursor.execute(f'DELETE FROM "{table}"')
        for _, _, sql in triggers:
            cursor.execute(sql)


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """pytest-django's live server, answering one request at a time on SQLite.

    On an in-memory SQLite test database every server thread shares the test's
    one connection (Django's own arrangement), so two overlapping requests (a
    form's search-as-you-type next to its submit, as a person types) would
    interleave their transactions on it and one would fail at random. A real
    file database or PostgreSQL gives each request its own connection; there
    the server stays fully threaded.
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost",
        start=False,
    )
    if server.thread.connections_override:
        server.thread.static_handler = _one_request_at_a_time()
    else:
        server.thread.static_handler = StaticFilesHandler
    server.start()
    yield server
    server.stop()


# Held by the live server around each request on SQLite, and by the clean-up
# between tests (``_append_only_rows_cleared``), which uses the same connection.
_REQUESTS = threading.Lock()
# Set while the clean-up holds ``_REQUESTS`` for the flush that follows it.
_CLEANING = threading.Event()


def _one_request_at_a_time() -> type:
    """A static-files handler that takes a lock around each request."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    class OneRequestAtATime(StaticFilesHandler):
        """Static files and the portal, one request at a time (see live_server)."""

        def __call__(self, environ: Any, start_response: Any) -> Any:
            with _REQUESTS:
                response = super().__call__(environ, start_response)
                # Read and closed inside the lock: closing ends the request
                # (``request_finished``), which touches the shared connection.
                try:
                    return [b"".join(response)]
                finally:
                    if hasattr(response, "close"):
                        response.close()

    return OneRequestAtATime


@pytest.fixture
def new_page(browser: Browser, live_server: Any) -> Iterator[Callable[[], Page]]:
    """Open pages in separate browser contexts (one per person) on the live portal."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    """Save the page as docs/screenshots/NAME.png when ``CARECOVER_SCREENSHOTS=1``.

    Off by default so that a test run does not rewrite the committed images.
    """
    if os.environ.get("CARECOVER_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


#: The password the browser tests give the users they sign in as.
PASSWORD = "browser test password 42"


def sign_in(page: Page, username: str) -> None:
    """Sign in through the login page, as a person would."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def a_day_without_reports(organisation_code: str) -> date:
    """The latest day before today on which the organisation has no report.

    The demo's reports fall on random days relative to today, so "yesterday"
    may already hold one of the organisation's reports (for the member a test
    picks, a new one would then be a duplicate).
    """
    from django.utils import timezone

    from carecover.portal.incidents.models import Report

    taken = set(
        Report.objects.filter(organisation__code=organisation_code).values_list(
            "incident_date", flat=True
        )
    )
    day = timezone.localdate() - timedelta(days=1)
    while day in taken:
        day -= timedelta(days=1)
    return day
