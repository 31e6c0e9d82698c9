"""The consortium builder at an event and group meetings' lifecycle (issue 25)."""

import pytest

from matchmaker.services import consortium, group_meetings
from matchmaker.services.consortium import IdeaInput
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from tests.consortium_world import farm_world

FARM = IdeaInput(
    title="Digital twins of farms from space",
    objective="Advise growers on irrigation from satellite data and field trials.",
    roles=("satellite data", "agronomy field trials", "farm cooperatives"),
    partners=4,
    min_countries=3,
)


@pytest.fixture
def farm(app, make_user, make_event, make_participant):
    with app.test_request_context():
        yield farm_world(make_user, make_event, make_participant)


def names(team):
    return [m.participant.organisation.name for m in team.members]


def holders(team):
    return {role: m.participant.organisation.name for m in team.members for role in m.roles}


def test_call_gets_one_partner_per_role_from_three_countries(farm):
    draft = consortium.propose(farm.event, FARM, farm.people["lead"])

    best = draft.teams[0]
    assert len(draft.teams) == 3
    assert names(best)[0] == "AgriSense"
    assert set(holders(best)) == {"satellite data", "agronomy field trials", "farm cooperatives"}
    assert len(set(holders(best).values())) == 3
    assert len(best.countries) >= 3
    assert best.uncovered == [] and best.problems == [] and draft.problems == []
    assert "PayFast" not in names(best)


def test_unmeetable_constraint_is_reported_in_words(farm):
    idea = IdeaInput(**{**FARM.as_dict(), "min_countries": 8, "partners": 8})
    idea = IdeaInput.of({**idea.as_dict(), "required_types": ["public_body"]})

    draft = consortium.propose(farm.event, idea, farm.people["lead"])

    assert any(
        "At least 8 countries were asked for, but the participants come from only 5" in p
        for p in draft.problems
    )
    assert (
        "Public body was required (1), but only 0 participants of the event are of that type."
        in (draft.problems)
    )
    assert any("countries, at least 8 were asked for" in p for p in draft.teams[0].problems)


def test_swap_brings_the_next_best_for_the_role(farm):
    draft = consortium.propose(farm.event, FARM, farm.people["lead"])
    eo = next(m for m in draft.teams[0].members if "satellite data" in m.roles)
    shown = eo.alternative.organisation.name

    swapped = consortium.draft_view(farm.event, draft.token, swap=(1, eo.participant.id))

    assert holders(swapped.teams[0])["satellite data"] == shown
    assert eo.participant.organisation.name not in names(swapped.teams[0])
    assert names(swapped.teams[1]) == names(draft.teams[1])  # other teams unchanged


def test_a_tampered_draft_is_refused(farm):
    draft = consortium.propose(farm.event, FARM, farm.people["lead"])

    with pytest.raises(DomainError, match="expired"):
        consortium.draft_view(farm.event, draft.token[:-3] + "abc")


def _invited(farm):
    draft = consortium.propose(farm.event, FARM, farm.people["lead"])
    lead_user = farm.people["lead"].user
    return group_meetings.invite_team(farm.event, draft.token, 1, "", by=lead_user)


def test_invited_team_is_proposed_with_the_lead_accepted(farm, outbox):
    made = _invited(farm)

    assert (made.origin, made.status) == ("consortium", "proposed")
    answers = {m.participant.organisation.name: (m.status, m.role) for m in made.members}
    assert answers["AgriSense"] == ("accepted", "")
    assert sorted(status for status, _role in answers.values()) == [
        "accepted", "invited", "invited", "invited"
    ]  # fmt: skip
    assert {role for _status, role in answers.values()} >= {"satellite data", "farm cooperatives"}
    invited = [m.participant.user.email for m in made.members if m.status == "invited"]
    assert sorted(message["To"] for message in outbox.messages) == sorted(invited)
    body = outbox.messages[0].get_payload(decode=True).decode()
    assert f"/events/farm-days/group-meetings/{made.id}" in body
    assert "satellite data" in body  # the team and each one's role


def test_confirmed_once_three_accepted_and_nobody_pending(farm):
    made = _invited(farm)
    others = [m.participant for m in made.members if m.status == "invited"]

    group_meetings.answer(made, others[0], True, by=others[0].user)
    group_meetings.answer(made, others[1], True, by=others[1].user)
    assert made.status == "proposed"  # one still to answer
    group_meetings.answer(made, others[2], False, by=others[2].user)

    assert made.status == "confirmed"
    with pytest.raises(Conflict):
        group_meetings.answer(made, others[2], True, by=others[2].user)


def test_a_non_member_cannot_answer(farm):
    made = _invited(farm)
    outsider = farm.people["fintech"]
    if outsider.id in [m.participant_id for m in made.members]:
        pytest.skip("the fintech company should never be in the team")

    with pytest.raises(NotAllowed):
        group_meetings.answer(made, outsider, True, by=outsider.user)


def test_declined_member_is_replaced_with_the_next_best(farm):
    made = _invited(farm)
    leaving = next(m.participant for m in made.members if m.role == "satellite data")
    group_meetings.answer(made, leaving, False, by=leaving.user)

    newcomer = group_meetings.replace_declined(made, leaving, by=farm.people["lead"].user)

    roles = {m.participant.organisation.name: (m.role, m.status) for m in made.members}
    assert roles[newcomer.organisation.name] == ("satellite data", "invited")
    assert leaving.organisation.name not in roles
    with pytest.raises(NotAllowed):
        group_meetings.replace_declined(made, newcomer, by=newcomer.user)


def test_lead_cancels_and_members_are_told(farm, outbox):
    made = _invited(farm)
    before = len(outbox.messages)

    group_meetings.cancel(made, by=farm.people["lead"].user)

    assert made.status == "cancelled"
    assert len(outbox.messages) - before == 3
    assert all("cancelled" in m["Subject"] for m in outbox.messages[before:])


def test_organizer_sets_up_a_confirmed_group_meeting(farm):
    chosen = [farm.people[k] for k in ("lead", "eo", "trials")]

    made = group_meetings.create_by_organizer(
        farm.event, "Irrigation round table", "", chosen, by=farm.organizer
    )

    assert (made.origin, made.status) == ("organizer", "confirmed")
    assert [m.status for m in made.members] == ["accepted"] * 3
    with pytest.raises(DomainError, match="3 to 8"):
        group_meetings.create_by_organizer(farm.event, "Pair", "", chosen[:2], by=farm.organizer)
    with pytest.raises(NotAllowed):
        group_meetings.create_by_organizer(farm.event, "X", "", chosen, by=chosen[0].user)
