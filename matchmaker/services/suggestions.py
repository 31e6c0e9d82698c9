"""Suggested meetings with consent: meetings nobody asked for, which the organizers' optimiser
adds from good matches to fill free slots.

- Each participant says how many they accept (`Participant.suggestion_limit`: 0 = none, None =
  the event's `suggestion_default`); the organizer sets that default and the relevance floor
  (`Event.suggestion_floor`) under which no pair is suggested. services/schedules.py offers the
  optimiser only pairs where both consent, within both limits (scheduling/suggestions.py).
- A suggested meeting reads "Suggested by the organizers" wherever it is shown, and either
  participant may decline it in the published agenda until it starts: it is cancelled by the
  day's rule (services/eventday.py: both people are free again in that slot, and the day's
  refill panel lists them), the partner is told, and the decliner's "not interested" mark on
  the partner keeps the pair from being suggested (or matched) again.
"""

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from matchmaker.extensions import db
from matchmaker.i18n import dates
from matchmaker.models import Interest, Match, Meeting, Notice, Participant, Schedule, Slot
from matchmaker.services.errors import DomainError, NotAllowed
from matchmaker.services.eventday import cancel_scheduled, local_now
from matchmaker.services.locks import lock
from matchmaker.services.mail import recipient_locale, send_mail

# The largest limit a participant or the organizer may set (a day rarely holds more slots).
MAX_LIMIT = 50
DECLINED = "suggestion_declined"


def _check_organizer(event, by):
    if not event.is_organized_by(by):
        raise NotAllowed("Only the event's organizers can change how meetings are suggested.")


def set_settings(event, default, floor, by):
    """Set the event's suggested meetings: `default` (0..MAX_LIMIT) meetings for participants
    who did not say, none under relevance `floor` (a match score, 0..1); commit. Raises
    NotAllowed for non-organizers, DomainError for a number out of range."""
    _check_organizer(event, by)
    if not 0 <= default <= MAX_LIMIT:
        raise DomainError(f"Suggested meetings per participant: between 0 and {MAX_LIMIT}.")
    if not 0 <= floor <= 1:
        raise DomainError("The relevance floor is a score between 0 and 100 %.")
    event.suggestion_default = default
    event.suggestion_floor = floor
    db.session.commit()


def pairs_above(event, floor=None):
    """How many matched pairs of the event score at or above `floor` (the event's floor when
    None): the pairs a suggestion may come from. One query."""
    floor = event.suggestion_floor if floor is None else floor
    return db.session.scalar(
        sa.select(sa.func.count(Match.id)).where(Match.event_id == event.id, Match.score >= floor)
    )


def consent_counts(event):
    """(approved participants who accept suggested meetings, of how many approved, how many of
    them chose for themselves): the organizer's view of consent. One query."""
    rows = db.session.execute(
        sa.select(Participant.suggestion_limit).where(
            Participant.event_id == event.id, Participant.status == "approved"
        )
    ).all()
    default = event.suggestion_default or 0
    accepting = sum(1 for (limit,) in rows if (default if limit is None else limit))
    chose = sum(1 for (limit,) in rows if limit is not None)
    return accepting, len(rows), chose


def declinable_ids(participant, schedule, now=None):
    """Ids of the participant's meetings in `schedule` they may decline now: suggested,
    scheduled, in the published agenda, not started yet."""
    if schedule is None or schedule.status != "published":
        return set()
    now = now or local_now(participant.event)
    return set(
        db.session.scalars(
            sa.select(Meeting.id)
            .join(Slot, Slot.id == Meeting.slot_id)
            .where(
                Meeting.schedule_id == schedule.id,
                Meeting.source == "suggestion",
                Meeting.status == "scheduled",
                Slot.starts_at > now,
                sa.or_(
                    Meeting.participant_a_id == participant.id,
                    Meeting.participant_b_id == participant.id,
                ),
            )
        ).all()
    )


