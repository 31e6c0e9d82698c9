"""Download my data (the GDPR's right of access): one ZIP with everything stored about the
person, and nothing private of anyone else."""

import io
import json
import zipfile
from datetime import datetime

import pytest

from matchmaker.extensions import db
from matchmaker.models import (
    Feedback,
    LoginSession,
    Meeting,
    MeetingRequest,
    MembershipRequest,
    Organisation,
    Schedule,
)
from matchmaker.models.base import utcnow


@pytest.fixture
def ana(make_event, make_user, make_participant):
    """Ana of AgroVest at a published event: she asked FieldNode for a meeting, Eve Labs asked
    her, she meets FieldNode at 9:00 and answered its feedback; Eve Labs also wrote to
    FieldNode (a message Ana never saw)."""
    event = make_event(status="agenda_published")
    user = make_user(email="ana@agro.example", name="Ana Popescu")
    user.job_title, user.phone = "Export manager", "+40 722 111 222"
    me = make_participant(
        event, user, organisation_name="AgroVest", offers=["Soil sensors"], looking_for="Buyers"
    )
    user.organisation = me.organisation
    me.unavailable = [event.slots[-1]]
    mo = make_participant(
        event, make_user(email="mo.secret@field.example", name="Morgan Fieldhand"),
        organisation_name="FieldNode",
    )  # fmt: skip
    eve = make_participant(
        event, make_user(email="eve.hidden@labs.example", name="Evelyn Labworth"),
        organisation_name="Eve Labs",
    )  # fmt: skip
    schedule = Schedule(event_id=event.id, version=1, status="published")
    db.session.add(schedule)
    db.session.flush()
    meeting = Meeting.between(schedule, event.slots[0], me, mo, table=event.tables[2])
    db.session.add(meeting)
    db.session.add_all(
        [
            MeetingRequest(event_id=event.id, sender_id=me.id, receiver_id=mo.id,
                           status="accepted", message="Sensors for your fields?"),
            MeetingRequest(event_id=event.id, sender_id=eve.id, receiver_id=me.id,
                           status="declined", message="Lab tests for your soil?",
                           decline_reason="Not this year"),
            MeetingRequest(event_id=event.id, sender_id=eve.id, receiver_id=mo.id,
                           message="Private offer for FieldNode only"),
            LoginSession(user_id=user.id, token_hash="f" * 64, user_agent="Firefox on Linux",
                         last_seen_at=datetime(2027, 5, 18, 8, 0)),
            MembershipRequest(organisation=Organisation(name="Old Coop", country="RO"),
                              user_id=user.id, status="cancelled", message="I work there"),
        ]
    )  # fmt: skip
    db.session.flush()
    db.session.add(
        Feedback(meeting_id=meeting.id, participant_id=me.id, held=True, usefulness=5,
                 outcome="offer_sent", comment="Very useful")
    )  # fmt: skip
    user.last_login_at = utcnow()
    db.session.commit()
    return me


def _download(client, auth):
    auth.login("ana@agro.example")
    return client.get("/account/my-data")


def _unzipped(response):
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_my_data_is_a_zip_no_cache_keeps(client, auth, ana):
    response = _download(client, auth)
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "no-store" in response.headers["Cache-Control"]
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=matchmaker-my-data-")
    files = _unzipped(response)
    assert sorted(files) == ["README.txt", "my-data.json"]
    assert "everything this platform stores about you" in files["README.txt"]


def test_my_data_holds_the_account_and_organisation(client, auth, ana):
    data = json.loads(_unzipped(_download(client, auth))["my-data.json"])
    account = data["account"]
    assert (account["email"], account["name"], account["job_title"], account["phone"]) == (
        "ana@agro.example", "Ana Popescu", "Export manager", "+40 722 111 222",
    )  # fmt: skip
    assert account["created_at"].endswith("Z") and account["last_login_at"].endswith("Z")
    assert account["email_verified"] is ana.user.is_verified
    assert data["organisation"]["name"] == "AgroVest"
    assert data["membership_requests"] == [
        {"organisation": "Old Coop", "status": "Withdrawn", "message": "I work there",
         "created_at": data["membership_requests"][0]["created_at"], "decided_at": None}
    ]  # fmt: skip
    devices = {device["device"]: device for device in data["login_sessions"]}
    assert devices["Firefox on Linux"]["last_seen_at"] == "2027-05-18T08:00:00Z"


def test_my_data_holds_registrations_requests_meetings_and_feedback(client, auth, ana):
    [registration] = json.loads(_unzipped(_download(client, auth))["my-data.json"])["registrations"]
    assert registration["event"] == "ICT Brokerage Days"
    assert registration["looking_for"] == "Buyers"
    assert [o["title"] for o in registration["opportunities"]] == ["Soil sensors"]
    assert registration["unavailable_slots"] == ["Wed 19 May 10:30–10:55"]
    assert [(r["to"], r["status"], r["message"]) for r in registration["requests_sent"]] == [
        ("FieldNode", "Accepted", "Sensors for your fields?")
    ]
    [received] = registration["requests_received"]
    assert (received["from"], received["message"], received["decline_reason"]) == (
        "Eve Labs", "Lab tests for your soil?", "Not this year",
    )  # fmt: skip
    assert registration["meetings"] == [
        {"with": "FieldNode", "starts_at": "2027-05-18T09:00", "ends_at": "2027-05-18T09:25",
         "table": "Table 3", "status": "scheduled"}
    ]  # fmt: skip
    [feedback] = registration["feedback_given"]
    assert (feedback["meeting_with"], feedback["usefulness"], feedback["comment"]) == (
        "FieldNode", 5, "Very useful",
    )  # fmt: skip


def test_my_data_leaves_out_other_peoples_private_data_and_secrets(client, auth, ana):
    text = _unzipped(_download(client, auth))["my-data.json"]
    for private in (
        "mo.secret@field.example", "eve.hidden@labs.example",  # partners' emails
        "Morgan Fieldhand", "Evelyn Labworth",  # partners' people
        "Private offer for FieldNode only",  # a message between two others
        "f" * 64, ana.calendar_token, "password",  # secrets
    ):  # fmt: skip
        assert private not in text


def test_account_and_profile_pages_offer_the_download(client, auth, ana):
    auth.login("ana@agro.example")
    assert 'href="/account/my-data"' in client.get("/account").text
    assert 'href="/account/my-data"' in client.get("/profile").text
