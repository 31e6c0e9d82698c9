import re

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Participant
from matchmaker.services.demo import load_demo


def test_home_lists_open_events_and_hides_drafts(client, make_event):
    make_event(slug="open-days", title="Open Days")
    make_event(slug="secret", title="Secret Draft", status="draft")
    page = client.get("/").text
    assert "Open Days" in page
    assert "Secret Draft" not in page


def test_home_empty_state_says_what_comes_next(client):
    assert "When an organizer opens registration" in client.get("/").text


def test_draft_event_is_404_for_others_and_visible_to_its_organizer(
    client, auth, make_user, make_event
):
    organizer = make_user(email="org@example.com", role="organizer")
    make_user(email="other@example.com", role="organizer")
    make_event(slug="draft", status="draft", organizer=organizer)
    assert client.get("/events/draft").status_code == 404
    auth.login("other@example.com")
    assert client.get("/events/draft").status_code == 404
    auth.logout()
    auth.login("org@example.com")
    assert client.get("/events/draft").status_code == 200


def test_event_page_lists_approved_participants_with_offers(
    client, make_user, make_event, make_participant
):
    event = make_event()
    make_participant(
        event,
        make_user(email="a@example.com", name="Ana"),
        organisation_name="Agro Vest",
        offers=["Farm dashboards"],
    )
    make_participant(
        event,
        make_user(email="b@example.com", name="Bo"),
        organisation_name="Hidden Ltd",
        status="pending",
    )
    page = client.get(f"/events/{event.slug}").text
    assert "Agro Vest" in page
    assert "Farm dashboards" in page
    assert "Hidden Ltd" not in page
    assert "a@example.com" not in page  # private data stays with the organizers


def test_private_participant_list_is_not_shown_to_visitors(
    client, make_user, make_event, make_participant
):
    event = make_event(participants_public=False)
    make_participant(event, make_user(), organisation_name="Agro Vest")
    page = client.get(f"/events/{event.slug}").text
    assert "keeps the participant list private" in page
    assert "Agro Vest" not in page


def test_demo_event_page_paginates_its_participants(client, app):
    report = load_demo()
    approved = db.session.scalar(
        sa.select(sa.func.count(Participant.id)).where(Participant.status == "approved")
    )
    assert f"{approved} participants" in client.get(f"/events/{report.slug}").text
    seen = []
    for page in range(1, 10):
        html = client.get(f"/events/{report.slug}?page={page}").text
        cards = re.findall(r'data-participant="(\d+)"', html)
        assert len(cards) <= app.config["PAGE_SIZE"]
        seen += cards
    assert len(seen) == len(set(seen)) == approved


@pytest.mark.parametrize("path", ["/", "/auth/login", "/auth/signup", "/nowhere"])
def test_pages_load_assets_only_from_this_host(client, path):
    page = client.get(path).text
    urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert urls
    assert [url for url in urls if url.startswith(("http:", "https:", "//"))] == []


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Back to the events" in response.text


def test_responses_carry_security_headers(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_lax(client, make_user):
    make_user()
    response = client.post(
        "/auth/login", data={"email": "ana@example.com", "password": "correct horse battery"}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    from matchmaker import create_app

    monkeypatch.setenv("MATCHMAKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("MATCHMAKER_DEV", raising=False)
    app = create_app({"SECRET_KEY": "s"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
