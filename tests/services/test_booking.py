"""Participants book their own meetings (scheduling modes "participants" and "hybrid")."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Meeting, MeetingRequest, Notice, Schedule
from matchmaker.models.base import utcnow
from matchmaker.services import booking, schedules
from matchmaker.services import requests as meeting_requests
from matchmaker.services.errors import Conflict, DomainError


@pytest.fixture
def fair(make_event, make_user, make_participant):
    organizer = make_user(email="org@example.com", name="Olga", role="organizer")
    event = make_event(
        organizer=organizer, scheduling_mode="participants", tables=1, request_expiry_hours=48
    )
    people = {
        name: make_participant(
            event, make_user(email=f"{name}@example.com", name=name.title()),
            organisation_name=f"{name.title()} Ltd",
        )
        for name in ("ana", "bo", "cem", "dana")
    }  # fmt: skip
    return event, organizer, people


def _slots(event):
    return sorted(event.slots, key=lambda s: s.starts_at)


def _send(sender, receiver, *slots, message="Shall we meet?"):
    return meeting_requests.send_request(
        sender, receiver, message, by=sender.user, slots=list(slots)
    )


def _agenda(participant):
    from matchmaker.services.agenda import personal_agenda

    return [(m.partner.organisation.name, m.slot.label, m.table.label)
            for m in personal_agenda(participant).meetings]  # fmt: skip


def test_accepting_books_the_proposed_slot_with_a_table_in_both_agendas(fair, outbox):
    event, _, p = fair
    first, second = _slots(event)[:2]
    request = _send(p["ana"], p["bo"], first, second)
    assert [s.id for s in request.proposed_slots] == [first.id, second.id]
    assert "Accepting books the meeting" in outbox.messages[-1].get_payload(decode=True).decode()

    meeting_requests.accept(request, by=p["bo"].user, slot=second)

    assert request.status == "accepted"
    assert _agenda(p["ana"]) == [("Bo Ltd", second.label, "Table 1")]
    assert _agenda(p["bo"]) == [("Ana Ltd", second.label, "Table 1")]
    schedule = db.session.scalar(sa.select(Schedule))
    assert (schedule.status, schedule.version) == ("published", 1)
    assert "You meet" in outbox.messages[-1].get_payload(decode=True).decode()
    notice = db.session.scalar(sa.select(Notice))
    assert (notice.kind, notice.user_id) == ("booking", p["ana"].user_id)
    assert notice.link == f"/events/{event.slug}/agenda"


def test_request_in_participants_mode_without_a_time_is_refused(fair):
    event, _, p = fair
    with pytest.raises(DomainError, match="Pick at least one time"):
        _send(p["ana"], p["bo"])


def test_free_slots_leave_out_unavailable_busy_held_and_full_slots(fair):
    event, _, p = fair
    s1, s2, s3, s4 = _slots(event)[:4]
    p["bo"].unavailable.append(s1)
    db.session.commit()
    request = _send(p["cem"], p["dana"], s2)
    meeting_requests.accept(request, by=p["dana"].user)  # the one table at s2 is taken
    _send(p["ana"], p["cem"], s3)  # ana's waiting request holds s3

    free = [s.id for s in booking.free_slots(p["ana"], p["bo"])]

    assert s1.id not in free and s2.id not in free and s3.id not in free
    assert free[0] == s4.id


def test_the_last_table_taken_meanwhile_is_refused_with_the_reason(fair):
    event, _, p = fair
    slot = _slots(event)[0]
    first = _send(p["ana"], p["bo"], slot)
    # Dana's request to Cem for the same time was sent before Ana's held it.
    second = MeetingRequest(
        event_id=event.id, sender_id=p["dana"].id, receiver_id=p["cem"].id, status="pending"
    )
    second.proposed_slots = [slot]
    db.session.add(second)
    db.session.commit()
    meeting_requests.accept(first, by=p["bo"].user)

    with pytest.raises(DomainError, match="Every time this request proposed was booked"):
        meeting_requests.accept(second, by=p["cem"].user)
    assert second.status == "expired"

    third = MeetingRequest(
        event_id=event.id, sender_id=p["dana"].id, receiver_id=p["cem"].id, status="pending"
    )
    db.session.add(third)
    db.session.commit()
    with pytest.raises(Conflict, match=r"The last table at \w+ 09:00 was just taken"):
        meeting_requests.accept(third, by=p["cem"].user, slot=slot)
    assert third.status == "pending"


def test_cancelling_a_booked_meeting_frees_its_slot_for_either_side(fair, outbox):
    event, _, p = fair
    slot = _slots(event)[0]
    request = _send(p["ana"], p["bo"], slot)
    meeting_requests.accept(request, by=p["bo"].user)

    meeting_requests.cancel(request, by=p["bo"].user)  # the receiver may cancel a booking

    assert request.status == "cancelled"
    assert _agenda(p["ana"]) == []
    assert slot.id in [s.id for s in booking.free_slots(p["cem"], p["dana"])]
    assert "cancelled your meeting" in outbox.messages[-1].get_payload(decode=True).decode()


def test_moving_a_booked_meeting_frees_the_old_slot_and_tells_the_partner(fair, outbox):
    event, _, p = fair
    s1, s2 = _slots(event)[:2]
    request = _send(p["ana"], p["bo"], s1)
    meeting_requests.accept(request, by=p["bo"].user)

    meeting_requests.reschedule(request, s2, by=p["ana"].user)

    assert _agenda(p["bo"]) == [("Ana Ltd", s2.label, "Table 1")]
    assert outbox.messages[-1]["To"] == "bo@example.com"
    assert "Ana Ltd moved a meeting with you" in outbox.messages[-1]["Subject"]
    assert s1.id in [s.id for s in booking.free_slots(p["cem"], p["dana"])]


def test_opt_out_books_the_meeting_as_the_request_is_sent(fair, outbox):
    event, _, p = fair
    event.request_mode = "opt_out"
    db.session.commit()
    slot = _slots(event)[0]

    request = _send(p["ana"], p["bo"], slot)

    assert request.status == "accepted"
    assert _agenda(p["bo"]) == [("Ana Ltd", slot.label, "Table 1")]
    assert "Ana Ltd booked a meeting with you" in outbox.messages[-1]["Subject"]


def test_receiver_picks_any_common_free_slot_when_the_partner_chooses(fair):
    event, _, p = fair
    event.slot_chooser = "receiver"
    db.session.commit()
    slot = _slots(event)[3]
    request = _send(p["ana"], p["bo"])
    assert request.proposed_slots == []

    meeting_requests.accept(request, by=p["bo"].user, slot=slot)

    assert _agenda(p["ana"]) == [("Bo Ltd", slot.label, "Table 1")]


def test_booking_keeps_the_meeting_cap(fair):
    event, _, p = fair
    event.max_meetings_per_participant = 1
    db.session.commit()
    s1, s2 = _slots(event)[:2]
    meeting_requests.accept(_send(p["ana"], p["bo"], s1), by=p["bo"].user)
    request = _send(p["cem"], p["ana"], s2)

    with pytest.raises(DomainError, match="You have reached the maximum of 1 meetings"):
        meeting_requests.accept(request, by=p["ana"].user)


def test_a_waiting_request_whose_times_were_all_booked_is_closed(fair):
    event, _, p = fair
    s1 = _slots(event)[0]
    waiting = MeetingRequest(
        event_id=event.id, sender_id=p["cem"].id, receiver_id=p["ana"].id, status="pending"
    )
    waiting.proposed_slots = [s1]
    db.session.add(waiting)
    db.session.commit()

    other = MeetingRequest(
        event_id=event.id, sender_id=p["bo"].id, receiver_id=p["ana"].id, status="pending"
    )
    db.session.add(other)
    db.session.commit()

    meeting_requests.accept(other, by=p["ana"].user, slot=s1)  # Ana takes s1 with Bo

    assert waiting.status == "expired"
    assert waiting.decline_reason == "Every time it proposed was booked for another meeting."


def test_an_expired_request_no_longer_holds_its_time(fair):
    event, _, p = fair
    s1 = _slots(event)[0]
    request = _send(p["ana"], p["bo"], s1)
    assert s1.id not in [s.id for s in booking.free_slots(p["ana"], p["cem"])]
    request.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert s1.id in [s.id for s in booking.free_slots(p["ana"], p["cem"])]


def test_hybrid_generation_keeps_bookings_locked_and_publishing_an_older_draft_carries_later_ones(
    fair,
):
    event, organizer, p = fair
    event.scheduling_mode = "hybrid"
    event.table_count = 2
    from matchmaker.services.events import sync_slots_and_tables

    sync_slots_and_tables(event)
    db.session.commit()
    s1, s2 = _slots(event)[:2]
    meeting_requests.accept(_send(p["ana"], p["bo"], s1), by=p["bo"].user)

    draft = schedules.generate(event, by=organizer, time_limit=5)
    kept = [m for m in draft.meetings if {m.participant_a_id, m.participant_b_id}
            == {p["ana"].id, p["bo"].id}]  # fmt: skip
    assert [(m.slot_id, m.locked, m.source) for m in kept] == [(s1.id, True, "request")]

    # Booked after the draft was made: publishing the draft keeps it.
    for m in list(draft.meetings):
        if {m.participant_a_id, m.participant_b_id} & {p["cem"].id, p["dana"].id}:
            draft.meetings.remove(m)
    db.session.commit()
    meeting_requests.accept(_send(p["cem"], p["dana"], s2), by=p["dana"].user)
    schedules.publish(draft, by=organizer)

    assert _agenda(p["cem"]) == [("Dana Ltd", s2.label, "Table 1")]
    assert [row[:2] for row in _agenda(p["ana"])][0] == ("Bo Ltd", s1.label)


def test_publishing_an_older_draft_that_clashes_with_a_later_booking_is_refused(fair):
    event, organizer, p = fair
    s1 = _slots(event)[0]
    draft = Schedule(event_id=event.id, version=1, status="draft", options={}, figures={})
    db.session.add(draft)
    db.session.flush()
    draft.meetings.append(Meeting.between(draft, s1, p["ana"], p["cem"], source="manual"))
    draft.created_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    meeting_requests.accept(_send(p["ana"], p["bo"], s1), by=p["bo"].user)

    with pytest.raises(Conflict, match="Ana Ltd and Bo Ltd booked .* Generate a new draft"):
        schedules.publish(draft, by=organizer)
    assert _agenda(p["ana"]) == [("Bo Ltd", s1.label, "Table 1")]


def test_in_organizer_mode_a_request_names_no_time_and_cancelling_leaves_the_agenda_alone(
    fair, outbox
):
    event, _, p = fair
    event.scheduling_mode = "organizer"
    db.session.commit()
    request = _send(p["ana"], p["bo"])
    meeting_requests.accept(request, by=p["bo"].user)
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0

    meeting_requests.cancel(request, by=p["ana"].user)

    assert (
        "cancelled their meeting request" in outbox.messages[-1].get_payload(decode=True).decode()
    )
    with pytest.raises(DomainError, match="Only the sender"):
        meeting_requests.cancel(_send(p["cem"], p["bo"]), by=p["bo"].user)
