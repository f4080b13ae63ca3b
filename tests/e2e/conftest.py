"""Browser tests: Playwright (PyPI) driving Debian's Chromium against pytest-django's live
server. No browser is downloaded; under CI=true a missing Chromium is a failure."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# The documents tests' test CA, SoftHSM2 cards and office, for the browser test of the signed
# path (tests/e2e/test_documents.py).
from tests.documents.conftest import cards, office, pki, signing_trust  # noqa: F401

# The exchange tests' agency codes and receiving 收發 (tests/e2e/test_exchange.py).
from tests.exchange.conftest import codes, outbox, receiver_clerk  # noqa: F401

# Playwright's sync API runs an event loop in this thread; the tests still use the ORM directly.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "correct-horse-115"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "找不到 Debian chromium（apt-get install chromium）"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, args=CHROMIUM_FLAGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def csp_violations() -> list[str]:
    """What the browser reported refusing under the Content-Security-Policy."""
    return []


@pytest.fixture
def page(browser, live_server, transactional_db, registry, csp_violations):
    """A fresh browser tab on the live server. Every browser test also checks the site's
    Content-Security-Policy: a refused script, style or connection fails the test."""
    context = browser.new_context(base_url=live_server.url, locale="zh-TW")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            csp_violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not csp_violations, csp_violations


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("帳號").fill(username)
    page.get_by_label("密碼").fill(password)
    page.get_by_role("button", name="登入", exact=True).click()
    page.wait_for_url("**/")


def logout(page) -> None:
    page.get_by_role("button", name="登出").click()
    page.wait_for_url("**/accounts/login/")


def assert_accessible(page, *, best_practice: bool = False) -> None:
    """axe-core (bundled by axe-playwright-python) at WCAG 2.1 A/AA: no violations of any
    impact; with ``best_practice`` axe's best-practice rules too (landmarks, headings)."""
    from axe_playwright_python.sync_playwright import Axe

    tags = [*WCAG_TAGS, "best-practice"] if best_practice else WCAG_TAGS
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
    violations = results.response["violations"]
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    ]
    assert not violations, f"{page.url}: " + "; ".join(summary)


def pick(page, label: str, name: str) -> None:
    """Choose ``name`` in the type-ahead picker labelled ``label`` (the routing form's 主辦機關,
    協辦機關): type part of it, click the match. The page must have loaded: htmx starts
    listening once it has."""
    page.wait_for_load_state("load")
    page.get_by_role("combobox", name=label).fill(name[:2])
    page.get_by_role("listbox").get_by_role("option", name=name).first.click()


def step(page, name: str, **fields) -> None:
    """Fill and send the form of one step (its card on the document page)."""
    card = page.locator(f"#step-{name}")
    for field, value in fields.items():
        control = card.locator(f"#{name}-{field}")
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    card.get_by_role("button").click()
    page.locator(".msg-success").wait_for()
