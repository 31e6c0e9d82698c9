"""Suggested meetings on the pages: the consent on the registration, the organizer's default
and floor, the mark in agenda, calendar and grid, and declining one."""

import html
import re

import icalendar
import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Match, Meeting, Organisation, Participant, Schedule


@pytest.fixture
def fair(make_user, make_event, make_participant):
    """Ana, Bo and Cem approved; published version 1: Ana–Bo suggested (slot 0, table 1),
    Ana–Cem from a request (slot 1). Matches Ana–Bo 0.7, Ana–Cem 0.3, Bo–Cem 0.05."""
    organizer = make_user(email="olga@org.example", name="Olga", role="organizer")
    event = make_event(organizer=organizer, participant_walk_ins=True)
    people = [
        make_participant(event, make_user(email=f"{n.lower()}@x.example", name=n),
                         organisation_name=f"{n} Ltd")
        for n in ("Ana", "Bo", "Cem")
    ]  # fmt: skip
    ana, bo, cem = people
    for first, second, score in ((ana, bo, 0.7), (ana, cem, 0.3), (bo, cem, 0.05)):
        a, b = sorted((first, second), key=lambda p: p.id)
        db.session.add(
            Match(event_id=event.id, participant_a_id=a.id, participant_b_id=b.id, score=score)
        )
    schedule = Schedule(event_id=event.id, version=1, status="published")
    db.session.add(schedule)
    db.session.flush()
    suggested = Meeting.between(schedule, event.slots[0], ana, bo, table=event.tables[0],
                                source="suggestion", code="SUG1")  # fmt: skip
    db.session.add(suggested)
    requested = Meeting.between(schedule, event.slots[1], ana, cem, table=event.tables[0],
                                source="request", code="REQ1")  # fmt: skip
    db.session.add(requested)
    db.session.commit()
    return event, ana, bo, cem, suggested, requested


def _text(page):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _rows(page, testid):
    rows = re.findall(rf'<tr[^>]*data-testid="{testid}"[^>]*>(.*?)</tr>', page, re.S)
    return [_text(row) for row in rows]


def _decline(client, event, meeting):
    return client.post(
        f"/events/{event.slug}/agenda/meetings/{meeting.id}/decline", follow_redirects=True
    )


# --- consent ---------------------------------------------------------------------------------


def test_registration_details_offer_the_consent_with_what_it_means(client, auth, fair):
    event, ana, *_ = fair
    event.suggestion_default = 2
    db.session.commit()
    auth.login("ana@x.example")
    page = client.get(f"/events/{event.slug}/me/details").text
    assert "Fill my free slots with suggested meetings" in page
    assert "Suggested meetings are meetings nobody asked for" in _text(page)
    options = re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', page)
    assert options[:3] == [("", "As the organizers propose (up to 2)"), ("0", "No"),
                           ("1", "Up to 1")]  # fmt: skip


@pytest.mark.parametrize(("sent", "stored"), [("0", 0), ("3", 3), ("", None)])
def test_saving_the_details_stores_the_consent(client, auth, fair, sent, stored):
    event, ana, *_ = fair
    auth.login("ana@x.example")
    response = client.post(
        f"/events/{event.slug}/me/details",
        data={"looking_for": "Sensors", "suggestion_limit": sent},
        follow_redirects=True,
    )
    assert "Registration saved." in response.text
    db.session.expire_all()
    assert db.session.get(Participant, ana.id).suggestion_limit == stored


def test_a_made_up_consent_is_refused(client, auth, fair):
    event, ana, *_ = fair
    auth.login("ana@x.example")
    response = client.post(
        f"/events/{event.slug}/me/details", data={"looking_for": "x", "suggestion_limit": "7"}
    )
    assert "Not a valid choice." in response.text
    db.session.expire_all()
    assert db.session.get(Participant, ana.id).suggestion_limit is None


def test_registering_records_the_consent(client, auth, fair, make_user):
    event, *_ = fair
    dan = make_user(email="dan@x.example", name="Dan")
    dan.organisation = Organisation(name="Dan Ltd", country="RO", type="sme")
    db.session.commit()
    auth.login("dan@x.example")
    response = client.post(
        f"/events/{event.slug}/register",
        data={"looking_for": "Buyers", "suggestion_limit": "0"},
        follow_redirects=True,
    )
    assert "You are registered" in response.text
    registration = db.session.scalar(sa.select(Participant).where(Participant.user_id == dan.id))
    assert registration.suggestion_limit == 0


# --- the organizer's default and floor -------------------------------------------------------


