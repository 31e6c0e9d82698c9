"""Live matching while registrations arrive at the same moment (PostgreSQL)."""

import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.matching.live import FittedEvent
from matchmaker.models import Event, Match, MatchModel, Organisation, User
from matchmaker.services import registration
from tests.concurrency.conftest import failures, needs_postgres, race

pytestmark = needs_postgres


def _registrant(event_id, user_id):
    def racer():
        event, user = db.session.get(Event, event_id), db.session.get(User, user_id)
        user.organisation  # noqa: B018 - loaded by the view
        return lambda: registration.register(event, user, "Sensors for irrigation").id

    return racer


def test_registrations_at_once_all_enter_the_live_state(app, make_event, make_user):
    event = make_event(approval_required=False)
    event_id = event.id
    users = []
    for i in range(8):
        user = make_user(email=f"p{i}@example.com", name=f"P{i}")
        user.organisation = Organisation(
            name=f"Farm {i}", country="RO", type="sme",
            description="Irrigation sensors and soil moisture data for farms",
        )  # fmt: skip
        users.append(user)
    db.session.commit()

    outcomes = race(app, *(_registrant(event_id, user.id) for user in users))

    assert failures(outcomes) == []
    model = db.session.get(MatchModel, event_id)
    db.session.refresh(model)
    assert model.participant_count == 8
    assert len(FittedEvent.from_bytes(model.payload).ids) == 8
    assert db.session.scalar(sa.select(sa.func.count(Match.id))) > 0
