import pytest

from matchmaker.services import feedback, statistics
from tests import after_event
from tests.after_event import GOOD


@pytest.fixture
def w(make_user, make_event, make_participant):
    return after_event.build(make_user, make_event, make_participant)


def test_participant_and_request_figures(w):
    stats = statistics.gather(w.event)
    assert (stats.registrations, stats.approved, stats.organisations, stats.countries) == (
        4, 4, 4, 3,
    )  # fmt: skip
    assert stats.by_country == [("RO", 2), ("BG", 1), ("RS", 1)]
    assert stats.by_type == [("SME", 4)]
    assert stats.funnel == [
        ("Sent", 4), ("Accepted", 1), ("Declined", 1), ("Expired", 1), ("Cancelled", 0),
    ]  # fmt: skip
    assert stats.requests_pending == 1
    assert stats.registrations_by_day[-1][1] == 4


def test_meeting_figures(w):
    stats = statistics.gather(w.event)
    assert (stats.meetings, stats.cross_border, stats.cross_border_share) == (2, 1, 0.5)
    assert stats.meeting_status == [
        ("Held", 1), ("No-show", 1), ("Cancelled", 1), ("Not yet marked", 0),
    ]  # fmt: skip
    # Dan has none, Mo and Eve one each (their meeting together was cancelled), Ana two.
    assert stats.per_participant == [(0, 1), (1, 2), (2, 1)]
    first_day = stats.heatmap[0]
    assert sum(n for n in first_day if n) == 2 and first_day[:2] == [1, 1]
    assert stats.heatmap_times[0] == "09:00"
    assert stats.heatmap_days[0] == "Tue 18 May"


def test_outcomes_take_each_sides_latest_answer(w):
    first, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    feedback.submit(w.ana, w.held.id, first, GOOD)
    feedback.submit(w.mo, w.held.id, first, {**GOOD, "usefulness": 5, "outcome": "offer_sent"})
    second, _ = feedback.start_round(w.event, "follow_up", by=w.olga)
    feedback.submit(w.ana, w.held.id, second, {**GOOD, "outcome": "agreement_signed"})
    stats = statistics.gather(w.event)
    outcomes = dict(stats.outcomes)
    assert outcomes["Agreement signed"] == 1 and outcomes["Offer sent"] == 1
    assert outcomes["Follow-up planned"] == 0  # Ana's round-1 answer was superseded
    assert stats.feedback_answers == 3
    assert stats.average_usefulness == 4.5


def test_event_without_agenda_has_no_meeting_figures(make_user, make_event):
    event = make_event()
    stats = statistics.gather(event)
    assert (stats.published, stats.meetings, stats.per_participant) == (False, 0, [])
    assert stats.meeting_status == [] and stats.average_usefulness is None
    assert (stats.key_figures()[0].label, stats.key_figures()[0].value) == ("Registrations", 0)


def test_heatmap_leaves_out_times_without_a_slot(make_user, make_event, make_participant):
    # make_event: 09:00-12:00 with a break on the first day, 09:00-11:00 on the second, so
    # the second day has no slot at the first day's late times.
    event = make_event()
    stats = statistics.gather(event)
    last = stats.heatmap_times.index(max(stats.heatmap_times))
    assert stats.heatmap[0][last] == 0 and stats.heatmap[1][last] is None
