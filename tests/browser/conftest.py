"""Real-browser fixtures: the app served on loopback in a thread, and Debian's chromium driven
by Playwright (never `playwright install`: the machine's own chromium is used).

Browser tests run when chromium is installed, and are required (missing chromium fails
the run) when MATCHMAKER_BROWSER_TESTS=1.
"""

import os
import shutil
import threading
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from matchmaker import create_app
from matchmaker.extensions import db
from tests.conftest import _empty_all_tables, base_config

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REQUIRED = os.environ.get("MATCHMAKER_BROWSER_TESTS") == "1"


def _chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if REQUIRED:
        pytest.fail(
            "MATCHMAKER_BROWSER_TESTS=1 but chromium is not installed (apt-get install chromium)"
        )
    pytest.skip("chromium is not installed; set MATCHMAKER_BROWSER_TESTS=1 to require it")


@pytest.fixture
def app(tmp_path, _postgres_schema):
    """A file-backed database, so the server thread and the test share it."""
    url = _postgres_schema or f"sqlite:///{tmp_path / 'browser.sqlite3'}"
    # Long tasks run in a background thread, as in production.
    app = create_app({**base_config(tmp_path, url), "JOBS_INLINE": False})
    with app.app_context():
        if not _postgres_schema:
            db.create_all()
        yield app
        db.session.remove()
        if _postgres_schema:
            _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class ForeignRequests(list):
    """Every request the page made to a host other than the app's own."""


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    own_host = urlsplit(live_server).netloc
    page.foreign_requests = ForeignRequests()
    page.on(
        "request",
        lambda request: (
            urlsplit(request.url).netloc not in (own_host, "")
            and page.foreign_requests.append(request.url)
        ),
    )
    yield page
    context.close()
