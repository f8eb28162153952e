"""Browser tests: pytest-playwright driving Debian's chromium against the live server."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread, where Django then refuses
# database access unless told that this is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    reason = None
    if not CHROMIUM.exists():
        reason = f"Browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)."
    elif not AXE.exists():
        reason = "Browser tests need axe-core: run npm ci."
    if reason:
        for item in items:
            if here in Path(item.fspath).parents:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture
def sign_in(page, live_server):
    """sign_in(username) through the sign-in form; returns the page, on where it lands."""

    def sign_in_as(username: str, password: str = "pw"):
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        return page

    return sign_in_as


def axe_violations(page) -> list[tuple[str, str, list]]:
    """WCAG 2.2 A and AA violations axe-core finds on the page as it is now."""
    # Evaluated by the browser's devtools, which the pages' CSP does not restrict (a
    # script tag added to the page would be refused by it, as it should be).
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async tags => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        (v["id"], v["help"], [node["target"] for node in v["nodes"]]) for v in result["violations"]
    ]
