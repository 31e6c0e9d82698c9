from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Feedback, FeedbackRound
from matchmaker.services import feedback
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from tests import after_event
from tests.after_event import GOOD


@pytest.fixture
def w(make_user, make_event, make_participant):
    return after_event.build(make_user, make_event, make_participant)


def _recipients(outbox):
    return sorted(message["To"] for message in outbox.messages)


def test_first_round_emails_everyone_with_a_meeting_a_link(w, outbox):
    started, emailed = feedback.start_round(w.event, "after_event", by=w.olga)
    assert (started.number, started.kind, emailed) == (1, "after_event", 3)
    # Dan had no meeting; Eve's only other meeting was cancelled but the no-show counts.
    assert _recipients(outbox) == ["ana@agro.example", "eve@labs.example", "mo@field.example"]
    assert "/events/ict-days/feedback/link/" in outbox.last_link()


def test_first_round_waits_for_the_end_of_the_event(make_user, make_event, make_participant):
    w = after_event.build(make_user, make_event, make_participant, status="agenda_published")
    before = datetime(2027, 5, 19, 6, 0, tzinfo=UTC)  # 09:00 in Bucharest, the last day
    with pytest.raises(DomainError, match="not over yet"):
        feedback.start_round(w.event, "after_event", by=w.olga, now=before)
    after = datetime(2027, 5, 19, 9, 0, tzinfo=UTC)  # 12:00 there, the last slot is over
    started, _ = feedback.start_round(w.event, "after_event", by=w.olga, now=after)
    assert started.number == 1


def test_rounds_go_after_event_then_follow_ups_only(w):
    with pytest.raises(DomainError, match="first feedback round"):
        feedback.start_round(w.event, "follow_up", by=w.olga)
    feedback.start_round(w.event, "after_event", by=w.olga)
    with pytest.raises(DomainError, match="start a follow-up"):
        feedback.start_round(w.event, "after_event", by=w.olga)
    second, _ = feedback.start_round(w.event, "follow_up", by=w.olga)
    assert [(r.number, r.kind) for r in feedback.rounds_of(w.event)] == [
        (1, "after_event"),
        (2, "follow_up"),
    ]
    assert feedback.current_round(w.event) == second


def test_only_organizers_start_rounds(w):
    with pytest.raises(NotAllowed):
        feedback.start_round(w.event, "after_event", by=w.ana.user)
    assert db.session.scalar(sa.select(sa.func.count(FeedbackRound.id))) == 0


def test_submit_records_and_edits_one_answer_per_round(w):
    current, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    feedback.submit(w.ana, w.held.id, current, GOOD)
    feedback.submit(w.ana, w.held.id, current, {**GOOD, "outcome": "offer_sent"})
    answers = db.session.scalars(sa.select(Feedback)).all()
    assert [(a.participant_id, a.round, a.usefulness, a.outcome) for a in answers] == [
        (w.ana.id, 1, 4, "offer_sent")
    ]


def test_submit_refuses_someone_elses_meeting(w):
    current, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    with pytest.raises(NotAllowed):
        feedback.submit(w.dan, w.held.id, current, GOOD)  # Ana and Mo's meeting
    with pytest.raises(NotAllowed):
        feedback.submit(w.ana, 987654, current, GOOD)
    assert db.session.scalar(sa.select(sa.func.count(Feedback.id))) == 0


def test_submit_refuses_meetings_outside_the_published_agenda(w):
    current, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    w.schedule.status = "superseded"
    db.session.commit()
    with pytest.raises(NotAllowed):
        feedback.submit(w.ana, w.held.id, current, GOOD)


def test_earlier_rounds_are_closed_to_answers(w):
    first, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    feedback.start_round(w.event, "follow_up", by=w.olga)
    with pytest.raises(DomainError, match="round is closed"):
        feedback.submit(w.ana, w.held.id, first, GOOD)


