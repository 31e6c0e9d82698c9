import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Meeting, Opportunity, Organisation, Participant, Schedule, User

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
def company(make_user, auth):
    user = make_user(email="ion@agrovest.example", name="Ion Dumitrescu")
    auth.login("ion@agrovest.example")
    return user


@pytest.fixture
def registered(company, make_event, make_participant):
    event = make_event()
    return make_participant(event, company, status="pending", offers=["Irrigation data"])


def test_registering_asks_for_the_profile_first_then_registers(client, company, make_event):
    event = make_event()
    response = client.get(f"/events/{event.slug}/register")
    assert response.headers["Location"] == f"/profile?next=/events/{event.slug}/register"
    response = client.post(f"/profile?next=/events/{event.slug}/register", data=PROFILE)
    assert response.headers["Location"] == f"/events/{event.slug}/register"
    assert company.organisation.name == "AgroVest Cooperative"
    assert company.organisation.sectors == ["Agritech & IoT"]

    response = client.post(
        f"/events/{event.slug}/register",
        data={"looking_for": "Sensor makers", "max_meetings": "8"},
        follow_redirects=True,
    )
    assert "You are registered" in response.text
    assert "Add at least one offer" in response.text
    participant = db.session.scalar(sa.select(Participant))
    assert (participant.status, participant.looking_for, participant.max_meetings) == (
        "pending",
        "Sensor makers",
        8,
    )


def test_profile_form_rejects_bad_website_and_unknown_sector(client, company):
    response = client.post(
        "/profile", data={**PROFILE, "website": "not a url", "sectors": ["Knitting"]}
    )
    assert "Give the full address" in response.text
    assert "Knitting&#39; is not a valid choice" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 0


def test_registration_refused_when_not_open(client, company, make_event):
    event = make_event(status="matchmaking")
    client.post("/profile", data=PROFILE)
    response = client.post(f"/events/{event.slug}/register", data={}, follow_redirects=True)
    assert "Registration for this event is not open." in response.text
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 0


def test_participant_adds_edits_and_removes_opportunities(client, registered):
    slug = registered.event.slug
    client.post(
        f"/events/{slug}/me/opportunities/new",
        data={"kind": "request", "category": "technology", "title": "Soil moisture sensors",
              "description": "For 400 ha of maize", "keywords": "IoT, LoRaWAN"},
    )  # fmt: skip
    opportunity = db.session.scalar(sa.select(Opportunity).where(Opportunity.kind == "request"))
    assert opportunity.title == "Soil moisture sensors"
    client.post(
        f"/events/{slug}/me/opportunities/{opportunity.id}",
        data={"kind": "request", "category": "technology", "title": "Soil sensors and dashboard",
              "description": "", "keywords": ""},
    )  # fmt: skip
    assert opportunity.title == "Soil sensors and dashboard"
    page = client.get(f"/events/{slug}/me").text
    assert "Soil sensors and dashboard" in page
    response = client.post(
        f"/events/{slug}/me/opportunities/{opportunity.id}/delete", follow_redirects=True
    )
    assert "Removed “Soil sensors and dashboard”." in response.text
    assert "Soil sensors and dashboard" not in client.get(f"/events/{slug}/me").text


def test_opportunity_without_title_is_refused_inline(client, registered):
    response = client.post(
        f"/events/{registered.event.slug}/me/opportunities/new",
        data={"kind": "offer", "category": "service", "title": ""},
    )
    assert "This field is required." in response.text
    assert len(registered.opportunities) == 1


def test_availability_grid_unticks_slots(client, registered):
    event = registered.event
    page = client.get(f"/events/{event.slug}/me/availability").text
    assert page.count('type="checkbox"') == len(event.slots)
    keep = [slot.id for slot in event.slots[:3]]
    response = client.post(
        f"/events/{event.slug}/me/availability", data={"slot": keep}, follow_redirects=True
    )
    assert f"free in 3 of {len(event.slots)} slots" in response.text
    assert {slot.id for slot in registered.unavailable} == {s.id for s in event.slots[3:]}


