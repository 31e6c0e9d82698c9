"""Read-side queries shared by views and the CLI: listings with their counts, no N+1."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from matchmaker.extensions import db
from matchmaker.models import Event, Opportunity, Participant, User, event_organizers

LISTED_STATUSES = ("registration_open", "matchmaking", "agenda_published", "closed")


def listed_events():
    """Events visible to everyone, soonest registration first, with participant counts."""
    counts = (
        sa.select(Participant.event_id, sa.func.count().label("n"))
        .where(Participant.status == "approved")
        .group_by(Participant.event_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Event, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.event_id == Event.id)
        .where(Event.status.in_(LISTED_STATUSES))
        .options(selectinload(Event.sessions))
        .order_by(Event.id.desc())
    ).all()
    return [(event, count) for event, count in rows]


def organized_events(user):
    query = sa.select(Event).order_by(Event.id.desc())
    if not user.is_admin:
        query = query.join(event_organizers).where(event_organizers.c.user_id == user.id)
    return db.session.scalars(query.options(selectinload(Event.sessions))).all()


def registrations_of(user):
    return db.session.scalars(
        sa.select(Participant)
        .where(Participant.user_id == user.id)
        .options(joinedload(Participant.event), selectinload(Participant.opportunities))
        .order_by(Participant.registered_at.desc())
    ).all()


def approved_participants(event, page=1, per_page=25):
    """One page of an event's approved participants, organisation and person loaded."""
    query = (
        sa.select(Participant)
        .where(Participant.event_id == event.id, Participant.status == "approved")
        .join(Participant.organisation)
        .options(
            joinedload(Participant.organisation),
            joinedload(Participant.user),
            selectinload(Participant.opportunities),
        )
        .order_by(sa.text("organisations.name"))
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def opportunity_count(event):
    return db.session.scalar(
        sa.select(sa.func.count(Opportunity.id))
        .join(Participant)
        .where(Participant.event_id == event.id, Participant.status == "approved")
    )


def user_count():
    return db.session.scalar(sa.select(sa.func.count(User.id)))
