"""A small event with a confirmed group meeting (issue 25), shared by the service, web and
browser tests: four members (a consortium team) and one outsider, tables of 2 and 6 seats."""

import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import GroupMeeting, GroupMeetingMember, MeetingRequest, Table

NAMES = ("AgroVest", "FieldNode", "Eve Labs", "Delta Soft", "Outsider Co")


def build(make_event, make_user, make_participant, seats=6, tables=3):
    """(event, organizer, participants, group meeting): table 2 seats `seats`, the others 2;
    participants 0-3 are the group's members, 0 and 4 asked to meet (an accepted request),
    and so did 0 and 1 (two members: they meet in the group instead)."""
    organizer = make_user(email="olga@example.com", name="Olga", role="organizer")
    event = make_event(organizer=organizer, tables=tables, status="matchmaking")
    people = [
        make_participant(
            event,
            make_user(email=f"p{i}@example.com", name=f"Person {i}"),
            organisation_name=name,
        )
        for i, name in enumerate(NAMES)
    ]
    for table in db.session.scalars(sa.select(Table).where(Table.event_id == event.id)):
        table.seats = seats if table.number == 2 else 2
    for a, b in ((0, 4), (0, 1)):
        db.session.add(
            MeetingRequest(
                event_id=event.id, sender_id=people[a].id, receiver_id=people[b].id,
                status="accepted",
            )
        )  # fmt: skip
    group = GroupMeeting(
        event_id=event.id, title="Horizon soil consortium", status="confirmed",
        lead_participant_id=people[0].id, origin="consortium",
    )  # fmt: skip
    group.members = [
        GroupMeetingMember(
            participant_id=p.id, event_id=event.id, position=i, status="accepted",
            role="Coordinator" if i == 0 else "",
        )
        for i, p in enumerate(people[:4])
    ]  # fmt: skip
    db.session.add(group)
    db.session.commit()
    return event, organizer, people, group
