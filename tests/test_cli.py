import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import User
from matchmaker.services import accounts


def test_create_user_prompts_for_password_and_sets_role(runner):
    result = runner.invoke(
        args=["create-user", "Org@Example.com", "--role", "organizer"],
        input="a long password\na long password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created organizer org@example.com." in result.output
    user = accounts.authenticate("org@example.com", "a long password")
    assert user.role == "organizer"


def test_create_user_refuses_duplicate_with_message(runner, make_user):
    make_user(email="org@example.com")
    result = runner.invoke(args=["create-user", "org@example.com", "--password", "a long password"])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_create_user_refuses_unknown_role(runner):
    result = runner.invoke(args=["create-user", "x@example.com", "--role", "king"])
    assert result.exit_code == 2
    assert "'king' is not one of" in result.output


def test_feedback_remind_emails_who_still_owes_answers(runner, outbox, make_user, make_event,
                                                       make_participant):  # fmt: skip
    from matchmaker.services import feedback
    from tests import after_event

    w = after_event.build(make_user, make_event, make_participant)
    result = runner.invoke(args=["feedback-remind", "ict-days"])
    assert (result.exit_code, "Start a feedback round first." in result.output) == (1, True)
    current, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    feedback.submit(w.mo, w.held.id, current, after_event.GOOD)
    result = runner.invoke(args=["feedback-remind", "ict-days"])
    assert "Reminders sent to 1 participants." in result.output  # Eve: only a no-show
    assert sorted(m["To"] for m in outbox.messages[3:]) == ["ana@agro.example"]
    assert "No event with the address" in runner.invoke(args=["feedback-remind", "nope"]).output
