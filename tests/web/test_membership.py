"""Joining an organisation is a request a member approves (issue 16, finding 1), and what an
account whose email is not confirmed may not do yet (findings 1 and 4)."""

import re

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import MembershipRequest, Organisation, Participant, User
from tests.web.test_transfer import csv_upload

PROFILE = {
    "name": "AgroVest Cooperative",
    "country": "RO",
    "city": "Craiova",
    "type": "sme",
    "size": "10-49",
    "website": "https://agrovest.example",
    "description": "Farmers' cooperative digitising irrigation.",
    "sectors": ["Agritech & IoT"],
}


@pytest.fixture
def member(make_user):
    """Ion, the one member of AgroVest Cooperative (RO)."""
    ion = make_user(email="ion@agrovest.example", name="Ion Dumitrescu")
    ion.organisation = Organisation(
        name="AgroVest Cooperative", country="RO", type="sme", website="https://agrovest.example"
    )
    db.session.commit()
    return ion


@pytest.fixture
def registered(member, make_event, make_participant):
    """AgroVest is an approved participant of a public event."""
    return make_participant(make_event(), member, organisation=member.organisation)


def reload(model, object_id):
    db.session.expire_all()
    return db.session.get(model, object_id)


def eve_asks(client, auth, make_user, verified=True, **changes):
    eve = make_user(email="eve@agrovest.example", name="Eve Intruder", verified=verified)
    auth.login(eve.email)
    response = client.post("/profile", data={**PROFILE, **changes}, follow_redirects=True)
    return eve, response


def test_naming_an_organisation_from_its_domain_does_not_join_it(
    client, auth, make_user, registered
):
    """The takeover of issue 16: same name (another case) and country, a member's domain."""
    eve, response = eve_asks(
        client, auth, make_user, name="  agrovest COOPERATIVE ", website="https://evil.example"
    )
    text = re.sub(r"<[^>]+>", "", response.text)
    assert "Your request to join AgroVest Cooperative is waiting for a member" in text
    # Saving again while waiting changes nothing either.
    again = client.post(
        "/profile", data={**PROFILE, "name": "Eve Corp", "website": "https://evil.example"}
    )
    assert again.status_code == 200
    organisation = reload(Organisation, registered.organisation_id)
    assert (organisation.name, organisation.website) == (
        "AgroVest Cooperative", "https://agrovest.example"
    )  # fmt: skip
    assert reload(User, eve.id).organisation_id is None
    public = client.get(f"/events/ict-days/participants/{registered.id}").text
    assert "AgroVest Cooperative" in public and "evil.example" not in public


def test_members_are_mailed_when_someone_asks_to_join(client, auth, make_user, member, outbox):
    eve_asks(client, auth, make_user)
    mail = outbox.messages[-1]
    assert (mail["To"], mail["Subject"]) == (
        "ion@agrovest.example", "Eve Intruder asks to join AgroVest Cooperative"
    )  # fmt: skip
    assert outbox.last_link().endswith("/organisation/members")


def test_unconfirmed_account_cannot_ask_to_join(client, auth, make_user, member):
    eve, response = eve_asks(client, auth, make_user, verified=False)
    assert "Confirm your email first" in response.text
    assert db.session.scalar(sa.select(sa.func.count(MembershipRequest.id))) == 0
    assert reload(User, eve.id).organisation_id is None


def test_member_approves_and_the_joiner_edits_the_profile(client, auth, make_user, member, outbox):
    eve, _ = eve_asks(client, auth, make_user)
    auth.logout()
    auth.login(member.email)
    page = client.get("/organisation/members").text
    assert "Eve Intruder" in page and "Approve" in page
    join = db.session.scalar(sa.select(MembershipRequest))
    response = client.post(f"/organisation/requests/{join.id}/approve", follow_redirects=True)
    assert "Eve Intruder joined AgroVest Cooperative." in response.text
    assert outbox.messages[-1]["Subject"] == "Your request to join AgroVest Cooperative"
    auth.logout()
    auth.login(eve.email)
    client.post("/profile", data={**PROFILE, "website": "https://agrovest.example/new"})
    assert reload(Organisation, member.organisation_id).website == "https://agrovest.example/new"


def test_member_declines_and_the_person_stays_outside(client, auth, make_user, member, outbox):
    eve, _ = eve_asks(client, auth, make_user)
    auth.logout()
    auth.login(member.email)
    join = db.session.scalar(sa.select(MembershipRequest))
    client.post(f"/organisation/requests/{join.id}/decline")
    assert (reload(MembershipRequest, join.id).status, reload(User, eve.id).organisation_id) == (
        "rejected", None
    )  # fmt: skip
    assert "was declined" in outbox.messages[-1].get_payload(decode=True).decode()


def test_person_asking_cannot_decide_on_their_own_request(client, auth, make_user, member):
    eve_asks(client, auth, make_user)
    join = db.session.scalar(sa.select(MembershipRequest))
    assert client.post(f"/organisation/requests/{join.id}/approve").status_code == 404
    assert reload(MembershipRequest, join.id).status == "pending"


def test_person_withdraws_the_request_and_describes_another_organisation(
    client, auth, make_user, member
):
    eve, _ = eve_asks(client, auth, make_user)
    response = client.post("/profile/request/cancel", follow_redirects=True)
    assert "Your request to join AgroVest Cooperative is withdrawn." in response.text
    client.post("/profile", data={**PROFILE, "name": "Eve Labs"})
    assert reload(User, eve.id).organisation.name == "Eve Labs"


