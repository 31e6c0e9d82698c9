"""Last year's edition in the demo: a finished event whose statistics have real shapes."""

import sqlalchemy as sa

from matchmaker import create_app, demo_data
from matchmaker.extensions import db
from matchmaker.models import Event, Feedback, FeedbackRound, Meeting, Participant
from matchmaker.services import accounts, statistics
from matchmaker.services.demo import load_demo, load_past_edition
from tests.conftest import base_config


def _fingerprint():
    """What a rerun or a second database must reproduce exactly."""
    rows = db.session.execute(sa.select(Meeting.source, Meeting.status, Meeting.code)).all()
    answers = db.session.execute(
        sa.select(Feedback.round, Feedback.held, Feedback.usefulness, Feedback.outcome)
    ).all()
    # Sorted here: SQLite and PostgreSQL order NULLs differently.
    return sorted(map(tuple, rows), key=repr), sorted(map(tuple, answers), key=repr)


def test_past_edition_is_finished_with_agenda_day_and_feedback(app):
    load_demo()
    report = load_past_edition()
    event = db.session.scalar(sa.select(Event).where(Event.slug == report.slug))
    assert report.created and event.status == "closed"
    organizer = accounts.find_user(demo_data.ORGANIZER["email"])
    assert all(e.is_organized_by(organizer) for e in db.session.scalars(sa.select(Event)))
    stats = statistics.gather(event)
    assert stats.published and stats.approved >= 60 and stats.countries >= 10
    status = dict(stats.meeting_status)
    assert status["Held"] > 0.7 * stats.meetings
    assert 0 < status["No-show"] < 0.25 * stats.meetings and status["Cancelled"] > 0
    assert 0 < stats.checked_in < stats.approved  # a few never came
    assert 0.5 < stats.cross_border_share < 1
    assert all(count for _, count in stats.funnel)
    assert all(count for _, count in stats.outcomes)
    assert 3 < stats.average_usefulness < 4.5
    walk_ins = db.session.scalar(
        sa.select(sa.func.count(Meeting.id)).where(
            Meeting.event_id == event.id, Meeting.source == "walk_in"
        )
    )
    assert walk_ins > 0
    rounds = db.session.scalars(sa.select(FeedbackRound).order_by(FeedbackRound.number)).all()
    assert [r.kind for r in rounds] == ["after_event", "follow_up"]
    answered_both_sides = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Feedback)
        .where(Feedback.round == 1)
        .group_by(Feedback.meeting_id)
        .having(sa.func.count() == 2)
        .limit(1)
    )
    assert answered_both_sides == 2
    # The printed logins took part, so they find their meetings and feedback.
    ion = accounts.find_user(demo_data.DEMO_LOGINS[1])
    assert db.session.scalar(
        sa.select(Participant).where(Participant.event_id == event.id, Participant.user == ion)
    )


def test_past_edition_runs_again_without_change_and_is_the_same_elsewhere(app, tmp_path):
    load_demo()
    load_past_edition()
    first = _fingerprint()
    again = load_past_edition()
    assert not again.created
    assert _fingerprint() == first
    other = create_app(base_config(tmp_path / "other", "sqlite://"))
    with other.app_context():
        db.create_all()
        load_demo()
        load_past_edition()
        assert _fingerprint() == first
        db.session.remove()


def test_demo_command_loads_both_editions_once(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Loaded last year's edition (bbs-ict-brokerage-2026, closed)" in result.output
    result = runner.invoke(args=["demo"])
    assert "Already loaded last year's edition" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 3  # and the mission