def test_participant_cannot_read_or_change_another_registration(
    client, registered, make_user, make_participant
):
    other = make_participant(
        registered.event, make_user(email="x@example.com"), offers=["Secret plan"]
    )
    opportunity = other.opportunities[0]
    slug = registered.event.slug
    assert client.get(f"/events/{slug}/registrations/{other.id}").status_code == 404
    assert client.get(f"/events/{slug}/me/opportunities/{opportunity.id}").status_code == 404
    response = client.post(
        f"/events/{slug}/me/opportunities/{opportunity.id}",
        data={"kind": "offer", "category": "service", "title": "Hijacked"},
    )
    assert response.status_code == 404
    assert (
        client.post(
            f"/events/{slug}/registrations/{other.id}/opportunities/{opportunity.id}/delete"
        ).status_code
        == 404
    )
    db.session.expire_all()
    assert db.session.get(Opportunity, opportunity.id).title == "Secret plan"


def test_organizer_edits_a_registration_on_behalf(client, auth, registered, make_user):
    organizer = make_user(email="org@example.com", role="organizer")
    registered.event.organizers.append(organizer)
    db.session.commit()
    auth.logout()
    auth.login("org@example.com")
    slug = registered.event.slug
    page = client.get(f"/events/{slug}/registrations/{registered.id}").text
    assert "Editing on behalf of Ion Dumitrescu" in page
    client.post(
        f"/events/{slug}/registrations/{registered.id}/opportunities/new",
        data={"kind": "offer", "category": "service", "title": "Added by the organizer"},
    )
    assert [o.title for o in registered.opportunities][-1] == "Added by the organizer"


def test_organizer_of_another_event_cannot_edit_registrations(
    client, auth, registered, make_user, make_event
):
    other_organizer = make_user(email="other@example.com", role="organizer")
    make_event(slug="other", organizer=other_organizer)
    auth.logout()
    auth.login("other@example.com")
    assert (
        client.get(f"/events/{registered.event.slug}/registrations/{registered.id}").status_code
        == 404
    )


def test_withdraw_needs_confirmation(client, registered):
    slug = registered.event.slug
    page = client.get(f"/events/{slug}/me/withdraw").text
    assert "Withdraw from ICT Brokerage Days?" in page
    assert registered.status == "pending"
    client.post(f"/events/{slug}/me/withdraw")
    assert registered.status == "withdrawn"
    assert client.get(f"/events/{slug}/me").status_code == 404


def test_delete_account_needs_the_email_and_removes_personal_data(client, registered):
    response = client.post("/account/delete", data={"email": "wrong@example.com"})
    assert "This is not the email of your account." in response.text
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
    response = client.post(
        "/account/delete", data={"email": "ion@agrovest.example"}, follow_redirects=True
    )
    assert "Your account and personal data are deleted." in response.text
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Opportunity.id))) == 0


def test_deleting_account_keeps_published_meetings_anonymised(
    client, registered, make_user, make_participant
):
    event = registered.event
    partner = make_participant(event, make_user(email="p@example.com", name="Partner"))
    schedule = Schedule(event_id=event.id, version=1, status="published")
    db.session.add(schedule)
    db.session.flush()
    db.session.add(Meeting.between(schedule, event.slots[0], registered, partner))
    db.session.commit()
    client.post("/account/delete", data={"email": "ion@agrovest.example"})
    db.session.expire_all()
    kept = db.session.get(Participant, registered.id)
    assert kept.user_id is None and kept.status == "withdrawn"
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 1
    assert db.session.scalar(sa.select(User).where(User.email == "ion@agrovest.example")) is None


def test_event_page_offers_registration_then_my_registration(client, company, make_event):
    event = make_event()
    assert "Register for this event" in client.get(f"/events/{event.slug}").text
    client.post("/profile", data=PROFILE)
    client.post(f"/events/{event.slug}/register", data={})
    page = client.get(f"/events/{event.slug}").text
    assert "My registration" in page and "Register for this event" not in page


def test_colleague_naming_the_organisation_asks_to_join_instead_of_joining(
    client, auth, company, make_user
):
    client.post("/profile", data=PROFILE)
    auth.logout()
    colleague = make_user(email="maria@agrovest.example", name="Maria")
    auth.login("maria@agrovest.example")
    response = client.post(
        "/profile", data={**PROFILE, "name": "agrovest cooperative"}, follow_redirects=True
    )
    assert "Your request to join" in response.text
    assert colleague.organisation_id is None
