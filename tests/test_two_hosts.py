"""Serving from several hosts (issue 22): two gunicorn instances of the production app on two
loopback ports, one PostgreSQL database, one Redis and one job worker
(`python -m matchmaker.worker`), as the README's "Production layout" runs them.

- a participant signed in on host 1 is signed in on host 2 with the same cookie;
- a matching job an organizer starts on host 1 runs on the worker and shows as done on both
  hosts' pages, and its matches on the participants' (cached) pages of host 2;
- an organizer's edit on host 1 is on host 2's cached pages at once (PostgreSQL
  LISTEN/NOTIFY, matchmaker/pagecache.py).

Runs when both MATCHMAKER_TEST_DATABASE_URL and MATCHMAKER_TEST_REDIS_URL are set (the Redis
database is emptied); it then fails, never skips, when PostgreSQL, Redis, a host or the worker
is missing.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.conftest import PASSWORD, TEST_DATABASE_URL

REPO = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("MATCHMAKER_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(
    not (TEST_DATABASE_URL and REDIS_URL),
    reason="set MATCHMAKER_TEST_DATABASE_URL and MATCHMAKER_TEST_REDIS_URL to serve from two hosts",
)
SLUG = "ict-days"
STARTUP_SECONDS = 90  # the three start side by side, each in 2-5 s on a quiet machine


# -- A browser of one person: its cookies, the forms it fills -----------------------------------


class Browser:
    """GET and POST against one host with a cookie jar, following redirects on that host."""

    def __init__(self, port, cookies=None):
        self.port = port
        self.cookies = dict(cookies or {})

    def on(self, port):
        """The same person on another host: the same cookies."""
        return Browser(port, self.cookies)

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location"), text

    def get(self, path):
        """(status, page text) after following redirects."""
        for _ in range(5):
            status, location, text = self.request("GET", path)
            if status not in (301, 302, 303):
                return status, text
            path = _local(location)
        raise AssertionError(f"too many redirects from {path}")

    def submit(self, path, changes=None, form_with=None, action=None):
        """Fill a form of the page at `path` (the one with a field named `form_with`, or
        whose action ends with `action`) as it stands, change `changes`, send it; returns
        (status, Location) of the answer."""
        status, page = self.get(path)
        assert status == 200, page[:500]
        action, fields = _form(page, path, form_with, action)
        fields.update(changes or {})
        status, location, _ = self.request("POST", action, fields)
        return status, location

    def log_in(self, email):
        status, location = self.submit("/auth/login", {"email": email, "password": PASSWORD},
                                       form_with="password")  # fmt: skip
        assert status == 302, f"logging {email} in answered {status}"
        return self


def _local(location):
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class _FormReader(HTMLParser):
    """The POST forms of a page: their action and the values a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self._form = {"action": attrs.get("action"), "fields": {}}
            self.forms.append(self._form)
        if self._form is None or "name" not in attrs and tag != "option":
            return
        fields = self._form["fields"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                fields[attrs["name"]] = attrs.get("value", "y" if kind == "checkbox" else "")
        elif tag == "select":
            self._select = attrs["name"]
            fields.setdefault(self._select, "")
        elif tag == "option" and self._select is not None:
            if "selected" in attrs or not fields.get(self._select):
                fields[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _form(page, path, field, action):
    reader = _FormReader()
    reader.feed(page)
    for form in reader.forms:
        target = _local(form["action"] or path)
        if (field is None or field in form["fields"]) and target.endswith(action or ""):
            return target, dict(form["fields"])
    raise AssertionError(f"no form with {field or action!r} on {path}")


# -- The hosts and the worker -----------------------------------------------------------------


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Site:
    """Two web hosts and a job worker on the test's PostgreSQL and Redis, stopped at the end
    (each in its own process group, gunicorn's workers and the worker's job processes too)."""

    def __init__(self, app, tmp_path):
        self.tmp_path = tmp_path
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("MATCHMAKER_DEV", "FLASK_DEBUG")},
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": REDIS_URL,
            "SECRET_KEY": "one secret for every host",
            "BASE_URL": "https://matchmaker.example",
            "TRUSTED_HOSTS": "127.0.0.1",
            "MATCHMAKER_INSTANCE_PATH": str(tmp_path),
            "OUTBOX_DIR": str(tmp_path / "outbox"),
            "WEB_CONCURRENCY": "1",
            "WEB_THREADS": "4",
            "GUNICORN_LOGLEVEL": "warning",
            # The test is about where things run, not their priority: under a loaded CI
            # runner a niced worker (tests already run niced) may wait long for the CPU.
            "JOB_WORKER_NICE": "0",
        }
        self.processes = []
        self.ports = []

    def _start(self, command, name, **env):
        log = open(self.tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(
            command, cwd=REPO, env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        process.log, process.name = log, name
        self.processes.append(process)
        return process

    def start(self):
        gunicorn = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
        for host in (1, 2):
            port = _free_port()
            self.ports.append(port)
            self._start(gunicorn, f"host{host}", GUNICORN_BIND=f"127.0.0.1:{port}")
        self._start([sys.executable, "-m", "matchmaker.worker", "--no-clock",
                     "--log-level", "WARNING"], "worker")  # fmt: skip
        deadline = time.monotonic() + STARTUP_SECONDS
        for port in self.ports:
            self._wait(lambda port=port: _answers(port), deadline, f"the host on port {port}")
        self._wait(_worker_registered, deadline, "the worker to take jobs from Redis")
        return self

    def _wait(self, ready, deadline, what):
        while not ready():
            for process in self.processes:
                if process.poll() is not None:
                    raise AssertionError(f"{process.name} exited: {self.output(process)}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.2)

    def output(self, process):
        process.log.flush()
        return (self.tmp_path / f"{process.name}.log").read_text()[-3000:]

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
            process.log.close()


def _answers(port):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/health")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def _worker_registered():
    from redis import Redis
    from rq import Worker

    return bool(Worker.all(connection=Redis.from_url(REDIS_URL)))


@pytest.fixture
def site(app, tmp_path):
    from redis import Redis

    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()  # fails here, never skips, when Redis is down
    started = Site(app, tmp_path)
    try:
        yield started.start()
    finally:
        started.stop()
        redis.flushdb()


@pytest.fixture
def event(make_user, make_event, make_participant):
    organizer = make_user(email="olga@example.com", name="Olga", role="organizer")
    event = make_event(SLUG, organizer=organizer)
    make_participant(
        event, make_user(email="pia@example.com", name="Pia"), organisation_name="Pia Cloud",
        offers=["cloud hosting for hospitals"], requests=["cyber security audit"],
    )  # fmt: skip
    make_participant(
        event, make_user(email="quinn@example.com", name="Quinn"),
        organisation_name="Quinn Secure", offers=["cyber security audit for hospitals"],
        requests=["cloud hosting for hospitals"],
    )  # fmt: skip
    return event


def wait_until(condition, seconds=30.0, what="the condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_two_hosts_share_sessions_jobs_and_page_caches(site, event):
    one, two = site.ports
    pia_here = Browser(one).log_in("pia@example.com")
    pia_there = pia_here.on(two)
    olga_here = Browser(one).log_in("olga@example.com")
    olga_there = olga_here.on(two)

    # Signed in on host 1, signed in on host 2 with the same cookie (a stranger is not).
    status, page = pia_there.get(f"/events/{SLUG}/me")
    assert status == 200 and "ICT Brokerage Days" in page and "Pia Cloud" in page
    assert "Log in" in Browser(two).get(f"/events/{SLUG}/me")[1]
    # Host 2 has Pia's matches page cached, still without matches.
    for _ in range(2):
        assert "Quinn Secure" not in pia_there.get(f"/events/{SLUG}/matches")[1]

    # Olga starts matching on host 1: the worker runs it; both hosts show it done.
    status, location = olga_here.submit(f"/manage/{SLUG}/matching", action="/matching/run")
    assert status == 302 and "/jobs/" in location, location
    job_page = _local(location)
    done_here = wait_until(lambda: _done(olga_here, job_page), what="the job to finish")
    done_there = _done(olga_there, job_page)
    assert "Matching done:" in done_here and "Matching done:" in done_there
    pairs = re.search(r"Matching done: (\d+) pairs", done_there).group(1)
    assert int(pairs) >= 1
    worker_log = site.output(site.processes[2])
    assert "Traceback" not in worker_log, worker_log
    # ... and its matches are on Pia's page at host 2 at once: the cached page was dropped.
    assert "Quinn Secure" in pia_there.get(f"/events/{SLUG}/matches")[1]

    # Olga renames the event on host 1; Pia's cached pages on host 2 show the new title.
    for _ in range(2):
        assert "ICT Brokerage Days" in pia_there.get(f"/events/{SLUG}/me")[1]
    status, _ = olga_here.submit(f"/manage/{SLUG}/edit", {"title": "Digital Health Days"},
                                 form_with="title")  # fmt: skip
    assert status == 302
    page = wait_until(lambda: _with(pia_there, f"/events/{SLUG}/me", "Digital Health Days"),
                      seconds=2, what="host 2 to show the new title")  # fmt: skip
    assert "ICT Brokerage Days" not in page


def _done(browser, job_page):
    status, page = browser.get(job_page)
    assert status == 200, page[:300]
    assert 'data-testid="job-failed"' not in page, page
    return page if "Matching done:" in page else None


def _with(browser, path, text):
    page = browser.get(path)[1]
    return page if text in page else None
