"""Memory across events (issue 23): what an organisation wrote and whom it met at the
earlier events of a network.

- An organisation registering again starts from its offers and needs of its last event
  (`last_registration`; registration.start_from_last copies them).
- Pairs of organisations that met at an earlier event of the event's network
  (`met_before`) are marked on the matches page, lowered in the suggestions or proposed a
  follow-up meeting, as the event's `met_before_policy` says (matching/history.py).

Dates: an event runs from the first to the last day of its sessions; one without sessions yet
counts from the day it was created. "Earlier events of the network" are the events of the same
network whose last day is before this event's first day.
"""

from datetime import date
from itertools import combinations

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from matchmaker.extensions import db
from matchmaker.matching import MetBefore
from matchmaker.matching.history import index, most_advanced
from matchmaker.models import (
    OUTCOMES,
    Event,
    EventSession,
    Feedback,
    Meeting,
    MeetingAttendee,
    Opportunity,
    Participant,
    Schedule,
)

# Meeting statuses of an earlier event's published agenda that count as "they met": held, or
# still "scheduled" because nobody recorded the day (no-shows and cancellations did not meet).
MET_STATUSES = ("scheduled", "held")


def event_days(event_ids):
    """{event id: (first day, last day)} of the events' sessions; an event without sessions
    counts as the day it was created. One query (two without sessions)."""
    event_ids = list(event_ids)
    days = {
        event_id: (first, last)
        for event_id, first, last in db.session.execute(
            sa.select(
                EventSession.event_id, sa.func.min(EventSession.day), sa.func.max(EventSession.day)
            )
            .where(EventSession.event_id.in_(event_ids))
            .group_by(EventSession.event_id)
        ).all()
    }
    missing = [event_id for event_id in event_ids if event_id not in days]
    if missing:
        for event_id, created in db.session.execute(
            sa.select(Event.id, Event.created_at).where(Event.id.in_(missing))
        ).all():
            days[event_id] = (created.date(), created.date())
    return days


def earlier_events(event):
    """The events of the event's network that ended before it starts, latest first, each with
    its last day: [(Event, last day)]. Empty for an event outside a network."""
    if event.network_id is None:
        return []
    others = db.session.scalars(
        sa.select(Event).where(Event.network_id == event.network_id, Event.id != event.id)
    ).all()
    days = event_days([event.id, *(e.id for e in others)])
    starts = days[event.id][0]
    found = [(e, days[e.id][1]) for e in others if days[e.id][1] < starts]
    return sorted(found, key=lambda pair: (pair[1], pair[0].id), reverse=True)


def met_before(event):
    """Pairs of organisations that met at an earlier event of the event's network, as
    MetBefore records (organisation ids, the earlier event's title and last day, and the
    meeting's outcome); a pair that met at several keeps the latest (matching.history.index).

    A meeting counts when it is in that event's published agenda with status MET_STATUSES.
    Its outcome is that of the latest feedback round in which either side gave one, and
    within that round the more advanced of the two sides' answers (the order of OUTCOMES:
    "no further contact" < "follow-up planned" < "offer sent" < "agreement expected" <
    "agreement signed"). "" when nobody said.

    Cost: two queries over the earlier events' meetings and their feedback."""
    events = earlier_events(event)
    if not events:
        return ()
    titles = {e.id: (e.title, last.isoformat()) for e, last in events}
    side_a, side_b = aliased(Participant), aliased(Participant)
    meetings = db.session.execute(
        sa.select(
            Meeting.id,
            Meeting.event_id,
            side_a.organisation_id,
            side_b.organisation_id,
            Meeting.group_meeting_id,
        )
        .join(Schedule, Schedule.id == Meeting.schedule_id)
        .join(side_a, side_a.id == Meeting.participant_a_id)
        .join(side_b, side_b.id == Meeting.participant_b_id)
        .where(
            Meeting.event_id.in_(titles),
            Schedule.status == "published",
            Meeting.status.in_(MET_STATUSES),
        )
    ).all()
    answers = {}
    for meeting_id, round_number, outcome in db.session.execute(
        sa.select(Feedback.meeting_id, Feedback.round, Feedback.outcome).where(
            Feedback.meeting_id.in_([m[0] for m in meetings]), Feedback.outcome.is_not(None)
        )
    ).all():
        answers.setdefault(meeting_id, {}).setdefault(round_number, []).append(outcome)
    # a group meeting (issue 25): every two of its members met
    grouped = [m[0] for m in meetings if m[4]]
    members = {}
    if grouped:
        for meeting_id, organisation_id in db.session.execute(
            sa.select(MeetingAttendee.meeting_id, Participant.organisation_id)
            .join(Participant, Participant.id == MeetingAttendee.participant_id)
            .where(MeetingAttendee.meeting_id.in_(grouped))
        ).all():
            members.setdefault(meeting_id, set()).add(organisation_id)
    pairs = []
    for meeting_id, event_id, a, b, group in meetings:
        if group:
            pairs += [
                (meeting_id, event_id, x, y)
                for x, y in combinations(sorted(members.get(meeting_id, ())), 2)
            ]
        else:
            pairs.append((meeting_id, event_id, a, b))
    records = []
    for meeting_id, event_id, a, b in pairs:
        if a == b:
            continue
        rounds = answers.get(meeting_id, {})
        outcome = most_advanced(rounds[max(rounds)]) if rounds else ""
        title, last = titles[event_id]
        records.append(MetBefore(a=a, b=b, event=title, date=last, outcome=outcome))
    # Oldest first, so that index() keeps the latest event's record of a pair.
    records.sort(key=lambda r: (r.date, r.event))
    return tuple(index(records).values())


