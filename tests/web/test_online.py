"""Online and hybrid events (issue 24): who may meet whom, online meetings without tables,
video rooms and when they open, the calendar file, and times in one's own zone."""

import re
from datetime import timedelta

import icalendar
import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Event, Match, MeetingRequest, Participant, Schedule
from matchmaker.services import agenda, booking, eventday, matchmaking, requests, schedules, video
from matchmaker.services.errors import DomainError
from matchmaker.services.schedules import ScheduleConflict


@pytest.fixture
def hybrid(make_event, make_user, make_participant):
    """A hybrid event with ONE table: Ana and Bo in the hall (Bo only at a table), Cy and Di
    online."""
    organizer = make_user(email="olga@example.com", name="Olga", role="organizer")
    event = make_event(organizer=organizer, venue="Expo Hall", tables=1, format="hybrid")

    def person(email, name, organisation, **fields):
        user = make_user(email=email, name=name)
        return make_participant(event, user, organisation_name=organisation, **fields)

    ana = person("ana@agro.example", "Ana", "AgroVest")
    bo = person("bo@hall.example", "Bo", "HallOnly", joins_online=False)
    cy = person("cy@web.example", "Cy", "CloudYard", attendance="online")
    di = person("di@web.example", "Di", "DataIsle", attendance="online")
    return event, organizer, ana, bo, cy, di


def _accept(sender, receiver):
    db.session.add(
        MeetingRequest(
            event_id=sender.event_id, sender_id=sender.id, receiver_id=receiver.id,
            status="accepted",
        )
    )  # fmt: skip
    db.session.commit()


def _publish(event, organizer):
    schedule = schedules.generate(event, by=organizer, time_limit=5)
    schedules.publish(schedule, by=organizer)
    return schedule


def _pairs(schedule):
    return {
        frozenset((m.participant_a.organisation.name, m.participant_b.organisation.name)): m
        for m in schedule.meetings
    }


def test_optimiser_never_seats_an_online_participant_nor_pairs_hall_only_with_online(hybrid):
    event, organizer, ana, bo, cy, di = hybrid
    for sender, receiver in ((ana, bo), (ana, cy), (ana, di), (cy, di), (bo, cy), (bo, di)):
        _accept(sender, receiver)
    instance, _ = schedules.build_instance(event)
    offered = {frozenset((c.a, c.b)): c.online for c in instance.candidates}
    assert frozenset((str(bo.id), str(cy.id))) not in offered  # hall only never meets online
    assert offered[frozenset((str(ana.id), str(cy.id)))] is True

    schedule = schedules.generate(event, by=organizer, time_limit=5)
    pairs = _pairs(schedule)
    # one table, yet every meeting that can happen is placed: the online ones need none
    assert set(pairs) == {
        frozenset(pair)
        for pair in (
            ("AgroVest", "HallOnly"),
            ("AgroVest", "CloudYard"),
            ("AgroVest", "DataIsle"),
            ("CloudYard", "DataIsle"),
        )
    }
    for meeting in schedule.meetings:
        with_online = {meeting.participant_a_id, meeting.participant_b_id} & {cy.id, di.id}
        assert meeting.online is bool(with_online)
        assert (meeting.table_id is None) is bool(with_online)
        assert meeting.video_room if with_online else True


def test_a_new_version_keeps_the_video_room_of_a_pair(hybrid):
    event, organizer, ana, bo, cy, di = hybrid
    _accept(ana, cy)
    first = _pairs(schedules.generate(event, by=organizer, time_limit=5))
    second = _pairs(schedules.generate(event, by=organizer, time_limit=5))
    key = frozenset(("AgroVest", "CloudYard"))
    assert second[key].video_room == first[key].video_room
    assert len(first[key].video_room) >= 20  # token_urlsafe(16): unguessable


