"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Never `playwright install`: the browser is the system's /usr/bin/chromium
(`apt-get install chromium`; .ci/run does it). Without it these tests skip.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery staple 42"
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module.

    While Playwright's sync API is started, its event loop counts as running in this
    thread, and Django refuses ORM calls (the tests' own and the database flush
    between tests) unless DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set for exactly
    that span and removed afterwards: `check --deploy` in other tests refuses it.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (never `playwright install`)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements-dev.txt)")
    before = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            yield chromium
            chromium.close()
    finally:
        if before is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = before


@pytest.fixture
def manager(transactional_db, django_user_model):
    return django_user_model.objects.create_user(
        username="anna", password=PASSWORD, is_staff=True, is_superuser=True, first_name="Анна"
    )


def open_page(browser, live_server, *, locale: str = "en-US", width: int = 1400, height: int = 900):
    context = browser.new_context(base_url=live_server.url, locale=locale, viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server, manager):
    context, page = open_page(browser, live_server)
    login(page, manager.username)
    yield page
    context.close()


def login(page, username: str) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#dashboard")
