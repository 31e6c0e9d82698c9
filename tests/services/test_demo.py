import sqlalchemy as sa

from matchmaker import demo_data
from matchmaker.extensions import db
from matchmaker.models import Event, MeetingRequest, Opportunity, Organisation, Participant, User
from matchmaker.services import accounts
from matchmaker.services.demo import load_demo


def _counts():
    return [
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (User, Organisation, Event, Participant, Opportunity, MeetingRequest)
    ]


def test_demo_loads_a_realistic_event(app):
    report = load_demo()
    event = db.session.scalar(sa.select(Event))
    assert report.created
    assert report.organisations >= 80
    countries = db.session.scalars(sa.select(Organisation.country).distinct()).all()
    assert len(countries) >= 10
    assert len(event.days) == 2
    assert len(event.tables) >= 15
    assert 20 <= event.meeting_minutes <= 25
    assert event.breaks
    assert report.requests > 0
    # Availability was narrowed for some participants, not for all.
    narrowed = db.session.scalar(
        sa.select(sa.func.count()).select_from(Participant).where(Participant.unavailable.any())
    )
    assert 0 < narrowed < report.participants


def test_demo_runs_again_without_duplicates(app):
    load_demo()
    before = _counts()
    report = load_demo()
    assert not report.created
    assert _counts() == before


def test_printed_demo_logins_work(app):
    report = load_demo()
    for role, email in report.logins:
        user = accounts.authenticate(email, report.password)
        assert user is not None, email
        assert user.role == role
    organizer = accounts.find_user(demo_data.ORGANIZER["email"])
    assert db.session.scalar(sa.select(Event)).is_organized_by(organizer)


def test_demo_command_prints_logins_and_if_empty_skips_a_used_database(runner, make_user):
    make_user()
    result = runner.invoke(args=["demo", "--if-empty"])
    assert "the demo event was not loaded" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0
    assert "Demo logins (password: demo-brokerage-2027)" in result.output
    assert demo_data.ORGANIZER["email"] in result.output


def test_demo_has_late_registrations_waiting_for_approval(app):
    load_demo()
    pending = db.session.scalars(
        sa.select(Participant).where(Participant.status == "pending")
    ).all()
    assert len(pending) == 2
    assert all(p.opportunities for p in pending)
