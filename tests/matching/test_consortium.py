import json
import pathlib

import pytest

from matchmaker.matching import Opportunity, Participant
from matchmaker.matching.__main__ import main
from matchmaker.matching.consortium import (
    Constraints,
    Idea,
    IdeaScores,
    Role,
    build_consortia,
    describe_team,
    next_best,
    read_idea,
)
from matchmaker.matching.interchange import DocumentError, read_document
from matchmaker.matching.model import MatchWeights

DATA = pathlib.Path(__file__).parents[2] / "benchmarks" / "data"
IDEA_FILE = DATA / "consortium_idea.json"
PARTICIPANTS_FILE = DATA / "consortium_participants.json"


@pytest.fixture(scope="module")
def participants():
    participants, _ = read_document(json.loads(PARTICIPANTS_FILE.read_text(encoding="utf-8")))
    return participants


def farm_idea(**constraints):
    given = {"partners": 4, "min_countries": 3, "members": ("agrisense",), **constraints}
    return Idea(
        title="Digital twins of farms from space",
        objective="Advise growers on irrigation from satellite data and field trials.",
        roles=(
            Role("eo", "satellite data"),
            Role("trials", "agronomy field trials"),
            Role("coops", "farm cooperatives"),
        ),
        constraints=Constraints(**given),
    )


def who(team):
    return [m.participant_id for m in team.members]


def role_holders(team):
    return {
        reason.role_id: member.participant_id
        for member in team.members
        for reason in member.reasons
        if reason.role_id is not None
    }


def test_one_partner_per_role_from_three_countries(participants):
    proposal = build_consortia(farm_idea(), participants)

    best = proposal.teams[0]
    holders = role_holders(best)
    by_id = {p.id: p for p in participants}
    assert sorted(holders) == ["coops", "eo", "trials"]
    assert len(set(holders.values())) == 3  # three different partners, none of them the lead
    assert "agrisense" not in holders.values()
    assert len({by_id[i].country for i in who(best)}) >= 3
    assert best.uncovered == () and best.problems == () and proposal.problems == ()
    # The reason names the partner's own offer that meets the role, and shared words.
    eo = next(m for m in best.members if m.participant_id == holders["eo"])
    assert "satellite" in eo.reasons[0].opportunity.casefold()
    assert "satellite" in " ".join(eo.reasons[0].terms)


def test_copies_of_the_lead_are_not_proposed(participants):
    # farmapp and cropsoft write almost what the lead writes: they add no role. (The third
    # team, without the two best partners, needs cropsoft for its third country.)
    proposal = build_consortia(farm_idea(), participants)

    for team in proposal.teams[:2]:
        assert {"farmapp", "cropsoft"} & set(who(team)) == set()


def test_lead_is_in_every_team_and_teams_differ(participants):
    proposal = build_consortia(farm_idea(), participants)

    teams = [frozenset(who(team)) for team in proposal.teams]
    assert len(teams) == 3
    assert len(set(teams)) == 3
    assert all("agrisense" in team for team in teams)
    assert all(len(team) == 4 for team in teams)


def test_at_most_one_participant_per_organisation(participants):
    # agrisense-2 (the lead's own satellite department) would cover "satellite data" best.
    proposal = build_consortia(farm_idea(min_countries=0), participants)

    for team in proposal.teams:
        organisations = [m.organisation_id for m in team.members]
        assert len(organisations) == len(set(organisations))
        assert "agrisense-2" not in who(team)


def test_same_organisation_allowed_when_the_idea_says_so(participants):
    idea = farm_idea(min_countries=0, one_per_organisation=False)

    proposal = build_consortia(idea, participants)

    assert "agrisense-2" in who(proposal.teams[0])


def test_required_type_is_in_every_team(participants):
    proposal = build_consortia(farm_idea(required_types=("university",)), participants)

    for team in proposal.teams:
        assert "university" in [m.type for m in team.members]
        assert team.constraints_met


def test_constraint_that_cannot_be_met_is_reported(participants):
    proposal = build_consortia(farm_idea(min_countries=7), participants)

    assert any("7 countries" in problem for problem in proposal.problems)
    team = proposal.teams[0]
    assert not team.constraints_met
    assert team.problems == (
        "The team's partners come from 4 countries, at least 7 were asked for.",
    )


