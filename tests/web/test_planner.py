"""The capacity planner (issue 20): a what-if runs on copies and shows both sets of figures;
the event itself does not change."""

import re

import pytest
import sqlalchemy as sa

from matchmaker import scheduling
from matchmaker.extensions import db
from matchmaker.models import Event, MeetingRequest, Schedule, Slot
from matchmaker.services import planner, schedules


@pytest.fixture
def tight(make_event, make_user, make_participant, auth):
    """One table and six pairs who asked to meet, all free only on Tuesday 09:00 and 09:30:
    two meetings fit, six were asked for."""
    organizer = make_user(email="org@example.com", name="Olga", role="organizer")
    event = make_event(organizer=organizer, tables=1)
    early = event.slots[:2]
    people = [
        make_participant(event, make_user(email=f"p{i}@example.com", name=f"P{i}"),
                         organisation_name=f"Org {i}")
        for i in range(12)
    ]  # fmt: skip
    for p in people:
        p.unavailable = [s for s in event.slots if s not in early]
    for a, b in zip(people[::2], people[1::2], strict=True):
        db.session.add(MeetingRequest(event_id=event.id, sender_id=a.id, receiver_id=b.id,
                                      status="accepted"))  # fmt: skip
    db.session.commit()
    auth.login("org@example.com")
    return event


def _row(page, name):
    cells = re.search(rf'data-testid="planner-{name}">(.*?)</tr>', page, re.S)[1]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
        for c in re.findall(r"<td>(.*?)</td>", cells)
    ]


def test_more_tables_place_more_meetings_and_the_event_stays_as_it_was(client, tight):
    event = tight
    slots_before = db.session.scalar(sa.select(sa.func.count(Slot.id)))
    response = client.post(
        f"/manage/{event.slug}/schedule/planner",
        data={"tables": "3", "time_limit": "3", "include_suggestions": "y"},
        follow_redirects=True,
    )
    page = response.text
    assert _row(page, "meetings") == ["2", "6 +4"]
    assert _row(page, "accepted") == ["2 of 6", "6 of 6"]
    db.session.expire_all()
    assert db.session.get(Event, event.id).table_count == 1
    assert db.session.scalar(sa.select(sa.func.count(Slot.id))) == slots_before
    assert db.session.scalar(sa.select(sa.func.count(Schedule.id))) == 0


def test_shorter_meetings_and_one_more_session_change_the_slots(tight):
    event = tight
    base, _people = schedules.build_instance(event)
    shorter = planner.changed_instance(event, base, meeting_minutes=10)
    # 09:00-12:00 with a 10:30-10:45 break and 09:00-11:00, meetings of 10 with 5 between.
    assert len(shorter.slots) > len(base.slots)
    # Free only in the old 09:00 and 09:30 slots: the new slots inside them, no others.
    person = next(p for p in shorter.participants if p.slots is not None)
    starts = sorted(s.start for s in shorter.slots if s.id in person.slots)
    assert starts == ["09:00", "09:15", "09:30", "09:45"]
    more = planner.changed_instance(event, base, extra_session=True)
    assert len(more.slots) == len(base.slots) + 4  # Wednesday's session again on Thursday
    assert {s.day for s in more.slots} == {"2027-05-18", "2027-05-19", "2027-05-20"}
    thursday = {s.id for s in more.slots if s.day == "2027-05-20"}
    assert thursday <= next(p for p in more.participants if p.slots is not None).slots
    result = scheduling.solve(more, time_limit=3)
    assert len(result.meetings) == 6


def test_values_out_of_range_are_refused(client, tight):
    response = client.post(f"/manage/{tight.slug}/schedule/planner",
                           data={"tables": "0", "meeting_minutes": "500"})  # fmt: skip
    assert "Number must be between 1 and 500." in response.text
    assert "Number must be between 5 and 120." in response.text
