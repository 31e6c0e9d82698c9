"""Booking pages: the organizer's scheduling settings, a request naming times, accepting into
one, and both agendas and the calendar showing the meeting at once."""

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Event, MeetingRequest
from tests.web.test_organizer import EVENT_FORM

# The event form filled with make_event's days and tables (an edit that changes no slot).
SAME_DAYS = {
    **EVENT_FORM,
    "table_count": "4",
    **{"sessions-0-day": "2027-05-18", "sessions-0-start": "09:00", "sessions-0-end": "12:00"},
    **{"sessions-1-day": "2027-05-19", "sessions-1-start": "09:00", "sessions-1-end": "11:00"},
    **{"breaks-0-day": "2027-05-18", "breaks-0-start": "10:30", "breaks-0-end": "10:45"},
}


@pytest.fixture
def pair(make_event, make_user, make_participant):
    event = make_event(scheduling_mode="participants", tables=1)
    ana = make_participant(
        event, make_user(email="ana@agro.example", name="Ana"), organisation_name="AgroVest"
    )
    mo = make_participant(
        event, make_user(email="mo@field.example", name="Mo"), organisation_name="FieldNode"
    )
    return event, ana, mo


def _slots(event):
    return sorted(event.slots, key=lambda s: s.starts_at)


def test_request_form_offers_the_common_free_times_as_people_read_them(client, auth, pair):
    event, ana, mo = pair
    first = _slots(event)[0]
    mo.unavailable = [first]
    db.session.commit()
    auth.login("ana@agro.example")

    page = client.get(f"/events/{event.slug}/requests/new/{mo.id}").text

    assert "When could you meet?" in page
    tuesday = page.split("Tuesday 18 May")[1].split("Wednesday 19 May")[0]
    assert ">09:30–09:55<" in tuesday
    assert ">09:00–09:25<" not in tuesday  # Mo is not available then


def test_booked_request_shows_in_both_agendas_and_the_calendar_at_once(client, auth, pair):
    event, ana, mo = pair
    s1, s2 = _slots(event)[:2]
    auth.login("ana@agro.example")
    sent = client.post(
        f"/events/{event.slug}/requests/new/{mo.id}",
        data={"message": "Sensors?", "slots": [s1.id, s2.id]},
        follow_redirects=True,
    )
    assert "Request sent to FieldNode." in sent.text
    assert "You proposed: Tue 18 May, 09:00–09:25; Tue 18 May, 09:30–09:55" in sent.text
    request = db.session.scalar(sa.select(MeetingRequest))
    auth.logout()

    auth.login("mo@field.example")
    page = client.get(f"/events/{event.slug}/requests").text
    assert "Accept and book" in page
    answered = client.post(
        f"/events/{event.slug}/requests/{request.id}/accept",
        data={"slot": s2.id},
        follow_redirects=True,
    )
    assert "Meeting booked: Tue 18 May, 09:30–09:55, Table 1. It is in both agendas." in (
        answered.text
    )
    assert "AgroVest" in client.get(f"/events/{event.slug}/agenda").text
    auth.logout()

    auth.login("ana@agro.example")
    agenda = client.get(f"/events/{event.slug}/agenda").text
    assert "FieldNode" in agenda and "Table 1" in agenda
    ics = client.get(f"/events/{event.slug}/agenda.ics").text
    assert "DTSTART;TZID=Europe/Bucharest:20270518T093000" in ics
    assert "FieldNode" in ics