def test_cancelled_and_no_show_meetings_can_be_answered_as_not_held(w):
    current, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    not_held = {"held": False, "usefulness": None, "outcome": None, "comment": ""}
    feedback.submit(w.eve, w.cancelled.id, current, not_held)
    feedback.submit(w.eve, w.no_show.id, current, not_held)
    with pytest.raises(DomainError, match="cancelled"):
        feedback.submit(w.mo, w.cancelled.id, current, GOOD)
    assert db.session.scalar(sa.select(sa.func.count(Feedback.id))) == 2


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"held": None}, "took place"),
        ({"held": True, "usefulness": None, "outcome": "offer_sent"}, "how useful"),
        ({"held": True, "usefulness": 6, "outcome": "offer_sent"}, "1 to 5"),
        ({"held": False, "usefulness": 3}, "1 to 5"),
        ({"held": True, "usefulness": 3, "outcome": None}, "outcome"),
        ({"held": True, "usefulness": 3, "outcome": "world_peace"}, "listed outcomes"),
        ({**GOOD, "comment": "x" * 2001}, "too long"),
        ({**GOOD, "comment": "nul\x00byte"}, "control characters"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(w, answers, message):
    current, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    with pytest.raises(DomainError, match=message):
        feedback.submit(w.ana, w.held.id, current, answers)
    assert db.session.scalar(sa.select(sa.func.count(Feedback.id))) == 0


def test_reminders_go_only_to_those_with_unanswered_meetings(w, outbox):
    current, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    feedback.submit(w.mo, w.held.id, current, GOOD)  # Mo's only meeting not cancelled
    sent_before = len(outbox.messages)
    # Ana still owes the held meeting; Eve's meetings were a no-show and a cancellation.
    assert feedback.send_reminders(w.event, by=w.olga) == 1
    reminded = sorted(m["To"] for m in outbox.messages[sent_before:])
    assert reminded == ["ana@agro.example"]
    assert all("Reminder" in m["Subject"] for m in outbox.messages[sent_before:])
    assert (current.reminders_sent, current.reminded_at is not None) == (1, True)


def test_no_show_only_participant_is_not_reminded(w, outbox):
    current, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    feedback.submit(w.ana, w.held.id, current, GOOD)
    feedback.submit(w.mo, w.held.id, current, GOOD)
    sent_before = len(outbox.messages)
    assert feedback.reminder_count(w.event) == 0  # Eve only had a no-show and a cancellation
    assert feedback.send_reminders(w.event, by=w.olga) == 0
    assert outbox.messages[sent_before:] == []


def test_second_reminder_within_the_pause_is_refused(w, outbox):
    current, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    first = datetime(2027, 6, 1, 8, 0)
    assert feedback.send_reminders(w.event, by=w.olga, now=first) == 2
    sent = len(outbox.messages)
    with pytest.raises(Conflict, match=r"went out on 01 Jun 2027 11:00 to 2 participants"):
        feedback.send_reminders(w.event, by=w.olga, now=first + timedelta(hours=47))
    assert len(outbox.messages) == sent
    assert feedback.send_reminders(w.event, by=w.olga, now=first + timedelta(hours=48)) == 2
    assert (current.reminders_sent, current.reminded_at) == (2, first + timedelta(hours=48))


def test_feedback_link_opens_only_its_persons_meetings_of_the_current_round(w):
    current, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    token = feedback.feedback_link_token(w.ana, current)
    assert feedback.participant_of_link(token, w.event) == w.ana
    with pytest.raises(NotAllowed):
        feedback.participant_of_link(token[:-2] + "xx", w.event)
    with pytest.raises(NotAllowed):  # Ana's token says nothing about Mo's own meetings
        feedback.submit(feedback.participant_of_link(token, w.event), w.cancelled.id, current,
                        {"held": False})  # fmt: skip
    feedback.start_round(w.event, "follow_up", by=w.olga)
    with pytest.raises(NotAllowed, match="round is closed"):
        feedback.participant_of_link(token, w.event)


def test_reminders_need_a_round(w, outbox):
    with pytest.raises(DomainError, match="Start a feedback round"):
        feedback.send_reminders(w.event, by=w.olga)
    assert outbox.messages == []


def test_items_show_own_meetings_with_this_and_earlier_answers(w):
    first, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    feedback.submit(w.ana, w.held.id, first, GOOD)
    second, _ = feedback.start_round(w.event, "follow_up", by=w.olga)
    items = feedback.items(w.ana)
    assert [(i.meeting.id, i.partner.id) for i in items] == [(w.held.id, w.mo.id),
                                                             (w.no_show.id, w.eve.id)]  # fmt: skip
    assert items[0].answer is None and items[0].previous.outcome == "follow_up_planned"
    feedback.submit(w.ana, w.held.id, second, {**GOOD, "outcome": "agreement_signed"})
    assert feedback.items(w.ana)[0].answer.outcome == "agreement_signed"


def test_answer_rates_count_sides_of_meetings_not_cancelled(w):
    current, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    feedback.submit(w.ana, w.held.id, current, GOOD)
    feedback.submit(w.eve, w.cancelled.id, current, {"held": False})  # not asked: no count
    [rate] = feedback.answer_rates(w.event)
    assert (rate.asked, rate.answered, rate.people) == (4, 1, 3)
    assert rate.share == 0.25