def test_hall_only_participant_cannot_request_an_online_one(hybrid):
    event, organizer, ana, bo, cy, di = hybrid
    with pytest.raises(DomainError) as refused:
        requests.send_request(bo, cy, "Shall we meet?", by=bo.user)
    assert str(refused.value) == (
        "CloudYard takes part online, and you said you meet only in the hall. Change it in "
        "your registration if you can join online meetings from the venue."
    )
    with pytest.raises(DomainError, match="HallOnly meets only in the hall"):
        requests.send_request(cy, bo, "Shall we meet?", by=cy.user)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MeetingRequest)) == 0


def test_accepting_refuses_once_the_sender_is_hall_only(hybrid):
    event, organizer, ana, bo, cy, di = hybrid
    request = requests.send_request(ana, cy, "Hello", by=ana.user)
    ana.joins_online = False
    db.session.commit()
    with pytest.raises(DomainError, match="AgroVest meets only in the hall"):
        requests.accept(request, by=cy.user)
    assert db.session.get(MeetingRequest, request.id).status == "pending"


def test_matching_never_suggests_hall_only_with_online(hybrid):
    event, organizer, ana, bo, cy, di = hybrid
    rules = matchmaking.rules_for(event)
    assert not rules.attendance.may_meet(bo.id, cy.id)
    assert rules.attendance.may_meet(ana.id, cy.id)
    assert rules.attendance.may_meet(bo.id, ana.id)


def test_manual_meeting_of_hall_only_and_online_is_refused(hybrid):
    event, organizer, ana, bo, cy, di = hybrid
    draft = Schedule(event_id=event.id, version=1, status="draft")
    db.session.add(draft)
    db.session.commit()
    with pytest.raises(ScheduleConflict) as refused:
        schedules.add_meeting(draft, bo, cy, event.slots[0], None, by=organizer)
    assert str(refused.value) == (
        "CloudYard takes part online and HallOnly only in the hall: they cannot meet."
    )
    # an online pair needs no table, even when the only one is taken
    schedules.add_meeting(draft, ana, bo, event.slots[0], event.tables[0], by=organizer)
    schedules.add_meeting(draft, cy, di, event.slots[0], None, by=organizer)
    online = [m for m in draft.meetings if m.online]
    assert [(m.table_id, bool(m.video_room)) for m in online] == [(None, True)]


def test_walk_in_online_needs_no_free_table(hybrid):
    event, organizer, ana, bo, cy, di = hybrid
    _accept(ana, bo)
    schedule = _publish(event, organizer)
    slot = next(m.slot for m in schedule.meetings if not m.online)  # its only table is taken
    early = slot.starts_at - timedelta(hours=1)
    assert eventday.walk_in_problems(schedule, slot, cy, di, now=early) == []
    meeting = eventday.book_walk_in(schedule, slot, cy, di, by=organizer, now=early)
    assert (meeting.online, meeting.table_id) == (True, None)
    assert (
        "CloudYard takes part online and HallOnly only in the hall: they cannot meet."
        in eventday.walk_in_problems(schedule, slot, bo, cy, now=early)
    )


def test_booking_offers_an_online_pair_the_slots_whose_tables_are_all_taken(hybrid):
    event, organizer, ana, bo, cy, di = hybrid
    _accept(ana, bo)
    schedule = _publish(event, organizer)
    full = next(m.slot for m in schedule.meetings if not m.online)  # its only table is taken
    assert full in booking.free_slots(cy, di)
    event.format = "in_person"  # the same pair in the hall would need that table
    db.session.commit()
    assert full not in booking.free_slots(cy, di)


def test_table_sheets_and_door_list_leave_online_meetings_out(hybrid):
    event, organizer, ana, bo, cy, di = hybrid
    _accept(ana, bo)
    _accept(cy, di)
    schedule = _publish(event, organizer)
    sheets = agenda.table_sheets(schedule)
    assert [(s.label, len(s.meetings)) for s in sheets] == [("Table 1", 1)]
    expected = [
        row.participant.organisation.name for d in agenda.door_list(schedule) for row in d.rows
    ]
    assert expected == ["AgroVest", "HallOnly"]


