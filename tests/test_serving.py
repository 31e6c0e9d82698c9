"""Production serving: the health endpoint, trusted hosts, the shared rate-limit store and
`make serve` refusing to start half-configured.

The Redis test runs against a real server when MATCHMAKER_TEST_REDIS_URL names one (it then
fails, never skips, if Redis is down) and is skipped otherwise.
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from matchmaker import create_app
from matchmaker.extensions import db
from tests.conftest import base_config

REPO = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("MATCHMAKER_TEST_REDIS_URL")
DEAD_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2"


def test_health_answers_ok_without_login_or_cookie(client):
    response = client.get("/health")
    assert (response.status_code, response.json) == (200, {"status": "ok", "database": "ok"})
    assert "Set-Cookie" not in response.headers


def test_health_answers_503_when_database_is_unreachable(tmp_path):
    app = create_app(base_config(tmp_path, DEAD_DATABASE))
    response = app.test_client().get("/health")
    assert (response.status_code, response.json) == (503, {"status": "error", "database": "error"})


@pytest.mark.parametrize(
    "config_overrides", [{"RATELIMIT_ENABLED": True, "RATELIMIT_DEFAULT": "2 per minute"}]
)
def test_health_is_never_rate_limited(client):
    health = [client.get("/health").status_code for _ in range(4)]
    home = [client.get("/").status_code for _ in range(4)]
    assert (health, home) == ([200] * 4, [200, 200, 429, 429])


@pytest.mark.parametrize("config_overrides", [{"TRUSTED_HOSTS": ["matchmaker.example"]}])
def test_trusted_hosts_refuse_another_host(client):
    trusted = client.get("/health", headers={"Host": "matchmaker.example"})
    other = client.get("/", headers={"Host": "attacker.example"})
    assert (trusted.status_code, other.status_code) == (200, 400)
    assert "does not answer for that host" in other.text


def test_trusted_hosts_read_from_environment_as_a_list(tmp_path, monkeypatch):
    monkeypatch.setenv("TRUSTED_HOSTS", "matchmaker.example, .events.example")
    app = create_app(base_config(tmp_path, "sqlite://"))
    assert app.config["TRUSTED_HOSTS"] == ["matchmaker.example", ".events.example"]


def test_proxy_count_trusts_forwarded_address(tmp_path):
    app = create_app({**base_config(tmp_path, "sqlite://"), "PROXY_COUNT": 1})

    @app.get("/_peer")
    def peer():
        from flask import request

        return request.remote_addr

    headers = {"X-Forwarded-For": "203.0.113.7"}
    assert app.test_client().get("/_peer", headers=headers).text == "203.0.113.7"


# Run in another process: the limiter is one object per process, so only a second process
# shows that two workers really share the count.
_OTHER_WORKER = """
import json, sys
from matchmaker import create_app
from matchmaker.extensions import db
app = create_app(json.loads(sys.argv[1]))
with app.app_context():
    db.create_all()
client = app.test_client()
codes = [client.post("/auth/login", data={"email": sys.argv[2], "password": "wrong"})
         .status_code for _ in range(2)]
print(json.dumps(codes))
"""


@pytest.mark.skipif(not REDIS_URL, reason="set MATCHMAKER_TEST_REDIS_URL to test Redis storage")
def test_login_limit_is_shared_through_redis(tmp_path):
    config = {
        **base_config(tmp_path, "sqlite://"),
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "LOGIN_ACCOUNT_RATE_LIMIT": "2 per minute",
    }
    # This run's own counter: an email nobody else tries. (A key prefix would not do: the
    # limiter keeps the first prefix this test process gave it, the other process this one.)
    email = f"nobody-{uuid.uuid4().hex}@example.com"
    other = subprocess.run(
        [sys.executable, "-c", _OTHER_WORKER, json.dumps(config), email],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert other.returncode == 0, other.stderr
    app = create_app(config)
    with app.app_context():
        db.create_all()
    third = app.test_client().post("/auth/login", data={"email": email, "password": "wrong"})
    assert (json.loads(other.stdout.splitlines()[-1]), third.status_code) == ([200, 200], 429)


def test_rate_limits_count_in_redis_url_when_no_storage_is_named(tmp_path, monkeypatch):
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    app = create_app(base_config(tmp_path, "sqlite://"))
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/0"
    monkeypatch.delenv("REDIS_URL")
    assert create_app(base_config(tmp_path, "sqlite://")).config["RATELIMIT_STORAGE_URI"] == (
        "memory://"
    )


PRODUCTION = {
    "DATABASE_URL": "postgresql://user@127.0.0.1:5432/matchmaker",
    "SECRET_KEY": "s",
    "BASE_URL": "https://matchmaker.example",
    "TRUSTED_HOSTS": "matchmaker.example",
}


@pytest.mark.parametrize("missing", ["DATABASE_URL", "BASE_URL", "TRUSTED_HOSTS"])
def test_make_serve_refuses_without_a_production_setting(missing):
    env = {k: v for k, v in os.environ.items() if k not in (*PRODUCTION, "MAKEFLAGS")}
    env.update({name: value for name, value in PRODUCTION.items() if name != missing})
    result = subprocess.run(
        ["make", "--no-print-directory", "serve"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.startswith(f"make serve: {missing} is not set")
    assert len(result.stderr.splitlines()[0]) > len(f"make serve: {missing} is not set.")


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_answers_without_naming_itself(tmp_path):
    """Under gunicorn (gunicorn.conf.py, one worker): no Server header, and the production
    headers are there."""
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("MATCHMAKER_DEV", "FLASK_DEBUG")},
        **PRODUCTION,
        "DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3",
        "TRUSTED_HOSTS": "127.0.0.1",
        "MATCHMAKER_INSTANCE_PATH": str(tmp_path),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "1",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    command = [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"]
    with subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    ) as server:
        try:
            response = _get_when_up(port, "/health", server)
        finally:
            server.terminate()
            server.wait(30)
    assert response.status == 200
    assert response.headers.get("Server") is None
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "camera=()" in response.headers["Permissions-Policy"]


def _get_when_up(port, path, server, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response
        except OSError:
            if server.poll() is not None:
                raise AssertionError(server.stderr.read().decode()) from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
        finally:
            connection.close()