def test_a_time_taken_meanwhile_is_refused_with_a_sentence(client, auth, pair, make_user,
                                                           make_participant):  # fmt: skip
    event, ana, mo = pair
    slot = _slots(event)[0]
    auth.login("ana@agro.example")
    page = client.get(f"/events/{event.slug}/requests/new/{mo.id}").text
    assert f'value="{slot.id}"' in page
    # Meanwhile two others take the only table at that time.
    from matchmaker.services import requests as meeting_requests

    cem = make_participant(event, make_user(email="cem@example.com", name="Cem"))
    dan = make_participant(event, make_user(email="dan@example.com", name="Dan"))
    booked = meeting_requests.send_request(cem, dan, "", by=cem.user, slots=[slot])
    meeting_requests.accept(booked, by=dan.user)

    response = client.post(
        f"/events/{event.slug}/requests/new/{mo.id}",
        data={"message": "", "slots": [slot.id]},
        follow_redirects=True,
    )

    assert "Tue 18 May, 09:00–09:25 is no longer free for both of you" in response.text
    assert db.session.scalar(sa.select(sa.func.count(MeetingRequest.id))) == 1


def test_organizer_sets_the_scheduling_mode_with_help(client, make_user, make_event, auth):
    organizer = make_user(email="org@example.com", name="Olga", role="organizer")
    event = make_event(organizer=organizer)
    auth.login("org@example.com")
    form = client.get(f"/manage/{event.slug}/edit").text
    assert "Who places the meetings" in form and "Who picks the time" in form
    data = {**SAME_DAYS, "title": event.title}

    refused = client.post(
        f"/manage/{event.slug}/edit",
        data={**data, "scheduling_mode": "participants", "slot_chooser": "receiver",
              "request_mode": "opt_out"},
    )  # fmt: skip
    assert "let the requester pick it" in refused.text

    client.post(
        f"/manage/{event.slug}/edit",
        data={**data, "scheduling_mode": "hybrid", "slot_chooser": "receiver",
              "request_mode": "opt_in", "approval_required": "False"},
    )  # fmt: skip
    event = db.session.get(Event, event.id)
    db.session.refresh(event)
    assert (event.scheduling_mode, event.slot_chooser, event.request_mode) == (
        "hybrid", "receiver", "opt_in",
    )  # fmt: skip
    assert event.approval_required is False


def test_leaving_the_booking_mode_with_bookings_asks_for_confirmation(
    client, make_user, make_event, make_participant, auth
):
    from matchmaker.services import requests as meeting_requests

    organizer = make_user(email="org@example.com", name="Olga", role="organizer")
    event = make_event(organizer=organizer, scheduling_mode="participants")
    ana = make_participant(event, make_user(email="ana@example.com", name="Ana"))
    bo = make_participant(event, make_user(email="bo@example.com", name="Bo"))
    request = meeting_requests.send_request(ana, bo, "", by=ana.user, slots=[event.slots[0]])
    meeting_requests.accept(request, by=bo.user)
    auth.login("org@example.com")
    data = {**SAME_DAYS, "title": event.title, "scheduling_mode": "organizer"}

    response = client.post(f"/manage/{event.slug}/edit", data=data)

    assert "the 1 meeting(s) they booked stay in the published agenda" in response.text
    db.session.expire_all()
    assert db.session.get(Event, event.id).scheduling_mode == "participants"


def test_either_side_moves_a_booked_meeting_from_the_requests_page(client, auth, pair):
    from matchmaker.services import requests as meeting_requests

    event, ana, mo = pair
    s1, s2 = _slots(event)[:2]
    request = meeting_requests.send_request(ana, mo, "", by=ana.user, slots=[s1])
    meeting_requests.accept(request, by=mo.user)
    auth.login("mo@field.example")

    empty = client.post(f"/events/{event.slug}/requests/{request.id}/move", follow_redirects=True)
    moved = client.post(
        f"/events/{event.slug}/requests/{request.id}/move",
        data={"slot": s2.id},
        follow_redirects=True,
    )

    assert "Pick the time to move the meeting to." in empty.text
    assert "Meeting moved: Tue 18 May, 09:30–09:55, Table 1. It is in both agendas." in moved.text
    assert "Booked:</strong> Tue 18 May, 09:30–09:55 · Table 1" in moved.text
