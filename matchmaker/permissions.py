"""Load-or-404 helpers and role checks, used by every view.

Objects that belong to someone else answer 404, not 403, so their existence is not revealed.
"""

from functools import wraps

import sqlalchemy as sa
from flask import abort, request
from flask_login import current_user, login_required

from matchmaker.extensions import db
from matchmaker.models import Event
from matchmaker.services import sessions


def load_user(token):
    """Flask-Login's user loader: the cookies carry a login session's token (services/
    sessions.py); an ended session or an old cookie holding a user id loads nobody. The visit
    is recorded on reads only, before the view has written anything."""
    return sessions.user_for_token(token, record_visit=request.method in ("GET", "HEAD"))


def get_event_or_404(slug, manage=False):
    """The event with this slug; with manage=True only for its organizers (and admins).

    A draft event is visible to its organizers only.
    """
    event = db.session.scalar(sa.select(Event).where(Event.slug == slug))
    if event is None:
        abort(404)
    if (manage or event.status == "draft") and not event.is_organized_by(current_user):
        abort(404)
    return event


def staffed_event_or_404(slug):
    """The event for the people who work it on the day: its organizers, admins and helpers;
    404 for everyone else."""
    event = db.session.scalar(sa.select(Event).where(Event.slug == slug))
    if event is None or not event.is_staffed_by(current_user):
        abort(404)
    return event


def in_event_or_404(model, event, object_id):
    """The `model` row with this id if it belongs to `event` (slots, tables, meetings), or 404."""
    found = db.session.get(model, object_id)
    if found is None or found.event_id != event.id:
        abort(404)
    return found


def own_request_or_404(participant, request_id):
    """The meeting request with this id if `participant` sent or received it, or 404."""
    from matchmaker.models import MeetingRequest

    found = db.session.get(MeetingRequest, request_id)
    if found is None or participant.id not in (found.sender_id, found.receiver_id):
        abort(404)
    return found


def own_meeting_or_404(event, participant, meeting_id):
    """The meeting of `event` with this id if `participant` is one of its two sides, or 404."""
    from matchmaker.models import Meeting

    meeting = in_event_or_404(Meeting, event, meeting_id)
    if participant.id not in (meeting.participant_a_id, meeting.participant_b_id):
        abort(404)
    return meeting


def role_required(*roles):
    """Only users whose platform role is one of `roles` (admins always pass)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_user.role not in roles and not current_user.is_admin:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def participant_of(event, user):
    """The user's registration for the event, or None (also for visitors)."""
    from matchmaker.models import Participant

    if not user.is_authenticated:
        return None
    return db.session.scalar(
        sa.select(Participant).where(
            Participant.event_id == event.id, Participant.user_id == user.id
        )
    )


def can_browse_participants(event, user):
    """Who may see an event's participants and marketplace: everyone when the event makes
    the list public; otherwise its organizers and its approved participants."""
    if event.participants_public or event.is_organized_by(user):
        return True
    registration = participant_of(event, user)
    return registration is not None and registration.status == "approved"


def require_browse(event):
    if not can_browse_participants(event, current_user):
        abort(404)


def own_registration_or_404(slug, approved=False):
    """The event and the current user's active (not withdrawn) registration for it, or 404.
    URLs built on it carry no participant id, so everyone only ever reaches their own.
    With approved=True only an approved registration passes: matches, requests and agendas
    show other participants, which a pending or rejected registrant may not see."""
    event = get_event_or_404(slug)
    me = participant_of(event, current_user)
    if me is None or me.status == "withdrawn" or (approved and me.status != "approved"):
        abort(404)
    return event, me


# --- networks (issue 23) ---------------------------------------------------------------------


def network_or_404(slug, manage=False):
    """The network with this slug; with manage=True only for its administrators (and platform
    admins): 404 for everyone else."""
    from matchmaker.models import Network

    network = db.session.scalar(sa.select(Network).where(Network.slug == slug))
    if network is None or (manage and not network.is_administered_by(current_user)):
        abort(404)
    return network


# --- partners (issue 23) ---------------------------------------------------------------------


def partner_staff_or_404(slug):
    """The event and its partners whose staff the current user is (issue 23): the one check
    of every partner-staff page. 404 for everyone else, organizers included (they have their
    own pages), and for a draft event."""
    from matchmaker.services.partners import partners_staffed_by

    event = db.session.scalar(sa.select(Event).where(Event.slug == slug))
    if event is None or event.status == "draft":
        abort(404)
    mine = partners_staffed_by(event, current_user)
    if not mine:
        abort(404)
    return event, mine


def partner_company_or_404(slug, participant_id):
    """The event, the current user's partners in it, and the registration `participant_id`
    if it came through one of those partners: another partner's company is 404 like any
    object of someone else."""
    from matchmaker.services.partners import company_of

    event, mine = partner_staff_or_404(slug)
    participant = company_of(event, mine, participant_id)
    if participant is None:
        abort(404)
    return event, mine, participant