def test_member_removes_a_member_who_is_told(client, auth, make_user, member, outbox):
    maria = make_user(email="maria@agrovest.example", name="Maria")
    maria.organisation_id = member.organisation_id
    db.session.commit()
    auth.login(member.email)
    response = client.post(f"/organisation/members/{maria.id}/remove", follow_redirects=True)
    assert "Maria is no longer a member of AgroVest Cooperative." in response.text
    assert reload(User, maria.id).organisation_id is None
    assert outbox.messages[-1]["Subject"] == "You are no longer a member of AgroVest Cooperative"


def test_last_member_cannot_leave(client, auth, member):
    auth.login(member.email)
    response = client.post(f"/organisation/members/{member.id}/remove", follow_redirects=True)
    assert "You are the last member of AgroVest Cooperative" in response.text
    assert reload(User, member.id).organisation_id is not None


def test_outsider_cannot_remove_a_member(client, auth, make_user, member):
    outsider = make_user(email="bo@else.example", name="Bo")
    outsider.organisation = Organisation(name="Else", country="RO", type="sme")
    db.session.commit()
    auth.login(outsider.email)
    assert client.post(f"/organisation/members/{member.id}/remove").status_code == 404
    assert reload(User, member.id).organisation_id is not None


def test_organizer_decides_for_an_organisation_without_active_member(
    client, auth, make_user, make_event, make_participant, outbox
):
    organizer = make_user(email="olga@organizer.example", name="Olga", role="organizer")
    other_organizer = make_user(email="otto@organizer.example", name="Otto", role="organizer")
    event = make_event(organizer=organizer)
    make_event(slug="agri-forum", organizer=other_organizer)
    gone = make_user(email="old@agrovest.example", name="Old", verified=False)
    gone.organisation = Organisation(name="AgroVest Cooperative", country="RO", type="sme")
    db.session.commit()
    make_participant(event, gone, organisation=gone.organisation)
    eve, _ = eve_asks(client, auth, make_user)
    assert outbox.messages[-1]["To"] == organizer.email
    join = db.session.scalar(sa.select(MembershipRequest))
    auth.logout()
    auth.login(other_organizer.email)
    assert client.post(f"/organisation/requests/{join.id}/approve").status_code == 404
    auth.logout()
    auth.login(organizer.email)
    page = client.get("/manage/ict-days/participants").text
    assert "Eve Intruder" in page and "asks to join" in page
    client.post(
        f"/organisation/requests/{join.id}/approve", data={"back": "/manage/ict-days/participants"}
    )
    assert reload(User, eve.id).organisation_id == gone.organisation_id


# Until the email is confirmed: no meeting requests, no imported registration.


def test_unconfirmed_account_cannot_send_meeting_requests(
    client, auth, make_user, make_event, make_participant
):
    event = make_event()
    ana = make_user(email="ana@example.com", verified=False)
    me = make_participant(event, ana)
    partner = make_participant(event, make_user(email="bo@example.com", name="Bo"))
    auth.login(ana.email)
    form = client.get(f"/events/{event.slug}/requests/new/{partner.id}").text
    assert "Confirm your email before you send meeting requests" in form
    response = client.post(
        f"/events/{event.slug}/requests/new/{partner.id}", data={"message": "Hi"}
    )
    assert "Confirm your email before you send meeting requests" in response.text
    assert client.get(f"/events/{event.slug}/requests").text.count("Bo Ltd") == 0
    assert me.status == "approved"


def test_organizers_see_who_has_not_confirmed_their_email(
    client, auth, make_user, make_event, make_participant
):
    organizer = make_user(email="olga@organizer.example", name="Olga", role="organizer")
    event = make_event(organizer=organizer)
    make_participant(event, make_user(email="ana@example.com", verified=False))
    make_participant(event, make_user(email="bo@example.com", name="Bo"))
    auth.login(organizer.email)
    page = client.get(f"/manage/{event.slug}/participants").text
    assert page.count("email not confirmed") == 1


def test_import_does_not_attach_a_registration_to_an_unconfirmed_account(
    client, auth, make_user, make_event, outbox
):
    organizer = make_user(email="olga@organizer.example", name="Olga", role="organizer")
    event = make_event(organizer=organizer)
    squatter = make_user(email="ana@agrovest.example", name="Not Ana", verified=False)
    verified = make_user(email="bo@seed.example", name="Bo")
    auth.login(organizer.email)
    rows = [
        ["AgroVest Cooperative", "Ana Popescu", "ana@agrovest.example", "RO", "Loans", ""],
        ["SeedCo", "Bo", "bo@seed.example", "RO", "Seeds", ""],
    ]
    response = client.post(
        f"/manage/{event.slug}/import", data=csv_upload(rows), follow_redirects=True
    )
    assert "ana@agrovest.example already had an account whose email is not confirmed" in (
        response.text
    )
    by_email = {p.user.email: p for p in db.session.scalars(sa.select(Participant)).all()}
    assert by_email["ana@agrovest.example"].status == "pending"
    assert reload(User, squatter.id).organisation_id is None  # not made a member
    assert by_email["bo@seed.example"].status == "approved"
    assert reload(User, verified.id).organisation.name == "SeedCo"
    mails = {m["To"]: m for m in outbox.messages}
    assert mails["bo@seed.example"]["Subject"] == f"You are registered for {event.title}"
    body = mails["ana@agrovest.example"].get_payload(decode=True).decode()
    assert "/auth/reset/" in body and "waits for the" in body
