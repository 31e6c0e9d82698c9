import sqlalchemy as sa
from icalendar import Calendar
from playwright.sync_api import expect

from matchmaker import demo_data
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, Schedule
from matchmaker.services import matchmaking
from matchmaker.services.demo import load_demo
from tests.browser.helpers import log_in


def test_organizer_generates_moves_publishes_and_participant_gets_agenda(page, app, tmp_path):
    report = load_demo()
    event = db.session.scalar(sa.select(Event))
    matchmaking.compute_matches(event)

    log_in(page, demo_data.ORGANIZER["email"], demo_data.DEMO_PASSWORD)
    page.goto(f"/manage/{event.slug}/schedule")
    page.get_by_label("Time limit (seconds)").fill("10")
    # Requests only: with suggestions the demo fills every table of every slot.
    page.get_by_label("Fill free slots with suggested matches").uncheck()
    page.get_by_role("button", name="Generate schedule").click()
    expect(page.get_by_text("Draft version 1 generated")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("figures")).to_contain_text("Accepted requests")

    schedule = db.session.scalar(sa.select(Schedule))
    meetings = sorted(schedule.meetings, key=lambda m: m.id)
    taken = {(m.slot_id, m.table_id) for m in meetings}

    def free_places(meeting):
        """(slot, table) pairs where both of the meeting's participants could go."""
        pair = {meeting.participant_a_id, meeting.participant_b_id}
        busy = {m.slot_id for m in meetings if {m.participant_a_id, m.participant_b_id} & pair}
        off = {s.id for p in (meeting.participant_a, meeting.participant_b) for s in p.unavailable}
        return [
            (s, t) for s in event.slots if s.id not in busy | off
            for t in event.tables if (s.id, t.id) not in taken
        ]  # fmt: skip

    moving = next(m for m in meetings if free_places(m))
    slot, table = free_places(moving)[0]
    # Impossible: a slot where one of the two already meets someone else.
    pair = {moving.participant_a_id, moving.participant_b_id}
    busy = next(
        m for m in meetings
        if m.id != moving.id and {m.participant_a_id, m.participant_b_id} & pair
        and m.slot_id != moving.slot_id
    )  # fmt: skip
    page.goto(f"/manage/{event.slug}/schedule/1/meetings/{moving.id}")
    page.get_by_label("Slot").select_option(str(busy.slot_id))
    page.get_by_role("button", name="Move meeting").click()
    expect(page.get_by_text("Move refused:")).to_be_visible()
    expect(page.get_by_text("Move refused:")).to_contain_text("already meets")

    # Possible: a slot where both are free, at a table nobody uses then.
    page.get_by_label("Slot").select_option(str(slot.id))
    page.get_by_label("Table").select_option(str(table.id))
    page.get_by_role("button", name="Move meeting").click()
    expect(page.get_by_text("Meeting moved.")).to_be_visible()

    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_text("Version 1 published;")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    db.session.expire_all()
    person = db.session.get(Meeting, moving.id).participant_a
    log_in(page, person.user.email, demo_data.DEMO_PASSWORD)
    page.goto(f"/events/{event.slug}/me")
    page.get_by_role("link", name="My agenda").click()
    mine = db.session.scalars(
        sa.select(Meeting).where(
            Meeting.schedule_id == schedule.id,
            sa.or_(Meeting.participant_a_id == person.id, Meeting.participant_b_id == person.id),
        )
    ).all()
    for meeting in mine:
        partner = (
            meeting.participant_b
            if meeting.participant_a_id == person.id
            else meeting.participant_a
        )
        expect(page.get_by_text(partner.organisation.name).first).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download calendar (.ics)").click()
    path = tmp_path / "agenda.ics"
    download.value.save_as(path)
    calendar = Calendar.from_ical(path.read_bytes())
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == len(mine)
    starts = sorted(e.decoded("DTSTART").replace(tzinfo=None) for e in events)
    assert starts == sorted(m.slot.starts_at for m in mine)
    assert page.foreign_requests == []
    assert report.created
