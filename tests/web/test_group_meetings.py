"""A placed group meeting (issue 25) as people see it: each member's agenda (web, print,
ICS), the organizer's grid, table sheets and door list, the event-day card and the feedback
form, all with every member."""

import re

import icalendar
import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Feedback, Meeting, MeetingAttendee
from matchmaker.services import eventday, feedback, schedules
from matchmaker.services.errors import DomainError
from tests import group_world

TITLE = "Horizon soil consortium"


@pytest.fixture
def placed(make_event, make_user, make_participant):
    event, organizer, people, group = group_world.build(make_event, make_user, make_participant)
    draft = schedules.generate(event, by=organizer, time_limit=2)
    schedules.publish(draft, organizer)
    [meeting] = [m for m in draft.meetings if m.group_meeting_id]
    return event, organizer, people, meeting


def _names(people):
    return [p.organisation.name for p in people]


def test_each_member_sees_the_group_meeting_with_the_others_in_every_agenda(client, auth, placed):
    event, _organizer, people, meeting = placed
    members = people[:4]
    for me in members:
        auth.logout()
        auth.login(me.user.email)
        others = [n for n in _names(members) if n != me.organisation.name]
        for path in ("agenda", "agenda/print"):
            page = client.get(f"/events/{event.slug}/{path}").text
            assert f"Group meeting: {TITLE}" in page
            assert "With 3 others:" in page
            block = page.split('data-testid="group-members"')[1].split("</ul>")[0]
            assert sorted(n for n in _names(people) if n in block) == sorted(others)
        calendar = icalendar.Calendar.from_ical(client.get(f"/events/{event.slug}/agenda.ics").data)
        [entry] = [e for e in calendar.walk("VEVENT") if "Group meeting" in str(e["summary"])]
        assert str(entry["summary"]) == f"Group meeting: {TITLE}"
        assert all(name in str(entry["description"]) for name in others), entry["description"]
        assert me.organisation.name not in str(entry["description"])
        assert meeting.table.label in str(entry["location"])
    auth.logout()
    auth.login(people[4].user.email)  # the outsider: only their pair meeting
    assert TITLE not in client.get(f"/events/{event.slug}/agenda").text


def test_the_organizer_sees_one_block_with_every_member(client, auth, placed):
    event, organizer, people, meeting = placed
    auth.login(organizer.email)
    grid = client.get(f"/manage/{event.slug}/schedule/1").text
    assert f"Group meeting: {TITLE}" in grid
    assert " · ".join(sorted(_names(people[:4]), key=str.casefold)) in grid
    sheets = client.get(f"/events/{event.slug}/agenda/tables").text
    assert f"Group meeting “{TITLE}” (4 people)" in sheets
    doors = client.get(f"/events/{event.slug}/agenda/doors").text
    assert doors.count(f"Group meeting “{TITLE}”:") == 4  # a row per member
    day = client.get(f"/manage/{event.slug}/day?slot={meeting.slot_id}").text
    assert f"Group meeting: {TITLE}" in day
    assert all(name in day for name in _names(people[:4]))


def test_a_group_meeting_is_held_or_cancelled_as_a_whole_on_the_day(placed):
    event, organizer, people, meeting = placed
    start = meeting.slot.starts_at
    with pytest.raises(DomainError, match="held or cancelled as a whole"):
        eventday.set_meeting_status(meeting, "no_show_a", organizer, now=start)
    eventday.set_meeting_status(meeting, "cancelled", organizer, now=start)
    assert db.session.scalar(
        sa.select(sa.func.count()).where(MeetingAttendee.meeting_id == meeting.id)
    ) == 0  # fmt: skip
    eventday.set_meeting_status(meeting, "scheduled", organizer, now=start)  # undo
    seated = db.session.scalars(
        sa.select(MeetingAttendee.participant_id).where(MeetingAttendee.meeting_id == meeting.id)
    ).all()
    assert sorted(seated) == sorted(p.id for p in people[:4])
    eventday.participant_confirm_held(people[3], meeting, now=start)
    assert db.session.get(Meeting, meeting.id).status == "held"


