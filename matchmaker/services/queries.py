"""Read-side queries shared by views and the CLI: listings with their counts, no N+1."""

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from matchmaker.extensions import db
from matchmaker.models import Event, Opportunity, Organisation, Participant, User, event_organizers

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


def event_participants(event, q="", status="", country="", page=1, per_page=25):
    """One page of an event's registrations for its organizers, searchable by organisation,
    person or email and filterable by status and country."""
    query = (
        sa.select(Participant)
        .where(Participant.event_id == event.id)
        .join(Participant.organisation)
        .outerjoin(Participant.user)
        .options(
            contains_eager(Participant.organisation),
            contains_eager(Participant.user),
            selectinload(Participant.opportunities),
        )
        .order_by(Organisation.name, Participant.id)
    )
    if q:
        pattern = f"%{escape_like(q.lower())}%"
        query = query.where(
            sa.or_(
                sa.func.lower(Organisation.name).like(pattern, escape="\\"),
                sa.func.lower(User.name).like(pattern, escape="\\"),
                sa.func.lower(User.email).like(pattern, escape="\\"),
            )
        )
    if status:
        query = query.where(Participant.status == status)
    if country:
        query = query.where(Organisation.country == country)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def escape_like(text):
    """Make % and _ (and the escape character) match themselves in a LIKE pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def status_counts(event):
    rows = db.session.execute(
        sa.select(Participant.status, sa.func.count())
        .where(Participant.event_id == event.id)
        .group_by(Participant.status)
    ).all()
    return dict(rows)


def events_of(user):
    """Events the user is registered for (their sector lists extend the profile's choices)."""
    return db.session.scalars(
        sa.select(Event).join(Participant).where(Participant.user_id == user.id)
    ).all()