def decline(meeting, participant, by, now=None):
    """`participant` declines a suggested meeting of the published agenda and it commits: the
    meeting is cancelled (both people free again in its slot, so the day's refill lists
    them), the decliner marks the partner "not interested" (the pair is not suggested again
    at this event), the same pair's suggestion leaves any draft, and the partner is told by
    mail and in their inbox. Returns the partner.

    Raises NotAllowed unless `by` is the participant's person and the meeting is theirs;
    DomainError when it is not a suggested meeting, not in the published agenda, no longer
    scheduled, or already started. Nothing changes when refused."""
    if participant.user_id is None or participant.user_id != by.id:
        raise NotAllowed(_("Only the participant can decline their meetings."))
    if participant.id not in (meeting.participant_a_id, meeting.participant_b_id):
        raise NotAllowed(_("You can only decline your own meetings."))
    if meeting.source != "suggestion":
        raise DomainError(
            _(
                "Only meetings suggested by the organizers can be declined here; "
                "write to the organizers about this one."
            )
        )
    # Take turns (PostgreSQL) with a publication, which updates this version's row when it
    # supersedes it (so a decline never lands in a version just replaced), and with a status
    # change at the desk, which locks the meeting.
    [schedule] = lock(Schedule, meeting.schedule_id)
    db.session.execute(sa.select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    db.session.refresh(meeting)
    slot = db.session.get(Slot, meeting.slot_id)
    event = participant.event
    if schedule.status != "published":
        raise DomainError(_("This agenda is no longer the published one; reload your agenda."))
    if meeting.status == "cancelled":
        raise DomainError(_("This meeting is already cancelled."))
    if meeting.status != "scheduled":
        raise DomainError(_("This meeting already has an outcome; it cannot be declined."))
    if (now or local_now(event)) >= slot.starts_at:
        raise DomainError(
            _(
                "This meeting started at %(time)s on %(day)s; tell the organizers at the desk "
                "instead.",
                time=dates.hm(slot.starts_at),
                day=dates.day_month_short(slot.starts_at),
            )
        )
    partner_id = (
        meeting.participant_b_id
        if meeting.participant_a_id == participant.id
        else meeting.participant_a_id
    )
    partner = db.session.scalar(
        sa.select(Participant)
        .where(Participant.id == partner_id)
        .options(joinedload(Participant.organisation), joinedload(Participant.user))
    )
    cancel_scheduled(meeting, by)
    _not_interested(participant, partner)
    _out_of_drafts(event, meeting)
    _tell_partner(event, participant, partner, slot)
    db.session.commit()
    return partner


def _not_interested(participant, partner):
    interest = db.session.scalar(
        sa.select(Interest).where(
            Interest.participant_id == participant.id, Interest.target_id == partner.id
        )
    )
    if interest is None:
        db.session.add(
            Interest(
                event_id=participant.event_id,
                participant_id=participant.id,
                target_id=partner.id,
                value="not_interested",
            )
        )
    else:
        interest.value = "not_interested"


def _out_of_drafts(event, meeting):
    """A draft copy of the agenda may hold the same suggestion: publishing it must not bring
    the declined meeting back."""
    drafts = sa.select(Schedule.id).where(Schedule.event_id == event.id, Schedule.status == "draft")
    for copy in db.session.scalars(
        sa.select(Meeting).where(
            Meeting.schedule_id.in_(drafts),
            Meeting.participant_a_id == meeting.participant_a_id,
            Meeting.participant_b_id == meeting.participant_b_id,
            Meeting.source == "suggestion",
        )
    ).all():
        db.session.delete(copy)


def _tell_partner(event, participant, partner, slot):
    name = participant.organisation.name
    if partner.user is None:
        return
    with force_locale(recipient_locale(partner.user.email)):  # the notice in their language
        notice = _(
            "%(organisation)s declined the meeting the organizers suggested at %(time)s on "
            "%(day)s; that slot is free again.",
            organisation=name, time=dates.hm(slot.starts_at), day=dates.day_month(slot.starts_at),
        )  # fmt: skip
    send_mail(
        partner.user.email,
        _l("Suggested meeting at %(time)s cancelled: %(organisation)s",
           time=dates.hm(slot.starts_at), organisation=name),
        "suggestion_declined",
        participant=partner, decliner=participant, event=event, slot=slot,
    )  # fmt: skip
    db.session.add(
        Notice(
            user_id=partner.user_id, event_id=event.id, kind=DECLINED,
            text=notice[:500],
            link=f"/events/{event.slug}/agenda",
        )
    )  # fmt: skip