def test_missing_type_and_unknown_member_are_reported(participants):
    idea = farm_idea(required_types=("hospital",), members=("agrisense", "nobody"))

    proposal = build_consortia(idea, participants)

    assert "'nobody' is named as already in the team but is not a participant." in (
        proposal.problems
    )
    assert "A hospital was required, but no participant is hospital." in proposal.problems
    assert "The team has 0 hospital partners, 1 was required." in proposal.teams[0].problems


def test_uncovered_role_is_listed(participants):
    idea = Idea(
        title="Space farming",
        roles=(Role("eo", "satellite data"), Role("ship", "deep sea shipping logistics")),
        constraints=Constraints(partners=2, members=("agrisense",)),
    )

    team = build_consortia(idea, participants).teams[0]

    assert [role.id for role in team.uncovered] == ["ship"]
    assert "eo" in team.covered


def test_deterministic(participants):
    first = build_consortia(farm_idea(), participants)
    second = build_consortia(farm_idea(), tuple(participants))

    assert first == second


def test_a_copy_of_the_lead_loses_to_a_complement_without_roles():
    # Without roles the idea itself is the need: "copy" fits it better than "stations" but
    # writes what the lead writes; the redundancy penalty gives the place to the complement.
    def org(pid, country, text):
        offer = Opportunity(id=f"{pid}-o", kind="offer", title=text)
        return Participant(id=pid, organisation_id=pid, country=country, offers=(offer,))

    participants = [
        org("lead", "RO", "hydrogen fuel cells for city buses"),
        org("copy", "BG", "hydrogen fuel cells for city buses, fuel cell buses"),
        org("stations", "GR", "refuelling stations for trucks"),
        org("tours", "GR", "wine tours"),
    ]
    idea = Idea(
        title="Hydrogen city buses",
        objective="Fuel cells for city buses and hydrogen refuelling stations",
        constraints=Constraints(partners=2, min_countries=2, members=("lead",)),
    )

    blind = build_consortia(idea, participants, redundancy=0.0)
    proposal = build_consortia(idea, participants)

    assert who(blind.teams[0]) == ["lead", "copy"]
    assert who(proposal.teams[0]) == ["lead", "stations"]


def test_example_idea_file_reads_and_runs(tmp_path, capsys):
    code = main(["consortium", str(IDEA_FILE), str(PARTICIPANTS_FILE)])
    out, err = capsys.readouterr()

    result = json.loads(out)
    assert (code, err) == (0, "")
    assert result["format"] == "matchmaker.consortia/1"
    assert len(result["teams"]) == 3
    first = result["teams"][0]
    assert first["constraints_met"] is True
    assert first["uncovered"] == []
    assert sorted(r["role_id"] for m in first["members"] for r in m["reasons"] if r["role_id"]) == [
        "wp-eo",
        "wp-pilots",
        "wp-trials",
    ]
    assert all(member["why"] for member in first["members"])


def test_command_exits_1_when_a_constraint_cannot_be_met(tmp_path, capsys):
    idea = json.loads(IDEA_FILE.read_text(encoding="utf-8"))
    idea["constraints"]["required_types"] = ["hospital"]
    path = tmp_path / "idea.json"
    path.write_text(json.dumps(idea))

    code = main(["consortium", str(path), str(PARTICIPANTS_FILE)])
    result = json.loads(capsys.readouterr().out)

    assert code == 1
    assert "A hospital was required, but no participant is hospital." in result["problems"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "other/1"}, "document.format: expected 'matchmaker.consortium-idea/1'"),
        ({"title": ""}, "document.title: the idea needs a title"),
        ({"constraints": {"partners": 0}}, "constraints.partners: expected a team of 1 to 100"),
        ({"constraints": {"partners": "4"}}, "constraints.partners: expected an integer"),
        ({"constraints": {"partners": 3, "members": [{}]}}, "constraints.members[0]: expected"),
        ({"roles": [{"description": "x"}]}, "roles[0]: 'title' is missing"),
        ({"roles": ["a", {"id": 1, "title": "b"}]}, "roles[1].id: 1 is used twice"),
    ],
)
def test_bad_idea_exits_2_in_one_line(tmp_path, capsys, change, message):
    idea = {**json.loads(IDEA_FILE.read_text(encoding="utf-8")), **change}
    path = tmp_path / "idea.json"
    path.write_text(json.dumps(idea))

    code = main(["consortium", str(path), str(PARTICIPANTS_FILE)])
    out, err = capsys.readouterr()

    assert (code, out) == (2, "")
    assert message in err
    assert err.count("\n") == 1


