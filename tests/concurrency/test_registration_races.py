"""Sign-ups, organisation profiles and registrations arriving at the same moment."""

import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Event, MembershipRequest, Organisation, Participant, User
from matchmaker.services import accounts, registration
from tests.concurrency.conftest import ROUNDS, failures, needs_postgres, race, successes

pytestmark = needs_postgres

PROFILE = {
    "name": "Acme Robotics", "country": "RO", "city": "Cluj", "type": "sme", "size": "10-49",
    "website": "", "description": "Robots for warehouses", "sectors": [],
}  # fmt: skip


def _with_organisation(make_user, email):
    user = make_user(email=email, name=email.split("@")[0].title())
    user.organisation = Organisation(name=f"{user.name} SRL", country="RO", type="sme")
    db.session.commit()
    return user.id


def _registrant(event_id, user_id):
    def racer():
        event, user = db.session.get(Event, event_id), db.session.get(User, user_id)
        user.organisation  # noqa: B018 - loaded by the view
        return lambda: registration.register(event, user, "Partners for pilots").id

    return racer


def test_registering_twice_at_once_keeps_one_registration(app, make_event, make_user):
    event_id = make_event().id
    for round_ in range(ROUNDS):
        user_id = _with_organisation(make_user, f"ana{round_}@example.com")
        outcomes = race(app, _registrant(event_id, user_id), _registrant(event_id, user_id))
        (refused,) = failures(outcomes)
        assert (refused.kind, refused.message) == (
            "Conflict", "You are already registered for this event."
        )  # fmt: skip
        registrations = db.session.scalars(
            sa.select(Participant.id).where(Participant.user_id == user_id)
        ).all()
        assert registrations == successes(outcomes)


def test_twenty_people_registering_at_once_are_all_registered(app, make_event, make_user):
    event_id = make_event().id
    for round_ in range(3):
        users = [_with_organisation(make_user, f"p{round_}-{i}@example.com") for i in range(20)]
        outcomes = race(app, *(_registrant(event_id, user_id) for user_id in users))
        assert failures(outcomes) == []
        registered = db.session.scalars(
            sa.select(Participant.user_id).where(
                Participant.event_id == event_id, Participant.status == "pending"
            )
        ).all()
        assert set(users) <= set(registered)
    assert len(registered) == 60


def test_colleagues_saving_their_new_organisation_at_once_make_one_profile(app, make_user):
    """The first creates it; the others, having waited on the lock, ask to join it."""

    def organisation_id(saved):
        return saved.id if isinstance(saved, Organisation) else saved.organisation_id

    for round_ in range(ROUNDS):
        colleagues = [
            make_user(email=f"{name}{round_}@acme{round_}.example", name=name).id
            for name in ("ana", "bo", "cem")
        ]
        profile = {**PROFILE, "name": f"Acme Robotics {round_}"}
        outcomes = race(
            app, *(_profile_saver(user_id, profile, organisation_id) for user_id in colleagues)
        )
        assert failures(outcomes) == []
        assert len(set(outcomes)) == 1  # one organisation for the three colleagues
        organisation = db.session.get(Organisation, outcomes[0])
        waiting = db.session.scalars(
            sa.select(MembershipRequest.user_id).where(
                MembershipRequest.organisation_id == organisation.id,
                MembershipRequest.status == "pending",
            )
        ).all()
        assert len(organisation.members) == 1
        assert sorted([organisation.members[0].id, *waiting]) == sorted(colleagues)


def _profile_saver(user_id, profile, organisation_id):
    def racer():
        user = db.session.get(User, user_id)
        user.organisation  # noqa: B018 - loaded by the view
        return lambda: organisation_id(registration.save_profile(user, profile))

    return racer


def test_signing_up_twice_with_one_email_at_once_makes_one_account(app):
    def signup(email):
        def racer():
            return lambda: accounts.create_user(email, "Ana", "correct horse battery").id

        return racer

    for round_ in range(ROUNDS):
        email = f"ana{round_}@example.com"
        outcomes = race(app, signup(email), signup(email.upper()))
        (refused,) = failures(outcomes)
        assert (refused.kind, refused.message) == (
            "Conflict",
            "An account with this email already exists. Log in or reset the password.",
        )
        assert db.session.scalars(sa.select(User.id).where(User.email == email)).all() == (
            successes(outcomes)
        )
