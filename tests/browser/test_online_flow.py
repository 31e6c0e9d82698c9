"""An online participant of a hybrid event (issue 24): sets its time zone, sees its online
meeting with the video room's link once the room is open, and its calendar file holds it."""

from datetime import date, time, timedelta

from icalendar import Calendar
from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import Event, EventSession, MeetingRequest, Organisation, Participant
from matchmaker.services import schedules
from matchmaker.services.accounts import create_user
from matchmaker.services.events import sync_slots_and_tables
from tests.browser.helpers import log_in
from tests.conftest import PASSWORD


def _hybrid_event():
    organizer = create_user("olga@example.com", "Olga", PASSWORD, role="organizer", verified=True)
    event = Event(
        slug="hybrid-days", title="Hybrid Days", status="registration_open", table_count=2,
        timezone="Europe/Bucharest", venue="Expo Hall", format="hybrid", meeting_minutes=25,
        gap_minutes=5,
        video_template="https://meet.example.org/b2b/{room}",
    )  # fmt: skip
    event.sessions = [EventSession(day=date(2027, 5, 18), start=time(9, 0), end=time(10, 0))]
    event.organizers.append(organizer)
    db.session.add(event)
    sync_slots_and_tables(event)
    people = []
    for email, name, organisation, attendance in (
        ("ana@agro.example", "Ana", "AgroVest", "in_person"),
        ("cy@web.example", "Cy", "CloudYard", "online"),
    ):
        user = create_user(email, name, PASSWORD, verified=True)
        people.append(
            Participant(
                event=event, user=user, status="approved", attendance=attendance,
                organisation=Organisation(name=organisation, country="RO", type="sme"),
            )
        )  # fmt: skip
    db.session.add_all(people)
    db.session.flush()
    db.session.add(
        MeetingRequest(
            event_id=event.id, sender_id=people[0].id, receiver_id=people[1].id,
            status="accepted",
        )
    )  # fmt: skip
    db.session.commit()
    schedule = schedules.generate(event, by=organizer, time_limit=5)
    schedules.publish(schedule, by=organizer)
    return event, schedule.meetings[0]


def test_online_participant_joins_its_video_room_and_gets_it_in_the_calendar(
    page, app, tmp_path, monkeypatch
):
    event, meeting = _hybrid_event()
    assert meeting.online and meeting.table_id is None
    # Five minutes before the meeting: its room is open.
    monkeypatch.setattr(
        "matchmaker.timezones.now_in", lambda zone: meeting.slot.starts_at - timedelta(minutes=5)
    )
    room = f"https://meet.example.org/b2b/{meeting.video_room}"

    log_in(page, "cy@web.example")
    page.goto("/account")
    page.get_by_label("Your time zone").select_option("Europe/Lisbon")
    page.get_by_test_id("time-zone").get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your time zone is saved.")).to_be_visible()

    page.goto(f"/events/{event.slug}/agenda")
    row = page.get_by_test_id("meeting")
    expect(row.get_by_test_id("online")).to_have_text("Online")
    expect(row.get_by_test_id("partner")).to_contain_text("AgroVest")
    expect(row.get_by_test_id("own-time")).to_contain_text("in Bucharest")
    expect(row.get_by_test_id("own-time")).to_contain_text("your time")
    link = row.get_by_role("link", name="Join the video room")
    expect(link).to_have_attribute("href", room)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download calendar (.ics)").click()
    path = tmp_path / "agenda.ics"
    download.value.save_as(path)
    (vevent,) = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert str(vevent["URL"]) == room
    assert str(vevent["LOCATION"]) == room
    assert page.foreign_requests == []
