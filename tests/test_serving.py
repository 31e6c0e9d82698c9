"""Production serving: the health endpoint, trusted hosts, the shared rate-limit store and
`make serve` refusing to start half-configured.

The Redis test runs against a real server when MATCHMAKER_TEST_REDIS_URL names one (it then
fails, never skips, if Redis is down) and is skipped otherwise.
"""

import json
import os
import subprocess
import sys
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
codes = [client.post("/auth/login", data={"email": "nobody@example.com", "password": "wrong"})
         .status_code for _ in range(2)]
print(json.dumps(codes))
"""


@pytest.mark.skipif(not REDIS_URL, reason="set MATCHMAKER_TEST_REDIS_URL to test Redis storage")
def test_login_limit_is_shared_through_redis(tmp_path):
    config = {
        **base_config(tmp_path, "sqlite://"),
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # this run's own counters
        "LOGIN_RATE_LIMIT": "2 per minute",
    }
    other = subprocess.run(
        [sys.executable, "-c", _OTHER_WORKER, json.dumps(config)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert other.returncode == 0, other.stderr
    app = create_app(config)
    with app.app_context():
        db.create_all()
    third = app.test_client().post(
        "/auth/login", data={"email": "nobody@example.com", "password": "wrong"}
    )
    assert (json.loads(other.stdout.splitlines()[-1]), third.status_code) == ([200, 200], 429)


def test_make_serve_refuses_without_database_url():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MAKEFLAGS")}
    env["SECRET_KEY"] = "s"
    result = subprocess.run(
        ["make", "--no-print-directory", "serve"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr
