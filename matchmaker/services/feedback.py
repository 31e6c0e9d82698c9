"""Feedback after the event: the organizer starts rounds (the first once the event is over,
follow-ups months later), participants answer for each of their meetings in the published
agenda (held or not, how useful, the expected outcome, a comment), and reminders go to those
who still have meetings to answer. Only the current round takes answers; earlier rounds stay
as they were, so outcomes can be followed over time.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from matchmaker.extensions import db
from matchmaker.i18n import dates
from matchmaker.models import (
    FEEDBACK_ROUND_KINDS,
    OUTCOMES,
    Feedback,
    FeedbackRound,
    GroupMeetingMember,
    Meeting,
    Participant,
    Slot,
)
from matchmaker.models.base import utcnow
from matchmaker.services import group_placement
from matchmaker.services.agenda import published_schedule
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from matchmaker.services.mail import send_mail

MAX_COMMENT = 2000
# Reminders are only about meetings that took place (or may have): not a cancelled one, nor
# one where a side did not come, so someone whose meetings were all no-shows gets none. The
# round's first email still reaches no-shows' participants, who can answer "not held".
NOT_HELD = ("cancelled", "no_show_a", "no_show_b")
# How long the link in a feedback email works (a follow-up round sends a fresh one).
LINK_DAYS = 120
_LINK_SALT = "feedback-link"
# Characters nobody types (tab and line breaks aside): PostgreSQL refuses NUL, XLSX the rest.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class FeedbackItem:
    """One of a participant's meetings in a round: the partner, this round's answer (None
    until given) and the latest answer of an earlier round (None when there is none)."""

    meeting: Meeting
    partner: Participant
    answer: Feedback | None
    previous: Feedback | None
    others: tuple = ()  # a group meeting: the other members (``partner`` is the first)

    @property
    def cancelled(self):
        return self.meeting.status == "cancelled"


@dataclass(frozen=True)
class RoundRate:
    """How many meeting sides of a round were answered, of those asked (0..1 as `share`)."""

    round: FeedbackRound
    asked: int
    answered: int
    people: int  # participants asked

    @property
    def share(self):
        return self.answered / self.asked if self.asked else 0.0


def _check_organizer(event, by):
    if not event.is_organized_by(by):
        raise NotAllowed(_("Only the event's organizers can ask for feedback."))


def rounds_of(event):
    """The event's feedback rounds, first first."""
    return db.session.scalars(
        sa.select(FeedbackRound)
        .where(FeedbackRound.event_id == event.id)
        .order_by(FeedbackRound.number)
    ).all()


def current_round(event):
    """The latest round (the only one taking answers), or None before the first."""
    return db.session.scalar(
        sa.select(FeedbackRound)
        .where(FeedbackRound.event_id == event.id)
        .order_by(FeedbackRound.number.desc())
        .limit(1)
    )


def has_ended(event, now=None):
    """True once the event is closed or its last meeting slot has ended in the event's time
    zone (`now`: an aware datetime, default the current time)."""
    if event.status == "closed":
        return True
    last_end = db.session.scalar(
        sa.select(sa.func.max(Slot.ends_at)).where(Slot.event_id == event.id)
    )
    if last_end is None:
        return False
    now = now or datetime.now(ZoneInfo("UTC"))
    return now >= last_end.replace(tzinfo=ZoneInfo(event.timezone))


def next_kind(event):
    """The kind of round the organizer can start next: "after_event" first, then "follow_up"."""
    return "follow_up" if current_round(event) is not None else "after_event"


def start_round(event, kind, by, now=None):
    """Start the next feedback round and email every participant with at least one meeting
    (not cancelled) in the published agenda a link that opens their feedback form without
    logging in (`feedback_link_token`); commit.

    Round 1 is "after_event" and needs the event to be over (closed, or its last slot ended);
    later rounds are "follow_up", any time after. Returns (round, participants emailed).
    Raises NotAllowed for a non-organizer and DomainError when the round cannot start.
    """
    _check_organizer(event, by)
    if kind not in FEEDBACK_ROUND_KINDS:
        raise DomainError(_("Choose a kind of feedback round: after the event or follow-up."))
    schedule = published_schedule(event)
    if schedule is None:
        raise DomainError(_("No agenda is published, so there are no meetings to ask about."))
    latest = current_round(event)
    if latest is None and kind != "after_event":
        raise DomainError(_("The first feedback round is the one right after the event."))
    if latest is not None and kind != "follow_up":
        raise DomainError(_("Feedback after the event was already asked; start a follow-up round."))
    if latest is None and not has_ended(event, now):
        raise DomainError(_("The event is not over yet: ask for feedback after its last meeting."))
    feedback_round = FeedbackRound(
        event_id=event.id, number=(latest.number + 1) if latest else 1, kind=kind,
        started_by_id=by.id,
    )  # fmt: skip
    db.session.add(feedback_round)
    try:
        db.session.flush()
    except IntegrityError as error:  # two organizers clicked at once
        db.session.rollback()
        raise Conflict(_("Another organizer just started this round.")) from error
    people = _recipients(schedule)
    for participant in people:
        _send(participant, event, feedback_round, "feedback_request")
    db.session.commit()
    return feedback_round, len(people)


def reminder_pause(event):
    """How long after a reminder the next one is refused (config FEEDBACK_REMINDER_PAUSE_HOURS,
    default 48 hours): two clicks, or a click and the cron job, must not mail everyone twice."""
    return timedelta(hours=current_app.config.get("FEEDBACK_REMINDER_PAUSE_HOURS", 48))


def next_reminder_at(feedback_round):
    """The naive-UTC moment from which the round's next reminder may go, or None (any time)."""
    if feedback_round is None or feedback_round.reminded_at is None:
        return None
    return feedback_round.reminded_at + reminder_pause(feedback_round.event)


def send_reminders(event, by, now=None):
    """Email the participants who still have meetings to answer in the current round (meetings
    that were not cancelled and where nobody was absent), and only them; record when, and how
    many in `reminders_sent` (this reminder's count, not a running total). Returns how many were
    emailed. Raises DomainError when no round is running, Conflict when the last reminder went
    out less than `reminder_pause` ago (`now`: naive UTC, default the current time)."""
    _check_organizer(event, by)
    feedback_round = current_round(event)
    if feedback_round is None:
        raise DomainError(_("Start a feedback round first."))
    schedule = published_schedule(event)
    if schedule is None:
        raise DomainError(_("No agenda is published, so there are no meetings to ask about."))
    # Lock the round (PostgreSQL) so two clicks at once cannot both pass the pause check.
    db.session.execute(
        sa.select(FeedbackRound.id).where(FeedbackRound.id == feedback_round.id).with_for_update()
    ).all()
    db.session.refresh(feedback_round)
    now = now or utcnow()
    allowed_from = next_reminder_at(feedback_round)
    if allowed_from is not None and now < allowed_from:
        db.session.rollback()
        raise Conflict(
            ngettext(
                "Reminders already went out on %(when)s to %(num)d participant; the next ones "
                "can go from %(next)s.",
                "Reminders already went out on %(when)s to %(num)d participants; the next ones "
                "can go from %(next)s.",
                feedback_round.reminders_sent,
                when=when(event, feedback_round.reminded_at),
                next=when(event, allowed_from),
            )
        )
    people = _unanswered(schedule, feedback_round.number)
    for participant in people:
        _send(participant, event, feedback_round, "feedback_reminder")
    feedback_round.reminded_at = now
    feedback_round.reminders_sent = len(people)
    db.session.commit()
    return len(people)


def when(event, moment):
    """A naive-UTC moment as the event's wall time, "21 May 2026 08:00"."""
    local = moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(event.timezone or "UTC"))
    return dates.datetime_medium(local)


def feedback_link_token(participant, feedback_round):
    """The signed token of a feedback email's link: it opens the form without logging in, for
    this participant's meetings only, while `feedback_round` is the current round (and for
    LINK_DAYS days at most)."""
    return _link_serializer().dumps({"p": participant.id, "r": feedback_round.number})


def participant_of_link(token, event):
    """The participant of `event` a feedback link was made for. Raises NotAllowed when the
    token is forged, of another event, for a withdrawn participant or of a closed round
    (a later round has started), DomainError when it has expired."""
    try:
        data = _link_serializer().loads(token, max_age=LINK_DAYS * 86400)
    except SignatureExpired as error:
        raise DomainError(
            _("This feedback link has expired; log in to answer, or ask the organizers.")
        ) from error
    except BadSignature as error:
        raise NotAllowed(_("This feedback link is not valid.")) from error
    participant = db.session.get(Participant, data.get("p")) if isinstance(data, dict) else None
    if participant is None or participant.event_id != event.id or participant.status == "withdrawn":
        raise NotAllowed(_("This feedback link is not valid."))
    latest = current_round(event)
    if latest is None or latest.number != data.get("r"):
        raise NotAllowed(_("This feedback round is closed; a newer email has the current link."))
    return participant


def _link_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_LINK_SALT)


def reminder_count(event):
    """How many participants a reminder would reach now (0 without a round)."""
    feedback_round = current_round(event)
    schedule = published_schedule(event)
    if feedback_round is None or schedule is None:
        return 0
    return len(_unanswered(schedule, feedback_round.number))


def answer_rates(event):
    """One RoundRate per round, first first: meeting sides asked (not cancelled meetings of
    the published agenda, both sides) and answered. Three queries."""
    schedule = published_schedule(event)
    if schedule is None:
        return []
    sides = _sides(schedule)
    answered = {}
    for number, meeting_id, participant_id in db.session.execute(
        sa.select(Feedback.round, Feedback.meeting_id, Feedback.participant_id)
        .join(Meeting, Meeting.id == Feedback.meeting_id)
        .where(Meeting.schedule_id == schedule.id)
    ):
        answered.setdefault(number, set()).add((meeting_id, participant_id))
    people = len({pid for _, pid in sides})
    return [
        RoundRate(r, len(sides), len(answered.get(r.number, set()) & sides), people)
        for r in rounds_of(event)
    ]


def items(participant, feedback_round=None):
    """The participant's meetings in the published agenda (cancelled ones too: they can be
    answered as not held), in slot order, each with this round's answer and the latest
    earlier one. `feedback_round` defaults to the current round; without any round the
    answers are None. Three queries."""
    schedule = published_schedule(participant.event)
    if schedule is None:
        return []
    feedback_round = feedback_round or current_round(participant.event)
    meetings = db.session.scalars(
        sa.select(Meeting)
        .join(Slot, Slot.id == Meeting.slot_id)
        .where(
            Meeting.schedule_id == schedule.id,
            sa.or_(
                Meeting.participant_a_id == participant.id,
                Meeting.participant_b_id == participant.id,
                group_placement.in_group_meeting(participant.id),
            ),
        )
        .options(
            joinedload(Meeting.group_meeting),
            joinedload(Meeting.slot),
            joinedload(Meeting.table),
            joinedload(Meeting.participant_a).joinedload(Participant.organisation),
            joinedload(Meeting.participant_b).joinedload(Participant.organisation),
        )
        .order_by(Slot.starts_at, Meeting.id)
    ).all()
    answers = {}
    for answer in db.session.scalars(
        sa.select(Feedback)
        .where(
            Feedback.participant_id == participant.id,
            Feedback.meeting_id.in_([m.id for m in meetings]),
        )
        .order_by(Feedback.round)
    ):
        answers.setdefault(answer.meeting_id, []).append(answer)
    number = feedback_round.number if feedback_round else None
    members = _group_members(meetings)
    result = []
    for meeting in meetings:
        mine = answers.get(meeting.id, [])
        partner = (
            meeting.participant_b
            if meeting.participant_a_id == participant.id
            else meeting.participant_a
        )
        others = tuple(p for p in members.get(meeting.id, ()) if p.id != participant.id)
        if others:
            partner = others[0]
        current = next((a for a in mine if a.round == number), None)
        earlier = [a for a in mine if number is None or a.round < number]
        result.append(
            FeedbackItem(meeting, partner, current, earlier[-1] if earlier else None, others)
        )
    return result


def _group_members(meetings):
    """{meeting id: members} of the group meetings among `meetings` (cancelled ones too: the
    members stay when the attendee rows go), by organisation name. One query."""
    ids = {m.group_meeting_id: m.id for m in meetings if m.group_meeting_id}
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(GroupMeetingMember.group_meeting_id, Participant)
        .join(Participant, Participant.id == GroupMeetingMember.participant_id)
        .where(
            GroupMeetingMember.group_meeting_id.in_(ids), GroupMeetingMember.status != "declined"
        )
        .options(joinedload(Participant.organisation), joinedload(Participant.user))
    ).all()
    out = {}
    for group_id, person in rows:
        out.setdefault(ids[group_id], []).append(person)
    for people in out.values():
        people.sort(key=lambda p: (p.organisation.name.casefold(), p.id))
    return out


def submit(participant, meeting_id, feedback_round, answers):
    """Record (or change) the participant's answer for one of their meetings in the current
    round; commit and return the Feedback.

    `answers`: held (bool), usefulness (1-5, or None), outcome (a key of OUTCOMES, or None),
    comment (text), may_quote (bool: the comment may be quoted without a name in funder
    reports; False without a comment). A held meeting needs a usefulness and an outcome; a
    meeting not held takes no usefulness. A cancelled meeting can only be answered as not held.
    Raises NotAllowed when the meeting is not the participant's own in the published agenda,
    DomainError when the round is not the current one or an answer is invalid.
    """
    meeting = _own_meeting(participant, meeting_id)
    current = current_round(participant.event)
    if feedback_round is None or current is None or feedback_round.id != current.id:
        raise DomainError(_("This feedback round is closed; answers can no longer change."))
    held, usefulness, outcome, comment = _checked(meeting, answers)
    answer = db.session.scalar(
        sa.select(Feedback).where(
            Feedback.meeting_id == meeting.id,
            Feedback.participant_id == participant.id,
            Feedback.round == current.number,
        )
    )
    if answer is None:
        answer = Feedback(
            meeting_id=meeting.id, participant_id=participant.id, round=current.number
        )
        db.session.add(answer)
    answer.held, answer.usefulness, answer.outcome, answer.comment = (
        held, usefulness, outcome, comment,
    )  # fmt: skip
    answer.may_quote = bool(answers.get("may_quote")) and bool(comment)
    try:
        db.session.commit()
    except IntegrityError as error:  # the same answer sent twice at once
        db.session.rollback()
        raise Conflict(
            _("Your answer was just saved in another window; reload the page.")
        ) from error
    return answer


def _own_meeting(participant, meeting_id):
    schedule = published_schedule(participant.event)
    meeting = None
    if schedule is not None:
        meeting = db.session.scalar(
            sa.select(Meeting).where(
                Meeting.id == meeting_id,
                Meeting.schedule_id == schedule.id,
                sa.or_(
                    Meeting.participant_a_id == participant.id,
                    Meeting.participant_b_id == participant.id,
                    group_placement.in_group_meeting(participant.id),
                ),
            )
        )
    if meeting is None:
        raise NotAllowed(_("This is not one of your meetings."))
    return meeting


def _checked(meeting, answers):
    held = answers.get("held")
    usefulness = answers.get("usefulness") or None
    outcome = answers.get("outcome") or None
    comment = (answers.get("comment") or "").strip()
    if held not in (True, False):
        raise DomainError(_("Say whether the meeting took place."))
    if held and meeting.status == "cancelled":
        raise DomainError(_("This meeting was cancelled; it can only be answered as not held."))
    if held and usefulness is None:
        raise DomainError(_("Say how useful the meeting was, from 1 to 5."))
    if usefulness is not None and (not held or usefulness not in range(1, 6)):
        raise DomainError(_("Usefulness is a score from 1 to 5, for a meeting that took place."))
    if held and outcome is None:
        raise DomainError(_("Choose the expected outcome of the meeting."))
    if outcome is not None and outcome not in OUTCOMES:
        raise DomainError(_("Choose one of the listed outcomes."))
    if CONTROL_CHARACTERS.search(comment):
        raise DomainError(_("Remove the invisible control characters from the comment."))
    if len(comment) > MAX_COMMENT:
        raise DomainError(
            _("The comment is too long: at most %(count)s characters.", count=MAX_COMMENT)
        )
    return held, usefulness, outcome, comment


def _recipients(schedule, left_out=("cancelled",)):
    """Participants with at least one meeting in the schedule whose status is not in
    `left_out`, with an account, who have not withdrawn."""
    kept = (Meeting.schedule_id == schedule.id, Meeting.status.not_in(left_out))
    ids = sa.union(
        sa.select(Meeting.participant_a_id).where(*kept),
        sa.select(Meeting.participant_b_id).where(*kept),
        # every member of a group meeting (issue 25)
        sa.select(GroupMeetingMember.participant_id)
        .join(Meeting, Meeting.group_meeting_id == GroupMeetingMember.group_meeting_id)
        .where(*kept, GroupMeetingMember.status != "declined"),
    )
    return db.session.scalars(
        sa.select(Participant)
        .where(
            Participant.id.in_(ids),
            Participant.user_id.is_not(None),
            Participant.status != "withdrawn",
        )
        .options(joinedload(Participant.user))
        .order_by(Participant.id)
    ).all()


def _sides(schedule, left_out=("cancelled",)):
    """(meeting id, participant id) of both sides of the schedule's meetings whose status is
    not in `left_out` (the answer rates count no-shows, which can be answered as not held;
    reminders leave them out too)."""
    rows = db.session.execute(
        sa.select(Meeting.id, Meeting.participant_a_id, Meeting.participant_b_id).where(
            Meeting.schedule_id == schedule.id, Meeting.status.not_in(left_out)
        )
    ).all()
    sides = {(meeting_id, pid) for meeting_id, *pair in rows for pid in pair}
    return sides | set(group_placement.member_rows(schedule.id, left_out))


def _unanswered(schedule, number):
    """The recipients with at least one meeting (not cancelled, nobody absent) not answered in
    round `number`. Three queries."""
    waiting = {pid for _, pid in _sides(schedule, NOT_HELD) - _answered_sides(schedule, number)}
    return [p for p in _recipients(schedule, NOT_HELD) if p.id in waiting]


def _answered_sides(schedule, number):
    return set(
        db.session.execute(
            sa.select(Feedback.meeting_id, Feedback.participant_id)
            .join(Meeting, Meeting.id == Feedback.meeting_id)
            .where(Meeting.schedule_id == schedule.id, Feedback.round == number)
        ).all()
    )


def _send(participant, event, feedback_round, template):
    subject = (
        _l("How did your meetings at %(event)s go?", event=event.title)
        if template == "feedback_request"
        else _l("Reminder: your feedback on %(event)s", event=event.title)
    )
    send_mail(
        participant.user.email, subject, template,
        participant=participant, event=event, round=feedback_round,
        token=feedback_link_token(participant, feedback_round),
    )  # fmt: skip


def recipient_count(event):
    """How many participants starting a round would email now."""
    schedule = published_schedule(event)
    return len(_recipients(schedule)) if schedule is not None else 0