def test_schedule_page_shows_the_floor_with_the_pairs_above_it(client, auth, fair):
    event, *_ = fair
    auth.login("olga@org.example")
    page = _text(client.get(f"/manage/{event.slug}/schedule").text)
    assert "0 of 3 approved participants accept suggested meetings" in page
    assert "2 pairs score at or above this floor." in page  # 0.7 and 0.3, not 0.05

    response = client.post(
        f"/manage/{event.slug}/schedule/suggestions",
        data={"suggestion_default": "3", "floor_percent": "50"},
        follow_redirects=True,
    )
    page = _text(response.text)
    assert "Suggested meetings saved" in page
    assert "1 pair scores at or above this floor." in page
    assert "3 of 3 approved participants accept suggested meetings" in page
    db.session.expire_all()
    assert (event.suggestion_default, event.suggestion_floor) == (3, 0.5)


def test_schedule_settings_refuse_a_floor_out_of_range(client, auth, fair):
    event, *_ = fair
    auth.login("olga@org.example")
    response = client.post(
        f"/manage/{event.slug}/schedule/suggestions",
        data={"suggestion_default": "3", "floor_percent": "150"},
        follow_redirects=True,
    )
    assert "Relevance floor (match score, %): Number must be between 0 and 100." in response.text
    db.session.expire_all()
    assert (event.suggestion_default, event.suggestion_floor) == (0, 0.25)


# --- marked everywhere, and declined ---------------------------------------------------------


def test_agenda_marks_the_suggested_meeting_and_offers_to_decline_it(client, auth, fair):
    event, ana, bo, cem, suggested, requested = fair
    auth.login("ana@x.example")
    page = client.get(f"/events/{event.slug}/agenda").text
    assert page.count('data-testid="suggested"') == 1
    assert page.count('data-testid="decline"') == 1
    assert f"/agenda/meetings/{suggested.id}/decline" in page
    assert f"/agenda/meetings/{requested.id}/decline" not in page
    assert "1 of them was suggested by the organizers, as you agreed" in _text(page)


def test_calendar_says_the_meeting_was_suggested(client, auth, fair):
    event, *_ = fair
    auth.login("ana@x.example")
    calendar = icalendar.Calendar.from_ical(client.get(f"/events/{event.slug}/agenda.ics").data)
    descriptions = {str(v["SUMMARY"]): str(v["DESCRIPTION"]) for v in calendar.walk("VEVENT")}
    assert "Suggested by the organizers" in descriptions["Meeting: Bo Ltd"]
    assert "Suggested by the organizers" not in descriptions["Meeting: Cem Ltd"]


def test_declining_frees_the_slot_and_tells_the_partner(client, auth, fair, outbox):
    event, ana, bo, cem, suggested, _ = fair
    auth.login("ana@x.example")
    page = _decline(client, event, suggested).text
    assert "You declined the meeting with Bo Ltd: the slot is free again and they are told." in (
        _text(page)
    )
    assert [row for row in _rows(page, "meeting") if "Bo Ltd" in row] == []  # free again
    mail = outbox.messages[-1]
    assert (mail["To"], mail["Subject"]) == (
        "bo@x.example", "Suggested meeting at 09:00 cancelled: Ana Ltd"
    )  # fmt: skip
    assert "book a walk-in meeting for it yourself" in mail.get_payload(decode=True).decode()

    auth.logout()
    auth.login("bo@x.example")
    assert "Ana Ltd" not in _text(client.get(f"/events/{event.slug}/agenda").text)
    walk_ins = client.get(f"/events/{event.slug}/walk-ins").text
    # The freed slot is the partner's first free one: offered for a walk-in, selected.
    assert f'<option value="{event.slots[0].id}" selected>' in walk_ins


def test_the_organizer_grid_marks_suggested_and_declined_meetings(client, auth, fair):
    event, ana, bo, cem, suggested, _ = fair
    auth.login("olga@org.example")
    page = client.get(f"/manage/{event.slug}/schedule/1").text
    assert page.count('data-testid="grid-suggested"') == 1
    auth.logout()
    auth.login("ana@x.example")
    _decline(client, event, suggested)
    auth.logout()
    auth.login("olga@org.example")
    assert "Declined" in client.get(f"/manage/{event.slug}/schedule/1").text


def test_declining_a_requested_meeting_is_refused_with_the_reason(client, auth, fair):
    event, ana, bo, cem, _, requested = fair
    auth.login("ana@x.example")
    page = _text(_decline(client, event, requested).text)
    assert "Only meetings suggested by the organizers can be declined here" in page
    db.session.expire_all()
    assert requested.status == "scheduled"


def test_only_a_participant_of_the_meeting_may_decline_it(client, auth, fair):
    event, ana, bo, cem, suggested, _ = fair
    auth.login("cem@x.example")
    response = client.post(f"/events/{event.slug}/agenda/meetings/{suggested.id}/decline")
    assert response.status_code == 404
    auth.logout()
    auth.login("olga@org.example")  # organizers change the agenda, they do not decline for one
    response = client.post(f"/events/{event.slug}/agenda/meetings/{suggested.id}/decline")
    assert response.status_code == 404
    db.session.expire_all()
    assert suggested.status == "scheduled"