def met_before_by_partner(participant):
    """{partner organisation id: MetBefore} of the participant's organisation."""
    mine = participant.organisation_id
    return {
        (record.b if record.a == mine else record.a): record
        for record in met_before(participant.event)
        if mine in (record.a, record.b)
    }


def sentence(record):
    """What a person reads: "Met at BBS ICT Days 2026: follow-up planned" (without the outcome
    when nobody gave one)."""
    if not record.outcome:
        return f"Met at {record.event}"
    return f"Met at {record.event}: {_outcome_words(record.outcome)}"


def _outcome_words(outcome):
    label = OUTCOMES[outcome]
    return label[0].lower() + label[1:]


def described(record):
    """A MetBefore for a page: {"sentence", "event", "when" ("May 2025", "" when unknown),
    "outcome" (in words, "" when nobody said)}; None for None."""
    if record is None:
        return None
    when = date.fromisoformat(record.date).strftime("%B %Y") if record.date else ""
    return {
        "sentence": sentence(record),
        "event": record.event,
        "when": when,
        "outcome": _outcome_words(record.outcome) if record.outcome else "",
    }


def summary(event):
    """For the organizer: {"earlier": titles of the earlier events of the network, latest
    first, "pairs": pairs of this event's approved organisations that met at one of them,
    "follow_ups": how many of those have an outcome calling for a follow-up, "accepting": how
    many approved participants accept suggested meetings (follow-ups need their consent)}."""
    # Imported here: suggestions -> eventday -> agenda -> history would be a circle.
    from matchmaker.services.suggestions import consent_counts

    organisations = set(
        db.session.scalars(
            sa.select(Participant.organisation_id).where(
                Participant.event_id == event.id, Participant.status == "approved"
            )
        ).all()
    )
    here = [r for r in met_before(event) if r.a in organisations and r.b in organisations]
    return {
        "earlier": [e.title for e, _last in earlier_events(event)],
        "pairs": len(here),
        "follow_ups": sum(1 for r in here if r.follow_up),
        "accepting": consent_counts(event)[0],
    }


def follow_up_pairs(event, participants):
    """Pairs (participant id, participant id) of `participants` whose organisations met at an
    earlier event with an outcome that calls for a follow-up (matching.history.
    FOLLOW_UP_OUTCOMES), when the event's policy is "follow_up"; else empty. The optimiser
    is offered them as suggested meetings (services/schedules.build_instance)."""
    if event.met_before_policy != "follow_up":
        return []
    wanted = {frozenset((r.a, r.b)) for r in met_before(event) if r.follow_up}
    if not wanted:
        return []
    by_organisation = {}
    for participant in participants:
        by_organisation.setdefault(participant.organisation_id, []).append(participant.id)
    return sorted(
        tuple(sorted((first, second)))
        for a, b in (tuple(pair) for pair in wanted)
        for first in by_organisation.get(a, ())
        for second in by_organisation.get(b, ())
    )


def last_registration(organisation, event):
    """The organisation's registration to start from at `event`: its most recent registration
    with at least one offer or need at an event that started before this one, preferring the
    events of the same network. None when there is none. Cost: two queries."""
    if organisation is None:
        return None
    candidates = db.session.scalars(
        sa.select(Participant)
        .where(
            Participant.organisation_id == organisation.id,
            Participant.event_id != event.id,
            sa.exists().where(Opportunity.participant_id == Participant.id),
        )
        .options(selectinload(Participant.opportunities), selectinload(Participant.event))
    ).all()
    if not candidates:
        return None
    days = event_days([event.id, *(p.event_id for p in candidates)])
    starts = days[event.id][0]
    earlier = [p for p in candidates if days[p.event_id][0] < starts]
    if not earlier:
        return None

    def preference(participant):
        same_network = event.network_id is not None and (
            participant.event.network_id == event.network_id
        )
        return (same_network, days[participant.event_id][0], participant.id)

    return max(earlier, key=preference)