def test_bad_participants_file_exits_2(tmp_path, capsys):
    path = tmp_path / "participants.json"
    path.write_text("{not json")

    code = main(["consortium", str(IDEA_FILE), str(path)])
    out, err = capsys.readouterr()

    assert (code, out) == (2, "")
    assert err.startswith(f"error: {path}: not valid JSON")


def test_read_idea_accepts_roles_as_plain_texts():
    idea = read_idea(
        {
            "format": "matchmaker.consortium-idea/1",
            "title": "Idea",
            "roles": ["satellite data", "field trials"],
            "constraints": {"partners": 3},
        }
    )

    assert [(r.id, r.title) for r in idea.roles] == [(1, "satellite data"), (2, "field trials")]
    assert idea.constraints.one_per_organisation is True
    with pytest.raises(DocumentError):
        read_idea({"format": "matchmaker.consortium-idea/1", "title": "x"})


# --- in the app (issue 25): a team changed by hand, the next best for a role, problems with
# codes the pages put in the reader's language.


def test_next_best_covers_the_same_role_with_someone_outside_the_team(participants):
    idea = farm_idea()
    scores = IdeaScores(idea, participants, MatchWeights())
    best = build_consortia(idea, participants, scores=scores).teams[0]
    holders = role_holders(best)

    swapped_in = next_best(scores, idea.constraints, who(best), holders["eo"])

    assert swapped_in not in who(best)
    team = [swapped_in if i == holders["eo"] else i for i in who(best)]
    changed = describe_team(scores, idea.constraints, team)
    assert role_holders(changed)["eo"] == swapped_in
    # Asked again with the first alternative passed over, another one comes.
    again = next_best(scores, idea.constraints, team, swapped_in, passed=[holders["eo"]])
    assert again not in {*team, holders["eo"]}


def test_describe_team_keeps_the_builders_own_description(participants):
    idea = farm_idea()
    scores = IdeaScores(idea, participants, MatchWeights())
    best = build_consortia(idea, participants, scores=scores).teams[0]

    assert describe_team(scores, idea.constraints, who(best)) == best


def test_next_best_is_none_when_nobody_is_left(participants):
    few = participants[:4]
    idea = farm_idea(members=(few[0].id,), min_countries=0)
    scores = IdeaScores(idea, few, MatchWeights())
    everyone = [p.id for p in few]

    assert next_best(scores, idea.constraints, everyone, everyone[1]) is None


def test_problems_carry_a_code_and_their_values(participants):
    proposal = build_consortia(farm_idea(min_countries=40), participants)

    (problem,) = [p for p in proposal.problems if p.code == "too_few_countries"]
    assert problem.values["wanted"] == 40
    assert problem.startswith("At least 40 countries were asked for")
    assert proposal.teams[0].problems[0].code == "team_countries"


def test_a_past_partner_of_the_lead_is_preferred_among_equals():
    from matchmaker.matching.coparticipation import CoParticipation

    def org(i, text, country):
        offer = (Opportunity(id=f"{i}-o", kind="offer", title=text),)
        return Participant(id=i, organisation_id=f"org-{i}", country=country, offers=offer)

    everyone = [
        org("lead", "Irrigation advice for growers", "RO"),
        org("first", "Satellite data for crop monitoring", "BG"),
        org("second", "Satellite data for crop monitoring", "GR"),
    ]
    idea = Idea(
        title="Irrigation from space",
        roles=(Role("eo", "satellite data"),),
        constraints=Constraints(partners=2, members=("lead",)),
    )

    alone = build_consortia(idea, everyone, teams=1)
    familiar = build_consortia(
        idea, everyone, teams=1, co_participation=[CoParticipation(("org-lead", "org-second"))]
    )

    assert who(alone.teams[0]) == ["lead", "first"]  # equal gains: the one listed first
    assert who(familiar.teams[0]) == ["lead", "second"]
