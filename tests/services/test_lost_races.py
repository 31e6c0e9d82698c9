"""When a check passes but a concurrent writer got there first, the database's unique keys
decide and the loser sees a sentence, not an error page (on SQLite and PostgreSQL alike; the
real races run in tests/concurrency on PostgreSQL)."""

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Organisation, Participant, User
from matchmaker.services import accounts, registration
from matchmaker.services.errors import Conflict
from tests.conftest import PASSWORD


def test_signup_that_loses_the_race_for_an_email_answers_as_for_a_taken_email(
    client, make_user, monkeypatch, outbox
):
    make_user(email="ana@example.com")
    # The other sign-up committed after this one looked: the lookup saw nothing.
    monkeypatch.setattr(accounts, "find_user", lambda email: None)
    response = client.post(
        "/auth/signup",
        data={"name": "Ana", "email": "ana@example.com", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert (response.status_code, response.headers["Location"]) == (302, "/auth/login")
    assert outbox.messages[-1]["Subject"] == "Someone tried to sign up with your email"
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_registration_that_loses_the_race_tells_the_person_they_are_registered(
    app, make_event, make_user, make_participant, monkeypatch
):
    event, ana = make_event(), make_user()
    ana.organisation = Organisation(name="Ana SRL", country="RO", type="sme")
    db.session.commit()
    make_participant(event, ana, organisation=ana.organisation, status="pending")
    real_scalar = db.session.scalar

    def first_lookup_misses(statement, *args, **kwargs):
        # The registration committed by the other tab is not seen by this one's check.
        if "FROM participants" in str(statement):
            return None
        return real_scalar(statement, *args, **kwargs)

    monkeypatch.setattr(db.session, "scalar", first_lookup_misses)
    with pytest.raises(Conflict) as refusal:
        registration.register(event, ana, "Pilots")
    monkeypatch.undo()
    assert str(refusal.value) == "You are already registered for this event."
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 1