def test_room_link_opens_ten_minutes_before_the_slot(app, hybrid):
    event, organizer, ana, bo, cy, di = hybrid
    _accept(ana, cy)
    schedule = _publish(event, organizer)
    meeting = next(m for m in schedule.meetings if m.online)
    start = meeting.slot.starts_at
    url = f"https://meet.jit.si/{meeting.video_room}"
    assert video.room_of(meeting, event, now=start - timedelta(minutes=11)).state == "later"
    assert video.room_of(meeting, event, now=start - timedelta(minutes=10)).state == "open"
    assert video.room_of(meeting, event, now=meeting.slot.ends_at).state == "over"
    assert video.room_of(meeting, event, now=start).url == url
    app.config["VIDEO_ROOM_OPENS_MINUTES"] = 3
    assert video.room_of(meeting, event, now=start - timedelta(minutes=5)).state == "later"
    hall = next((m for m in schedule.meetings if not m.online), None)
    assert hall is None or video.room_of(hall, event) is None


def test_agenda_says_when_the_room_opens_and_the_ics_holds_it(client, auth, hybrid):
    event, organizer, ana, bo, cy, di = hybrid
    event.video_template = "https://bbb.example.org/rooms/{room}/join"
    db.session.commit()
    _accept(ana, cy)
    schedule = _publish(event, organizer)
    meeting = next(m for m in schedule.meetings if m.online)
    auth.login("cy@web.example")
    page = _text(client.get(f"/events/{event.slug}/agenda"))
    opens = (meeting.slot.starts_at - timedelta(minutes=10)).strftime("%-I:%M %p")
    assert f"The video room opens at {opens}." in page  # the event is in 2027: not yet
    assert 'data-testid="video-link"' not in page
    calendar = icalendar.Calendar.from_ical(client.get(f"/events/{event.slug}/agenda.ics").data)
    (vevent,) = calendar.walk("VEVENT")
    url = f"https://bbb.example.org/rooms/{meeting.video_room}/join"
    assert str(vevent["URL"]) == url
    assert str(vevent["LOCATION"]) == url


def test_agenda_shows_the_link_once_the_room_is_open(client, auth, hybrid, monkeypatch):
    event, organizer, ana, bo, cy, di = hybrid
    _accept(ana, cy)
    meeting = next(m for m in _publish(event, organizer).meetings if m.online)
    monkeypatch.setattr(
        "matchmaker.timezones.now_in", lambda zone: meeting.slot.starts_at - timedelta(minutes=5)
    )
    auth.login("ana@agro.example")
    page = client.get(f"/events/{event.slug}/agenda").get_data(as_text=True)
    link = re.search(r'<a[^>]*data-testid="video-link"[^>]*>', page).group(0)
    assert f'href="https://meet.jit.si/{meeting.video_room}"' in link


def test_own_time_zone_is_shown_beside_the_event_time(client, auth, hybrid):
    event, organizer, ana, bo, cy, di = hybrid
    _accept(ana, cy)
    meeting = next(m for m in _publish(event, organizer).meetings if m.online)
    auth.login("cy@web.example")
    response = client.post("/account/time-zone", data={"timezone": "Europe/Lisbon"})
    assert response.status_code == 302
    page = _text(client.get(f"/events/{event.slug}/agenda"))
    start = meeting.slot.starts_at
    expected = (
        f"{start.strftime('%-I:%M %p')} in Bucharest · "
        f"{(start - timedelta(hours=2)).strftime('%-I:%M %p')} your time"
    )
    assert expected in " ".join(re.sub(r"<[^>]+>", " ", page).split())


def _text(response):
    """The page, with the narrow no-break space Babel puts before AM/PM made a plain one."""
    return response.get_data(as_text=True).replace("\u202f", " ")


