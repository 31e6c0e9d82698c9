import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, Participant, Schedule

EVENT_FORM = {
    "title": "Black Sea Digital Days",
    "description": "Two days of one-to-one meetings.",
    "venue": "Expo hall",
    "city": "Constanța",
    "country": "RO",
    "timezone": "Europe/Bucharest",
    "sessions-0-day": "2027-06-01",
    "sessions-0-start": "09:00",
    "sessions-0-end": "12:00",
    "sessions-1-day": "2027-06-02",
    "sessions-1-start": "10:00",
    "sessions-1-end": "12:00",
    "breaks-0-day": "2027-06-01",
    "breaks-0-start": "10:30",
    "breaks-0-end": "11:00",
    "breaks-0-title": "Coffee",
    "meeting_minutes": "25",
    "gap_minutes": "5",
    "table_count": "12",
    "participants_public": "y",
    "max_requests_per_participant": "15",
}


@pytest.fixture
def organizer(make_user, auth):
    user = make_user(email="org@example.com", name="Olga Organizer", role="organizer")
    auth.login("org@example.com")
    return user


def test_organizer_creates_event_with_two_days_and_a_break(client, organizer):
    response = client.post("/manage/events/new", data=EVENT_FORM, follow_redirects=True)
    assert "created as a draft with 9 slots" in response.text
    event = db.session.scalar(sa.select(Event))
    assert event.slug == "black-sea-digital-days"
    assert event.status == "draft"
    assert event.organizers == [organizer]
    assert [s.starts_at.strftime("%d %H:%M") for s in event.slots] == [
        "01 09:00", "01 09:30", "01 10:00", "01 11:00", "01 11:30",
        "02 10:00", "02 10:30", "02 11:00", "02 11:30",
    ]  # fmt: skip
    assert len(event.tables) == 12


def test_slot_preview_shows_slots_without_saving(client, organizer):
    response = client.post("/manage/events/new", data={**EVENT_FORM, "preview": "Preview slots"})
    assert response.status_code == 200
    assert "9 slots × 12 tables" in response.text
    assert "11:00–11:25" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_event_form_errors_are_shown_inline_and_nothing_saved(client, organizer):
    data = {**EVENT_FORM, "sessions-0-end": "08:00", "breaks-0-day": "2027-07-01"}
    data.pop("title")
    response = client.post("/manage/events/new", data=data)
    assert "This field is required." in response.text
    assert "The end must come after the start." in response.text
    assert "is not on a meeting day" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_participant_cannot_create_events(client, auth, make_user):
    make_user(email="p@example.com")
    auth.login("p@example.com")
    assert client.get("/manage/events/new").status_code == 403


def test_status_moves_only_along_the_workflow(client, organizer, make_event):
    event = make_event(organizer=organizer, status="draft")
    response = client.post(
        f"/manage/{event.slug}/status", data={"status": "closed"}, follow_redirects=True
    )
    assert "An event cannot go from draft to closed." in response.text
    assert event.status == "draft"
    for status in ("registration_open", "matchmaking", "agenda_published", "closed"):
        client.post(f"/manage/{event.slug}/status", data={"status": status})
        db.session.refresh(event)
        assert event.status == status
    response = client.post(
        f"/manage/{event.slug}/status", data={"status": "matchmaking"}, follow_redirects=True
    )
    assert "An event cannot go from closed to matchmaking." in response.text


def test_organizer_of_another_event_cannot_manage_it(client, auth, make_user, make_event):
    owner = make_user(email="owner@example.com", role="organizer")
    make_user(email="other@example.com", role="organizer")
    event = make_event(organizer=owner)
    auth.login("other@example.com")
    for path in ("", "/edit", "/participants"):
        assert client.get(f"/manage/{event.slug}{path}").status_code == 404
    assert (
        client.post(f"/manage/{event.slug}/status", data={"status": "matchmaking"}).status_code
        == 404
    )
    assert event.status == "registration_open"


def test_co_organizer_added_by_email_can_manage(client, auth, organizer, make_user, make_event):
    event = make_event(organizer=organizer)
    make_user(email="colleague@example.com", name="Cora", role="organizer")
    response = client.post(
        f"/manage/{event.slug}/organizers",
        data={"email": "colleague@example.com"},
        follow_redirects=True,
    )
    assert "Cora now co-organizes this event." in response.text
    response = client.post(
        f"/manage/{event.slug}/organizers",
        data={"email": "nobody@example.com"},
        follow_redirects=True,
    )
    assert "No account uses nobody@example.com" in response.text
    auth.logout()
    auth.login("colleague@example.com")
    assert client.get(f"/manage/{event.slug}").status_code == 200


def test_edit_that_drops_availability_asks_for_confirmation(
    client, organizer, make_event, make_user, make_participant
):
    event = make_event(organizer=organizer)
    participant = make_participant(event, make_user(email="p@example.com"))
    second_day = [slot for slot in event.slots if slot.starts_at.day == 19]
    participant.unavailable = second_day[:2]
    db.session.commit()
    form = client.get(f"/manage/{event.slug}/edit").text
    assert 'value="2027-05-19"' in form
    data = {
        **EVENT_FORM,
        "title": event.title,
        "sessions-0-day": "2027-05-18", "sessions-0-start": "09:00", "sessions-0-end": "12:00",
        "sessions-1-day": "", "sessions-1-start": "", "sessions-1-end": "",
        "breaks-0-day": "2027-05-18", "breaks-0-start": "10:30", "breaks-0-end": "10:45",
        "table_count": "4",
    }  # fmt: skip
    response = client.post(f"/manage/{event.slug}/edit", data=data)
    assert "4 meeting slot(s) disappear" in response.text
    assert "2 availability mark(s)" in response.text
    db.session.expire_all()
    assert len(event.slots) == 9  # nothing changed yet

    token = response.text.split('name="confirm" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        f"/manage/{event.slug}/edit", data={**data, "confirm": token}, follow_redirects=True
    )
    assert "Event saved." in response.text
    db.session.expire_all()
    assert len(event.slots) == 5
    assert db.session.get(Participant, participant.id).unavailable == []


