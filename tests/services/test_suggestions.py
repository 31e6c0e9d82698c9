"""Suggested meetings with consent: the optimiser adds them only within each participant's
limit and above the event's floor; a participant declines one of the published agenda."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Interest, Match, Meeting, MeetingAttendee, Notice, Schedule
from matchmaker.services import eventday, schedules, suggestions
from matchmaker.services.errors import DomainError, NotAllowed

NAMES = ("Ana", "Bo", "Cem", "Dana", "Eli")
# Every pair of the five matches; Cem–Dana only weakly.
SCORES = {
    ("Ana", "Bo"): 0.9, ("Ana", "Cem"): 0.8, ("Ana", "Dana"): 0.7, ("Ana", "Eli"): 0.6,
    ("Bo", "Cem"): 0.55, ("Bo", "Dana"): 0.5, ("Bo", "Eli"): 0.45, ("Cem", "Dana"): 0.05,
    ("Cem", "Eli"): 0.4, ("Dana", "Eli"): 0.35,
}  # fmt: skip


@pytest.fixture
def fair(make_user, make_event, make_participant):
    """Five approved participants, all matched with one another; nobody asked for anything."""
    organizer = make_user(email="olga@org.example", name="Olga", role="organizer")
    event = make_event(organizer=organizer, tables=3)
    people = {
        name: make_participant(
            event, make_user(email=f"{name.lower()}@x.example", name=name),
            organisation_name=f"{name} Ltd",
        )
        for name in NAMES
    }  # fmt: skip
    for (first, second), score in SCORES.items():
        a, b = sorted((people[first], people[second]), key=lambda p: p.id)
        db.session.add(
            Match(event_id=event.id, participant_a_id=a.id, participant_b_id=b.id, score=score)
        )
    db.session.commit()
    return event, people, organizer


def _suggested(schedule, people):
    """{name: number of suggested meetings} and the set of suggested pairs, by name."""
    names = {p.id: name for name, p in people.items()}
    counts, pairs = dict.fromkeys(people, 0), set()
    for m in schedule.meetings:
        if m.source == "suggestion":
            pair = frozenset((names[m.participant_a_id], names[m.participant_b_id]))
            pairs.add(pair)
            for name in pair:
                counts[name] += 1
    return counts, pairs


def test_generate_suggests_nothing_without_consent(fair):
    event, people, _ = fair
    assert event.suggestion_default == 0
    schedule = schedules.generate(event, time_limit=5)
    assert schedule.meetings == []


def test_generate_gives_no_suggestion_to_who_said_no(fair):
    event, people, _ = fair
    event.suggestion_default = 3
    people["Ana"].suggestion_limit = 0
    db.session.commit()
    counts, pairs = _suggested(schedules.generate(event, time_limit=5), people)
    assert counts["Ana"] == 0
    assert sum(counts.values()) > 0


def test_generate_caps_suggestions_at_each_limit(fair):
    event, people, _ = fair
    event.suggestion_default = 4
    people["Ana"].suggestion_limit = 1
    people["Bo"].suggestion_limit = 2
    db.session.commit()
    counts, pairs = _suggested(schedules.generate(event, time_limit=5), people)
    assert counts["Ana"] == 1
    assert counts["Bo"] == 2
    assert frozenset(("Ana", "Bo")) in pairs  # the best pair, both consenting


def test_generate_never_suggests_under_the_floor(fair):
    event, people, _ = fair
    event.suggestion_default = 4
    event.suggestion_floor = 0.1
    db.session.commit()
    counts, pairs = _suggested(schedules.generate(event, time_limit=5), people)
    assert frozenset(("Cem", "Dana")) not in pairs
    assert len(pairs) == 9


def test_one_sided_interest_does_not_override_a_no(fair):
    event, people, _ = fair
    ana, bo = people["Ana"], people["Bo"]
    db.session.add_all([
        Interest(event_id=event.id, participant_id=bo.id, target_id=ana.id, value="interested"),
        Interest(event_id=event.id, participant_id=ana.id, target_id=bo.id,
                 value="not_interested"),
    ])  # fmt: skip
    db.session.commit()
    assert schedules.generate(event, time_limit=5).meetings == []


def test_settings_need_an_organizer_and_numbers_in_range(fair):
    event, people, organizer = fair
    with pytest.raises(NotAllowed):
        suggestions.set_settings(event, 2, 0.2, by=people["Ana"].user)
    with pytest.raises(DomainError):
        suggestions.set_settings(event, 2, 1.5, by=organizer)
    suggestions.set_settings(event, 2, 0.6, by=organizer)
    assert (event.suggestion_default, event.suggestion_floor) == (2, 0.6)
    assert suggestions.pairs_above(event) == 4  # 0.9, 0.8, 0.7, 0.6 of SCORES
    assert suggestions.consent_counts(event) == (5, 5, 0)


# --- declining ------------------------------------------------------------------------------


@pytest.fixture
def published(fair):
    """Version 1 published: Ana–Bo suggested in slot 0, Ana–Cem from a request in slot 1."""
    event, people, organizer = fair
    schedule = Schedule(event_id=event.id, version=1, status="published")
    db.session.add(schedule)
    db.session.flush()
    slots, tables = event.slots, event.tables
    suggested = Meeting.between(schedule, slots[0], people["Ana"], people["Bo"], table=tables[0],
                                source="suggestion", code="SUG1")  # fmt: skip
    db.session.add(suggested)
    requested = Meeting.between(schedule, slots[1], people["Ana"], people["Cem"],
                                table=tables[0], source="request", code="REQ1")  # fmt: skip
    db.session.add(requested)
    db.session.commit()
    return event, people, organizer, schedule, suggested, requested


def test_decline_frees_the_slot_tells_the_partner_and_is_not_suggested_again(published, outbox):
    event, people, organizer, schedule, suggested, _ = published
    ana, bo = people["Ana"], people["Bo"]
    assert suggestions.declinable_ids(ana, schedule) == {suggested.id}

    assert suggestions.decline(suggested, ana, by=ana.user) == bo

    db.session.expire_all()
    assert (suggested.status, suggested.status_changed_by_id) == ("cancelled", ana.user_id)
    assert (
        db.session.scalars(
            sa.select(MeetingAttendee).where(MeetingAttendee.meeting_id == suggested.id)
        ).all()
        == []
    )
    # The refill list of that slot offers both, freed by the declined meeting.
    free, refill = eventday.refill_panel(schedule, event.slots[0])
    freed = {f.participant.organisation.name: f.freed_by for f in free if f.freed_by}
    assert freed == {"Ana Ltd": suggested, "Bo Ltd": suggested}
    partners_of_bo = next(r for f, r in refill if f.participant == bo)
    assert ana not in [partner for partner, _ in partners_of_bo]
    # Bo is told, by mail and in the inbox.
    mail = outbox.messages[-1]
    assert mail["To"] == "bo@x.example"
    assert mail["Subject"] == "Suggested meeting at 09:00 cancelled: Ana Ltd"
    body = mail.get_payload(decode=True).decode()
    assert "Ana Ltd declined the meeting the organizers of ICT Brokerage Days suggested" in body
    assert "that slot in your agenda is free again" in body
    notice = db.session.scalar(sa.select(Notice).where(Notice.user_id == bo.user_id))
    assert notice.kind == "suggestion_declined"
    assert notice.text.startswith("Ana Ltd declined the meeting the organizers suggested at 09:00")
    # Never suggested again at this event, even to who accepts many.
    event.suggestion_default = 9
    db.session.commit()
    _, pairs = _suggested(schedules.generate(event, time_limit=5), people)
    assert frozenset(("Ana", "Bo")) not in pairs
    assert pairs  # others still are


def test_decline_takes_the_suggestion_out_of_a_draft_copy(published):
    event, people, organizer, schedule, suggested, _ = published
    draft = schedules.copy_to_draft(schedule, by=organizer)
    assert len(draft.meetings) == 2
    suggestions.decline(suggested, people["Bo"], by=people["Bo"].user)
    db.session.expire_all()
    assert [m.source for m in draft.meetings] == ["request"]


def test_decline_is_for_the_meeting_participants_only(published):
    event, people, organizer, schedule, suggested, _ = published
    with pytest.raises(NotAllowed):
        suggestions.decline(suggested, people["Cem"], by=people["Cem"].user)
    with pytest.raises(NotAllowed):
        suggestions.decline(suggested, people["Ana"], by=organizer)
    db.session.expire_all()
    assert suggested.status == "scheduled"


def test_decline_refuses_a_requested_meeting(published):
    event, people, organizer, schedule, _, requested = published
    with pytest.raises(DomainError, match="Only meetings suggested by the organizers"):
        suggestions.decline(requested, people["Ana"], by=people["Ana"].user)
    assert suggestions.declinable_ids(people["Ana"], schedule) == {published[4].id}


def test_decline_refuses_once_the_meeting_started(published):
    event, people, organizer, schedule, suggested, _ = published
    started = event.slots[0].starts_at + timedelta(minutes=1)
    with pytest.raises(DomainError, match="This meeting started at 09:00"):
        suggestions.decline(suggested, people["Ana"], by=people["Ana"].user, now=started)
    assert suggestions.declinable_ids(people["Ana"], schedule, now=started) == set()


def test_decline_twice_says_it_is_already_cancelled(published):
    event, people, organizer, schedule, suggested, _ = published
    suggestions.decline(suggested, people["Ana"], by=people["Ana"].user)
    with pytest.raises(DomainError, match="already cancelled"):
        suggestions.decline(suggested, people["Bo"], by=people["Bo"].user)


def test_decline_refuses_a_draft_meeting(fair):
    event, people, organizer = fair
    draft = Schedule(event_id=event.id, version=1, status="draft")
    db.session.add(draft)
    db.session.flush()
    meeting = Meeting.between(draft, event.slots[0], people["Ana"], people["Bo"],
                              table=event.tables[0], source="suggestion")  # fmt: skip
    db.session.add(meeting)
    db.session.commit()
    with pytest.raises(DomainError, match="no longer the published one"):
        suggestions.decline(meeting, people["Ana"], by=people["Ana"].user)


def test_publish_mail_counts_the_suggested_meetings(published, outbox):
    event, people, organizer, schedule, suggested, _ = published
    draft = schedules.copy_to_draft(schedule, by=organizer)
    extra = Meeting.between(draft, event.slots[2], people["Dana"], people["Eli"],
                            table=event.tables[1], source="suggestion")  # fmt: skip
    db.session.add(extra)
    db.session.commit()
    schedules.publish(draft, by=organizer)
    bodies = {m["To"]: m.get_payload(decode=True).decode() for m in outbox.messages}
    assert (
        "You have 1 meeting.\n1 of them is a meeting suggested by the organizers"
        in (bodies["dana@x.example"])
    )
    assert "you can decline it there" in bodies["dana@x.example"]


# --- the demo ---------------------------------------------------------------------------------


def test_demo_consent_is_mixed_and_its_draft_suggests_only_within_it(app):
    from collections import Counter

    from matchmaker import demo_data
    from matchmaker.models import Event, Participant
    from matchmaker.services import matchmaking
    from matchmaker.services.demo import load_demo

    load_demo()
    event = db.session.scalar(sa.select(Event))
    people = db.session.scalars(sa.select(Participant)).all()
    limits = Counter(p.suggestion_limit for p in people)
    assert set(limits) == {None, 0, 1, 2, 3}  # some say nothing, some no, some "up to N"
    assert event.suggestion_default == 0
    for person in people:
        if person.user.email in demo_data.DEMO_LOGINS:
            assert person.suggestion_limit == 2

    matchmaking.compute_matches(event)
    draft = schedules.generate(event, time_limit=10)
    suggested = Counter()
    for m in draft.meetings:
        if m.source == "suggestion":
            suggested.update((m.participant_a_id, m.participant_b_id))
    by_id = {p.id: p for p in people}
    assert all(count <= (by_id[pid].suggestion_limit or 0) for pid, count in suggested.items())
    assert sum(m.source == "suggestion" for m in draft.meetings) < len(draft.meetings) / 2
