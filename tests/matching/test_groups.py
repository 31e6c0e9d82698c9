"""Groups of an economic mission in the pure core: a delegate is never matched with another
delegate, a host meets delegates, and the interchange carries groups and their exclusions."""

import json

import pytest

from matchmaker.matching import MatchRules, Opportunity, Participant, rank_matches
from matchmaker.matching.__main__ import main
from matchmaker.matching.live import fit_state, score_participant
from matchmaker.matching.model import GroupRules

# Everyone offers and needs the same things, so without the groups every pair would match.
OFFER = "ERP integration for manufacturing companies"
NEED = "ERP integration partners in manufacturing"


def _participant(pid, country):
    return Participant(
        id=pid,
        organisation_id=f"org-{pid}",
        offers=(Opportunity(f"{pid}-o", "offer", OFFER),),
        requests=(Opportunity(f"{pid}-r", "request", NEED),),
        country=country,
    )


DELEGATES = ("d1", "d2", "d3")
HOSTS = ("h1", "h2", "h3")
MISSION = GroupRules(
    membership={**dict.fromkeys(DELEGATES, "delegation"), **dict.fromkeys(HOSTS, "hosts")},
    excluded={("delegation", "delegation"), ("hosts", "hosts")},
)


@pytest.fixture
def participants():
    return [_participant(pid, "RO") for pid in DELEGATES] + [
        _participant(pid, "MD") for pid in HOSTS
    ]


def _partners(ranked):
    return {pid: {m.partner_id for m in matches} for pid, matches in ranked.items()}


def test_without_groups_delegates_match_each_other(participants):
    partners = _partners(rank_matches(participants, top_k=10))

    assert partners["d1"] == {"d2", "d3", "h1", "h2", "h3"}


def test_mission_delegate_is_matched_only_with_hosts(participants):
    partners = _partners(rank_matches(participants, MatchRules(groups=MISSION), top_k=10))

    assert {pid: partners[pid] for pid in DELEGATES} == dict.fromkeys(DELEGATES, set(HOSTS))
    assert {pid: partners[pid] for pid in HOSTS} == dict.fromkeys(HOSTS, set(DELEGATES))


def test_only_delegation_excluded_lets_hosts_meet_each_other(participants):
    groups = GroupRules(membership=MISSION.membership, excluded={("delegation", "delegation")})

    partners = _partners(rank_matches(participants, MatchRules(groups=groups), top_k=10))

    assert partners["d1"] == set(HOSTS)
    assert partners["h1"] == {"h2", "h3", *DELEGATES}


def test_ungrouped_participant_meets_everyone(participants):
    loner = _participant("x", "BG")

    ranked = rank_matches([*participants, loner], MatchRules(groups=MISSION), top_k=10)

    assert _partners(ranked)["x"] == {*DELEGATES, *HOSTS}
    assert "x" in _partners(ranked)["d1"]


def test_may_meet_is_symmetric_and_reads_the_pairs_either_way():
    groups = GroupRules(membership={"a": 1, "b": 2, "c": 1}, excluded={(2, 1)})

    assert [groups.may_meet(*pair) for pair in (("a", "b"), ("b", "a"), ("a", "c"))] == [
        False,
        False,
        True,
    ]
    assert groups.may_meet("a", "nobody") is True


def test_group_rules_refuse_a_pair_that_is_not_a_pair():
    with pytest.raises(ValueError, match="pair"):
        GroupRules(membership={}, excluded={("a", "b", "c")})


def test_live_scoring_keeps_delegates_apart(participants):
    state = fit_state(participants)

    ranking = score_participant(state, participants[0], MatchRules(groups=MISSION), top_k=10)

    assert {m.partner_id for m in ranking.matches} == set(HOSTS)
    assert set(ranking.scores) == set(HOSTS)


def _document(participants, pairs):
    return {
        "format": "matchmaker.participants/1",
        "rules": {"excluded_group_pairs": pairs},
        "participants": [
            {
                "id": p.id,
                "organisation_id": p.organisation_id,
                "group": MISSION.membership[p.id],
                "offers": [{"id": f"{p.id}-o", "title": OFFER}],
                "requests": [{"id": f"{p.id}-r", "title": NEED}],
            }
            for p in participants
        ],
    }


def test_cli_carries_groups_and_exclusions(tmp_path, capsys, participants):
    path = tmp_path / "mission.json"
    path.write_text(json.dumps(_document(participants, [["delegation", "delegation"]])))

    assert main(["rank", str(path)]) == 0

    results = json.loads(capsys.readouterr().out)["results"]
    partners = {r["participant_id"]: {m["partner_id"] for m in r["matches"]} for r in results}
    assert partners["d1"] == set(HOSTS)
    assert partners["h1"] == {"h2", "h3", *DELEGATES}


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([["delegaton", "delegation"]], "excluded_group_pairs[0]: no participant is in group"),
        ([["delegation"]], "rules.excluded_group_pairs[0]: expected a pair"),
        ("delegation", "rules.excluded_group_pairs: expected a list"),
    ],
)
def test_cli_bad_group_rules_exit_2_in_one_line(tmp_path, capsys, participants, pairs, message):
    path = tmp_path / "mission.json"
    path.write_text(json.dumps(_document(participants, pairs)))

    assert main(["rank", str(path)]) == 2

    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


def test_cli_refuses_a_group_that_is_not_a_name(tmp_path, capsys, participants):
    document = _document(participants, [])
    document["participants"][0]["group"] = ["delegation"]
    path = tmp_path / "mission.json"
    path.write_text(json.dumps(document))

    assert main(["rank", str(path)]) == 2

    assert "participants[0].group: expected a string or an integer, got a list" in (
        capsys.readouterr().err
    )
