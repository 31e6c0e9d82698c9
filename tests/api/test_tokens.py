"""Personal access tokens: made on the account's Tokens page and shown once, kept hashed,
scoped, revocable at once, and never more powerful than their owner's pages."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import ApiToken, Opportunity, Participant, User
from matchmaker.models.base import utcnow
from matchmaker.services import api_tokens

TOKEN = re.compile(r"mm_[A-Za-z0-9_-]{43}")


@pytest.fixture
def people(make_user, make_event, make_participant):
    """Event ict-days: organizer Olga; approved Ana (AgroVest) and Mo (FieldNode)."""
    olga = make_user(email="olga@organizer.example", name="Olga", role="organizer")
    event = make_event(organizer=olga, participants_public=False)
    ana = make_user(email="ana@agro.example", name="Ana")
    mo = make_user(email="mo@field.example", name="Mo")
    make_participant(event, ana, organisation_name="AgroVest", offers=["Crop loans"])
    make_participant(event, mo, organisation_name="FieldNode", offers=["Soil sensors"])
    return {"olga": olga, "ana": ana, "mo": mo}


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def token_for(user, *scopes, **options):
    return api_tokens.create(user, "test", scopes or ("read",), **options)[1]


def rows(model):
    found = sorted(map(repr, db.session.execute(sa.select(model.__table__)).all()))
    db.session.rollback()
    return found


def test_token_is_shown_once_and_kept_only_as_its_hash(client, auth, people):
    auth.login("ana@agro.example")
    page = client.post("/account/tokens", data={"name": "CRM sync", "scopes": ["read"]}).text
    secret = TOKEN.search(page).group()
    listed = client.get("/account/tokens").text
    stored = db.session.scalars(sa.select(ApiToken)).one()
    assert ("CRM sync" in listed, secret in listed, secret[:8] in listed) == (True, False, True)
    assert stored.token_hash != secret and secret not in repr(rows(ApiToken))
    assert client.get("/api/v1/events/ict-days/registration", headers=bearer(secret)).json[
        "organisation"]["name"] == "AgroVest"  # fmt: skip


def test_token_form_without_scope_says_why_and_makes_nothing(client, auth, people):
    auth.login("ana@agro.example")
    page = client.post("/account/tokens", data={"name": "No scope"})
    assert "Choose at least one." in page.text
    assert rows(ApiToken) == []


def test_revoked_token_stops_at_once(client, auth, people):
    secret = token_for(people["ana"])
    url = "/api/v1/events/ict-days/registration"
    assert client.get(url, headers=bearer(secret)).status_code == 200
    auth.login("ana@agro.example")
    made = db.session.scalars(sa.select(ApiToken)).one()
    assert client.post(f"/account/tokens/{made.id}/revoke").status_code == 302
    refused = client.get(url, headers=bearer(secret))
    assert (refused.status_code, refused.mimetype) == (401, "application/problem+json")
    assert "You have no tokens." in client.get("/account/tokens").text


def test_someone_elses_token_cannot_be_revoked(client, auth, people):
    token_for(people["mo"])
    made = db.session.scalars(sa.select(ApiToken)).one()
    auth.login("ana@agro.example")
    assert client.post(f"/account/tokens/{made.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, made.id).revoked_at is None


def test_token_of_deactivated_account_stops(client, people):
    secret = token_for(people["ana"])
    db.session.execute(sa.update(User).where(User.id == people["ana"].id).values(active=False))
    db.session.commit()
    assert client.get("/api/v1/events/ict-days/registration",
                      headers=bearer(secret)).status_code == 401  # fmt: skip


def test_token_of_deleted_account_is_deleted_with_it(client, people):
    from matchmaker.services.registration import delete_account

    secret = token_for(people["mo"])
    delete_account(people["mo"])
    assert rows(ApiToken) == []
    assert client.get("/api/v1/events", headers=bearer(secret)).status_code == 401


def test_my_data_lists_tokens_but_never_the_token(client, auth, people):
    import io
    import json
    import zipfile

    secret = token_for(people["ana"])
    auth.login("ana@agro.example")
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/my-data").data))
    data = archive.read("my-data.json").decode()
    assert [t["name"] for t in json.loads(data)["api_tokens"]] == ["test"]
    assert secret not in data


def test_account_page_leads_to_the_tokens(client, auth, people):
    auth.login("ana@agro.example")
    assert 'href="/account/tokens"' in client.get("/account").text


def test_expired_token_stops(client, people):
    secret = token_for(people["ana"], expires_at=utcnow() + timedelta(hours=1))
    db.session.execute(sa.update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get("/api/v1/events", headers=bearer(secret)).status_code == 401


def test_session_cookie_does_not_open_the_api(client, auth, people):
    auth.login("ana@agro.example")
    response = client.get("/api/v1/events/ict-days/registration")
    assert (response.status_code, response.headers["WWW-Authenticate"]) == (
        401, 'Bearer realm="api"')  # fmt: skip


def test_missing_scope_is_403_problem_and_changes_nothing(client, people):
    secret = token_for(people["ana"], "read")
    before = rows(Opportunity)
    response = client.post(
        "/api/v1/events/ict-days/registration/opportunities",
        json={"kind": "offer", "category": "service", "title": "Drones"},
        headers=bearer(secret),
    )
    assert (response.status_code, response.mimetype) == (403, "application/problem+json")
    assert response.json["type"].endswith("#problem-scope")
    assert "participate" in response.json["detail"]
    assert rows(Opportunity) == before


def test_token_cannot_do_what_its_owners_page_cannot(client, auth, people):
    """Ana (a participant) with every scope still cannot approve or list registrations:
    the page answers her 404, so does the API, and nothing changes."""
    secret = token_for(people["ana"], "read", "participate", "organize")
    mo = db.session.scalar(sa.select(Participant).where(Participant.user_id == people["mo"].id))
    before = rows(Participant)
    auth.login("ana@agro.example")
    page = client.post(f"/manage/ict-days/participants/{mo.id}/rejected")
    api = client.post(f"/api/v1/events/ict-days/registrations/{mo.id}/decision",
                      json={"status": "rejected"}, headers=bearer(secret))  # fmt: skip
    listing = client.get("/api/v1/events/ict-days/registrations", headers=bearer(secret))
    assert (page.status_code, api.status_code, listing.status_code) == (404, 404, 404)
    assert rows(Participant) == before


def test_invalid_input_is_a_problem_with_field_errors_and_changes_nothing(client, people):
    secret = token_for(people["ana"], "read", "participate")
    before = rows(Opportunity)
    response = client.post(
        "/api/v1/events/ict-days/registration/opportunities",
        json={"kind": "gift", "title": "", "colour": "red"},
        headers=bearer(secret),
    )
    assert (response.status_code, response.mimetype) == (422, "application/problem+json")
    assert set(response.json["errors"]) == {"kind", "category", "title", "colour"}
    assert rows(Opportunity) == before


def test_registrations_come_in_cursor_pages(client, people, make_user, make_participant):
    event = db.session.scalar(sa.select(Participant)).event
    for number in range(5):
        person = make_user(email=f"p{number}@example.com", name=f"P{number}")
        make_participant(event, person, organisation_name=f"Org {number}")
    secret = token_for(people["olga"], "organize")
    url, names, pages = "/api/v1/events/ict-days/registrations?limit=3", [], 0
    while url:
        page = client.get(url, headers=bearer(secret)).json
        names += [item["organisation"]["name"] for item in page["items"]]
        url, pages = page["next"], pages + 1
    assert (pages, len(names), len(set(names))) == (3, 7, 7)


def test_forged_cursor_is_refused(client, people):
    secret = token_for(people["olga"], "organize")
    response = client.get("/api/v1/events/ict-days/registrations?cursor=eyJvIjoxMH0.forged",
                          headers=bearer(secret))  # fmt: skip
    assert (response.status_code, list(response.json["errors"])) == (422, ["cursor"])


def test_last_use_is_written_at_most_once_a_minute(client, people):
    secret = token_for(people["ana"])
    client.get("/api/v1/events", headers=bearer(secret))
    first = db.session.scalars(sa.select(ApiToken.last_used_at)).one()
    db.session.rollback()
    client.get("/api/v1/events", headers=bearer(secret))
    assert first is not None and db.session.scalars(sa.select(ApiToken.last_used_at)).one() == first


@pytest.mark.parametrize(
    "config_overrides", [{"RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "3 per minute"}]
)
def test_rate_limit_is_per_token_and_answers_429_problem(client, people):
    ana, mo = token_for(people["ana"]), token_for(people["mo"])
    answers = [client.get("/api/v1/events", headers=bearer(ana)).status_code for _ in range(4)]
    limited = client.get("/api/v1/events", headers=bearer(ana))
    assert answers == [200, 200, 200, 429]
    assert (limited.mimetype, "Retry-After" in limited.headers) == (
        "application/problem+json",
        True,
    )
    assert client.get("/api/v1/events", headers=bearer(mo)).status_code == 200


def test_meeting_request_sent_and_accepted_through_the_api(client, people):
    ana = token_for(people["ana"], "read", "participate")
    mo = token_for(people["mo"], "read", "participate")
    mo_id = db.session.scalar(
        sa.select(Participant.id).where(Participant.user_id == people["mo"].id)
    )
    sent = client.post("/api/v1/events/ict-days/requests", headers=bearer(ana),
                       json={"receiver_id": mo_id, "message": "Shall we meet?"})  # fmt: skip
    incoming = client.get("/api/v1/events/ict-days/requests", headers=bearer(mo)).json["items"]
    accepted = client.post(f"/api/v1/events/ict-days/requests/{sent.json['id']}/accept",
                           headers=bearer(mo), json={})  # fmt: skip
    assert sent.status_code == 201
    seen = [(r["direction"], r["partner"]["organisation"]["name"], r["message"]) for r in incoming]
    assert seen == [("incoming", "AgroVest", "Shall we meet?")]
    assert (accepted.status_code, accepted.json["status"]) == (200, "accepted")


def test_unknown_api_url_is_a_problem(client):
    response = client.get("/api/v1/nothing-here")
    assert (response.status_code, response.mimetype) == (404, "application/problem+json")


def test_document_is_openapi_31_and_the_reference_page_lists_every_route(client):
    document = client.get("/api/v1/openapi.json").json
    page = client.get("/api/v1/reference").text
    operations = [
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert document["openapi"] == "3.1.0"
    assert "GET /api/v1/events/{slug}/matches" in operations
    assert [op for op in operations if op.split(" ", 1)[1] not in page] == []
    assert "cdn" not in page.lower()
