"""A real browser for end-to-end tests: Debian's Chromium, driven by Playwright.

Playwright never downloads a browser here: `make test` installs Debian's `chromium` with
apt-get, and the tests launch it from /usr/bin.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture
def site_data(live_server):
    """The rows a test module shows in the browser; a module overrides this fixture."""
    return None


@pytest.fixture
def browser(site_data, live_server):
    """Chromium, started after `site_data` exists.

    While Playwright's sync API is open its event loop counts as running in this thread, so
    Django refuses ORM calls here as "async unsafe". Depending on `site_data` creates the rows
    before the browser starts, and the browser closes before pytest-django empties the database.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium).")
    if settings.SECURE_SSL_REDIRECT:
        # The live server speaks plain HTTP: Chromium would only say ERR_SSL_PROTOCOL_ERROR.
        pytest.fail("HTTPS redirect is on: run `make test`, or set DJANGO_SECURE_SSL_REDIRECT=0.")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A fresh browser page (no cookies)."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def artefacts():
    """Where browser tests leave screenshots for a person to look at after a run."""
    folder = Path(os.environ.get("PORTAL_TEST_ARTEFACTS", "var/test-artefacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
