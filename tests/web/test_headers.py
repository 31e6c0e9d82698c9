"""Headers every answer carries, and those only some do: HSTS in production, no-store on a
signed-in person's pages."""

import pytest

from matchmaker import create_app
from tests.conftest import base_config


def test_signed_in_pages_are_not_stored_by_any_cache(client, auth, make_user):
    make_user()
    auth.login("ana@example.com")
    first = client.get("/dashboard")
    again = client.get("/dashboard")  # served from the page cache
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.headers["Cache-Control"] == "no-store"
    assert again.headers["Cache-Control"] == "no-store"


def test_public_pages_and_static_files_may_be_cached(client, auth, make_user):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    make_user()
    auth.login("ana@example.com")
    static = client.get("/static/css/app.css")
    static.close()  # a file response: close the file
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_permissions_policy_turns_off_camera_microphone_and_location(client):
    policy = client.get("/").headers["Permissions-Policy"]
    assert {"camera=()", "microphone=()", "geolocation=()"} <= set(policy.split(", "))


def test_hsts_is_not_sent_in_tests_or_development(client):
    assert "Strict-Transport-Security" not in client.get("/health").headers


@pytest.fixture
def production(tmp_path, monkeypatch):
    monkeypatch.delenv("MATCHMAKER_DEV", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    return create_app({**base_config(tmp_path, "sqlite://"), "TESTING": False})


def test_hsts_is_sent_in_production_also_behind_a_proxy_that_ends_tls(production):
    plain = production.test_client().get("/health")
    secure = production.test_client().get("/health", base_url="https://matchmaker.example")
    expected = "max-age=31536000; includeSubDomains"
    assert plain.headers["Strict-Transport-Security"] == expected
    assert secure.headers["Strict-Transport-Security"] == expected