def test_unknown_time_zone_is_refused_and_nothing_changes(client, auth, hybrid):
    event, organizer, ana, bo, cy, di = hybrid
    auth.login("cy@web.example")
    response = client.post("/account/time-zone", data={"timezone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert cy.user.timezone == ""


def test_registration_in_a_hybrid_event_asks_how_one_takes_part(client, auth, hybrid):
    event, organizer, ana, bo, cy, di = hybrid
    db.session.add(
        Match(event_id=event.id, participant_a_id=min(ana.id, cy.id),
              participant_b_id=max(ana.id, cy.id), score=0.5, explanation={})
    )  # fmt: skip
    db.session.commit()
    auth.login("ana@agro.example")
    page = client.get(f"/events/{event.slug}/me/details").get_data(as_text=True)
    assert "How do you take part?" in page
    client.post(
        f"/events/{event.slug}/me/details",
        data={"looking_for": "", "attendance": "in_person", "suggestion_limit": ""},
    )
    ana = db.session.get(Participant, ana.id)
    assert (ana.attendance, ana.joins_online) == ("in_person", False)
    # AgroVest now meets only in the hall: its match with an online participant is gone
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Match)) == 0


def test_registration_refuses_an_unknown_way_to_take_part(client, auth, hybrid):
    event, organizer, ana, bo, cy, di = hybrid
    auth.login("ana@agro.example")
    response = client.post(
        f"/events/{event.slug}/me/details",
        data={"looking_for": "Partners", "attendance": "<script>", "suggestion_limit": ""},
    )
    assert "Not a valid choice" in response.get_data(as_text=True)
    ana = db.session.get(Participant, ana.id)
    assert (ana.attendance, ana.joins_online, ana.looking_for) == ("in_person", True, "")


def test_other_events_do_not_ask_how_one_takes_part(client, auth, hybrid):
    event, organizer, ana, bo, cy, di = hybrid
    event.format = "in_person"
    db.session.commit()
    auth.login("ana@agro.example")
    page = client.get(f"/events/{event.slug}/me/details").get_data(as_text=True)
    assert "How do you take part?" not in page


@pytest.mark.parametrize(
    "template",
    ["http://meet.example.org/{room}", "https://meet.example.org/room", "https://{room}{room}"],
)
def test_event_form_refuses_a_video_address_without_room_or_https(client, auth, hybrid, template):
    event, organizer, *_ = hybrid
    auth.login("olga@example.com")
    page = client.get(f"/manage/{event.slug}/edit").get_data(as_text=True)
    assert 'name="video_template"' in page
    form = _event_form(page)
    form.update(format="online", video_template=template)
    response = client.post(f"/manage/{event.slug}/edit", data=form)
    assert "Give the video room address as https://" in response.get_data(as_text=True)
    event = db.session.get(Event, event.id)
    assert (event.format, event.video_template) == ("hybrid", "")


def test_event_form_saves_format_and_video_address(client, auth, hybrid):
    event, organizer, *_ = hybrid
    auth.login("olga@example.com")
    form = _event_form(client.get(f"/manage/{event.slug}/edit").get_data(as_text=True))
    form.update(format="online", video_template=" https://meet.example.org/b2b-{room} ")
    response = client.post(f"/manage/{event.slug}/edit", data=form)
    assert response.status_code == 302
    event = db.session.get(Event, event.id)
    assert (event.format, event.video_template) == ("online", "https://meet.example.org/b2b-{room}")


def _event_form(page):
    """The fields of the event form as the page fills them (inputs, selects, text areas)."""
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        data[name] = value
    for tag in re.findall(r"<input[^>]*>", page):
        if 'type="checkbox"' in tag and "checked" not in tag:
            data.pop(re.search(r'name="([^"]+)"', tag).group(1), None)
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"', body) or re.search(
            r'<option[^>]*value="([^"]*)"[^>]*selected', body
        )
        if chosen:
            data[name] = chosen.group(1)
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = body.strip()
    data.pop("preview", None)
    return data


def test_migration_keeps_online_events_online():
    """The format replaces the boolean: Event.online reads it."""
    assert Event(format="online").online and not Event(format="hybrid").online
    assert Event(format="hybrid").has_online and not Event(format="in_person").has_online