def test_edit_that_touches_the_published_agenda_is_refused(
    client, organizer, make_event, make_user, make_participant
):
    event = make_event(organizer=organizer)
    a = make_participant(event, make_user(email="a@example.com"))
    b = make_participant(event, make_user(email="b@example.com"))
    schedule = Schedule(event_id=event.id, version=1, status="published")
    db.session.add(schedule)
    db.session.flush()
    db.session.add(Meeting.between(schedule, event.slots[-1], a, b, table=event.tables[0]))
    db.session.commit()
    data = {
        **EVENT_FORM,
        "sessions-0-day": "2027-05-18", "sessions-0-start": "09:00", "sessions-0-end": "12:00",
        "sessions-1-day": "", "sessions-1-start": "", "sessions-1-end": "",
        "breaks-0-day": "", "breaks-0-start": "", "breaks-0-end": "",
    }  # fmt: skip
    response = client.post(f"/manage/{event.slug}/edit", data=data)
    assert "used by the published agenda" in response.text
    db.session.expire_all()
    assert len(event.slots) == 9
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 1


def test_participants_list_searches_filters_and_paginates(
    client, organizer, make_event, make_user, make_participant
):
    event = make_event(organizer=organizer)
    make_participant(
        event,
        make_user(email="ana@agro.example", name="Ana"),
        organisation_name="AgroVest",
        country="RO",
    )
    make_participant(
        event,
        make_user(email="mo@field.example", name="Mo"),
        organisation_name="FieldNode",
        country="RS",
        status="pending",
    )
    page = client.get(f"/manage/{event.slug}/participants").text
    assert "AgroVest" in page and "FieldNode" in page and "ana@agro.example" in page
    page = client.get(f"/manage/{event.slug}/participants?q=field").text
    assert "FieldNode" in page and "AgroVest" not in page
    page = client.get(f"/manage/{event.slug}/participants?status=approved").text
    assert "AgroVest" in page and "FieldNode" not in page
    page = client.get(f"/manage/{event.slug}/participants?country=RS").text
    assert "FieldNode" in page and "AgroVest" not in page
    page = client.get(f"/manage/{event.slug}/participants?q=100%25").text
    assert "No participant matches" in page


def test_approving_a_registration_tells_the_participant(
    client, organizer, make_event, make_user, make_participant, outbox
):
    event = make_event(organizer=organizer)
    participant = make_participant(
        event, make_user(email="mo@field.example", name="Mo"), status="pending"
    )
    client.post(f"/manage/{event.slug}/participants/{participant.id}/approved")
    assert participant.status == "approved"
    message = outbox.messages[-1]
    assert message["To"] == "mo@field.example"
    assert "is approved" in message.get_payload(decode=True).decode()
    client.post(f"/manage/{event.slug}/participants/{participant.id}/rejected")
    assert participant.status == "rejected"
    assert "could not accept" in outbox.messages[-1].get_payload(decode=True).decode()


def test_decision_redirect_stays_on_this_site(
    client, organizer, make_event, make_user, make_participant
):
    event = make_event(organizer=organizer)
    participant = make_participant(event, make_user(email="p@example.com"), status="pending")
    response = client.post(
        f"/manage/{event.slug}/participants/{participant.id}/approved",
        data={"back": "https://evil.example/"},
    )
    assert response.headers["Location"] == f"/manage/{event.slug}/participants"


def test_tables_can_be_named_locations(client, organizer):
    data = {**EVENT_FORM, "table_count": "3", "table_names": "Stand B4\nStand B5\n"}
    client.post("/manage/events/new", data=data)
    event = db.session.scalar(sa.select(Event))
    assert [t.label for t in event.tables] == ["Stand B4", "Stand B5", "Table 3"]
    response = client.post("/manage/events/new", data={**data, "table_count": "1"})
    assert "There are more table names than tables." in response.text


def test_tables_seats_are_set_line_by_line_and_refused_in_words(client, organizer):
    # issue 25: a group meeting needs a table with a seat for every member
    data = {**EVENT_FORM, "table_count": "3", "table_seats": "8\n\n6\n"}
    client.post("/manage/events/new", data=data)
    event = db.session.scalar(sa.select(Event))
    assert [t.seats for t in event.tables] == [8, 4, 6]
    page = client.get(f"/manage/{event.slug}/edit")
    assert "8\n4\n6</textarea>" in page.text
    for seats, message in (
        ("8\n1", "Line 2: seats are a whole number from 2 to 50."),
        ("eight", "Line 1: seats are a whole number from 2 to 50."),
        ("4\n4\n4\n4", "There are more lines of seats than tables."),
    ):
        response = client.post("/manage/events/new", data={**data, "table_seats": seats})
        assert message in response.text
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 1