def test_every_member_gives_feedback_on_the_group_meeting(client, auth, placed):
    event, organizer, people, meeting = placed
    event.status = "closed"
    db.session.commit()
    feedback.start_round(event, "after_event", by=organizer)
    data = {f"m{meeting.id}-{k}": v for k, v in
            {"held": "yes", "usefulness": "5", "outcome": "offer_sent"}.items()}  # fmt: skip
    for me in people[:4]:
        auth.logout()
        auth.login(me.user.email)
        page = client.get(f"/events/{event.slug}/feedback").text
        assert f"Group meeting: {TITLE}" in page
        response = client.post(f"/events/{event.slug}/feedback/{meeting.id}", data=data)
        assert response.status_code == 302
    auth.logout()
    auth.login(people[4].user.email)
    assert client.post(f"/events/{event.slug}/feedback/{meeting.id}", data=data).status_code == 404
    answers = db.session.scalars(sa.select(Feedback.participant_id)).all()
    assert sorted(answers) == sorted(p.id for p in people[:4])


def test_the_exports_name_every_member_of_a_group_meeting(client, auth, placed):
    event, organizer, people, meeting = placed
    event.status = "closed"
    db.session.commit()
    feedback.start_round(event, "after_event", by=organizer)
    member = people[2]  # a member the meeting row does not name as its pair
    feedback.submit(member, meeting.id, feedback.current_round(event),
                    {"held": True, "usefulness": 4, "outcome": "offer_sent"})  # fmt: skip
    auth.login(organizer.email)
    rows = client.get(f"/manage/{event.slug}/export/meetings.csv").data.decode("utf-8-sig")
    [line] = [row for row in rows.splitlines() if TITLE in row]
    assert all(name in line for name in _names(people[:4]))
    answers = client.get(f"/manage/{event.slug}/export/feedback.csv").data.decode("utf-8-sig")
    [line] = [row for row in answers.splitlines() if TITLE in row]
    assert line.split(",")[4] == member.organisation.name
    others = [n for n in _names(people[:4]) if n != member.organisation.name]
    assert all(name in line for name in others)


def test_dragging_a_group_meeting_in_the_grid_is_refused_in_words(client, auth, placed):
    event, organizer, people, meeting = placed
    auth.login(organizer.email)
    copy = client.post(f"/manage/{event.slug}/schedule/1/copy", follow_redirects=True)
    assert copy.status_code == 200
    draft = db.session.scalar(
        sa.select(Meeting).where(Meeting.group_meeting_id == meeting.group_meeting_id,
                                 Meeting.schedule_id != meeting.schedule_id)
    )  # fmt: skip
    other = next(s for s in event.slots if s.id != draft.slot_id)
    page = client.get(
        f"/manage/{event.slug}/schedule/2/meetings/{draft.id}/place",
        query_string={"slot": other.id, "table": draft.table_id},
    ).text
    assert f"Group meeting: {TITLE}" in page
    url = f"/manage/{event.slug}/schedule/2/meetings/{draft.id}"
    seen = re.search(r'name="seen" type="hidden" value="([^"]*)"', client.get(url).text)[1]
    response = client.post(
        url, data={"slot": other.id, "table": draft.table_id, "seen": seen},
        follow_redirects=True,
    )  # fmt: skip
    assert "A group meeting stays where the optimiser placed it" in response.text
    assert db.session.get(Meeting, draft.id).slot_id == draft.slot_id


def test_the_organizer_reads_why_a_group_meeting_is_not_placed(
    client, auth, make_event, make_user, make_participant
):
    event, organizer, people, group = group_world.build(
        make_event, make_user, make_participant, seats=3
    )
    schedules.generate(event, by=organizer, time_limit=2)
    auth.login(organizer.email)
    page = client.get(f"/manage/{event.slug}/schedule/1").text
    assert (
        f"The group meeting “{TITLE}” (AgroVest, FieldNode, Eve Labs, Delta Soft) is not in "
        "this agenda: no table with a seat for every member is free when all of them are."
    ) in page
